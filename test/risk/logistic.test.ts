import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/risk/model/gbdt/rng.js';
import { expectedCalibrationError } from '../../src/evals/metrics/index.js';
import { logit, sigmoid } from '../../src/risk/model/math.js';
import { logisticFromJSON, plattCalibrate, rawCoefficients, trainLogistic } from '../../src/risk/model/logistic.js';

/** Seeded, so the synthetic data (and the tolerances) are the same every run. */
const rng = mulberry32;

/** Standard normal by Box–Muller. */
function gaussian(r: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** y ~ Bernoulli(σ(b + β·x)) with features on deliberately different scales. */
function synthetic(n: number, seed: number) {
  const r = rng(seed);
  const g = gaussian(r);
  const beta = [1.5, 0.05, -0.8];
  const b = -1;
  const X: number[][] = [];
  const y: (0 | 1)[] = [];
  for (let i = 0; i < n; i++) {
    const x = [g(), 50 + 10 * g(), r() < 0.3 ? 1 : 0];
    X.push(x);
    y.push(r() < sigmoid(b + x.reduce((s, v, j) => s + v * beta[j]!, 0)) ? 1 : 0);
  }
  return { X, y, beta, b };
}

describe('trainLogistic', () => {
  it('recovers known coefficients from synthetic data', () => {
    const { X, y, beta, b } = synthetic(20_000, 7);
    const model = trainLogistic(X, y);
    const raw = rawCoefficients(model);
    // Standard errors at n = 20k are ≈ 0.02 (x1), 0.002 (x2), 0.04 (x3), 0.1 (intercept, x2 has mean 50).
    expect(raw.weights[0]).toBeCloseTo(beta[0]!, 1);
    expect(Math.abs(raw.weights[1]! - beta[1]!)).toBeLessThan(0.01);
    expect(Math.abs(raw.weights[2]! - beta[2]!)).toBeLessThan(0.15);
    expect(Math.abs(raw.intercept - b)).toBeLessThan(0.4);
    // Standardisation statistics are those of the training data.
    expect(model.mean[1]).toBeCloseTo(50, 0);
    expect(model.std[1]).toBeCloseTo(10, 0);
  });

  it('predicts probabilities strictly inside (0,1), consistent with rawCoefficients', () => {
    const { X, y } = synthetic(2_000, 3);
    const model = trainLogistic(X, y);
    const raw = rawCoefficients(model);
    for (const p of model.predictMany(X)) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }
    const x = X[0]!;
    expect(model.predict(x)).toBeCloseTo(sigmoid(raw.intercept + x.reduce((s, v, j) => s + v * raw.weights[j]!, 0)), 12);
    expect(() => model.predict([1, 2])).toThrow(RangeError);
  });

  it('stays finite on perfectly separable data', () => {
    const X = [[-3], [-2], [-1], [1], [2], [3]];
    const y: (0 | 1)[] = [0, 0, 0, 1, 1, 1];
    for (const l2 of [1, 1e-6, 0]) {
      const model = trainLogistic(X, y, { l2, maxIter: 50 });
      expect(Number.isFinite(model.weights[0])).toBe(true);
      expect(Number.isFinite(model.intercept)).toBe(true);
      expect(model.predict([-2])).toBeLessThan(0.5);
      expect(model.predict([2])).toBeGreaterThan(0.5);
      expect(Number.isNaN(model.predict([0.5]))).toBe(false);
    }
  });

  it('is deterministic', () => {
    const { X, y } = synthetic(3_000, 11);
    const a = trainLogistic(X, y, { classWeight: 'balanced' });
    const b = trainLogistic(X, y, { classWeight: 'balanced' });
    expect(a.toJSON()).toEqual(b.toJSON());
  });

  it('balanced class weights lift the mean prediction towards ½', () => {
    const { X, y } = synthetic(5_000, 5);
    const rate = y.reduce<number>((s, v) => s + v, 0) / y.length;
    const mean = (ps: number[]) => ps.reduce((s, v) => s + v, 0) / ps.length;
    // Unweighted logistic regression with an intercept matches the base rate on the training data (score equation).
    expect(mean(trainLogistic(X, y, { l2: 0 }).predictMany(X))).toBeCloseTo(rate, 6);
    expect(Math.abs(mean(trainLogistic(X, y, { classWeight: 'balanced' }).predictMany(X)) - 0.5)).toBeLessThan(Math.abs(rate - 0.5));
  });

  it('round-trips through JSON', () => {
    const { X, y } = synthetic(1_000, 13);
    const model = trainLogistic(X, y);
    const back = logisticFromJSON(JSON.parse(JSON.stringify(model)));
    expect(back.toJSON()).toEqual(model.toJSON());
    expect(back.predictMany(X.slice(0, 50))).toEqual(model.predictMany(X.slice(0, 50)));
    expect(() => logisticFromJSON({ ...model.toJSON(), std: [1] })).toThrow();
    expect(() => logisticFromJSON({ kind: 'tree' })).toThrow();
  });

  it('refuses one class, and handles constant features', () => {
    expect(() => trainLogistic([[1], [2]], [1, 1])).toThrow('cannot train on one class');
    expect(() => trainLogistic([[1], [2]], [0, 0])).toThrow('cannot train on one class');
    expect(() => trainLogistic([], [])).toThrow(RangeError);
    expect(() => trainLogistic([[1], [Number.NaN]], [0, 1])).toThrow(RangeError);
    const model = trainLogistic(
      [
        [5, 0],
        [5, 1],
        [5, 2],
        [5, 3],
      ],
      [0, 0, 1, 1],
    );
    expect(model.std[0]).toBe(1); // constant column: std 1, weight ≈ 0 (carries no signal)
    expect(Math.abs(model.weights[0]!)).toBeLessThan(1e-9);
  });

  // Speed is measured by `npm run bench`, not asserted here (no wall-clock tests).
  it('fits 100k rows with 1 and 20 features and recovers the signal', () => {
    const r = rng(99);
    const g = gaussian(r);
    const n = 100_000;
    const X1: number[][] = [];
    const X20: number[][] = [];
    const y: (0 | 1)[] = [];
    for (let i = 0; i < n; i++) {
      const row = Array.from({ length: 20 }, () => g());
      X20.push(row);
      X1.push([row[0]!]);
      y.push(r() < sigmoid(0.8 * row[0]! - 0.5 * row[1]! + 0.3 * row[2]!) ? 1 : 0);
    }
    const m1 = trainLogistic(X1, y);
    const m20 = trainLogistic(X20, y);
    expect(rawCoefficients(m1).weights[0]).toBeGreaterThan(0.5);
    expect(rawCoefficients(m20).weights[1]).toBeCloseTo(-0.5, 1);
  });
});

describe('plattCalibrate', () => {
  it('fixes overconfident scores (ECE drops) and recovers the slope', () => {
    // True risk σ(z); the "model" reports σ(3z): right ranking, far too confident.
    const r = rng(21);
    const g = gaussian(r);
    const n = 20_000;
    const z = Array.from({ length: n }, () => 1.5 * g());
    const y = z.map((v) => (r() < sigmoid(v) ? 1 : 0) as 0 | 1);
    const score = z.map((v) => 3 * v);
    const half = n / 2;
    const cal = plattCalibrate(score.slice(0, half), y.slice(0, half));
    expect(cal.a).toBeCloseTo(1 / 3, 1);
    expect(Math.abs(cal.b)).toBeLessThan(0.1);
    const testY = y.slice(half);
    const rawP = score.slice(half).map(sigmoid);
    const calP = score.slice(half).map((s) => cal.apply(s));
    const before = expectedCalibrationError(rawP, testY);
    const after = expectedCalibrationError(calP, testY);
    expect(before).toBeGreaterThan(0.05);
    expect(after).toBeLessThan(0.02);
    expect(after).toBeLessThan(before / 3);
  });

  it('stays finite on separated scores thanks to the smoothed targets', () => {
    // N+ = 2, N− = 2: targets 3/4 and 1/4, so the fit cannot reach 0/1 and a is finite.
    const cal = plattCalibrate([-1, -0.5, 0.5, 1], [0, 0, 1, 1]);
    expect(Number.isFinite(cal.a)).toBe(true);
    expect(cal.a).toBeGreaterThan(0);
    expect(cal.apply(1)).toBeLessThan(0.9);
    // Symmetric data → b ≈ 0, apply(0) ≈ ½.
    expect(cal.apply(0)).toBeCloseTo(0.5, 4);
    expect(logit(cal.apply(2))).toBeCloseTo(cal.a * 2 + cal.b, 9);
  });

  it('rejects bad input', () => {
    expect(() => plattCalibrate([], [])).toThrow(RangeError);
    expect(() => plattCalibrate([1], [])).toThrow(RangeError);
    expect(() => plattCalibrate([Number.POSITIVE_INFINITY], [1])).toThrow(RangeError);
  });
});
