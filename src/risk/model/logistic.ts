import { z } from 'zod';
import { logit, sigmoid, softplus, solveSpd } from './math.js';

/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS).
 *
 * Why Newton: shipcheck's models have a handful of features (the 14 JIT metrics
 * plus a few derived ones), so the (d+1)² Hessian is tiny, convergence takes
 * ~5–10 passes over the data, and there is no learning rate to tune. A backtracking
 * line search keeps each step a descent step, so the fit is monotone and
 * deterministic (same input → bit-identical weights).
 *
 * Features are standardised inside (mean/std of the training rows stored with the
 * model) so that one penalty strength means the same thing for `la` (thousands)
 * and `fix` (0/1), and the Hessian stays well conditioned.
 */
export interface LogisticOptions {
  /**
   * Ridge strength λ in Σ wᵢ·logloss + λ/2·‖β‖² on the STANDARDISED weights;
   * the intercept is not penalised. λ = 1 is scikit-learn's default C = 1 (λ = 1/C).
   * The penalty also keeps separable data finite; λ = 0 is allowed but then
   * separable data only stops at maxIter.
   */
  l2?: number;
  /** Newton iterations at most (default 100; typically < 15 are used). */
  maxIter?: number;
  /** Stop when the largest coefficient update (standardised scale) is below this (default 1e-8). */
  tol?: number;
  /**
   * 'balanced' weights each row n / (2·n_class), as scikit-learn does, so both
   * classes weigh the same in the loss. Shifts the intercept: probabilities are
   * then no longer calibrated to the base rate.
   */
  classWeight?: 'balanced' | undefined;
  /** Per-row weights (≥ 0), multiplied with the class weights; e.g. newer rows weighing more under drift. */
  sampleWeight?: readonly number[] | undefined;
}

export const LogisticModelJson = z.object({
  kind: z.literal('logistic-regression'),
  version: z.literal(1),
  weights: z.array(z.number()),
  intercept: z.number(),
  mean: z.array(z.number()),
  std: z.array(z.number().positive()),
});
export type LogisticModelJson = z.infer<typeof LogisticModelJson>;

export interface LogisticModel {
  /** Weights on the standardised features ((x − mean) / std). */
  weights: number[];
  intercept: number;
  mean: number[];
  std: number[];
  /** P(y = 1 | x) for one raw (unstandardised) feature row. */
  predict(x: readonly number[]): number;
  predictMany(X: readonly (readonly number[])[]): number[];
  toJSON(): LogisticModelJson;
}

export function trainLogistic(X: readonly (readonly number[])[], y: readonly (0 | 1)[], opts: LogisticOptions = {}): LogisticModel {
  const l2 = opts.l2 ?? 1.0;
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 1e-8;
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new RangeError(`l2 must be a finite number ≥ 0, got ${l2}`);
  const n = X.length;
  if (n === 0) throw new RangeError('cannot train on an empty data set');
  if (y.length !== n) throw new RangeError(`X and y differ in length (${n} vs ${y.length})`);
  const d = X[0]!.length;

  // Standardise into one flat row-major buffer: no per-row arrays in the hot loops.
  const Z = new Float64Array(n * d);
  const mean = new Array<number>(d).fill(0);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const row = X[i]!;
    if (row.length !== d) throw new RangeError(`row ${i} has ${row.length} features, expected ${d}`);
    const yi = y[i];
    if (yi !== 0 && yi !== 1) throw new RangeError(`y[${i}] must be 0 or 1`);
    positives += yi;
    for (let j = 0; j < d; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v)) throw new RangeError(`X[${i}][${j}] is not a finite number`);
      Z[i * d + j] = v;
      mean[j]! += v;
    }
  }
  if (positives === 0 || positives === n) throw new Error('cannot train on one class');
  for (let j = 0; j < d; j++) mean[j]! /= n;
  // Two-pass (population) variance: exact 0 for constant columns, no catastrophic cancellation.
  const sq = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sq[j]! += (Z[i * d + j]! - mean[j]!) ** 2;
  // A (near-)constant feature carries no information; std 1 leaves it ≈ 0 instead of amplifying rounding noise.
  const std = sq.map((s, j) => {
    const sd = Math.sqrt(s / n);
    return sd > 1e-12 * Math.max(1, Math.abs(mean[j]!)) ? sd : 1;
  });
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Z[i * d + j] = (Z[i * d + j]! - mean[j]!) / std[j]!;

  // Row weights: 1, or n / (2·n_class) when balanced.
  const w1 = opts.classWeight === 'balanced' ? n / (2 * positives) : 1;
  const w0 = opts.classWeight === 'balanced' ? n / (2 * (n - positives)) : 1;
  const sw = opts.sampleWeight;
  if (sw && (sw.length !== n || sw.some((w) => !(w >= 0) || !Number.isFinite(w)))) {
    throw new RangeError('sampleWeight must hold one finite weight ≥ 0 per row');
  }
  const rowWeight = (i: number) => (y[i] === 1 ? w1 : w0) * (sw ? sw[i]! : 1);

  // θ = [intercept, β_1..β_d]; start at β = 0 and the (weighted) base-rate intercept.
  const m = d + 1;
  let theta: Float64Array = new Float64Array(m);
  theta[0] = logit((w1 * positives) / (w1 * positives + w0 * (n - positives)));

  const loss = (t: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let eta = t[0]!;
      const off = i * d;
      for (let j = 0; j < d; j++) eta += t[j + 1]! * Z[off + j]!;
      s += rowWeight(i) * (softplus(eta) - y[i]! * eta);
    }
    let pen = 0;
    for (let j = 1; j < m; j++) pen += t[j]! ** 2;
    return s + (l2 / 2) * pen;
  };

  const grad = new Float64Array(m);
  const hess = new Float64Array(m * m);
  let current = loss(theta);
  for (let iter = 0; iter < maxIter; iter++) {
    grad.fill(0);
    hess.fill(0);
    for (let i = 0; i < n; i++) {
      const off = i * d;
      let eta = theta[0]!;
      for (let j = 0; j < d; j++) eta += theta[j + 1]! * Z[off + j]!;
      const mu = sigmoid(eta);
      const wi = rowWeight(i);
      const r = wi * (mu - y[i]!);
      const h = wi * mu * (1 - mu);
      // Column 0 is the implicit constant 1 (intercept); fill the upper triangle only.
      grad[0]! += r;
      hess[0]! += h;
      for (let j = 0; j < d; j++) {
        const zj = Z[off + j]!;
        grad[j + 1]! += r * zj;
        const hz = h * zj;
        hess[j + 1]! += hz;
        const rowBase = (j + 1) * m;
        for (let k = j; k < d; k++) hess[rowBase + k + 1]! += hz * Z[off + k]!;
      }
    }
    for (let j = 1; j < m; j++) {
      grad[j]! += l2 * theta[j]!;
      hess[j * m + j]! += l2;
      for (let k = 0; k < j; k++) hess[j * m + k] = hess[k * m + j]!; // mirror the upper triangle
    }
    const step = solveSpd(hess, grad, m);
    if (step === null) break;
    let maxStep = 0;
    let slope = 0; // gᵀΔ > 0: the predicted decrease per unit step
    for (let j = 0; j < m; j++) {
      maxStep = Math.max(maxStep, Math.abs(step[j]!));
      slope += grad[j]! * step[j]!;
    }
    // Near the optimum the loss change drops below floating-point resolution; take the Newton step and stop.
    if (maxStep < tol) {
      for (let j = 0; j < m; j++) theta[j]! -= step[j]!;
      break;
    }
    // Backtracking (Armijo) line search: halve until the loss decreases enough.
    let t = 1;
    let accepted: Float64Array | null = null;
    let next = current;
    for (let tries = 0; tries < 40; tries++, t /= 2) {
      const cand = new Float64Array(m);
      for (let j = 0; j < m; j++) cand[j] = theta[j]! - t * step[j]!;
      next = loss(cand);
      if (Number.isFinite(next) && next <= current - 1e-4 * t * slope) {
        accepted = cand;
        break;
      }
    }
    if (accepted === null) break; // no further decrease representable: converged as far as doubles allow
    theta = accepted;
    current = next;
    if (maxStep * t < tol) break;
  }

  return makeModel(Array.from(theta.subarray(1)), theta[0]!, mean, std);
}

function makeModel(weights: number[], intercept: number, mean: number[], std: number[]): LogisticModel {
  const d = weights.length;
  const predict = (x: readonly number[]): number => {
    if (x.length !== d) throw new RangeError(`expected ${d} features, got ${x.length}`);
    let eta = intercept;
    for (let j = 0; j < d; j++) eta += (weights[j]! * (x[j]! - mean[j]!)) / std[j]!;
    if (!Number.isFinite(eta)) throw new RangeError('features must be finite numbers');
    return sigmoid(eta);
  };
  return {
    weights,
    intercept,
    mean,
    std,
    predict,
    predictMany: (X) => X.map(predict),
    toJSON: () => ({
      kind: 'logistic-regression',
      version: 1,
      weights: [...weights],
      intercept,
      mean: [...mean],
      std: [...std],
    }),
  };
}

/** Rebuilds a model from toJSON() output (e.g. a stored model version); validates the shape. */
export function logisticFromJSON(json: unknown): LogisticModel {
  const parsed = LogisticModelJson.parse(json);
  const d = parsed.weights.length;
  if (parsed.mean.length !== d || parsed.std.length !== d) {
    throw new RangeError('logistic model JSON: weights, mean and std must have the same length');
  }
  return makeModel([...parsed.weights], parsed.intercept, [...parsed.mean], [...parsed.std]);
}

/**
 * Coefficients on the RAW feature scale (β_j / std_j, intercept folded back), for
 * explaining a score in the units a user knows ("+0.002 log-odds per added line").
 */
export function rawCoefficients(model: LogisticModel): { weights: number[]; intercept: number } {
  const weights = model.weights.map((w, j) => w / model.std[j]!);
  const intercept = model.intercept - weights.reduce((s, w, j) => s + w * model.mean[j]!, 0);
  return { weights, intercept };
}

export interface PlattCalibrator {
  a: number;
  b: number;
  /** Calibrated probability σ(a·s + b). */
  apply(s: number): number;
}

/**
 * Platt scaling (Platt 1999, with the robust Newton fit of Lin, Lin & Weng 2007):
 * fits p = σ(a·s + b) to held-out scores. Targets are smoothed to
 * (N₊+1)/(N₊+2) for failures and 1/(N₋+2) for successes — Platt's out-of-sample
 * prior — so perfectly separated scores still give a finite slope rather than
 * 0/1 probabilities. Sign convention: a = −A, b = −B of Platt's 1/(1+exp(A·s+B)),
 * so a > 0 when higher scores mean riskier. Fit on data the model was NOT trained on.
 */
export function plattCalibrate(scores: readonly number[], y: readonly (0 | 1)[]): PlattCalibrator {
  const n = scores.length;
  if (n === 0) throw new RangeError('cannot calibrate on an empty data set');
  if (y.length !== n) throw new RangeError(`scores and y differ in length (${n} vs ${y.length})`);
  let nPos = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) throw new RangeError(`scores[${i}] is not a finite number`);
    const yi = y[i];
    if (yi !== 0 && yi !== 1) throw new RangeError(`y[${i}] must be 0 or 1`);
    nPos += yi;
  }
  const nNeg = n - nPos;
  const hi = (nPos + 1) / (nPos + 2);
  const lo = 1 / (nNeg + 2);
  const target = (i: number) => (y[i] === 1 ? hi : lo);

  const objective = (a: number, b: number): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const eta = a * scores[i]! + b;
      f += softplus(eta) - target(i) * eta;
    }
    return f;
  };

  let a = 0;
  let b = Math.log((nPos + 1) / (nNeg + 1));
  let f = objective(a, b);
  const sigma = 1e-12; // Lin et al.'s tiny ridge: keeps the 2×2 Hessian invertible when all scores are equal
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = sigma;
    let hab = 0;
    let hbb = sigma;
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      const mu = sigmoid(a * s + b);
      const r = mu - target(i);
      const h = mu * (1 - mu);
      ga += r * s;
      gb += r;
      haa += h * s * s;
      hab += h * s;
      hbb += h;
    }
    if (Math.abs(ga) < 1e-5 && Math.abs(gb) < 1e-5) break;
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    const slope = ga * da + gb * db;
    let t = 1;
    let moved = false;
    while (t >= 1e-10) {
      const na = a - t * da;
      const nb = b - t * db;
      const nf = objective(na, nb);
      if (Number.isFinite(nf) && nf <= f - 1e-4 * t * slope) {
        a = na;
        b = nb;
        f = nf;
        moved = true;
        break;
      }
      t /= 2;
    }
    if (!moved) break;
  }
  return { a, b, apply: (s: number) => sigmoid(a * s + b) };
}
