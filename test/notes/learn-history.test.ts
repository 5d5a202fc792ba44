import { describe, expect, it } from 'vitest';
import type { LabelledRelease } from '../../src/notes/dataset.js';
import { featureNames } from '../../src/notes/learn/features.js';
import { AuthorHistory } from '../../src/notes/learn/history.js';
import { examplesInOrder, trainSelection } from '../../src/notes/learn/model.js';
import { change, release, standInClassify } from './learn-support.js';

/** Four releases: "ann" writes fixes that are always cited, "bot" writes chores never cited. */
function releases(): LabelledRelease[] {
  return [1, 2, 3, 4].map((n) => {
    const cs = [change(`fix: thing ${n}`, 'ann'), change(`chore: tidy ${n}`, 'bot'), change(`refactor: code ${n}`, 'ann')];
    return release(`1.${n}.0`, `2024-0${n}-01`, cs, [cs[0]!.key]);
  });
}

/** The same releases with every change of release 3 cited: its own labels must not reach its features. */
function withRelease3AllCited(rs: LabelledRelease[]): LabelledRelease[] {
  return rs.map((r) =>
    r.version === '1.3.0'
      ? release(
          r.version,
          r.date,
          r.changes,
          r.changes.map((c) => c.key),
        )
      : r,
  );
}

describe('author history', () => {
  it('smooths each author toward the project rate', () => {
    const h = new AuthorHistory();
    h.observe([
      ...Array.from({ length: 10 }, () => ({ author: 'ann', cited: true })),
      ...Array.from({ length: 10 }, () => ({ author: 'bot', cited: false })),
    ]);
    const ann = h.rateOf('Ann');
    const bot = h.rateOf('bot');
    const newcomer = h.rateOf('someone');
    expect(ann.rate).toBeGreaterThan(newcomer.rate);
    expect(bot.rate).toBeLessThan(newcomer.rate);
    expect(newcomer.rate).toBeCloseTo(newcomer.prior);
    expect(ann.rate).toBeLessThan(1); // 10 changes are evidence, not certainty
  });

  it('uses only earlier releases: a release’s own labels never change its features', () => {
    const rs = releases();
    const plain = examplesInOrder(rs, standInClassify, new AuthorHistory());
    const leaked = examplesInOrder(withRelease3AllCited(rs), standInClassify, new AuthorHistory());
    expect(leaked[2]!.rows).toEqual(plain[2]!.rows);
    expect(leaked[0]!.rows).toEqual(plain[0]!.rows);
    // The check is not vacuous: the next release does see release 3's labels.
    expect(leaked[3]!.rows).not.toEqual(plain[3]!.rows);
  });

  it('starts from nothing for the oldest release whatever order the releases come in', () => {
    const rs = releases();
    const first = examplesInOrder([...rs].reverse(), standInClassify, new AuthorHistory())[0]!;
    expect(first.release.version).toBe('1.1.0');
    const fresh = featureNames(standInClassify(rs[0]!.changes[0]!), new AuthorHistory());
    expect(fresh.get('author_seen:0')).toBe(1);
  });

  it('the model keeps the history of its training releases, not of any later one', () => {
    const rs = releases();
    const model = trainSelection(rs.slice(0, 3), standInClassify, { threshold: 0.5 });
    expect(model.history.toJSON().total.n).toBe(9);
    expect(model.history.rateOf('bot').n).toBe(3);
  });
});
