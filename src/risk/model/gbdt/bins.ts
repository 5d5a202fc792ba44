/**
 * Quantile binning: each feature's values are cut into at most `maxBins` bins
 * at quantiles of the training rows, and splits are searched only between
 * bins. A split costs one pass over a small histogram instead of a sort, and
 * a heavy tail (one 50,000-line change) cannot claim a bin of its own.
 *
 * Edges e₀ < e₁ < … : a value v is in bin k when e_{k−1} < v ≤ e_k, so
 * "bin ≤ k" is exactly "v ≤ e_k", and a tree stores e_k as its raw threshold.
 */
export function quantileEdges(values: Float64Array, maxBins: number): number[] {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const distinct: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  if (distinct.length <= 1) return []; // a constant feature: one bin, never split
  if (distinct.length <= maxBins) {
    // Few values: a cut between every pair of neighbours (the midpoint, so nearby unseen values fall naturally).
    return distinct.slice(0, -1).map((v, k) => (v + distinct[k + 1]!) / 2);
  }
  const edges: number[] = [];
  for (let q = 1; q < maxBins; q++) {
    const v = sorted[Math.min(n - 1, Math.floor((q * n) / maxBins))]!;
    // The largest value cannot be an edge: everything would fall at or below it.
    if (v < sorted[n - 1]! && (edges.length === 0 || v > edges[edges.length - 1]!)) edges.push(v);
  }
  return edges;
}

/** The bin of v: the first k with v ≤ edges[k], or edges.length (binary search). */
export function binOf(v: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
