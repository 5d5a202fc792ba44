import { describe, expect, it } from 'vitest';
import type { LabelledRelease } from '../../src/notes/dataset.js';
import { chooseSelector, compareWithRules, keptBy, selectorOf } from '../../src/notes/learn/compare.js';
import { candidates, trainSelection } from '../../src/notes/learn/model.js';
import { bestThreshold, selectionFigures } from '../../src/notes/learn/score.js';
import type { Selector } from '../../src/notes/types.js';
import { change, release, standInClassify, vueSlice } from './learn-support.js';
import { rulesSelector } from '../../src/notes/select.js';

const AUTHORS = ['ann', 'bo', 'cy', 'di'];

/**
 * Eight older releases whose notes cite fixes and features only, then four
 * newer ones whose notes cite every change: the threshold that is best on
 * the newer ones (keep everything) is not the one the older ones teach.
 */
function shiftingReleases(): { older: LabelledRelease[]; newer: LabelledRelease[] } {
  const make = (n: number, citeAll: boolean) => {
    const a = AUTHORS[n % 4]!;
    const cs = [
      change(`fix: crash in parser case ${n}`, a),
      change(`feat: option number ${n}`, AUTHORS[(n + 1) % 4]!),
      change(`chore: tidy scripts ${n}`, a),
      change(`docs: typo in guide ${n}`, AUTHORS[(n + 2) % 4]!),
      change(`test: cover case ${n}`, a),
    ];
    const cited = citeAll ? cs : cs.slice(0, 2);
    return release(
      `1.${n}.0`,
      `2024-${String(n).padStart(2, '0')}-01`,
      cs,
      cited.map((c) => c.key),
    );
  };
  return { older: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => make(n, false)), newer: [9, 10, 11, 12].map((n) => make(n, true)) };
}

describe('the threshold is tuned inside the training releases, never on the test part', () => {
  it('compareWithRules trains the same model as training on the older releases alone', () => {
    const { older, newer } = shiftingReleases();
    const cmp = compareWithRules([...newer, ...older], standInClassify, rulesSelector(), { testFraction: 4 / 12 });
    expect(cmp.split.test).toMatchObject({ releases: 4, from: '1.9.0', to: '1.12.0' });
    const alone = chooseSelector(older, standInClassify, rulesSelector());
    expect(cmp.model.threshold).toBe(alone.model.threshold);
    expect(cmp.model.toJSON().weights).toEqual(alone.model.toJSON().weights);

    // On the test part a lower threshold would have scored better: it was not used.
    const scored = newer.flatMap((r) =>
      candidates(r).map((c) => ({ p: cmp.model.probability(standInClassify(c)), cited: r.cited.has(c.key) })),
    );
    const onTest = bestThreshold(
      scored,
      newer.reduce((s, r) => s + r.cited.size, 0),
    );
    expect(onTest.threshold).toBeLessThan(cmp.model.threshold);
    expect(onTest.f1).toBeGreaterThan(cmp.test.learned.f1);
    expect(cmp.test.learned.recall).toBeCloseTo(0.4); // fixes and features only, as the older notes taught
  });
});

/** A deliberately bad rule: keeps what the rules omit and drops what they keep. */
const backwards: Selector = {
  kind: 'rules',
  detail: 'backwards rules',
  decide: (c) => ({ include: c.omit !== undefined && !c.change.isMerge, p: c.omit ? 1 : 0 }),
};

describe('learned selection on the Vue core slice', () => {
  it('beats a bad rule on the newest releases, and is the one chosen', () => {
    const cmp = compareWithRules(vueSlice(), standInClassify, backwards, { testFraction: 0.3 });
    expect(cmp.split).toMatchObject({
      train: { releases: 7, from: '3.5.1', to: '3.5.7' },
      test: { releases: 3, from: '3.5.8', to: '3.5.10' },
    });
    expect(cmp.test.learned.f1).toBeGreaterThan(cmp.test.rules.f1 + 0.3);
    expect(cmp.test.learned.f1).toBeGreaterThan(0.7);
    expect(cmp.chosen).toBe('learned');
    expect(cmp.selector.kind).toBe('learned');
    expect(cmp.selector.detail).toMatch(/learned on 7 releases .*held out: F1 0\.\d{3} vs rules 0\.\d{3}/);
    // The selector scores what the figures say it scores.
    const again = selectionFigures(vueSlice().slice(7), keptBy(cmp.model.selector(), standInClassify));
    expect(again.f1).toBeCloseTo(cmp.test.learned.f1);
  });

  it('keeps the rules when the model does not beat them on validation', () => {
    const releases = vueSlice();
    // An oracle that keeps exactly what maintainers cited cannot be beaten on validation.
    const cited = new Set(releases.flatMap((r) => [...r.cited.keys()]));
    const oracle: Selector = {
      kind: 'rules',
      detail: 'oracle',
      decide: (c) => ({ include: cited.has(c.change.key), p: cited.has(c.change.key) ? 1 : 0 }),
    };
    const choice = chooseSelector(releases, standInClassify, oracle);
    expect(choice.validation.rules.f1).toBe(1);
    expect(choice.chosen).toBe('rules');
    expect(choice.selector).toBe(oracle);
    expect(selectorOf(choice.model, oracle)).toBe(oracle);
  });

  it('never keeps a merge', () => {
    const model = trainSelection(vueSlice(), standInClassify);
    const c = { ...vueSlice()[0]!.changes[0]!, isMerge: true };
    expect(model.selector().decide(standInClassify(c)).include).toBe(false);
  });
});
