import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { ringPush } from './robust.js';

/**
 * Numenta's "anomaly likelihood" (Ahmad et al., Neurocomputing 2017),
 * applied to any raw evidence in [0, 1]: the mean of the last few raw values
 * is compared with the distribution that mean has had over the series' own
 * history (an exponentially weighted mean and variance), and the Gaussian
 * tail probability Q of the excess becomes the score -log10(Q)/10 in [0, 1]
 * (Q = 1e-5 gives 0.5; Q ≤ 1e-10 gives 1).
 *
 * Why: every series is noisy in its own way. Judging evidence against what
 * is usual *for this series* lets one threshold serve a flat CPU metric and a
 * bursty network counter alike.
 */
export interface LikelihoodState {
  recent: number[];
  pos: number;
  sum: number;
  mean: number;
  variance: number;
  seen: number;
}

export interface LikelihoodOptions {
  average: number;
  halfLife: number;
  minStd: number;
}

export function newLikelihood(): LikelihoodState {
  return { recent: [], pos: 0, sum: 0, mean: 0, variance: 0, seen: 0 };
}

/** -log10 of the standard normal upper tail at d, over 10, capped to [0, 1]. */
export function tailScore(d: number): number {
  if (!(d > 0)) return 0;
  const q = normalCdf(-d, 0, 1);
  return q <= 1e-10 ? 1 : -Math.log10(q) / 10;
}

/** Adds raw evidence in [0, 1]; returns how unusual the current average is given the history before it. */
export function likelihood(s: LikelihoodState, raw: number, o: LikelihoodOptions): number {
  const oldest = s.recent.length >= o.average ? s.recent[s.pos]! : 0;
  s.pos = ringPush(s.recent, s.pos, o.average, raw);
  s.sum += raw - oldest;
  // Re-add from scratch once per lap of the ring: a running sum drifts with rounding.
  if (s.pos === 0) s.sum = s.recent.reduce((a, b) => a + b, 0);
  const avg = s.sum / s.recent.length;
  const score = s.seen > 0 ? tailScore((avg - s.mean) / Math.max(Math.sqrt(s.variance), o.minStd)) : 0;
  // The first points weigh 1/n (a plain mean); later ones decay with the half-life.
  const alpha = Math.max(1 / (s.seen + 1), 1 - 0.5 ** (1 / o.halfLife));
  const delta = avg - s.mean;
  s.mean += alpha * delta;
  s.variance = (1 - alpha) * (s.variance + alpha * delta * delta);
  s.seen++;
  return score;
}
