/**
 * L2-regularised logistic regression over sparse rows, fitted by L-BFGS on
 * the full batch: no random initialisation, no shuffling, a fixed order of
 * floating-point sums, so the same examples give the same weights on every
 * run. Only the buckets the examples touch are optimised (the others have
 * zero gradient and stay at zero under L2).
 */
import type { SparseRow } from './features.js';

export interface LogisticOptions {
  /** L2 strength λ on the weights (not the bias), in the mean-loss objective: mean log-loss + λ/2·‖w‖². */
  l2?: number;
  /** L-BFGS iterations at most. */
  maxIterations?: number;
  /** Stop when the gradient's largest component is below this. */
  tolerance?: number;
}

export interface LogisticFit {
  /** Bucket → weight, only the non-zero ones, ordered by bucket. */
  weights: Map<number, number>;
  bias: number;
  iterations: number;
  /** The objective at the end (mean log-loss plus the penalty). */
  objective: number;
}

export const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** log(1 + e^z) without overflow. */
const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

export function predictRow(row: SparseRow, weights: ReadonlyMap<number, number>, bias: number): number {
  let z = bias;
  for (let k = 0; k < row.idx.length; k++) z += (weights.get(row.idx[k]!) ?? 0) * row.val[k]!;
  return sigmoid(z);
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

export function fitLogistic(rows: readonly SparseRow[], labels: readonly boolean[], opts: LogisticOptions = {}): LogisticFit {
  if (rows.length !== labels.length) throw new RangeError(`fitLogistic: ${rows.length} rows but ${labels.length} labels`);
  if (rows.length === 0) throw new RangeError('fitLogistic: no examples');
  const l2 = opts.l2 ?? 0.01;
  const maxIterations = opts.maxIterations ?? 300;
  const tolerance = opts.tolerance ?? 1e-6;

  // Compact the touched buckets to 0..d-1; parameter d is the bias.
  const buckets = [...new Set(rows.flatMap((r) => r.idx))].sort((a, b) => a - b);
  const slot = new Map(buckets.map((b, i) => [b, i]));
  const compact = rows.map((r) => ({ idx: Int32Array.from(r.idx, (b) => slot.get(b)!), val: Float64Array.from(r.val) }));
  const d = buckets.length;
  const n = rows.length;
  const y = labels.map((l) => (l ? 1 : 0));

  const evaluate = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    const b = theta[d]!;
    for (let i = 0; i < n; i++) {
      const r = compact[i]!;
      let z = b;
      for (let k = 0; k < r.idx.length; k++) z += theta[r.idx[k]!]! * r.val[k]!;
      // log-loss of label y at logit z: softplus(z) − y·z.
      loss += softplus(z) - y[i]! * z;
      const g = (sigmoid(z) - y[i]!) / n;
      for (let k = 0; k < r.idx.length; k++) grad[r.idx[k]!]! += g * r.val[k]!;
      grad[d]! += g;
    }
    let penalty = 0;
    for (let j = 0; j < d; j++) {
      penalty += theta[j]! * theta[j]!;
      grad[j]! += l2 * theta[j]!;
    }
    return loss / n + (l2 / 2) * penalty;
  };

  const theta = new Float64Array(d + 1);
  const grad = new Float64Array(d + 1);
  let f = evaluate(theta, grad);
  const history: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  const M = 10;
  let iterations = 0;
  const maxAbs = (v: Float64Array) => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

  while (iterations < maxIterations && maxAbs(grad) > tolerance) {
    iterations++;
    // Two-loop recursion: direction = −H·grad.
    const q = Float64Array.from(grad);
    const alpha: number[] = [];
    for (let k = history.length - 1; k >= 0; k--) {
      const h = history[k]!;
      const a = h.rho * dot(h.s, q);
      alpha[k] = a;
      for (let j = 0; j <= d; j++) q[j]! -= a * h.y[j]!;
    }
    const last = history.at(-1);
    const gamma = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1 / Math.max(1, maxAbs(grad));
    for (let j = 0; j <= d; j++) q[j]! *= gamma;
    for (let k = 0; k < history.length; k++) {
      const h = history[k]!;
      const beta = h.rho * dot(h.y, q);
      for (let j = 0; j <= d; j++) q[j]! += h.s[j]! * (alpha[k]! - beta);
    }
    for (let j = 0; j <= d; j++) q[j] = -q[j]!;
    let slope = dot(grad, q);
    if (slope >= 0) {
      // Not a descent direction (curvature lost): restart from steepest descent.
      history.length = 0;
      for (let j = 0; j <= d; j++) q[j] = -grad[j]!;
      slope = dot(grad, q);
    }
    // Backtracking line search (Armijo).
    let step = 1;
    const next = new Float64Array(d + 1);
    const nextGrad = new Float64Array(d + 1);
    let fNext = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 40; tries++) {
      for (let j = 0; j <= d; j++) next[j] = theta[j]! + step * q[j]!;
      fNext = evaluate(next, nextGrad);
      if (fNext <= f + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(fNext < f)) break; // no progress possible at this precision
    const s = new Float64Array(d + 1);
    const yv = new Float64Array(d + 1);
    for (let j = 0; j <= d; j++) {
      s[j] = next[j]! - theta[j]!;
      yv[j] = nextGrad[j]! - grad[j]!;
    }
    const sy = dot(s, yv);
    if (sy > 1e-12) {
      history.push({ s, y: yv, rho: 1 / sy });
      if (history.length > M) history.shift();
    }
    const improvement = f - fNext;
    theta.set(next);
    grad.set(nextGrad);
    f = fNext;
    if (improvement < 1e-12 * Math.max(1, Math.abs(f))) break;
  }

  const weights = new Map<number, number>();
  for (let j = 0; j < d; j++) if (theta[j] !== 0) weights.set(buckets[j]!, theta[j]!);
  return { weights, bias: theta[d]!, iterations, objective: f };
}
