/**
 * Risk histogram by outcome: one panel per model, side by side in one SVG.
 * Bars are the share of each outcome's releases in a probability bin, so the
 * rare failures stay visible next to the many successes; failure bars are
 * hatched as well as coloured.
 */
import type { EvalReport } from '../../contracts/evals.js';
import { escapeHtml } from './escape.js';
import { OUTCOME } from './palette.js';
import { PLOT_WIDTH, plotFrame, type Plot } from './plots.js';
import { modelNames, type ModelEntry } from './tables.js';
import { axes, el, formatNumber, formatPercent, formatTick, niceCeil, niceTicks, scaleLinear, svg, text, type LegendItem } from './svg.js';

const HATCH_ID = 'plot-hist-hatch';

export interface Bin {
  lower: number;
  upper: number;
  success: number;
  failure: number;
}

/** `bins` may be the k+1 edges of k counts or their k lower edges; anything else falls back to k equal bins over [0, 1]. */
export function histogramBins(h: ModelEntry['histogram']): Bin[] {
  const k = Math.min(h.success.length, h.failure.length);
  const edges =
    h.bins.length > k
      ? h.bins
      : h.bins.length === k && k > 0
        ? [...h.bins, lastUpper(h.bins)]
        : Array.from({ length: k + 1 }, (_, i) => i / k);
  return Array.from({ length: k }, (_, i) => ({
    lower: edges[i] ?? 0,
    upper: edges[i + 1] ?? 1,
    success: h.success[i] ?? 0,
    failure: h.failure[i] ?? 0,
  }));
}

/** The upper edge of the last of k lower edges: one more step, or 1 for a single bin. */
function lastUpper(lowers: number[]): number {
  const last = lowers[lowers.length - 1] ?? 0;
  const prev = lowers[lowers.length - 2];
  return prev === undefined ? Math.max(1, last) : last + (last - prev);
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

const PANEL_HEIGHT = 150;
const PANEL_TITLE = 22;
const PANEL_GAP = 34;

export function histogramPlot(report: EvalReport): Plot {
  const names = modelNames(report);
  const panels = names.map((n) => {
    const bins = histogramBins(report.models[n]?.histogram ?? { bins: [], success: [], failure: [] });
    return { name: n, bins, s: sum(bins.map((b) => b.success)), f: sum(bins.map((b) => b.failure)) };
  });
  const share = (count: number, total: number): number => (total > 0 ? count / total : 0);
  const maxShare = Math.max(0.05, ...panels.flatMap((p) => p.bins.flatMap((b) => [share(b.success, p.s), share(b.failure, p.f)])));
  const used = panels.flatMap((p) => p.bins.filter((b) => b.success + b.failure > 0));
  // Zoom the shared x axis to the occupied bins (risk is mostly low), in steps of 0.1.
  const lo = Math.min(0, ...used.map((b) => b.lower));
  const hi = Math.max(lo + 0.1, Math.ceil(Math.max(0, ...used.map((b) => b.upper)) * 10 - 1e-9) / 10);
  const items: LegendItem[] = [
    { label: 'success (% of successful releases)', color: OUTCOME.success, fill: OUTCOME.success },
    { label: 'failure (% of failed releases)', color: OUTCOME.failure, fill: `url(#${HATCH_ID})` },
  ];
  const k = Math.max(1, panels.length);
  const block = PANEL_TITLE + PANEL_HEIGHT + PANEL_GAP;
  const { f, legendSvg } = plotFrame(items, PLOT_WIDTH, k * block - PANEL_GAP + 74);
  const x = scaleLinear([lo, hi], [f.left, f.right]);
  const yTicks = niceTicks(0, niceCeil(maxShare, 5), 5);
  const yTop = Math.max(maxShare, yTicks[yTicks.length - 1] ?? maxShare);

  const body = panels.map((p, i) => {
    const top = f.top + i * block + PANEL_TITLE;
    const pf = { ...f, top, bottom: top + PANEL_HEIGHT };
    const y = scaleLinear([0, yTop], [pf.bottom, pf.top]);
    const bars = p.bins
      .filter((b) => b.upper > lo && b.lower < hi)
      .map((b) => {
        const left = x(b.lower) + 1;
        const half = Math.max(0.5, (x(b.upper) - x(b.lower) - 2) / 2);
        const bar = (count: number, total: number, dx: number, fill: string, stroke: string, label: string): string => {
          const v = share(count, total);
          const tip = `${p.name}, risk ${formatNumber(b.lower, 2)}–${formatNumber(b.upper, 2)}: ${count} ${label} (${formatPercent(v)})`;
          return el(
            'rect',
            { x: left + dx, y: y(v), width: half, height: Math.max(0, y(0) - y(v)), fill, stroke, 'stroke-width': 0.75 },
            el('title', {}, escapeHtml(tip)),
          );
        };
        return (
          bar(b.success, p.s, 0, OUTCOME.success, OUTCOME.success, 'successful releases') +
          bar(b.failure, p.f, half, `url(#${HATCH_ID})`, OUTCOME.failure, 'failed releases')
        );
      });
    const last = i === panels.length - 1;
    return el(
      'g',
      { class: 'histogram', 'data-model': p.name },
      text(f.left, top - 8, `${p.name} (${p.s} successes, ${p.f} failures)`, { class: 'panel-title' }) +
        axes(pf, x, y, {
          xTicks: niceTicks(lo, hi, 5),
          yTicks,
          yFormat: (v) => formatTick(v, true),
          xLabel: last ? 'Predicted failure probability' : '',
          yLabel: '% of outcome',
        }) +
        (p.bins.length === 0
          ? text((f.left + f.right) / 2, (pf.top + pf.bottom) / 2, 'no histogram to plot', { 'text-anchor': 'middle', class: 'empty' })
          : bars.join('')),
    );
  });
  const defs = el(
    'defs',
    {},
    el(
      'pattern',
      { id: HATCH_ID, patternUnits: 'userSpaceOnUse', width: 6, height: 6, patternTransform: 'rotate(45)' },
      el('rect', { width: 6, height: 6, fill: OUTCOME.failure, 'fill-opacity': 0.3 }) +
        el('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: OUTCOME.failure, 'stroke-width': 3 }),
    ),
  );
  const desc = `Predicted risk by outcome${hi < 1 ? `, x axis zoomed to ${formatNumber(lo, 1)}–${formatNumber(hi, 1)}` : ''}. ${panels
    .map(
      (p) =>
        `${p.name}: ${p.bins.map((b) => `${formatNumber(b.lower, 2)}–${formatNumber(b.upper, 2)} ${b.success} successes, ${b.failure} failures`).join('; ') || 'no bins'}`,
    )
    .join('. ')}.`;
  return {
    id: 'histogram',
    heading: 'Risk histogram by outcome',
    caption: `How each model spreads its predicted failure probability over releases that went fine (solid) and releases that failed (hatched), each as a share of its own outcome; the further apart, the better the separation.${hi < 1 ? ` Probability axis zoomed to ${formatNumber(lo, 1)}–${formatNumber(hi, 1)}.` : ''}`,
    svg: svg(
      { width: f.width, height: f.height, id: 'plot-histogram', title: 'Risk histogram by outcome', desc },
      defs + body.join('') + legendSvg,
    ),
  };
}
