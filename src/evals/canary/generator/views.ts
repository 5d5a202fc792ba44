/**
 * The canary's view of the same behaviour as the baseline, before any
 * injected change: the same points with measurement noise, a resampled
 * copy, or the real series a day later (kept only when it shows the same
 * behaviour, see sameBehaviour).
 */
import type { Rng } from '../../rng.js';

export const VIEWS = ['noise', 'resample', 'day_later'] as const;
export type View = (typeof VIEWS)[number];

/** How far a resampled copy may reach for each point, in points either side. */
export const RESAMPLE_REACH = 3;

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : Number.NaN;
}

/** The q-quantile (linear interpolation). */
export function quantileOf(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.ceil(pos)]! - s[lo]!) * (pos - lo);
}

/**
 * Whether two segments show the same behaviour, as a whole and in each
 * quarter (a burst at the end of a day is not the same behaviour, even when
 * it leaves the whole segment's percentiles alone): their 5th, 50th and
 * 95th percentiles each within `tolerance` of each other (relative, or as a
 * share of the median for a percentile near zero).
 */
export function sameBehaviour(a: readonly number[], b: readonly number[], tolerance: number): boolean {
  const close = (x: readonly number[], y: readonly number[]) => {
    const scale = Math.abs(quantileOf(x, 0.5));
    return [0.05, 0.5, 0.95].every((q) => {
      const u = quantileOf(x, q);
      return Math.abs(quantileOf(y, q) - u) <= tolerance * Math.max(Math.abs(u), scale);
    });
  };
  const quarter = Math.floor(a.length / 4);
  return close(a, b) && [0, 1, 2, 3].every((i) => close(a.slice(i * quarter, (i + 1) * quarter), b.slice(i * quarter, (i + 1) * quarter)));
}

/** Measurement noise: each point times (1 + a Gaussian draw with sd NOISE), clipped at 0 for a series that never goes below it. */
export const NOISE = 0.05;
export function withNoise(values: readonly number[], rng: Rng): number[] {
  const nonNegative = values.every((v) => v >= 0);
  return values.map((v) => {
    const x = v * (1 + NOISE * rng.gaussian());
    return nonNegative ? Math.max(0, x) : x;
  });
}

/** A local bootstrap: each point replaced by a random point at most RESAMPLE_REACH away in time. */
export function resampled(values: readonly number[], rng: Rng): number[] {
  return values.map((_, i) => values[Math.min(values.length - 1, Math.max(0, i + rng.int(-RESAMPLE_REACH, RESAMPLE_REACH)))]!);
}
