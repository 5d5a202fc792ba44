/**
 * Input checks shared by every metric. The metrics take parallel arrays, so the
 * commonest caller bug is a length mismatch or a label that is not 0/1 (e.g. a
 * boolean or the string 'failure'); failing loudly beats a plausible wrong figure.
 */
export type Label = 0 | 1;

export function checkPair(p: readonly number[], y: readonly Label[]): void {
  if (p.length !== y.length) throw new RangeError(`p and y differ in length (${p.length} vs ${y.length})`);
  for (let i = 0; i < p.length; i++) {
    if (!Number.isFinite(p[i])) throw new RangeError(`p[${i}] is not a finite number`);
    const yi = y[i];
    if (yi !== 0 && yi !== 1) throw new RangeError(`y[${i}] must be 0 or 1`);
  }
}

/** Brier, calibration and histograms read p as a probability, so it must lie in [0, 1]. */
export function checkProbabilities(p: readonly number[]): void {
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    if (v < 0 || v > 1) throw new RangeError(`p[${i}] = ${v} is not a probability in [0, 1]`);
  }
}

export function checkEffort(effort: readonly number[], n: number): void {
  if (effort.length !== n) throw new RangeError(`effort differs in length from p (${effort.length} vs ${n})`);
  for (let i = 0; i < n; i++) {
    const e = effort[i]!;
    if (!Number.isFinite(e) || e < 0) throw new RangeError(`effort[${i}] must be a finite number ≥ 0`);
  }
}

/** Figures that average over the sample (Brier, ECE) have no value on an empty one. */
export function checkNonEmpty(n: number, what: string): void {
  if (n === 0) throw new RangeError(`${what} is undefined on an empty sample`);
}

export function countFailures(y: readonly Label[]): number {
  let f = 0;
  for (const v of y) f += v;
  return f;
}
