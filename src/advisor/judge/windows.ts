/**
 * Which data a look judges. A change can begin at any time during a
 * rollout (a leak, a cache that fills, traffic that shifts), and a test over
 * everything since the start dilutes a late change with the clean data
 * before it. So the judge also tests windows that start later: window j
 * starts at startedAt + j·spacing and covers everything from there to now.
 * Each window has its own anytime-valid test, and window j may use a
 * fixed share w_j of the error budget, with w_0 = ½ and
 * w_j = 1/(2j(j+1)) for j ≥ 1 (the shares sum to 1): a union bound over
 * all windows ever tested keeps the guarantee.
 */

/** Error-budget share of window j (w_0 = ½, w_j = 1/(2j(j+1))). */
export function windowWeight(j: number): number {
  return j === 0 ? 0.5 : 1 / (2 * j * (j + 1));
}

/** How many of the newest windows are tested besides window 0 (older ones were tested at earlier looks). */
export const RECENT_WINDOWS = 4;

/**
 * The window indices tested at this look: 0, and the newest RECENT_WINDOWS
 * whose start is at least `minSpanMs` before now (so they can hold enough
 * samples).
 */
export function windowsAt(startedAt: number, now: number, spacingMs: number, minSpanMs: number): number[] {
  const last = Math.floor((now - minSpanMs - startedAt) / spacingMs);
  const out = [0];
  for (let j = Math.max(1, last - RECENT_WINDOWS + 1); j <= last; j++) out.push(j);
  return out;
}

/** The most samples per group a test ranks; longer series are averaged in consecutive bins of equal size first. */
export const MAX_BINS = 120;

/** Means of consecutive runs of `k` values from `from` on (the last run may be shorter). */
export function binMeans(values: ArrayLike<number>, from: number, k: number): Float64Array {
  const n = Math.max(0, values.length - from);
  const size = Math.max(1, k);
  const out = new Float64Array(Math.ceil(n / size));
  for (let b = 0; b < out.length; b++) {
    const start = from + b * size;
    const end = Math.min(values.length, start + size);
    let s = 0;
    for (let t = start; t < end; t++) s += values[t]!;
    out[b] = s / (end - start);
  }
  return out;
}

/** Index of the first time ≥ t in an ascending array (binary search). */
export function firstAtOrAfter(times: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
