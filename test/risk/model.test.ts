import { describe, expect, it } from 'vitest';
import { priorRiskModel, type TrainingRow, trainRiskModel } from '../../src/risk/model/index.js';

/** A seeded stream in [0, 1): the same rows every run. */
function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('the risk model', () => {
  it('lists only known inputs, and an unknown one moves nothing', () => {
    const prior = priorRiskModel();
    const known = prior.predict({ la: 200, risky_migration: 1, recent_failure_rate: 0.3 });
    expect(known.contributions.map((c) => c.name)).toContain('la');
    for (const c of known.contributions) expect(Number.isFinite(c.value)).toBe(true);
    // Without la: not listed, and scored as a typical release's size (the prior's mean is log1p(80)).
    const unknown = prior.predict({ risky_migration: 1, recent_failure_rate: 0.3 });
    expect(unknown.contributions.map((c) => c.name)).not.toContain('la');
    expect(unknown.probability).toBeCloseTo(prior.predict({ la: 80, risky_migration: 1, recent_failure_rate: 0.3 }).probability, 12);
  });

  it('keeps a non-negative weight on an input that can only raise the risk, even when the history says otherwise', () => {
    const rand = seeded(11);
    // Migrations happen to come with successes here; size drives failure.
    const rows: TrainingRow[] = Array.from({ length: 200 }, (_, i) => {
      const la = Math.round(10 + rand() * 990);
      const y = rand() < la / 1200 ? 1 : 0;
      const migration = y === 0 && rand() < 0.5 ? 1 : 0;
      return { at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000), y, features: { la, risky_migration: migration } };
    });
    const model = trainRiskModel(rows);
    const withMigration = model.predict({ la: 500, risky_migration: 1 });
    const without = model.predict({ la: 500, risky_migration: 0 });
    expect(withMigration.probability).toBeGreaterThanOrEqual(without.probability);
    const c = withMigration.contributions.find((x) => x.name === 'risky_migration');
    expect(c === undefined || c.contribution >= 0).toBe(true);
  });
});
