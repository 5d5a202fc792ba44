/**
 * Telemetry samples are not independent: a CPU or latency series wanders,
 * so thirty samples of it carry less information than thirty independent
 * draws, and a rank test that assumes independence is overconfident. The
 * judge measures the lag-1 autocorrelation of the baseline's ranks (the
 * baseline, because a change in the canary would itself look like
 * persistence) and widens the test's variance by the factor an AR(1)
 * process of that autocorrelation gives the mean of n samples.
 */

/** Lag-1 autocorrelation of the ranks of `values` (in time order); 0 for fewer than 4 values or a constant series. */
export function lag1RankAutocorrelation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 4) return 0;
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = values[i]!;
  sorted.sort();
  // Mid-rank of v: (first index ≥ v + last index ≤ v)/2 + 1, by binary search in the sorted copy.
  const rank = (v: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    let up = lo;
    hi = n;
    while (up < hi) {
      const mid = (up + hi) >> 1;
      if (sorted[mid]! <= v) up = mid + 1;
      else hi = mid;
    }
    return (lo + up - 1) / 2 + 1;
  };
  const mean = (n + 1) / 2;
  let num = 0;
  let den = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const d = rank(values[i]!) - mean;
    den += d * d;
    if (i > 0) num += d * prev;
    prev = d;
  }
  return den > 0 ? num / den : 0;
}

/** The most autocorrelation the judge believes: beyond it the AR(1) model would discount nearly all evidence. */
export const MAX_AUTOCORRELATION = 0.9;

/**
 * Variance of the mean of n samples of an AR(1) process with lag-1
 * correlation r, relative to n independent samples:
 * 1 + 2 Σ_{k=1}^{n−1} (1 − k/n) r^k. Negative r is treated as 0 (never narrows).
 */
export function ar1VarianceFactor(n: number, r: number): number {
  const rho = Math.min(MAX_AUTOCORRELATION, Math.max(0, r));
  if (rho === 0 || n < 2) return 1;
  const sum = rho / (1 - rho) - (rho * (1 - rho ** n)) / (n * (1 - rho) ** 2);
  return 1 + 2 * sum;
}

/** The factor for a two-sample shift: Var ∝ f(n)/n + f(m)/m, relative to 1/n + 1/m. */
export function twoSampleVarianceFactor(n: number, m: number, r: number): number {
  if (n === 0 || m === 0) return 1;
  return (ar1VarianceFactor(n, r) / n + ar1VarianceFactor(m, r) / m) / (1 / n + 1 / m);
}
