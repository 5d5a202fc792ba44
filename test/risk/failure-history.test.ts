import { describe, expect, it } from 'vitest';
import { buildFeatures, type FeatureInput } from '../../src/risk/features/build.js';
import { RATE_PRIOR_WEIGHT } from '../../src/risk/features/context.js';
import { failureHistory, failureHistorySources, NO_AREA_FAILURE_DAYS, type PastChange } from '../../src/risk/features/failure-history.js';

const at = new Date('2026-03-20T12:00:00Z');
const daysBefore = (d: number) => new Date(at.getTime() - d * 86_400_000);
const file = (path: string) => ({ path, additions: 5, deletions: 1 });

/** An earlier change `d` days before, shipped a day later by a release with `outcome` (null: not known at the time asked). */
const past = (d: number, author: string | null, paths: string[], outcome: string | null): PastChange => ({
  author,
  createdAt: daysBefore(d + 1),
  releasedAt: daysBefore(d),
  files: paths.map(file),
  outcome,
});

const release = [{ author: 'ana', createdAt: daysBefore(0.5), files: [file('src/cart/totals.ts'), file('src/cart/tax.ts')] }];

describe('failure history features', () => {
  it('smooths the failure share of earlier changes to the same files towards the tenant rate', () => {
    const before = [
      past(2, 'bo', ['src/cart/totals.ts'], 'failure'),
      past(5, 'cy', ['src/cart/tax.ts'], 'rolled_back'),
      past(9, 'bo', ['src/cart/totals.ts', 'README.md'], 'success'),
      // Another file of the same subsystem: not the same files.
      past(3, 'bo', ['src/cart/other.ts'], 'failure'),
    ];
    const f = failureHistory(release, before, at, 0.2);
    // 2 failed of 3 known, with RATE_PRIOR_WEIGHT pseudo-changes at 20%.
    expect(f.file_failure_rate).toBeCloseTo((2 + RATE_PRIOR_WEIGHT * 0.2) / (3 + RATE_PRIOR_WEIGHT), 12);
    // Few changes stay near the prior; many failures move the rate towards 1.
    const many = Array.from({ length: 50 }, (_, i) => past(i + 1, 'bo', ['src/cart/totals.ts'], 'failure'));
    expect(failureHistory(release, many, at, 0.2).file_failure_rate).toBeGreaterThan(0.9);
    expect(failureHistory(release, many.slice(0, 1), at, 0.2).file_failure_rate).toBeCloseTo((1 + 1) / 6, 12);
  });

  it("counts the authors' earlier changes wherever they were", () => {
    const before = [
      past(2, 'ana', ['docs/a.md'], 'failure'),
      past(4, 'ana', ['src/search/q.ts'], 'success'),
      past(6, 'ana', ['src/search/q.ts'], 'success'),
      past(7, 'bo', ['src/cart/totals.ts'], 'failure'),
    ];
    const f = failureHistory(release, before, at, 0.1);
    expect(f.author_failure_rate).toBeCloseTo((1 + RATE_PRIOR_WEIGHT * 0.1) / (3 + RATE_PRIOR_WEIGHT), 12);
    expect(f.file_failure_rate).toBeCloseTo((1 + RATE_PRIOR_WEIGHT * 0.1) / (1 + RATE_PRIOR_WEIGHT), 12);
  });

  it('days since the newest known failure in the same subsystems, by when its release shipped', () => {
    const before = [
      past(1, 'bo', ['src/search/q.ts'], 'failure'), // another subsystem
      past(4, 'bo', ['src/cart/other.ts'], 'rolled_back'), // same subsystem (src/cart), another file
      past(10, 'bo', ['src/cart/totals.ts'], 'failure'),
      past(2, 'bo', ['src/cart/totals.ts'], 'success'),
    ];
    expect(failureHistory(release, before, at, 0.1).days_since_area_failure).toBeCloseTo(4, 12);
    // A change made long ago but shipped recently counts from its release.
    const late = { ...past(3, 'bo', ['src/cart/tax.ts'], 'failure'), createdAt: daysBefore(60) };
    const s = failureHistorySources(release, [...before, late]);
    expect(s.areaFailure).toBe(late);
    expect(failureHistory(release, [...before, late], at, 0.1).days_since_area_failure).toBeCloseTo(3, 12);
  });

  it('is absent, not 0 and not the prior, when nothing is known', () => {
    // No earlier change at all.
    expect(failureHistory(release, [], at, 0.2)).toEqual({});
    // Earlier changes whose outcome was not known at the time asked count for nothing; successes only say that the
    // area has not failed as far as the history goes: as long ago as the feature counts (never unknown, which would
    // read as a typical value and score a never-failed area as riskier than one that failed last year).
    const unknown = [past(2, 'ana', ['src/cart/totals.ts'], null), past(3, 'ana', ['src/cart/tax.ts'], 'success')];
    const f = failureHistory(release, unknown, at, 0.2);
    expect(f.file_failure_rate).toBeCloseTo((0 + RATE_PRIOR_WEIGHT * 0.2) / (1 + RATE_PRIOR_WEIGHT), 12);
    expect(f.days_since_area_failure).toBe(NO_AREA_FAILURE_DAYS);
    expect(failureHistory(release, unknown.slice(0, 1), at, 0.2)).toEqual({});
  });

  it('an outcome not yet known when the release shipped changes nothing (the caller cuts outcomes at the release time)', () => {
    const known = [past(2, 'bo', ['src/cart/totals.ts'], 'success'), past(8, 'bo', ['src/cart/tax.ts'], 'failure')];
    // The same history, with the newest release's failure recorded only after `at`: the store hands it in as null.
    const notYet = [past(1, 'ana', ['src/cart/totals.ts'], null), ...known];
    expect(failureHistory(release, notYet, at, 0.15)).toEqual(failureHistory(release, known, at, 0.15));
    // Once known, it counts.
    const later = [past(1, 'ana', ['src/cart/totals.ts'], 'failure'), ...known];
    const f = failureHistory(release, later, at, 0.15);
    expect(f.file_failure_rate).toBeGreaterThan(failureHistory(release, known, at, 0.15).file_failure_rate!);
    expect(f.days_since_area_failure).toBeCloseTo(1, 12);
  });
});

describe('buildFeatures with failure history', () => {
  const input: FeatureInput = {
    at,
    strategy: null,
    flags: [],
    changes: release.map((c) => ({ ...c, title: 'tweak totals', labels: [] })),
    changesBefore: [past(2, 'ana', ['src/cart/totals.ts'], 'failure')],
    outcomesBefore: [],
    tenantRate: 0.1,
    recentIncidents: 0,
    similar: [],
  };

  it('sets the three inputs from the earlier changes', () => {
    const { features } = buildFeatures(input);
    expect(features.file_failure_rate).toBeCloseTo(1.5 / 6, 12);
    expect(features.author_failure_rate).toBeCloseTo(1.5 / 6, 12);
    expect(features.days_since_area_failure).toBeCloseTo(2, 12);
  });

  it('imported metrics without changes never get them', () => {
    const { features } = buildFeatures({ ...input, changes: [], metrics: { la: 10, nuc: 3 } });
    expect(features.file_failure_rate).toBeUndefined();
    expect(features.author_failure_rate).toBeUndefined();
    expect(features.days_since_area_failure).toBeUndefined();
  });
});
