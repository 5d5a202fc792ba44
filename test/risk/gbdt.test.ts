import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../src/evals/metrics/index.js';
import { GbdtTrainingError, gbdtFeatureImportance, gbdtToJSON, predictGbdt, trainGbdt } from '../../src/risk/model/gbdt/index.js';
import { mulberry32 } from '../../src/risk/model/gbdt/rng.js';
import { trainLogistic } from '../../src/risk/model/logistic.js';
import { sigmoid } from '../../src/risk/model/math.js';

/** Two uniform features whose effect is an interaction (XOR of two thresholds), plus one of pure noise. */
function xorData(n: number, seed: number) {
  const r = mulberry32(seed);
  const X: number[][] = [];
  const y: (0 | 1)[] = [];
  for (let i = 0; i < n; i++) {
    const x = [r() * 2 - 1, r() * 2 - 1, r()];
    const inside = x[0]! > 0.3 !== x[1]! > -0.2;
    y.push(r() < (inside ? 0.85 : 0.15) ? 1 : 0);
    X.push(x);
  }
  return { X, y };
}

/**
 * Risk truly rises with x0 at the same x1, but x1 (which pushes risk down) grows with x0 and is
 * measured only coarsely, so an unconstrained model reads a falling trend in x0 from the data.
 */
function misleadingData(n: number, seed: number) {
  const r = mulberry32(seed);
  const X: number[][] = [];
  const y: (0 | 1)[] = [];
  for (let i = 0; i < n; i++) {
    const x0 = r();
    const hidden = x0 + 0.3 * (r() - 0.5);
    const eta = 1.0 * x0 - 4 * hidden + 1.5 + (r() < 0.5 ? 0.5 : -0.5);
    y.push(r() < sigmoid(eta) ? 1 : 0);
    X.push([x0, r()]);
  }
  return { X, y };
}

const grid = (lo: number, hi: number, k: number) => Array.from({ length: k }, (_, i) => lo + ((hi - lo) * i) / (k - 1));

describe('trainGbdt', () => {
  it('learns an interaction a logistic model cannot', () => {
    const train = xorData(4000, 1);
    const test = xorData(2000, 2);
    const gbdt = trainGbdt(train.X, train.y);
    const lr = trainLogistic(train.X, train.y);
    const aucGbdt = rocAuc(
      test.X.map((x) => predictGbdt(gbdt, x)),
      test.y,
    )!;
    const aucLr = rocAuc(lr.predictMany(test.X), test.y)!;
    expect(aucGbdt).toBeGreaterThan(0.8);
    expect(aucGbdt - aucLr).toBeGreaterThan(0.15);
    // The noise feature earns little of the gain.
    const importance = gbdtFeatureImportance(gbdt);
    expect(importance[2]!.share).toBeLessThan(0.1);
    expect(importance[0]!.gain + importance[1]!.gain).toBeGreaterThan(importance[2]!.gain * 10);
  });

  it('keeps predictions non-decreasing along a +1 feature even when the data trend falls', () => {
    const { X, y } = misleadingData(5000, 3);
    const free = trainGbdt(X, y, { validationShare: 0, rounds: 150 });
    const constrained = trainGbdt(X, y, { validationShare: 0, rounds: 150, monotone: [1, 0] });
    const along = (m: typeof free, x1: number) => grid(0, 1, 101).map((x0) => predictGbdt(m, [x0, x1]));
    const drops = (ps: number[]) => ps.slice(1).filter((p, i) => p < ps[i]! - 1e-12).length;
    // Without the constraint the model follows the data downwards: the check below can fail.
    expect(drops(along(free, 0.5))).toBeGreaterThan(0);
    for (const x1 of grid(0, 1, 11)) expect(drops(along(constrained, x1))).toBe(0);
    // And a -1 constraint on the same feature holds the other way.
    const falling = trainGbdt(X, y, { validationShare: 0, rounds: 150, monotone: [-1, 0] });
    for (const x1 of grid(0, 1, 11)) {
      const ps = along(falling, x1);
      expect(ps.slice(1).filter((p, i) => p > ps[i]! + 1e-12)).toHaveLength(0);
    }
  });

  it('stops early on pure noise, keeping few trees', () => {
    const r = mulberry32(5);
    const X = Array.from({ length: 3000 }, () => [r(), r(), r()]);
    const y = X.map(() => (r() < 0.3 ? 1 : 0) as 0 | 1);
    const model = trainGbdt(X, y, { rounds: 300, earlyStoppingRounds: 20 });
    expect(model.training.stoppedEarly).toBe(true);
    expect(model.training.roundsRun).toBeLessThan(300);
    expect(model.trees.length).toBe(model.training.roundsRun - 20);
    expect(model.training.trainRows).toBe(2400);
    expect(model.training.validationRows).toBe(600);
    // On signal, it keeps boosting well past that.
    const xor = xorData(3000, 6);
    expect(trainGbdt(xor.X, xor.y).trees.length).toBeGreaterThan(model.trees.length + 50);
  });

  it('is deterministic for a seed when rows are subsampled', () => {
    const { X, y } = xorData(2000, 7);
    const a = trainGbdt(X, y, { subsample: 0.6, seed: 42 });
    const b = trainGbdt(X, y, { subsample: 0.6, seed: 42 });
    const c = trainGbdt(X, y, { subsample: 0.6, seed: 43 });
    expect(gbdtToJSON(a)).toEqual(gbdtToJSON(b));
    expect(gbdtToJSON(a)).not.toEqual(gbdtToJSON(c));
  });

  it('never splits on a constant feature', () => {
    const { X, y } = xorData(2000, 8);
    const withConstant = X.map((x) => [x[0]!, 7, x[1]!]);
    const model = trainGbdt(withConstant, y);
    const importance = gbdtFeatureImportance(model);
    expect(importance[1]).toEqual({ feature: 1, gain: 0, share: 0, splits: 0 });
    expect(importance[0]!.splits).toBeGreaterThan(0);
    expect(predictGbdt(model, [0.9, 7, 0.9])).toBe(predictGbdt(model, [0.9, -1000, 0.9]));
  });

  it('refuses one outcome with a clear error', () => {
    const X = Array.from({ length: 100 }, (_, i) => [i]);
    const ones = X.map(() => 1 as const);
    expect(() => trainGbdt(X, ones)).toThrow(GbdtTrainingError);
    expect(() => trainGbdt(X, ones)).toThrow(/only one outcome/);
    // Both outcomes overall, but only in the validation tail: the fitting rows still have one.
    const lateFailures = X.map((_, i) => (i >= 90 ? 1 : 0) as 0 | 1);
    expect(() => trainGbdt(X, lateFailures)).toThrow(/oldest 80 of 100 rows/);
    expect(trainGbdt(X, lateFailures, { validationShare: 0, minSamplesLeaf: 5 }).trees.length).toBeGreaterThan(0);
  });

  it('refuses options and rows that would fit nonsense', () => {
    const { X, y } = xorData(200, 9);
    expect(() => trainGbdt(X, y, { maxBins: 65 })).toThrow(/maxBins/);
    expect(() => trainGbdt(X, y, { learningRate: 0 })).toThrow(/learningRate/);
    expect(() => trainGbdt(X, y, { monotone: [1, 0, 0, 1] })).toThrow(/monotone has 4 entries/);
    expect(() => trainGbdt(X, y, { monotone: [2 as 1] })).toThrow(/monotone\[0\]/);
    expect(() => trainGbdt([[1, Number.NaN]], [1])).toThrow(/not a finite number/);
    const model = trainGbdt(X, y);
    expect(() => predictGbdt(model, [0.1, 0.2])).toThrow(/expected 3 features/);
    expect(() => predictGbdt(model, [0.1, Number.NaN, 0.2])).toThrow(/not a finite number/);
  });
});
