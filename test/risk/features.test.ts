import { describe, expect, it } from 'vitest';
import { buildFeatures, type FeatureInput } from '../../src/risk/features/build.js';
import { isOffHours, isPreWeekend, similarFailureShare, smoothedFailureRate } from '../../src/risk/features/context.js';
import { historyMetrics } from '../../src/risk/features/history-metrics.js';
import { riskyCategories } from '../../src/risk/features/risky-paths.js';

const day = (iso: string) => new Date(iso);

describe('risky paths', () => {
  it.each([
    ['db/migrations/0042_add_index.sql', ['migration']],
    ['terraform/rds.tf', ['infra']],
    ['helm/payments/values-prod.yaml', ['infra']],
    ['src/auth/session-store.ts', ['auth']],
    ['config/production.toml', ['config']],
    ['package-lock.json', ['deps']],
    ['services/api/go.sum', ['deps']],
  ])('%s is %j', (path, expected) => {
    expect(riskyCategories(path)).toEqual(expected);
  });

  it.each(['src/cart/totals.ts', 'README.md', 'test/author.test.ts', 'docs/configuring.md', 'src/lib/tokenizer.ts'])(
    '%s is not risky',
    (path) => {
      expect(riskyCategories(path)).toEqual([]);
    },
  );
});

describe('history metrics', () => {
  const before = [
    { author: 'ana', createdAt: day('2026-01-01T10:00:00Z'), files: [{ path: 'src/a.ts', additions: 100, deletions: 0 }] },
    {
      author: 'bo',
      createdAt: day('2026-01-11T10:00:00Z'),
      files: [
        { path: 'src/a.ts', additions: 10, deletions: 30 },
        { path: 'src/b.ts', additions: 5, deletions: 0 },
      ],
    },
    { author: 'ana', createdAt: day('2026-01-21T10:00:00Z'), files: [{ path: 'docs/x.md', additions: 3, deletions: 0 }] },
  ];

  it('follows the definitions, by hand', () => {
    const release = [{ author: 'ana', createdAt: day('2026-01-31T10:00:00Z'), files: [{ path: 'src/a.ts', additions: 1, deletions: 1 }] }];
    const m = historyMetrics(release, before, day('2026-01-31T10:00:00Z'));
    expect(m.lt).toBe(80); // 100 + 10 − 30
    expect(m.ndev).toBe(2); // ana, bo
    expect(m.nuc).toBe(2);
    expect(m.age).toBeCloseTo(20, 6); // last change to src/a.ts on the 11th
    expect(m.exp).toBe(2); // ana's two earlier changes
    expect(m.sexp).toBe(1); // only one touched the src/ subsystem... (src/a.ts → "src")
    expect(m.rexp).toBeCloseTo(1 / (1 + 30 / 365.25) + 1 / (1 + 10 / 365.25), 6);
  });

  it('edits that only replaced lines say nothing of the file size: lt is unknown, not 0', () => {
    const bump = [{ author: 'cy', createdAt: day('2026-01-01T00:00:00Z'), files: [{ path: 'package.json', additions: 3, deletions: 3 }] }];
    const release = [
      { author: 'cy', createdAt: day('2026-02-01T00:00:00Z'), files: [{ path: 'package.json', additions: 3, deletions: 3 }] },
    ];
    const m = historyMetrics(release, bump, day('2026-02-01T00:00:00Z'));
    expect(m.lt).toBeUndefined();
    expect(m.nuc).toBe(1);
    expect(m.age).toBeCloseTo(31, 6);
  });

  it('a new file by a new author has no history: its earlier size and age are unknown, not 0', () => {
    const release = [{ author: 'cy', createdAt: day('2026-02-01T00:00:00Z'), files: [{ path: 'src/new.ts', additions: 9, deletions: 0 }] }];
    // An absent lt keeps "lines added per line already there" from exploding on a new file (it is unknown too).
    expect(historyMetrics(release, before, day('2026-02-01T00:00:00Z'))).toEqual({
      ndev: 0,
      nuc: 0,
      exp: 0,
      rexp: 0,
      sexp: 0,
    });
  });
});

describe('release context', () => {
  it('off hours and pre-weekend are UTC', () => {
    expect(isOffHours(day('2026-03-04T07:59:00Z'))).toBe(true);
    expect(isOffHours(day('2026-03-04T08:00:00Z'))).toBe(false);
    expect(isOffHours(day('2026-03-04T19:00:00Z'))).toBe(true);
    expect(isPreWeekend(day('2026-03-06T11:59:00Z'))).toBe(false); // Friday morning
    expect(isPreWeekend(day('2026-03-06T12:00:00Z'))).toBe(true);
    expect(isPreWeekend(day('2026-03-08T10:00:00Z'))).toBe(true); // Sunday
    expect(isPreWeekend(day('2026-03-09T10:00:00Z'))).toBe(false); // Monday
  });

  it('smooths the recent failure rate towards the prior', () => {
    expect(smoothedFailureRate([], 0.2)).toBeCloseTo(0.2, 10);
    expect(smoothedFailureRate(['failure', 'success'], 0.2)).toBeCloseTo((1 + 1) / 7, 10);
    // Only the last 20 count.
    const old = Array(30).fill('failure');
    expect(smoothedFailureRate([...old, ...Array(20).fill('success')], 0)).toBe(0);
  });

  it('similar failure share is similarity-weighted and unknown without neighbours', () => {
    expect(similarFailureShare([])).toBeUndefined();
    expect(
      similarFailureShare([
        { releaseId: 'a', similarity: 0.9, failed: true },
        { releaseId: 'b', similarity: 0.3, failed: false },
      ]),
    ).toBeCloseTo(0.75, 10);
  });
});

describe('buildFeatures', () => {
  const input: FeatureInput = {
    at: day('2026-03-06T16:00:00Z'),
    strategy: 'canary',
    flags: ['new-checkout'],
    changes: [
      {
        author: 'ana',
        createdAt: day('2026-03-05T10:00:00Z'),
        title: 'fix: totals rounding',
        labels: [],
        files: [
          { path: 'src/cart/totals.ts', additions: 40, deletions: 2 },
          { path: 'db/migrations/0042.sql', additions: 12, deletions: 0 },
        ],
      },
    ],
    changesBefore: [],
    outcomesBefore: ['success', 'failure'],
    tenantRate: 0.1,
    recentIncidents: 1,
    similar: [{ releaseId: 'r1', similarity: 0.5, failed: true }],
  };

  it('combines change metrics and context', () => {
    const { features, riskyPaths } = buildFeatures(input);
    expect(features).toMatchObject({
      la: 52,
      ld: 2,
      nf: 2,
      fix: 1,
      risky_migration: 1,
      risky_infra: 0,
      strategy_canary: 1,
      flags_touched: 1,
      pre_weekend: 1,
      off_hours: 0,
      recent_incidents: 1,
      similar_failure_share: 1,
    });
    expect(features.recent_failure_rate).toBeCloseTo((1 + 0.5) / 7, 10);
    expect(riskyPaths.get('migration')).toEqual(['db/migrations/0042.sql']);
  });

  it('precomputed metrics win; no changes means no change metrics', () => {
    const { features } = buildFeatures({ ...input, changes: [], metrics: { la: 7, lt: 300, bogus: 1 } });
    expect(features.la).toBe(7);
    expect(features.lt).toBe(300);
    expect(features.nf).toBeUndefined();
    expect(features.risky_migration).toBeUndefined();
    expect('bogus' in features).toBe(false);
  });
});
