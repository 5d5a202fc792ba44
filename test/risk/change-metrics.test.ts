import { describe, expect, it } from 'vitest';
import { deriveMetrics, normalisedEntropy } from '../../src/risk/features/change-metrics.js';

describe("change metrics derived from a release's own files", () => {
  it('computes Kamei entropy on a hand-worked example', () => {
    // Lines modified 4, 2, 1, 1 of 8: H = 0.5·1 + 0.25·2 + 2·0.125·3 = 1.75 bits; / log2(4) = 0.875.
    expect(normalisedEntropy([4, 2, 1, 1])).toBeCloseTo(0.875, 12);
    expect(normalisedEntropy([5, 5])).toBeCloseTo(1, 12);
    expect(normalisedEntropy([9])).toBe(0);
    expect(normalisedEntropy([3, 0])).toBe(0);
    expect(normalisedEntropy([0, 0])).toBe(0);
  });

  it('derives sizes, spread and fix from files, titles and labels', () => {
    expect(
      deriveMetrics([
        {
          title: 'feat(cart): totals',
          labels: ['feature'],
          files: [
            { path: 'src/cart/a.ts', additions: 3, deletions: 1 },
            { path: 'src/cart/b.ts', additions: 2, deletions: 0 },
          ],
        },
        {
          title: 'chore: tidy',
          labels: ['hotfix'],
          files: [
            { path: 'src/cart/a.ts', additions: 0, deletions: 0 },
            { path: 'src/pay/x.ts', additions: 0, deletions: 1 },
            { path: 'README.md', additions: 1, deletions: 0 },
          ],
        },
      ]),
    ).toEqual({ ns: 3, nd: 3, nf: 4, entropy: 0.875, la: 6, ld: 2, fix: 1 });
    const noFix = deriveMetrics([
      {
        title: 'Add prefix support; debug logging',
        labels: ['feature'],
        files: [{ path: 'migrations/001.sql', additions: 5, deletions: 0 }],
      },
    ]);
    expect(noFix).toEqual({ ns: 1, nd: 1, nf: 1, entropy: 0, la: 5, ld: 0, fix: 0 });
    expect(deriveMetrics([{ title: 'Fixes #12: crash', files: [] }]).fix).toBe(1);
  });
});
