/**
 * The q-quantile of a sample by selection (Hoare's quickselect, linear on
 * average), without sorting: the tail test needs two quantiles of each
 * window. Type 1 (the inverse of the empirical distribution): the
 * ⌈q·n⌉-th smallest value.
 */
export function quantile(values: ArrayLike<number>, from: number, q: number): number {
  const n = Math.max(0, values.length - from);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = values[from + i]!;
  return selectInPlace(a, q);
}

/** The same on a scratch array, which it reorders. */
export function selectInPlace(a: Float64Array, q: number): number {
  const n = a.length;
  if (n === 0) return Number.NaN;
  const k = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    // Median of three as the pivot keeps sorted and reversed inputs linear.
    const x = a[lo]!;
    const y = a[(lo + hi) >> 1]!;
    const z = a[hi]!;
    // The median of the three.
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
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
