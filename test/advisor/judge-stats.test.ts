import { describe, expect, it } from 'vitest';
import { ar1VarianceFactor, lag1RankAutocorrelation, twoSampleVarianceFactor } from '../../src/advisor/judge/stats/autocorrelation.js';
import { binomialCdf, chisquareUpperTail, normalUpperTail } from '../../src/advisor/judge/stats/distributions.js';
import { differenceOrderStatistic, hodgesLehmann, shiftInterval } from '../../src/advisor/judge/stats/hodges-lehmann.js';
import { mannWhitney } from '../../src/advisor/judge/stats/mann-whitney.js';
import { holm } from '../../src/advisor/judge/stats/multiplicity.js';
import { quantile } from '../../src/advisor/judge/stats/quantile.js';
import { rateRatioAnytimeP, rateRatioEstimate, rateRatioFixedP } from '../../src/advisor/judge/stats/rate-test.js';
import { anytimeCritical, anytimeP } from '../../src/advisor/judge/stats/sequential.js';

const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
// Hollander & Wolfe's two-sample data (Table 4.1 style): 9 and 9 observations, no ties.
const X = sorted([1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3]);
const Y = sorted([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]);

describe('Mann-Whitney U', () => {
  it('counts the pairs where the canary is higher, and its normal approximation matches scipy', () => {
    const t = mannWhitney(X, Y);
    expect(t.u).toBe(23);
    expect(t.mean).toBe(40.5);
    // scipy.stats.mannwhitneyu(Y, X, alternative='less', use_continuity=True, method='asymptotic').pvalue
    expect(1 - normalUpperTail(t.z)).toBeCloseTo(0.06645972909265946, 12);
  });

  it('counts ties as one half and corrects the variance for them', () => {
    const a = [1, 2, 2, 3, 3, 3, 4];
    const b = [2, 3, 4, 4, 5, 5];
    const t = mannWhitney(a, b);
    // By hand: 2 → 1 + ½·2; 3 → 3 + ½·3; each 4 → 6 + ½; each 5 → 7.
    expect(t.u).toBe(33.5);
    // Ties among 13 values: 2 (×3), 3 (×4), 4 (×3), 5 (×2): Σ(t³ − t) = 24 + 60 + 24 + 6.
    expect(t.variance).toBeCloseTo(((7 * 6) / 12) * (14 - 114 / (13 * 12)), 12);
    // scipy, alternative='greater': 0.03913121473857309
    expect(normalUpperTail(t.z)).toBeCloseTo(0.03913121473857309, 12);
  });

  it('tests at a shift: moving the canary back by the true shift removes the evidence', () => {
    const base = sorted(Array.from({ length: 30 }, (_, i) => i));
    const canary = base.map((v) => v + 100);
    expect(mannWhitney(base, canary).z).toBeGreaterThan(6);
    expect(Math.abs(mannWhitney(base, canary, 100).z)).toBeLessThan(0.1);
  });
});

describe('Hodges–Lehmann shift and interval', () => {
  it('is the median of all pairwise differences (by hand on 3 × 3)', () => {
    // differences 4−1, 4−2, 4−3, 6−1, … = 3,2,1,5,4,3,7,6,5 → sorted 1,2,3,3,4,5,5,6,7
    expect(hodgesLehmann([1, 2, 3], [4, 6, 8])).toBe(4);
    expect(differenceOrderStatistic([1, 2, 3], [4, 6, 8], 1)).toBe(1);
    expect(differenceOrderStatistic([1, 2, 3], [4, 6, 8], 4)).toBe(3);
    expect(differenceOrderStatistic([1, 2, 3], [4, 6, 8], 9)).toBe(7);
  });

  it('matches a brute-force listing on the textbook data', () => {
    const all = sorted(Y.flatMap((y) => X.map((x) => y - x)));
    expect(hodgesLehmann(X, Y)).toBeCloseTo(-0.56, 12);
    for (const k of [1, 7, 23, 41, 60, 81]) expect(differenceOrderStatistic(X, Y, k)).toBeCloseTo(all[k - 1]!, 12);
    // z = 1.96: C = ⌊40.5 − 1.96·√(81·19/12)⌋ = ⌊18.03⌋ = 18 → [D(18), D(64)].
    const ci = shiftInterval(X, Y, 1.96)!;
    expect(ci[0]).toBeCloseTo(all[17]!, 12);
    expect(ci[1]).toBeCloseTo(all[63]!, 12);
  });

  it('has no interval when there are too few samples for the level', () => {
    expect(shiftInterval([1, 2], [3, 4], 3)).toBeNull();
  });
});

describe('Holm', () => {
  it('adjusts step-down and keeps the order (textbook example)', () => {
    // sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → max so far 0.06
    expect(holm([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02]);
    // 0.5·2 = 1, then 0.9 cannot be below the step before it.
    expect(holm([0.5, 0.9])).toEqual([1, 1]);
    expect(holm([])).toEqual([]);
  });
});

describe('rate test', () => {
  const counts = { canaryEvents: 30, canaryExposure: 45, baselineEvents: 20, baselineExposure: 55 };

  it('the one-look exact test is the binomial tail of the canary share (scipy binomtest)', () => {
    // p0 = 45/(45+55) = 0.45 at ratio 1: P(X ≥ 30), X ~ Bin(50, 0.45)
    expect(rateRatioFixedP(counts, 1, 'up')).toBeCloseTo(0.023535823477890877, 10);
  });

  it('the anytime p-value is never below the one-look one, and shrinks with more evidence', () => {
    const pAny = rateRatioAnytimeP(counts, 1, 'up');
    expect(pAny).toBeGreaterThan(rateRatioFixedP(counts, 1, 'up'));
    const more = { canaryEvents: 300, canaryExposure: 450, baselineEvents: 200, baselineExposure: 550 };
    expect(rateRatioAnytimeP(more, 1, 'up')).toBeLessThan(1e-6);
    // At a margin above the observed ratio there is no evidence of exceeding it.
    expect(rateRatioAnytimeP(more, 2, 'up')).toBe(1);
  });

  it('estimates the ratio on the log scale with half an event added', () => {
    const e = rateRatioEstimate({ canaryEvents: 0, canaryExposure: 100, baselineEvents: 0, baselineExposure: 100 });
    expect(e.ratio).toBe(1);
    expect(e.logSe).toBeCloseTo(2, 12);
  });
});

describe('the other distribution functions', () => {
  it("are stdlib's (checked against scipy)", () => {
    expect(binomialCdf(12, 50, 0.3)).toBeCloseTo(0.22286578488718078, 10);
    expect(chisquareUpperTail(3.84, 1)).toBeCloseTo(0.05004352124870519, 10);
  });
});

describe('sequential boundary', () => {
  it('the critical value is where the anytime p-value equals α', () => {
    for (const n of [5, 25, 400]) {
      for (const a of [0.05, 0.01, 0.0005]) expect(anytimeP(anytimeCritical(n, a), n)).toBeCloseTo(a, 10);
    }
  });

  it('costs more than a one-look test, and grows slowly with information', () => {
    expect(anytimeCritical(25, 0.05)).toBeGreaterThan(1.96);
    expect(anytimeCritical(10_000, 0.05)).toBeGreaterThan(anytimeCritical(100, 0.05));
    expect(anytimeCritical(10_000, 0.05)).toBeLessThan(5);
  });
});

describe('autocorrelation', () => {
  it('an AR(1) factor is 1 without correlation and tends to (1+r)/(1−r)', () => {
    expect(ar1VarianceFactor(50, 0)).toBe(1);
    expect(ar1VarianceFactor(50, -0.5)).toBe(1);
    expect(ar1VarianceFactor(1e6, 0.5)).toBeCloseTo(3, 4);
    // By hand, n = 3, r = 0.5: 1 + 2·((2/3)·0.5 + (1/3)·0.25) = 1.8333…
    expect(ar1VarianceFactor(3, 0.5)).toBeCloseTo(1 + 2 * ((2 / 3) * 0.5 + (1 / 3) * 0.25), 12);
    expect(twoSampleVarianceFactor(40, 40, 0.5)).toBeCloseTo(ar1VarianceFactor(40, 0.5), 12);
  });

  it('ranks a trend as persistent and an alternation as not', () => {
    expect(lag1RankAutocorrelation(Array.from({ length: 50 }, (_, i) => i))).toBeGreaterThan(0.9);
    expect(lag1RankAutocorrelation(Array.from({ length: 50 }, (_, i) => i % 2))).toBeLessThan(-0.9);
  });
});

describe('quantile', () => {
  it('is the ⌈q·n⌉-th smallest value', () => {
    const v = [9, 1, 8, 2, 7, 3, 6, 4, 5, 10];
    expect(quantile(v, 0, 0.95)).toBe(10);
    expect(quantile(v, 0, 0.5)).toBe(5);
    expect(quantile(v, 0, 0.05)).toBe(1);
    expect(quantile(v, 5, 0.5)).toBe(5); // 3, 6, 4, 5, 10 → the 3rd smallest
  });
});
