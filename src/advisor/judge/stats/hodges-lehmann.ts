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

/** The smallest difference canary[j] − baseline[i] that is strictly above `d` (+∞ when none is). */
function smallestAbove(baseline: ArrayLike<number>, canary: ArrayLike<number>, d: number): number {
  let best = Number.POSITIVE_INFINITY;
  // y − x > d ⇔ x < y − d: the largest such x gives the smallest difference for this y; it moves right as y grows.
  let k = -1;
  for (let j = 0; j < canary.length; j++) {
    const bound = canary[j]! - d;
    while (k + 1 < baseline.length && baseline[k + 1]! < bound) k++;
    if (k >= 0) best = Math.min(best, canary[j]! - baseline[k]!);
  }
  return best;
}

/** The k-th smallest (1-based) of the n·m differences canary[j] − baseline[i]. */
export function differenceOrderStatistic(baseline: ArrayLike<number>, canary: ArrayLike<number>, k: number): number {
  const n = baseline.length;
  const m = canary.length;
  if (n === 0 || m === 0) return Number.NaN;
  const total = n * m;
  const rank = Math.min(total, Math.max(1, Math.round(k)));
  const minDiff = canary[0]! - baseline[n - 1]!;
  const maxDiff = canary[m - 1]! - baseline[0]!;
  if (rank === 1) return minDiff;
  if (rank === total) return maxDiff;
  // Invariant: fewer than `rank` differences are ≤ lo; at least `rank` are ≤ hi.
  let lo = minDiff;
  let hi = maxDiff;
  if (countAtOrBelow(baseline, canary, lo) >= rank) return lo;
  for (let it = 0; it < 64; it++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (countAtOrBelow(baseline, canary, mid) >= rank) hi = mid;
    else lo = mid;
  }
  // The k-th difference lies in (lo, hi]; snap to the actual difference (exact, no rounding residue).
  const snapped = smallestAbove(baseline, canary, lo);
  return Number.isFinite(snapped) && snapped <= hi ? snapped : hi;
}

/** The Hodges–Lehmann estimate of the shift canary − baseline: the median of all pairwise differences. */
export function hodgesLehmann(baseline: ArrayLike<number>, canary: ArrayLike<number>): number {
  const total = baseline.length * canary.length;
  if (total === 0) return Number.NaN;
  if (total % 2 === 1) return differenceOrderStatistic(baseline, canary, (total + 1) / 2);
  return (differenceOrderStatistic(baseline, canary, total / 2) + differenceOrderStatistic(baseline, canary, total / 2 + 1)) / 2;
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
