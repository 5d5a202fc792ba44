/**
 * A count (errors) judged as a rate, never as a raw gauge: events per
 * request when the metric has a denominator, events per sample interval
 * otherwise. The margin is a rate ratio: 1 + relative, raised, when an
 * absolute margin (an error-rate SLO) is set, to the ratio at which the
 * canary's rate exceeds the baseline's by that much.
 */
import type { Direction } from '../../contracts/advisor.js';
import type { WindowResult } from './assessment.js';
import { fmt, type Samples } from './gauge.js';
import { rateRatioAnytimeP, rateRatioEstimate, type RateCounts } from './stats/rate-test.js';
import { anytimeCritical, anytimeP } from './stats/sequential.js';
import { firstAtOrAfter, windowWeight } from './windows.js';

export interface CountSamples extends Samples {
  /** How long each count covers (ms). */
  spans: ArrayLike<number>;
}

export interface CountInput {
  baseline: CountSamples;
  canary: CountSamples;
  /** The opportunities (requests), when the metric has a denominator. */
  baselineDenominator: CountSamples | null;
  canaryDenominator: CountSamples | null;
  concurrent: boolean;
  windows: readonly { index: number; from: number }[];
  direction: Direction;
  /** After the risk level's tightening; undefined when not configured. */
  relative: number | undefined;
  absolute: number | undefined;
  minSamples: number;
  alpha: number;
  intervalMs: number;
  /** The unit of the rate in words ("per request", "per 60 s"). */
  unit: string;
}

function sumFrom(values: ArrayLike<number>, from: number): number {
  let s = 0;
  for (let i = from; i < values.length; i++) s += values[i]!;
  return s;
}

/** The ratio margins above (worse when more) and below (worse when fewer) 1. */
function ratioMargins(baseRate: number, relative: number | undefined, absolute: number | undefined) {
  let up = 1 + (relative ?? 0);
  let down = 1 - Math.min(relative ?? 0, 0.99);
  if (absolute !== undefined && baseRate > 0) {
    up = Math.max(up, 1 + absolute / baseRate);
    down = Math.min(down, Math.max(0.01, 1 - absolute / baseRate));
  }
  return { up, down };
}

export function assessCount(input: CountInput): WindowResult[] {
  const out: WindowResult[] = [];
  for (const w of input.windows) {
    const cFrom = firstAtOrAfter(input.canary.times, w.from);
    const bFrom = input.concurrent ? firstAtOrAfter(input.baseline.times, w.from) : 0;
    const nC = input.canary.values.length - cFrom;
    const nB = input.baseline.values.length - bFrom;
    if (nC < input.minSamples || nB < input.minSamples) continue;
    const exposure = (side: CountSamples, den: CountSamples | null, from: number, windowFrom: number) =>
      den
        ? sumFrom(den.values, input.concurrent || side === input.canary ? firstAtOrAfter(den.times, windowFrom) : 0)
        : sumFrom(side.spans, from) / input.intervalMs;
    const counts: RateCounts = {
      canaryEvents: sumFrom(input.canary.values, cFrom),
      canaryExposure: exposure(input.canary, input.canaryDenominator, cFrom, w.from),
      baselineEvents: sumFrom(input.baseline.values, bFrom),
      baselineExposure: exposure(input.baseline, input.baselineDenominator, bFrom, w.from),
    };
    // No exposure on a side (no requests): nothing to judge; integrity reports it.
    if (!(counts.canaryExposure > 0) || !(counts.baselineExposure > 0)) continue;
    const rateC = counts.canaryEvents / counts.canaryExposure;
    const rateB = counts.baselineEvents / counts.baselineExposure;
    const baseRate = (counts.baselineEvents + 0.5) / counts.baselineExposure;
    const margins = ratioMargins(baseRate, input.relative, input.absolute);
    const pUp = input.direction === 'decrease_is_bad' ? 1 : rateRatioAnytimeP(counts, margins.up, 'up');
    const pDown = input.direction === 'increase_is_bad' ? 1 : rateRatioAnytimeP(counts, margins.down, 'down');
    const pFail = input.direction === 'either' ? Math.min(1, 2 * Math.min(pUp, pDown)) : Math.min(pUp, pDown);

    const worseUp = input.direction === 'decrease_is_bad' ? 1 : rateRatioAnytimeP(counts, 1, 'up');
    const worseDown = input.direction === 'increase_is_bad' ? 1 : rateRatioAnytimeP(counts, 1, 'down');
    const pWorse = input.direction === 'either' ? Math.min(1, 2 * Math.min(worseUp, worseDown)) : Math.min(worseUp, worseDown);
    const est = rateRatioEstimate(counts);
    const weight = windowWeight(w.index);
    const crit = anytimeCritical(est.information, input.alpha * weight);
    const lo = est.ratio * Math.exp(-crit * est.logSe);
    const hi = est.ratio * Math.exp(crit * est.logSe);
    const zUp = (Math.log(est.ratio) - Math.log(margins.up)) / est.logSe;
    const zDown = (Math.log(est.ratio) - Math.log(margins.down)) / est.logSe;
    const passUp = zUp < 0 ? anytimeP(zUp, est.information) : 1;
    const passDown = zDown > 0 ? anytimeP(zDown, est.information) : 1;
    const inc = input.direction !== 'decrease_is_bad';
    const dec = input.direction !== 'increase_is_bad';
    const pPass = Math.max(inc ? passUp : 0, dec ? passDown : 0);
    const level = (100 * (1 - input.alpha * weight)).toFixed(1).replace(/\.0$/, '');
    const marginText = [inc ? `above ×${fmt(margins.up)}` : null, dec ? `below ×${fmt(margins.down)}` : null].filter(Boolean).join(' or ');
    out.push({
      index: w.index,
      weight,
      from: Math.max(w.from, input.canary.times[cFrom]!),
      to: input.canary.times[input.canary.times.length - 1]!,
      n: { canary: nC, baseline: nB },
      medians: { canary: rateC, baseline: rateB },
      margin: inc ? margins.up : margins.down,
      pFail,
      pPass,
      pWorse,
      shift: rateC - rateB,
      interval: [baseRate * (lo - 1), baseRate * (hi - 1)],
      effect: rateB > 0 ? rateC / rateB - 1 : null,
      beyond: (inc && lo > margins.up) || (dec && hi < margins.down),
      within: (!inc || hi < margins.up) && (!dec || lo > margins.down),
      leaning: (inc && est.ratio > margins.up) || (dec && est.ratio < margins.down),
      // On the log-ratio scale: spans no change (1) and twice the margin (its square).
      underpowered:
        lo <= 1 && hi >= 1 && ((inc && margins.up > 1 && hi >= margins.up ** 2) || (dec && margins.down < 1 && lo <= margins.down ** 2)),
      rule:
        `rate test (exact, anytime-valid, conditional on the total) of events ${input.unit}: canary ${fmt(counts.canaryEvents)} in ${fmt(counts.canaryExposure)},` +
        ` baseline ${fmt(counts.baselineEvents)} in ${fmt(counts.baselineExposure)}; fail needs the rate ratio's ${level}% anytime-valid interval ${marginText}`,
    });
  }
  return out;
}
