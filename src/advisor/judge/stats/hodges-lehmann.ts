/**
 * The Hodges–Lehmann shift (the median of all canary − baseline
 * differences) and the order statistics of those differences that bound its
 * rank-based interval, found without listing the n·m differences: counting
 * the differences at or below a value takes one linear pass over the two
 * sorted samples, so a bisection on the value finds any order statistic in
 * O((n + m) · 64).
 */

/** How many differences canary[j] − baseline[i] are ≤ d (both arrays sorted ascending). */
function countAtOrBelow(baseline: ArrayLike<number>, canary: ArrayLike<number>, d: number): number {
  const n = baseline.length;
  let i = 0;
  let count = 0;
  // y − x ≤ d ⇔ x ≥ y − d; as y grows, the first such x moves right.
  for (let j = 0; j < canary.length; j++) {
    const bound = canary[j]! - d;
    while (i < n && baseline[i]! < bound) i++;
    count += n - i;
  }
  return count;
}

/** The differences canary[j] − baseline[i] in (lo, hi], listed (the caller knows there are few). */
function differencesBetween(baseline: ArrayLike<number>, canary: ArrayLike<number>, lo: number, hi: number): Float64Array {
  const out: number[] = [];
  const n = baseline.length;
  let first = 0;
  let last = 0;
  // lo < y − x ≤ hi ⇔ y − hi ≤ x < y − lo: a run of the sorted baseline that moves right as y grows.
  for (let j = 0; j < canary.length; j++) {
    const y = canary[j]!;
    while (first < n && baseline[first]! < y - hi) first++;
    if (last < first) last = first;
    while (last < n && baseline[last]! < y - lo) last++;
    for (let i = first; i < last; i++) {
      const d = y - baseline[i]!;
      if (d > lo && d <= hi) out.push(d);
    }
  }
  return Float64Array.from(out).sort();
}

/** The k-th smallest (1-based) of the n·m differences canary[j] − baseline[i] (exact). */
export function differenceOrderStatistic(baseline: ArrayLike<number>, canary: ArrayLike<number>, k: number): number {
  return differenceOrderStatistics(baseline, canary, k, k)[0];
}

/** The k1-th and k2-th smallest differences (k1 ≤ k2, close together: one search serves both). */
function differenceOrderStatistics(baseline: ArrayLike<number>, canary: ArrayLike<number>, k1: number, k2: number): [number, number] {
  const n = baseline.length;
  const m = canary.length;
  if (n === 0 || m === 0) return [Number.NaN, Number.NaN];
  const total = n * m;
  const r1 = Math.min(total, Math.max(1, Math.round(k1)));
  const r2 = Math.min(total, Math.max(r1, Math.round(k2)));
  // Invariant: countLo differences are ≤ lo (fewer than r1), countHi are ≤ hi (at least r2).
  let lo = canary[0]! - baseline[n - 1]! - 1;
  let hi = canary[m - 1]! - baseline[0]!;
  let countLo = 0;
  let countHi = total;
  // Bisect on the value until few differences lie between the bounds, then list those and pick exactly.
  for (let it = 0; it < 200 && countHi - countLo > n + m; it++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    const c = countAtOrBelow(baseline, canary, mid);
    if (c >= r2) (hi = mid), (countHi = c);
    else if (c < r1) (lo = mid), (countLo = c);
    else break;
  }
  if (countHi - countLo > n + m && r1 !== r2) {
    // The two ranks straddle the bisection point: each gets its own search.
    return [differenceOrderStatistics(baseline, canary, r1, r1)[0], differenceOrderStatistics(baseline, canary, r2, r2)[0]];
  }
  const band = differencesBetween(baseline, canary, lo, hi);
  return [band[r1 - countLo - 1] ?? hi, band[r2 - countLo - 1] ?? hi];
}

/** The Hodges–Lehmann estimate of the shift canary − baseline: the median of all pairwise differences. */
export function hodgesLehmann(baseline: ArrayLike<number>, canary: ArrayLike<number>): number {
  const total = baseline.length * canary.length;
  if (total === 0) return Number.NaN;
  const [a, b] = differenceOrderStatistics(baseline, canary, Math.floor((total + 1) / 2), Math.ceil((total + 1) / 2));
  return (a + b) / 2;
}

/**
 * The rank-based interval for the shift at critical value `z` (Hollander &
 * Wolfe, the large-sample form): [D(C), D(nm + 1 − C)] with
 * C = ⌊nm/2 − z·√(variance of U)⌋. `varianceFactor` widens it for
 * autocorrelated samples. Null when C < 1: too few samples for that level.
 */
export function shiftInterval(
  baseline: ArrayLike<number>,
  canary: ArrayLike<number>,
  z: number,
  varianceFactor = 1,
): [number, number] | null {
  const n = baseline.length;
  const m = canary.length;
  const variance = ((n * m * (n + m + 1)) / 12) * varianceFactor;
  const c = Math.floor((n * m) / 2 - z * Math.sqrt(variance));
  if (c < 1) return null;
  return [differenceOrderStatistic(baseline, canary, c), differenceOrderStatistic(baseline, canary, n * m + 1 - c)];
}
