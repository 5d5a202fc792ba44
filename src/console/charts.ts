/**
 * Charts as inline SVG, drawn on the server: no script, colours by class
 * (the stylesheet's), a <title> on every mark so hovering names its value,
 * and a table or list beside each chart with the same figures in words.
 */
import type { Advisory } from '../contracts/advisor.js';
import type { DoraReport } from '../contracts/dora.js';
import { type Html, h, num, signedPct, words } from './html.js';

const r1 = (v: number) => Math.round(v * 10) / 10;

/** A factor's share of the score: a bar right of the axis raises the risk, left of it lowers it. */
export function contributionBar(contribution: number, maxAbs: number): Html {
  const half = 100;
  const len = maxAbs > 0 ? Math.min(1, Math.abs(contribution) / maxAbs) * (half - 2) : 0;
  const x = contribution >= 0 ? half : half - len;
  const cls = contribution >= 0 ? 'bar-up' : 'bar-down';
  return h`<svg class="bar" viewBox="0 0 200 14" role="img" aria-label="contribution ${num(contribution, 3)}"><rect class="${cls}" x="${r1(x)}" y="2" width="${r1(len)}" height="10" rx="2"></rect><line class="bar-axis" x1="100" y1="0" x2="100" y2="14"></line></svg>`;
}

const shortDate = (iso: string) => iso.slice(5, 10);
const shortTime = (iso: string) => iso.slice(5, 16).replace('T', ' ');

/**
 * The advisor's timeline: one row of advice (a marker per advisory, coloured
 * by its action) and one row per metric with its relative effect (canary
 * against baseline) at each advisory, coloured by that look's verdict.
 */
export function advisorTimeline(history: Advisory[]): Html {
  const list = [...history].sort((a, b) => a.sequence - b.sequence);
  const names: string[] = [];
  for (const a of list) for (const m of a.metrics) if (!names.includes(m.name)) names.push(m.name);
  const W = 900;
  const left = 180;
  const right = 30;
  const top = 12;
  const adviceH = 40;
  const rowH = 54;
  const plotW = W - left - right;
  const H = top + adviceH + names.length * rowH + 34;
  const times = list.map((a) => Date.parse(a.createdAt));
  const t0 = Math.min(...times);
  const span = Math.max(...times) - t0;
  // Spread by time; advisories at one instant (or a single one) are spaced evenly.
  const xAt = (i: number) =>
    left + (span > 0 ? ((times[i]! - t0) / span) * plotW : list.length === 1 ? plotW / 2 : (i / (list.length - 1)) * plotW);

  const guides = list.map(
    (a, i) => h`<line class="guide mk-${a.action}" x1="${r1(xAt(i))}" y1="${top}" x2="${r1(xAt(i))}" y2="${H - 30}"></line>`,
  );
  const adviceY = top + adviceH / 2;
  const advice = list.map(
    (a, i) =>
      h`<circle class="mk-${a.action}" cx="${r1(xAt(i))}" cy="${adviceY}" r="8"><title>#${a.sequence} ${shortTime(a.createdAt)} UTC: ${words(a.action)} (confidence ${Math.round(a.confidence * 100)}%)</title></circle>`,
  );
  const rows = names.map((name, row) => {
    const y0 = top + adviceH + row * rowH;
    const mid = y0 + rowH / 2;
    const points = list.map((a, i) => ({ a, i, m: a.metrics.find((m) => m.name === name) }));
    const maxAbs = Math.max(0.05, ...points.map((p) => Math.abs(p.m?.effect ?? 0)));
    const yOf = (effect: number | null | undefined) => mid - ((effect ?? 0) / maxAbs) * (rowH / 2 - 9);
    const withEffect = points.filter((p) => p.m && p.m.effect !== null);
    const path = withEffect.map((p, k) => `${k === 0 ? 'M' : 'L'}${r1(xAt(p.i))},${r1(yOf(p.m!.effect))}`).join(' ');
    const sample = points.find((p) => p.m)?.m;
    const marks = points
      .filter((p) => p.m)
      .map(({ a, i, m }) => {
        const what = `${name} at #${a.sequence}: ${words(m!.verdict)}; canary ${num(m!.medians.canary, 4)} vs baseline ${num(m!.medians.baseline, 4)} (effect ${signedPct(m!.effect)}; n ${m!.n.canary}/${m!.n.baseline})`;
        return h`<circle class="v-${m!.verdict}" cx="${r1(xAt(i))}" cy="${r1(yOf(m!.effect))}" r="6"><title>${what}</title></circle>`;
      });
    return h`<g>
<line class="grid-line" x1="${left}" y1="${y0}" x2="${W - right}" y2="${y0}"></line>
<text class="label" x="8" y="${mid - 3}">${name}</text>
<text x="8" y="${mid + 13}">${sample ? `${sample.critical ? 'critical ' : ''}${sample.role}` : ''} · ±${signedPct(maxAbs).replace('+', '')}</text>
<line class="zero" x1="${left}" y1="${mid}" x2="${W - right}" y2="${mid}"></line>
${path ? h`<path class="trend" d="${path}"></path>` : ''}
${marks}
</g>`;
  });
  const axisY = H - 30;
  // The first label starts at its tick and the last ends at its own, so neither leaves the chart.
  const anchor = (x: number) => (x < left + 60 ? 'start' : x > W - right - 60 ? 'end' : 'middle');
  const ticks = tickIndexes(list.length, 5).map(
    (i) =>
      h`<text x="${r1(xAt(i))}" y="${axisY + 18}" text-anchor="${anchor(xAt(i))}">#${list[i]!.sequence} ${shortTime(list[i]!.createdAt)}</text>`,
  );
  return h`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Advisor timeline: ${list.length} advisories, latest ${words(list.at(-1)?.action ?? '')}">
<title>Advisor timeline</title>
${guides}
<text class="label" x="8" y="${adviceY + 4}">advice</text>
${advice}
${rows}
<line class="axis" x1="${left}" y1="${axisY}" x2="${W - right}" y2="${axisY}"></line>
${ticks}
</svg>`;
}

/** Up to `max` evenly spread indexes of n items, first and last included. */
function tickIndexes(n: number, max: number): number[] {
  if (n <= 0) return [];
  if (n <= max) return [...Array(n).keys()];
  const step = (n - 1) / (max - 1);
  return [...new Set([...Array(max).keys()].map((k) => Math.round(k * step)))];
}

/** A round upper bound for an axis (1, 2, 5 × 10^k). */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

type Weekly = DoraReport['weekly'];

/** The frame both weekly charts share: size, margins, one slot per week, and the value axis from 0 to a round top. */
function weeklyFrame(weekly: Weekly, value: (w: Weekly[number]) => number) {
  const W = 900;
  const H = 230;
  const left = 44;
  const right = 12;
  const top = 12;
  const bottom = 34;
  const plotH = H - top - bottom;
  const max = niceMax(Math.max(0, ...weekly.map(value)));
  const slot = (W - left - right) / Math.max(1, weekly.length);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  return { W, H, left, right, slot, y, max };
}

/** Deploys per week: the successful part of each bar in blue, the failed deploys stacked on it in red. */
export function deploysChart(weekly: Weekly): Html {
  const { W, H, left, right, slot, y, max } = weeklyFrame(weekly, (w) => w.deploys);
  const barW = Math.max(4, Math.min(36, slot * 0.7));
  const bars = weekly.map((w, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    const ok = Math.max(0, w.deploys - w.failed);
    return h`<g><title>week of ${w.weekStart.slice(0, 10)}: ${w.deploys} deploys, ${w.failed} failed</title>
<rect class="bar-ok" x="${r1(x)}" y="${r1(y(ok))}" width="${r1(barW)}" height="${r1(y(0) - y(ok))}"></rect>
<rect class="bar-failed" x="${r1(x)}" y="${r1(y(w.deploys))}" width="${r1(barW)}" height="${r1(y(ok) - y(w.deploys))}"></rect></g>`;
  });
  return h`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Deploys per week, failed deploys stacked">
<title>Deploys per week</title>
${yGrid(left, W - right, y, max)}
${bars}
${weekLabels(weekly, left, slot, H - 12)}
</svg>`;
}

/** Median lead time per week (hours); weeks without a deploy leave a gap in the line. */
export function leadTimeChart(weekly: Weekly): Html {
  const { W, H, left, right, slot, y, max } = weeklyFrame(weekly, (w) => w.leadTimeHours ?? 0);
  const x = (i: number) => left + i * slot + slot / 2;
  let d = '';
  let pen = false;
  weekly.forEach((w, i) => {
    if (w.leadTimeHours === null) return void (pen = false);
    d += `${pen ? 'L' : 'M'}${r1(x(i))},${r1(y(w.leadTimeHours))} `;
    pen = true;
  });
  const dots = weekly.flatMap((w, i) =>
    w.leadTimeHours === null
      ? []
      : [
          h`<circle class="lead-dot" cx="${r1(x(i))}" cy="${r1(y(w.leadTimeHours))}" r="4"><title>week of ${w.weekStart.slice(0, 10)}: median lead time ${num(w.leadTimeHours, 1)} h</title></circle>`,
        ],
  );
  return h`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Median lead time per week, hours">
<title>Lead time per week (hours)</title>
${yGrid(left, W - right, y, max)}
${d ? h`<path class="lead" d="${d.trim()}"></path>` : ''}
${dots}
${weekLabels(weekly, left, slot, H - 12)}
</svg>`;
}

function yGrid(x1: number, x2: number, y: (v: number) => number, max: number): Html {
  return h`${[0, max / 2, max].map(
    (v) =>
      h`<line class="${v === 0 ? 'axis' : 'grid-line'}" x1="${x1}" y1="${r1(y(v))}" x2="${x2}" y2="${r1(y(v))}"></line><text x="${x1 - 6}" y="${r1(y(v)) + 4}" text-anchor="end">${num(v, 1)}</text>`,
  )}`;
}

function weekLabels(weekly: Weekly, left: number, slot: number, baseline: number): Html {
  return h`${tickIndexes(weekly.length, 8).map(
    (i) => h`<text x="${r1(left + i * slot + slot / 2)}" y="${baseline}" text-anchor="middle">${shortDate(weekly[i]!.weekStart)}</text>`,
  )}`;
}
