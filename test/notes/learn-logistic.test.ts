import { describe, expect, it } from 'vitest';
import { featureNames, hashFeatures, type SparseRow } from '../../src/notes/learn/features.js';
import { AuthorHistory } from '../../src/notes/learn/history.js';
import { fitLogistic, predictRow } from '../../src/notes/learn/logistic.js';
import { bestThreshold } from '../../src/notes/learn/score.js';
import { change, standInClassify } from './learn-support.js';

const row = (pairs: [number, number][]): SparseRow => ({ idx: pairs.map((p) => p[0]), val: pairs.map((p) => p[1]) });

/** Bucket 1 marks positives, bucket 2 negatives; bucket 3 is noise present in both. */
const toy = () => {
  const rows: SparseRow[] = [];
  const labels: boolean[] = [];
  for (let i = 0; i < 20; i++) {
    const pos = i % 2 === 0;
    rows.push(
      row(
        pos
          ? [[1, 1], ...(i % 4 === 0 ? ([[3, 1]] as [number, number][]) : [])]
          : [[2, 1], ...(i % 3 === 0 ? ([[3, 1]] as [number, number][]) : [])],
      ),
    );
    labels.push(pos);
  }
  return { rows, labels };
};

describe('sparse L2 logistic regression', () => {
  it('learns a separable problem', () => {
    const { rows, labels } = toy();
    const fit = fitLogistic(rows, labels, { l2: 0.001 });
    rows.forEach((r, i) => {
      const p = predictRow(r, fit.weights, fit.bias);
      if (labels[i]) expect(p).toBeGreaterThan(0.9);
      else expect(p).toBeLessThan(0.1);
    });
    expect(fit.weights.get(1)!).toBeGreaterThan(0);
    expect(fit.weights.get(2)!).toBeLessThan(0);
    expect(predictRow(row([[99, 1]]), fit.weights, fit.bias)).toBeCloseTo(predictRow(row([]), fit.weights, fit.bias));
  });

  it('gives the same weights on every run', () => {
    const { rows, labels } = toy();
    const a = fitLogistic(rows, labels);
    const b = fitLogistic(rows, labels);
    expect([...b.weights]).toEqual([...a.weights]);
    expect(b.bias).toBe(a.bias);
  });

  it('shrinks the weights as L2 grows', () => {
    const { rows, labels } = toy();
    const norm = (l2: number) => [...fitLogistic(rows, labels, { l2 }).weights.values()].reduce((s, w) => s + w * w, 0);
    expect(norm(1)).toBeLessThan(norm(0.1));
    expect(norm(0.1)).toBeLessThan(norm(0.001));
  });

  it('refuses rows and labels that do not pair up', () => {
    expect(() => fitLogistic([row([[1, 1]])], [])).toThrow(/1 rows but 0 labels/);
  });
});

describe('features', () => {
  it('name the type, first words, the rules’ opinion and the author record; hashing is stable and sorted', () => {
    const c = standInClassify(change('fix(compiler): handle `v-if` on slots (#12)', 'ann', 12));
    const named = featureNames(c, new AuthorHistory());
    for (const n of [
      'type:fix',
      'scope:compiler',
      'w1:handle',
      'w12:handle codespan',
      'u:slots',
      'has_pr',
      'rule_omit:kept',
      'rule_section:fixes',
    ]) {
      expect(named.has(n), n).toBe(true);
    }
    const a = hashFeatures(named);
    expect(hashFeatures(featureNames(c, new AuthorHistory()))).toEqual(a);
    expect(a.idx).toEqual([...a.idx].sort((x, y) => x - y));
    expect(new Set(a.idx).size).toBe(a.idx.length);
  });
});

describe('bestThreshold', () => {
  it('keeps the scores that maximise F1 and sits between kept and dropped', () => {
    const scored = [
      { p: 0.9, cited: true },
      { p: 0.8, cited: true },
      { p: 0.4, cited: false },
      { p: 0.3, cited: true },
      { p: 0.1, cited: false },
    ];
    // Top 2: F1 = 4/(2+3) = 0.8; top 4: 6/(4+3) = 0.857: the best.
    const best = bestThreshold(scored, 3);
    expect(best.f1).toBeCloseTo(6 / 7);
    expect(best.threshold).toBeCloseTo(0.2);
  });
});
