import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import type { LogSignature } from '../../contracts/advisor.js';
import type { MinerOptions } from './drain.js';
import { mineTemplates } from './mine.js';
import { cleanLine } from './preprocess.js';

/**
 * Log signatures of a canary: the templates that are new in its logs, or
 * significantly more frequent there than in the reference, as evidence.
 *
 * Method. All lines (baseline, then previous release, then canary) are mined
 * together, so one event has one template on every side. The reference is
 * the baseline; when the baseline sent no lines, the previous release's
 * logs (rolling and blue/green deploys have no concurrent baseline); with
 * neither there is nothing to compare with and the answer is empty.
 *
 * Counting. The test counts records, not lines: a record is a line with a
 * header (timestamp, number or level) and the header-less lines after it
 * (`\tat …`, `Caused by: …`, a goroutine dump), and a template counts once
 * per record it appears in. A stack trace of 40 frames is one occurrence of
 * the frame template, not 40 independent ones (which would make two traces
 * look significant). When under 10% of the lines have a header (plain
 * program output), every line is its own record; a record is also cut
 * after 1,000 lines.
 * The signatures report line counts, as a reader would count them.
 *
 * For a template in c of the canary's nC records and r of the reference's
 * nR, the question "is it more frequent in the canary, per record logged?"
 * is a conditional binomial test: given its c + r occurrences, under equal
 * rates each falls in the canary with probability p0 = nC / (nC + nR), and
 * the p-value is P(X ≥ c) for X ~ Bin(c + r, p0). Conditioning on the
 * totals is what normalises for traffic: a canary that logs ten times more
 * has p0 ≈ 0.9, and ten times the count is what equal rates predict. A
 * template with r = 0 is the same test (p = p0^c).
 *
 * Many templates are tested at once, so the p-values are corrected with
 * Benjamini–Hochberg at `alpha` (a false discovery rate), over the
 * templates that could reach significance at all (Tarone's rule for
 * discrete tests: a template seen twice in total can never give p < p0², so
 * it does not dilute the others). A significant template is reported as
 * - `new` when neither the baseline nor the previous release logged it;
 * - `more_frequent` when its rate in the canary is also at least `minRatio`
 *   times its rate in the reference (significance alone would flag tiny,
 *   harmless shifts of very common lines).
 * So one stray line never makes a signature (p0 ≤ alpha is needed even for
 * a new template seen once, i.e. a canary with under 1% of the lines), a
 * burst of one event with changing ids is one signature (masking), and the
 * list holds at most `maxSignatures`, strongest (smallest p) first.
 *
 * Lines are data. A line that reads like an instruction ("ignore previous
 * instructions…") is a template with counts like any other; the sample line
 * is the first canary line of the template, verbatim but for control
 * characters and cut at `maxSampleChars`.
 */

export interface LogSignatureInput {
  canary: readonly string[];
  baseline: readonly string[];
  /** The previous release's deploy-log lines, when they were ingested. */
  previous?: readonly string[];
}

export interface LogSignatureOptions {
  /** Most signatures returned; default 20. */
  maxSignatures?: number;
  /** False discovery rate across the templates; default 0.01. */
  alpha?: number;
  /** Smallest canary/reference rate ratio for `more_frequent`; default 2. */
  minRatio?: number;
  /** Sample lines are cut at this many characters; default 300. */
  maxSampleChars?: number;
  miner?: MinerOptions;
}

export const SIGNATURE_DEFAULTS = { maxSignatures: 20, alpha: 0.01, minRatio: 2, maxSampleChars: 300 };

/** Per template: its lines on each side (reported), the records they fall in (tested), its first canary line. */
interface Tally {
  canary: number;
  baseline: number;
  previous: number;
  records: { canary: number; baseline: number; previous: number };
  sample: number;
}

type Side = 'canary' | 'baseline' | 'previous';

/** Below this share of lines with a header, every line is its own record. */
const MIN_HEADED_SHARE = 0.1;
/** A record ends after this many lines even without a new header (a runaway dump is not one event). */
const MAX_RECORD_LINES = 1000;

/** P(X ≥ c) for X ~ Bin(n, p), computed as the lower tail of n − X so small p-values keep their precision. */
export function binomialUpperTail(c: number, n: number, p: number): number {
  if (c <= 0) return 1;
  if (c > n) return 0;
  return binomialCdf(n - c, n, 1 - p);
}

/** Benjamini–Hochberg: which of the p-values are discoveries at false discovery rate `alpha` (m = their number). */
export function benjaminiHochberg(pValues: readonly number[], alpha: number): boolean[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cutoff = -1;
  order.forEach(([p], k) => {
    if (p <= ((k + 1) * alpha) / m) cutoff = k;
  });
  const out = new Array<boolean>(m).fill(false);
  for (let k = 0; k <= cutoff; k++) out[order[k]![1]] = true;
  return out;
}

function sample(line: string, max: number): string {
  const clean = cleanLine(line.replace(/\r$/, ''));
  return clean.length > max ? `${clean.slice(0, Math.max(0, max - 1))}…` : clean;
}

export function compareLogSignatures(input: LogSignatureInput, opts: LogSignatureOptions = {}): LogSignature[] {
  const o = { ...SIGNATURE_DEFAULTS, ...opts };
  const blank = (l: string) => l.trim() === '';
  const baseline = input.baseline.filter((l) => !blank(l));
  const previous = input.previous?.filter((l) => !blank(l)) ?? [];
  const canary = input.canary.filter((l) => !blank(l));
  const reference = baseline.length > 0 ? 'baseline' : previous.length > 0 ? 'previous' : null;
  if (canary.length === 0 || reference === null) return [];

  const all = [...baseline, ...previous, ...canary];
  const mined = mineTemplates(all, o.miner);
  const tallies = mined.templates.map(
    (): Tally => ({ canary: 0, baseline: 0, previous: 0, records: { canary: 0, baseline: 0, previous: 0 }, sample: -1 }),
  );
  const records = { canary: 0, baseline: 0, previous: 0 };
  // Record numbers run on across the sides, so "last record this template was counted in" needs no reset between sides.
  const lastRecord = new Int32Array(tallies.length).fill(-1);
  let record = -1;
  const sides: [Side, number, number][] = [
    ['baseline', 0, baseline.length],
    ['previous', baseline.length, baseline.length + previous.length],
    ['canary', baseline.length + previous.length, all.length],
  ];
  let headedLines = 0;
  for (let i = 0; i < all.length; i++) headedLines += mined.headed[i]!;
  // A log that mostly lacks headers (plain program output) has no record structure to follow: one record a line.
  const byRecord = headedLines >= MIN_HEADED_SHARE * all.length;
  for (const [side, from, to] of sides) {
    let recordLines = 0;
    for (let i = from; i < to; i++) {
      if (i === from || !byRecord || mined.headed[i] || recordLines >= MAX_RECORD_LINES) {
        record++;
        records[side]++;
        recordLines = 0;
      }
      recordLines++;
      const k = mined.lineTemplate[i]!;
      const t = tallies[k]!;
      if (side === 'canary' && t.canary === 0) t.sample = i;
      t[side]++;
      if (lastRecord[k] !== record) {
        lastRecord[k] = record;
        t.records[side]++;
      }
    }
  }

  const nC = records.canary;
  const nR = records[reference];
  const p0 = nC / (nC + nR);
  const refCount = (t: Tally) => t.records[reference];
  // Tarone: only templates whose smallest possible p-value (every occurrence in the canary) can reach alpha are tested.
  const tested = tallies
    .map((t, index) => ({ t, index }))
    .filter(({ t }) => t.records.canary > 0 && p0 ** (t.records.canary + refCount(t)) <= o.alpha)
    .map(({ t, index }) => ({ t, index, p: binomialUpperTail(t.records.canary, t.records.canary + refCount(t), p0) }));
  const discoveries = benjaminiHochberg(
    tested.map((x) => x.p),
    o.alpha,
  );

  const found: { sig: LogSignature; p: number; ratio: number }[] = [];
  tested.forEach(({ t, index, p }, k) => {
    if (!discoveries[k]) return;
    const r = refCount(t);
    const ratio = r === 0 ? Number.POSITIVE_INFINITY : t.records.canary / nC / (r / nR);
    const isNew = t.baseline === 0 && t.previous === 0;
    if (!isNew && ratio < o.minRatio) return;
    const template = mined.templates[index]!;
    found.push({
      p,
      ratio,
      sig: {
        templateId: template.id,
        template: template.template,
        canaryCount: t.canary,
        baselineCount: t.baseline,
        previousCount: input.previous ? t.previous : null,
        status: isNew ? 'new' : 'more_frequent',
        sampleLine: sample(all[t.sample]!, o.maxSampleChars),
      },
    });
  });
  found.sort(
    (a, b) =>
      a.p - b.p ||
      b.ratio - a.ratio ||
      b.sig.canaryCount - a.sig.canaryCount ||
      (a.sig.templateId < b.sig.templateId ? -1 : a.sig.templateId > b.sig.templateId ? 1 : 0),
  );
  return found.slice(0, o.maxSignatures).map((f) => f.sig);
}
