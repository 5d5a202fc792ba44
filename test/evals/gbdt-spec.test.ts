import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../src/contracts/evals.js';
import { rocAuc } from '../../src/evals/metrics/roc.js';
import { gbdtCandidate as gbdtMonotone, MODELS } from '../../src/evals/replay/models.js';
import { priorRiskModel } from '../../src/risk/model/index.js';

/** A seeded history where big changes fail more often, and nf only matters together with a flag (an interaction). */
function history(n: number, seed = 7): HistoryRecord[] {
  let s = seed;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, (_, i) => {
    const la = Math.floor(rand() ** 3 * 2000);
    const nf = 1 + Math.floor(rand() * 20);
    const fix = rand() < 0.3 ? 1 : 0;
    const logit = -3 + Math.log1p(la) * 0.5 + (fix && nf > 10 ? 2 : 0);
    return {
      id: `c${i}`,
      service: 'api',
      at: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000),
      outcome: rand() < 1 / (1 + Math.exp(-logit)) ? 'failure' : 'success',
      metrics: { la, ld: Math.floor(la / 3), nf, fix, entropy: 0.5, lt: 300, ns: 1, nd: 2 },
    };
  });
}

describe('the gbdt candidate in the eval harness', () => {
  it('is a model the harness can name, and ranks later releases well when fitted on earlier ones', () => {
    expect(MODELS.gbdt).toBe(gbdtMonotone);
    const all = history(3000);
    const train = all.slice(0, 2400);
    const test = all.slice(2400);
    const predict = gbdtMonotone.fit(train);
    const auc = rocAuc(
      test.map(predict),
      test.map((r) => (r.outcome === 'failure' ? 1 : 0)),
    );
    expect(auc).toBeGreaterThan(0.7);
    const base = MODELS['baseline-la']!.fit(train);
    const baseAuc = rocAuc(
      test.map(base),
      test.map((r) => (r.outcome === 'failure' ? 1 : 0)),
    );
    // The interaction (a fix touching many files) is what lines added alone cannot see.
    expect(auc!).toBeGreaterThan(baseAuc! - 0.01);
  });

  it('never calls a bigger change safer (monotone in lines added)', () => {
    const predict = gbdtMonotone.fit(history(2000));
    for (const r of history(200, 99)) {
      const bigger = { ...r, metrics: { ...r.metrics, la: 2 * (r.metrics.la ?? 0) + 1 } };
      expect(predict(bigger)).toBeGreaterThanOrEqual(predict(r) - 1e-12);
    }
  });

  it('answers as the prior when the history has one class only (an online replay’s first weeks)', () => {
    const clean = history(100).map((r) => ({ ...r, outcome: 'success' as const }));
    const predict = gbdtMonotone.fit(clean);
    expect(predict(clean[0]!)).toBe(priorRiskModel().probability(clean[0]!.metrics));
  });
});
