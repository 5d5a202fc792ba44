import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/risk/model/gbdt/rng.js';
import { ModelMetrics } from '../../src/contracts/evals.js';
import {
  brier,
  brierSkill,
  evaluate,
  expectedCalibrationError,
  gateCapture,
  gateCurve,
  histogramByOutcome,
  popt,
  prAuc,
  recallAtEffort,
  reliabilityTable,
  rocAuc,
  rocCurve,
  thresholdMetrics,
  type Label,
} from '../../src/evals/metrics/index.js';

/** Seeded, so the synthetic data (and the tolerances) are the same every run. */
const rng = mulberry32;

// Shared small case: negatives score 0.1, 0.4; failures 0.35, 0.8.
const P4 = [0.1, 0.4, 0.35, 0.8];
const Y4: Label[] = [0, 0, 1, 1];

describe('rocAuc / rocCurve', () => {
  it('is the Mann–Whitney probability a failure outranks a success', () => {
    // Pairs (failure, success): (0.35,0.1) win, (0.35,0.4) loss, (0.8,0.1) win, (0.8,0.4) win → 3/4.
    expect(rocAuc(P4, Y4)).toBeCloseTo(0.75, 12);
  });

  it('counts ties as ½ (average ranks)', () => {
    // p=[0.2,0.5,0.5,0.9], y=[0,0,1,1]: ranks 1, 2.5, 2.5, 4; failures' rank sum = 2.5+4 = 6.5;
    // U = 6.5 − 2·3/2 = 3.5 → AUC = 3.5/(2·2) = 0.875 (pairs: win, ½, win, win).
    expect(rocAuc([0.2, 0.5, 0.5, 0.9], [0, 0, 1, 1])).toBeCloseTo(0.875, 12);
    // A constant predictor ties everything: exactly 0.5, by the arithmetic, not by a fallback.
    expect(rocAuc([0.3, 0.3, 0.3], [0, 1, 0])).toBe(0.5);
  });

  it('is null (not 0.5) when only one class is present', () => {
    expect(rocAuc([0.1, 0.9], [0, 0])).toBeNull();
    expect(rocAuc([0.1, 0.9], [1, 1])).toBeNull();
    expect(rocAuc([], [])).toBeNull();
    expect(rocCurve([0.1, 0.9], [1, 1])).toEqual([]);
  });

  it('gives 1 for a perfect and 0 for an inverted predictor', () => {
    const y: Label[] = [0, 0, 0, 1, 1];
    const p = [0.1, 0.2, 0.3, 0.7, 0.9];
    expect(rocAuc(p, y)).toBe(1);
    expect(
      rocAuc(
        p.map((v) => 1 - v),
        y,
      ),
    ).toBe(0);
  });

  it('traces (0,0) → one point per distinct threshold → (1,1)', () => {
    // Thresholds 0.8, 0.4, 0.35, 0.1: TP/FP = 1/0, 1/1, 2/1, 2/2 of 2/2.
    expect(rocCurve(P4, Y4)).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0, tpr: 0.5 },
      { fpr: 0.5, tpr: 0.5 },
      { fpr: 0.5, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
  });

  it('equals the trapezoid area under rocCurve on random tied data (seeded)', () => {
    const r = rng(42);
    for (let trial = 0; trial < 25; trial++) {
      const n = 20 + Math.floor(r() * 200);
      // Rounded scores create many ties, the case where the two computations could disagree.
      const p = Array.from({ length: n }, () => Math.round(r() * 20) / 20);
      const y = p.map((v) => (r() < 0.2 + 0.6 * v ? 1 : 0) as Label);
      const curve = rocCurve(p, y);
      let area = 0;
      for (let k = 1; k < curve.length; k++) {
        area += ((curve[k]!.fpr - curve[k - 1]!.fpr) * (curve[k]!.tpr + curve[k - 1]!.tpr)) / 2;
      }
      const auc = rocAuc(p, y);
      if (auc === null) expect(curve).toEqual([]);
      else expect(auc).toBeCloseTo(area, 12);
    }
  });

  it('rejects mismatched arrays and non-0/1 labels', () => {
    expect(() => rocAuc([0.1], [])).toThrow(RangeError);
    expect(() => rocAuc([0.1], [2 as Label])).toThrow(RangeError);
    expect(() => rocAuc([Number.NaN], [1])).toThrow(RangeError);
  });
});

describe('prAuc (average precision)', () => {
  it('sums ΔRecall × precision over thresholds', () => {
    // p=[0.9,0.8,0.7,0.6], y=[1,0,1,0]: at 0.9 P=1 R=½; at 0.8 P=½ R=½ (no step);
    // at 0.7 P=⅔ R=1; at 0.6 no step → AP = ½·1 + ½·⅔ = 5/6 (sklearn gives 0.8333).
    expect(prAuc([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0])).toBeCloseTo(5 / 6, 12);
  });

  it('treats tied scores as one threshold', () => {
    // p=[0.9,0.5,0.5,0.1], y=[1,1,0,0]: at 0.9 P=1 R=½; the tied 0.5 pair enters together:
    // TP=2, FP=1 → P=⅔, R=1 → AP = ½·1 + ½·⅔ = 5/6 (not 1, which an arbitrary order could give).
    expect(prAuc([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])).toBeCloseTo(5 / 6, 12);
  });

  it('is null without failures, 1 for a perfect ranking', () => {
    expect(prAuc([0.2, 0.4], [0, 0])).toBeNull();
    expect(prAuc([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
  });
});

describe('brier / brierSkill', () => {
  it('is the mean squared error of the probability', () => {
    // (0.1−0)² + (0.4−0)² + (0.35−1)² + (0.8−1)² = 0.01 + 0.16 + 0.4225 + 0.04 = 0.6325; /4 = 0.158125.
    expect(brier(P4, Y4)).toBeCloseTo(0.158125, 12);
  });

  it('skill compares with always predicting the training base rate', () => {
    // baseRate 0.5: ref = 0.25 for every row → 1 − 0.158125/0.25 = 0.3675.
    expect(brierSkill(P4, Y4, 0.5)).toBeCloseTo(0.3675, 12);
    // baseRate 0.3: ref = (0.09 + 0.09 + 0.49 + 0.49)/4 = 0.29 → 1 − 0.158125/0.29.
    expect(brierSkill(P4, Y4, 0.3)).toBeCloseTo(1 - 0.158125 / 0.29, 12);
    // A perfect constant reference (all successes, base rate 0) leaves nothing to beat: null.
    expect(brierSkill([0.1, 0.2], [0, 0], 0)).toBeNull();
  });

  it('rejects probabilities outside [0,1] and empty samples', () => {
    expect(() => brier([1.2], [1])).toThrow(RangeError);
    expect(() => brier([], [])).toThrow(RangeError);
    expect(() => brierSkill([0.5], [1], 1.5)).toThrow(RangeError);
  });
});

describe('calibration', () => {
  it('ECE weighs each populated bin by its share of rows', () => {
    // 10 bins. Bin [0.1,0.2): p 0.12, 0.18 → mean 0.15, rate ½ → |0.15−0.5| = 0.35, weight 2/4.
    // Bin [0.8,0.9): p 0.82, 0.88 → mean 0.85, rate 1 → 0.15, weight 2/4. ECE = 0.175 + 0.075 = 0.25.
    const p = [0.12, 0.18, 0.82, 0.88];
    const y: Label[] = [0, 1, 1, 1];
    expect(expectedCalibrationError(p, y, 10)).toBeCloseTo(0.25, 12);
    const table = reliabilityTable(p, y, 10);
    expect(table).toHaveLength(10);
    expect(table[1]).toMatchObject({ count: 2, observedRate: 0.5 });
    expect(table[1]!.meanPredicted).toBeCloseTo(0.15, 12);
    expect(table[1]!.lower).toBeCloseTo(0.1, 12);
    expect(table[8]!.meanPredicted).toBeCloseTo(0.85, 12);
    expect(table[0]).toEqual({ lower: 0, upper: 0.1, count: 0, meanPredicted: null, observedRate: null });
  });

  it('puts p = 1 in the last bin and gives 0 for a calibrated bin', () => {
    const table = reliabilityTable([1, 1, 0.95], [1, 1, 1]);
    expect(table).toHaveLength(15);
    expect(table[14]!.count).toBe(3);
    // 15 bins: [14/15, 1] holds all three, mean (1+1+0.95)/3 = 0.98333, rate 1 → ECE 0.016667.
    expect(expectedCalibrationError([1, 1, 0.95], [1, 1, 1])).toBeCloseTo(0.05 / 3, 12);
  });

  it('histogramByOutcome counts each class per bin with numpy-style edges', () => {
    const h = histogramByOutcome([0.05, 0.07, 0.5, 1], [0, 1, 1, 0], 4);
    expect(h.bins).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(h.success).toEqual([1, 0, 0, 1]);
    expect(h.failure).toEqual([1, 0, 1, 0]);
  });
});

describe('gate capture', () => {
  // 10 changes, 4 failures; three-way tie at 0.7 and a pair tied at 0.3.
  const p = [0.9, 0.7, 0.7, 0.7, 0.3, 0.3, 0.2, 0.2, 0.1, 0.1];
  const y: Label[] = [1, 1, 0, 0, 1, 0, 0, 0, 0, 1];

  it('takes ceil(n·percent/100) riskiest changes', () => {
    expect(gateCapture(p, y, 10)).toBeCloseTo(1 / 4, 12); // k=1: the 0.9 failure
    expect(gateCapture(p, y, 40)).toBeCloseTo(2 / 4, 12); // k=4: 0.9 + whole 0.7 group (1 failure)
    expect(gateCapture(p, y, 0)).toBe(0);
    expect(gateCapture(p, y, 100)).toBe(1);
  });

  it('averages over ties at the cut-off', () => {
    // 20% → k=2: 0.9 (1 failure) + 1 of the 3 tied at 0.7 (holding 1 failure) → 1 + ⅓; /4 = ⅓.
    expect(gateCapture(p, y, 20)).toBeCloseTo(1 / 3, 12);
    // 15% → ceil(1.5) = 2: same gate as 20%.
    expect(gateCapture(p, y, 15)).toBeCloseTo(1 / 3, 12);
    // 50% → k=5: 4 above the 0.3 pair (2 failures) + 1 of 2 tied at 0.3 (1 failure) → 2.5/4.
    expect(gateCapture(p, y, 50)).toBeCloseTo(0.625, 12);
  });

  it('is null without failures; gateCurve spans 0..100 monotonically', () => {
    expect(gateCapture([0.1, 0.2], [0, 0], 10)).toBeNull();
    expect(gateCurve([0.1, 0.2], [0, 0])).toEqual([]);
    const curve = gateCurve(p, y);
    expect(curve).toHaveLength(101);
    expect(curve[0]).toEqual({ percent: 0, captured: 0 });
    expect(curve[100]).toEqual({ percent: 100, captured: 1 });
    expect(curve[20]!.captured).toBeCloseTo(1 / 3, 12);
    for (let k = 1; k < curve.length; k++) expect(curve[k]!.captured).toBeGreaterThanOrEqual(curve[k - 1]!.captured);
  });
});

describe('effort-aware: recall@20% effort and Popt', () => {
  // 5 changes, total effort 200, failures #0 #1 #3.
  const p = [0.8, 0.6, 0.5, 0.3, 0.1];
  const effort = [100, 10, 50, 20, 20];
  const y: Label[] = [1, 1, 0, 1, 0];
  // Predicted density p/effort: .008, .06, .01, .015, .005 → model order #1, #3, #2, #0, #4.
  // Cum effort 10, 30, 80, 180, 200 (5%, 15%, 40%, 90%, 100%); cum failures 1, 2, 2, 3, 3.

  it('recall@20%: counts changes while cumulative effort ≤ 20% (40 lines)', () => {
    // #1 (10) and #3 (30) fit; #2 would reach 80 > 40 and is not counted → 2/3.
    expect(recallAtEffort(p, y, effort, 0.2)).toBeCloseTo(2 / 3, 12);
    // At 5% exactly (10 lines) the first change sits on the line and counts → 1/3.
    expect(recallAtEffort(p, y, effort, 0.05)).toBeCloseTo(1 / 3, 12);
    expect(recallAtEffort(p, y, effort, 0.04)).toBe(0);
  });

  it('Popt = 1 − (A_opt − A_model)/(A_opt − A_worst), areas by trapezoid', () => {
    // Model: (0,0)(.05,⅓)(.15,⅔)(.40,⅔)(.90,1)(1,1):
    //   .05·⅙ + .10·½ + .25·⅔ + .50·⅚ + .10·1 = 1/120 + 6/120 + 20/120 + 50/120 + 12/120 = 89/120.
    // Optimal (y/effort desc; zero-density ties by smaller effort): #1, #3, #0, #4, #2 →
    //   (.05,⅓)(.15,⅔)(.65,1)(.75,1)(1,1): 1/120 + 6/120 + 50/120 + 12/120 + 30/120 = 99/120.
    // Worst (asc): #4, #2, #0, #3, #1 → (.10,0)(.35,0)(.85,⅓)(.95,⅔)(1,1):
    //   0 + 0 + .5·⅙ + .10·½ + .05·⅚ = 10/120 + 6/120 + 5/120 = 21/120.
    // Popt = 1 − (99−89)/(99−21) = 1 − 10/78 = 34/39.
    expect(popt(p, y, effort)).toBeCloseTo(34 / 39, 12);
  });

  it('Popt is 1 for the optimal order and 0 for the worst; null without failures', () => {
    const oracle = y.map((v, i) => v / effort[i]!);
    expect(popt(oracle, y, effort)).toBeCloseTo(1, 12);
    // Worst order #4, #2, #0, #3, #1 via densities .005, .004, .003, .002, .001 (p = density·effort).
    expect(popt([0.3, 0.01, 0.2, 0.04, 0.1], y, effort)).toBeCloseTo(0, 12);
    expect(popt(p, [0, 0, 0, 0, 0], effort)).toBeNull();
    expect(recallAtEffort(p, [0, 0, 0, 0, 0], effort)).toBeNull();
  });

  it('treats a zero-line change as costing one line', () => {
    // Effort [0, 0]: effective [1, 1]; density 0.9 vs 0.1 → the failure first; 20% of 2 = 0.4 < 1 → nothing fits.
    expect(recallAtEffort([0.9, 0.1], [1, 0], [0, 0], 0.5)).toBe(1);
    expect(recallAtEffort([0.9, 0.1], [1, 0], [0, 0], 0.2)).toBe(0);
    expect(() => popt([0.9], [1], [-1])).toThrow(RangeError);
  });
});

describe('thresholdMetrics', () => {
  it('flags p ≥ threshold and reports precision, recall, F1', () => {
    // t = 0.35 flags 0.4 (success), 0.35, 0.8 (failures): TP 2, FP 1, FN 0, TN 1.
    // P = 2/3, R = 1, F1 = 2·2/(2·2 + 1 + 0) = 0.8.
    const m = thresholdMetrics(P4, Y4, 0.35);
    expect(m).toMatchObject({ tp: 2, fp: 1, fn: 0, tn: 1, recall: 1 });
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(0.8, 12);
  });

  it('is null only where its own denominator is 0', () => {
    // Nothing flagged, 2 failures: precision undefined, recall 0, F1 = 0/(0+0+2) = 0.
    expect(thresholdMetrics(P4, Y4, 0.9)).toMatchObject({ precision: null, recall: 0, f1: 0 });
    // No failures and nothing flagged: all three undefined.
    expect(thresholdMetrics([0.1], [0], 0.5)).toMatchObject({ precision: null, recall: null, f1: null });
  });
});

describe('evaluate', () => {
  it('assembles a valid ModelMetrics; effort figures null without effort', () => {
    const m = evaluate(P4, Y4, { baseRate: 0.5, threshold: 0.35 });
    expect(ModelMetrics.parse(m)).toEqual(m);
    expect(m).toMatchObject({ n: 4, failures: 2, auc: 0.75, popt: null, recallAt20Effort: null, threshold: 0.35, recall: 1 });
    expect(m.brierSkill).toBeCloseTo(0.3675, 12);
    // 5% of 4 → k=1: the 0.8 failure → ½; 50% → k=2: 0.8 and 0.4 → ½.
    expect(m.gateCapture).toEqual({ '5': 0.5, '10': 0.5, '20': 0.5, '50': 0.5 });
    const withEffort = evaluate(P4, Y4, { baseRate: 0.5, threshold: 0.5, effort: [1, 1, 1, 1] });
    expect(withEffort.popt).not.toBeNull();
    expect(withEffort.recallAt20Effort).not.toBeNull();
  });
});
