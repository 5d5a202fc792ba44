/**
 * The q-quantile of a sample by selection (Hoare's quickselect, linear on
 * average), without sorting: the tail test needs two quantiles of each
 * window. Type 1 (the inverse of the empirical distribution): the
 * ⌈q·n⌉-th smallest value.
 */
export function quantile(values: ArrayLike<number>, from: number, q: number): number {
  const a = Float64Array.from({ length: values.length - from }, (_, i) => values[from + i]!);
  const n = a.length;
  if (n === 0) return Number.NaN;
  const k = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    // Median of three as the pivot keeps sorted and reversed inputs linear.
    const mid = (lo + hi) >> 1;
    const pivot = [a[lo]!, a[mid]!, a[hi]!].sort((x, y) => x - y)[1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}
