/**
 * A gauge (latency, CPU, queue depth) judged by ranks, with two tests that
 * share the error budget of each window:
 *
 * - location (¾ of it): the Mann-Whitney U test of "the canary is worse
 *   than the baseline by more than the margin", with the Hodges–Lehmann
 *   shift and its interval. The test runs at the margin itself (the canary
 *   moved back by the margin), so its p-value is evidence of a change that
 *   matters, not merely of a change.
 * - tail (¼): whether the canary, moved back by the margin, holds more
 *   than its share of the highest tenth of all samples (the lowest, for
 *   decreases): the hypergeometric count of a quantile test. Spikes and a
 *   wider spread leave the median alone and show here.
 */
import type { Direction } from '../../contracts/advisor.js';
import { intervalBeyond, intervalWithin, spansNoChangeAndTwiceTheMargin, type WindowResult } from './assessment.js';
import { lag1RankAutocorrelation, twoSampleVarianceFactor } from './stats/autocorrelation.js';
import { hodgesLehmann, shiftInterval } from './stats/hodges-lehmann.js';
import { mannWhitney } from './stats/mann-whitney.js';
import { quantile, selectInPlace } from './stats/quantile.js';
import { anytimeCritical, anytimeP } from './stats/sequential.js';
import { binMeans, firstAtOrAfter, MAX_BINS, windowWeight } from './windows.js';

export interface Samples {
  times: ArrayLike<number>;
  values: ArrayLike<number>;
}

export interface GaugeInput {
  baseline: Samples;
  canary: Samples;
  /** Canary strategy: the baseline is cut to the same window as the canary (concurrent). Rolling: the baseline is everything before the deploy. */
  concurrent: boolean;
  /** Window indices and their start times. */
  windows: readonly { index: number; from: number }[];
  direction: Direction;
  /** The margin (shift units) for a window, from its baseline median. */
  marginOf: (baselineMedian: number) => number;
  minSamples: number;
  /** The error budget the intervals are drawn at, before the window's share. */
  alpha: number;
  intervalMs: number;
}

/** Shares of a window's error budget: the location test and the tail test. */
export const LOCATION_SHARE = 0.75;
export const TAIL_SHARE = 0.25;
/** The most samples per side the tail test counts; longer windows are sub-sampled. */
export const MAX_TAIL_SAMPLES = 400;
/** The tail: the most extreme tenth of all samples. */
export const TAIL = 0.1;

const sortAsc = (a: Float64Array) => a.sort();
const median = (sorted: ArrayLike<number>) =>
  sorted.length === 0 ? null : (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2;
const harmonic = (a: number, b: number) => (2 * a * b) / (a + b);

/** One-sided anytime p-values of "worse than the margin" (fail) and "not worse than it" (pass) from the statistics at ±margin. */
function sidedP(up: number, down: number, info: number, direction: Direction) {
  const failUp = up > 0 ? anytimeP(up, info) : 1;
  const passUp = up < 0 ? anytimeP(up, info) : 1;
  const failDown = down < 0 ? anytimeP(down, info) : 1;
  const passDown = down > 0 ? anytimeP(down, info) : 1;
  if (direction === 'increase_is_bad') return { pFail: failUp, pPass: passUp };
  if (direction === 'decrease_is_bad') return { pFail: failDown, pPass: passDown };
  // Either side: a union of two one-sided tests (Bonferroni) to fail, both sides to pass.
  return { pFail: Math.min(1, 2 * Math.min(failUp, failDown)), pPass: Math.max(passUp, passDown) };
}

/**
 * Canary minus baseline at matching timestamps (within half an interval),
 * in time order. Concurrent samples share the service's swings (traffic,
 * time of day), which cancel here: what is left is how the two really
 * differ from moment to moment, whose persistence is what the comparison
 * must allow for.
 */
export function pairedDifferences(b: Samples, bFrom: number, c: Samples, cFrom: number, tolerance: number): Samples {
  const times = new Float64Array(Math.max(0, c.times.length - cFrom));
  const values = new Float64Array(times.length);
  let count = 0;
  let i = bFrom;
  for (let j = cFrom; j < c.times.length; j++) {
    const t = c.times[j]!;
    while (i < b.times.length && b.times[i]! < t - tolerance) i++;
    if (i < b.times.length && b.times[i]! <= t + tolerance) {
      times[count] = t;
      values[count++] = c.values[j]! - b.values[i]!;
    }
  }
  return { times: times.subarray(0, count), values: values.subarray(0, count) };
}

interface TailResult {
  side: 'up' | 'down';
  /** The samples counted per side (after sub-sampling). */
  counted: { baseline: number; canary: number };
  /** How many samples make the tail, and how many of them are the canary's. */
  top: number;
  canaryTop: number;
  /** (count − expected) / sd of the hypergeometric count, before any allowance for persistence. */
  z: number;
  /** The canary's tail percentile minus the baseline's (90th, or 10th). */
  quantileShift: () => number;
}

/**
 * The quantile test of the tail: pool the baseline and the canary moved
 * back by the margin, take the K = ⌈TAIL·N⌉ most extreme samples, and count
 * the canary's among them. With no change that matters the two are
 * exchangeable and the count is hypergeometric (mean K·m/N); ties at the
 * edge count by their share.
 */
export function tailTest(b: Samples, bFrom: number, c: Samples, cFrom: number, margin: number, side: 'up' | 'down'): TailResult {
  // Long windows are sub-sampled (every s-th sample; bins would average the spikes away), which keeps the two sides exchangeable.
  const strideB = Math.max(1, Math.ceil((b.values.length - bFrom) / MAX_TAIL_SAMPLES));
  const strideC = Math.max(1, Math.ceil((c.values.length - cFrom) / MAX_TAIL_SAMPLES));
  const n = Math.ceil((b.values.length - bFrom) / strideB);
  const m = Math.ceil((c.values.length - cFrom) / strideC);
  const total = n + m;
  const sign = side === 'up' ? 1 : -1;
  // Work on "higher is more extreme" values: the baseline as it is, the canary moved back by the margin.
  const pooled = new Float64Array(total);
  for (let i = 0; i < n; i++) pooled[i] = sign * b.values[bFrom + i * strideB]!;
  for (let j = 0; j < m; j++) pooled[n + j] = sign * c.values[cFrom + j * strideC]! - margin;
  const top = Math.max(1, Math.ceil(TAIL * total));
  const edge = selectInPlace(pooled.slice(), 1 - top / total + 1e-12);
  let cAbove = 0;
  let above = 0;
  let cAt = 0;
  let at = 0;
  for (let i = 0; i < total; i++) {
    const v = pooled[i]!;
    if (v > edge) above++, i >= n && cAbove++;
    else if (v === edge) at++, i >= n && cAt++;
  }
  const canaryTop = cAbove + (at > 0 ? (cAt * (top - above)) / at : 0);
  const mean = (top * m) / total;
  const variance = total > 1 ? (top * (m / total) * (n / total) * (total - top)) / (total - 1) : 0;
  const dev = canaryTop - mean;
  const z = variance > 0 ? (Math.sign(dev) * Math.max(0, Math.abs(dev) - 0.5)) / Math.sqrt(variance) : 0;
  const q = side === 'up' ? 1 - TAIL : TAIL;
  return {
    side,
    counted: { baseline: n, canary: m },
    top,
    canaryTop: Math.round(canaryTop * 10) / 10,
    z,
    quantileShift: () => quantile(c.values, cFrom, q) - quantile(b.values, bFrom, q),
  };
}

export function assessGauge(input: GaugeInput): WindowResult[] {
  const { baseline, canary, direction } = input;
  // The baseline's own persistence on its whole judged span (all there is for rolling and blue/green).
  const base0 = input.concurrent ? firstAtOrAfter(baseline.times, input.windows[0]?.from ?? 0) : 0;
  const k0 = Math.max(1, Math.ceil((baseline.values.length - base0) / MAX_BINS));
  const baselineR = lag1RankAutocorrelation(binMeans(baseline.values, base0, k0));
  // Canary − baseline at matching times, once for the whole span: each window's are a suffix of them.
  const canary0 = firstAtOrAfter(canary.times, input.windows[0]?.from ?? 0);
  const diffs = input.concurrent ? pairedDifferences(baseline, base0, canary, canary0, input.intervalMs / 2) : null;
  const out: WindowResult[] = [];
  for (const w of input.windows) {
    const cFrom = firstAtOrAfter(canary.times, w.from);
    const bFrom = input.concurrent ? firstAtOrAfter(baseline.times, w.from) : 0;
    const nC = canary.values.length - cFrom;
    const nB = baseline.values.length - bFrom;
    if (nC < input.minSamples || nB < input.minSamples) continue;
    // Long windows are averaged in bins so one look stays fast; the test's information clock still counts samples.
    const k = Math.max(1, Math.ceil(Math.max(nC, nB) / MAX_BINS));
    const xs = sortAsc(binMeans(baseline.values, bFrom, k));
    const ys = sortAsc(binMeans(canary.values, cFrom, k));
    const medB = median(xs)!;
    const medC = median(ys)!;
    const margin = input.marginOf(medB);
    // The window's persistence: that of its canary − baseline differences, capped by the baseline's own
    // (a change in the canary makes its differences look persistent too, and must not hide itself).
    const dFrom = diffs ? firstAtOrAfter(diffs.times, w.from) : 0;
    const r =
      diffs && diffs.values.length - dFrom >= 8
        ? Math.min(baselineR, lag1RankAutocorrelation(binMeans(diffs.values, dFrom, k)))
        : baselineR;
    const factor = twoSampleVarianceFactor(xs.length, ys.length, r);
    const info = (harmonic(xs.length, ys.length) * k) / factor;
    const scale = 1 / Math.sqrt(factor);
    const weight = windowWeight(w.index);

    // Location: Mann-Whitney at ±margin.
    const up = direction === 'decrease_is_bad' ? 0 : mannWhitney(xs, ys, margin).z * scale;
    const down = direction === 'increase_is_bad' ? 0 : mannWhitney(xs, ys, -margin).z * scale;
    const location = sidedP(up, down, info, direction);
    // The Hodges–Lehmann estimate is beyond the margin exactly when more than half the differences are, i.e. U at the margin > nm/2.
    const locationLeaning = (direction !== 'decrease_is_bad' && up > 0) || (direction !== 'increase_is_bad' && down < 0);
    // The shift and its interval cost two bisections each: only for window 0 (shown, and it decides a pass) and for windows that may fail.
    const budget = input.alpha * weight * LOCATION_SHARE;
    const described = w.index === 0 || location.pFail <= 10 * budget;
    const shift = described ? hodgesLehmann(xs, ys) : null;
    const interval = described ? shiftInterval(xs, ys, anytimeCritical(info, budget), factor) : null;

    // Tail: is the canary, moved back by the margin, over-represented among the most extreme tenth of all samples?
    const tails = [
      direction !== 'decrease_is_bad' ? tailTest(baseline, bFrom, canary, cFrom, margin, 'up') : null,
      direction !== 'increase_is_bad' ? tailTest(baseline, bFrom, canary, cFrom, margin, 'down') : null,
    ]
      .filter((t): t is TailResult => t !== null)
      .map((t) => ({ ...t, z: t.z / Math.sqrt(factor) }));
    const tailInfo = harmonic(tails[0]!.counted.canary, tails[0]!.counted.baseline) / factor;
    const tailP = Math.min(1, tails.length * Math.min(...tails.map((t) => (t.z > 0 ? anytimeP(t.z, tailInfo) : 1))));
    const worstTail = tails.reduce((a, b) => (b.z > a.z ? b : a));
    const tailCrit = anytimeCritical(tailInfo, (input.alpha * weight * TAIL_SHARE) / tails.length);
    const tailBeyond = worstTail.z > tailCrit;

    const level = (a: number) => `${(100 * (1 - a)).toFixed(2).replace(/\.?0+$/, '')}%`;
    // Words cost more than the arithmetic: built only when the window is shown or stored.
    const locationRule = () =>
      `Mann-Whitney U at the margin ±${fmt(margin)} and the Hodges–Lehmann shift with its ${level(input.alpha * weight * LOCATION_SHARE)} anytime-valid interval` +
      ` on ${nB} baseline and ${nC} canary samples${k > 1 ? ` (means of ${k})` : ''}` +
      (factor > 1.05 ? `; their persistence (lag-1 autocorrelation ${r.toFixed(2)}) widens the variance ×${factor.toFixed(1)}` : '');
    const tailRule = () =>
      `${worstTail.canaryTop} of the ${worstTail.top} most extreme of ${worstTail.counted.baseline + worstTail.counted.canary} samples (the ${worstTail.side === 'up' ? 'highest' : 'lowest'} ${TAIL * 100}%, the canary moved back by the margin) are the canary's, ` +
      `where ${fmt((worstTail.top * worstTail.counted.canary) / (worstTail.counted.baseline + worstTail.counted.canary))} would be without a change that matters`;
    const locationBeyond = interval !== null && intervalBeyond(interval, margin, direction);
    const tailDecides = tailBeyond && !locationBeyond;
    const shown = tailDecides ? worstTail.quantileShift() : shift;
    const leaning = locationLeaning || worstTail.z > 2;
    out.push({
      index: w.index,
      weight,
      from: Math.max(w.from, canary.times[cFrom]!),
      to: canary.times[canary.times.length - 1]!,
      n: { canary: nC, baseline: nB },
      medians: { canary: medC, baseline: medB },
      margin,
      pFail: Math.min(1, location.pFail / LOCATION_SHARE, tailP / TAIL_SHARE),
      pPass: location.pPass,
      // Read only when the window leans bad (an early warning), so only computed then.
      pWorse: leaning ? sidedP(mannWhitney(xs, ys, 0).z * scale, mannWhitney(xs, ys, 0).z * scale, info, direction).pFail : 1,
      // When the tail decides, the shift shown is the tail's: canary percentile minus baseline percentile.
      shift: shown,
      interval: tailDecides ? null : interval,
      effect: medB !== 0 && shown !== null ? shown / Math.abs(medB) : null,
      beyond: locationBeyond || tailBeyond,
      within: interval !== null && intervalWithin(interval, margin, direction),
      leaning,
      underpowered: spansNoChangeAndTwiceTheMargin(interval, margin, direction),
      get rule() {
        return tailDecides
          ? `tail test: ${tailRule()} (${level(input.alpha * weight * TAIL_SHARE)} anytime-valid); ${locationRule()}`
          : `${locationRule()}; tail: ${tailRule()}`;
      },
    });
  }
  return out;
}

/** A number for reasons and rules: 3 significant digits, no exponent for ordinary magnitudes. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}
