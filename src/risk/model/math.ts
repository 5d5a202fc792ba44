/**
 * Small numeric kernels for the risk models. Written out by hand because the
 * models are tiny (≤ ~50 features) and a linear-algebra dependency would cost
 * more than these thirty lines.
 */

/** Logistic function, split by sign so exp never overflows. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + e^z) without overflow for large z or precision loss for very negative z. */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** log(p / (1 − p)). */
export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/**
 * Solves A·x = b for symmetric positive-definite A (row-major, size m×m) by
 * Cholesky. If A is only semi-definite numerically (e.g. a fully saturated fit
 * where every row's IRLS weight underflows), a growing ridge is added to the
 * diagonal instead of failing: the solution then degrades to a damped step,
 * which the caller's line search can still use. Returns null only if even that fails.
 */
export function solveSpd(a: Float64Array, b: Float64Array, m: number): Float64Array | null {
  let maxDiag = 0;
  for (let i = 0; i < m; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * m + i]!));
  const scale = Math.max(maxDiag, 1);
  const l = new Float64Array(m * m);
  for (let attempt = 0, jitter = 0; attempt < 12; attempt++, jitter = jitter === 0 ? 1e-12 * scale : jitter * 100) {
    if (cholesky(a, l, m, jitter)) {
      const x = new Float64Array(m);
      // Forward substitution L·z = b, then back substitution Lᵀ·x = z.
      for (let i = 0; i < m; i++) {
        let s = b[i]!;
        for (let k = 0; k < i; k++) s -= l[i * m + k]! * x[k]!;
        x[i] = s / l[i * m + i]!;
      }
      for (let i = m - 1; i >= 0; i--) {
        let s = x[i]!;
        for (let k = i + 1; k < m; k++) s -= l[k * m + i]! * x[k]!;
        x[i] = s / l[i * m + i]!;
      }
      return x;
    }
  }
  return null;
}

function cholesky(a: Float64Array, l: Float64Array, m: number, jitter: number): boolean {
  l.fill(0);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      const aij = a[i * m + j]! + (i === j ? jitter : 0);
      let s = aij;
      for (let k = 0; k < j; k++) s -= l[i * m + k]! * l[j * m + k]!;
      if (i === j) {
        // A pivot that cancelled to ~0 relative to its diagonal means (near-)singular: retry with more ridge.
        if (!Number.isFinite(s) || !(s > 1e-13 * aij)) return false;
        l[i * m + i] = Math.sqrt(s);
      } else {
        l[i * m + j] = s / l[j * m + j]!;
      }
    }
  }
  return true;
}
