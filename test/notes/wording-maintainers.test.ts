import { describe, expect, it } from 'vitest';
import type { NotesItem } from '../../src/contracts/notes.js';
import { verifyWording } from '../../src/notes/wording.js';
import { vueSlice } from './helpers.js';

/** A maintainer's line as a model is asked to write it: words only, links, ids and issue references removed. */
const wordsOnly = (text: string) =>
  text
    .split(/,?\s*\bcloses\b/i)[0]!
    .replace(/\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\(\s*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * What people wrote is what a faithful model would write: offered as the model's line for an item made of the
 * cited commits' subjects, each maintainers' line of the Vue core slice (MIT) must be kept, and the same line with
 * a planted version or a foreign pull request must be refused.
 */
describe('the verifier on maintainers’ own lines', () => {
  const cases = vueSlice().flatMap((r) =>
    r.items
      .filter((i) => i.keys.length > 0 && i.section !== null)
      .map((i) => {
        const cited = r.changes.filter((c) => i.keys.includes(c.key));
        const item: NotesItem = {
          section: i.section!,
          text: cited.map((c) => c.subject).join('; '),
          changeIds: i.keys,
          evidence: [],
          origin: 'rules',
        };
        return { release: r, item, line: wordsOnly(i.text) };
      }),
  );

  it('keeps every one of them', () => {
    expect(cases.length).toBeGreaterThan(20);
    const refused = cases.filter(({ release, item, line }) => {
      const r = verifyWording([item], { items: [{ section: item.section, text: line, changeIds: item.changeIds }] }, release.changes);
      return r.items[0]!.origin !== 'llm';
    });
    expect(refused.map((c) => c.line)).toEqual([]);
  });

  it('refuses each of them with a planted version or a pull request of another release', () => {
    for (const { release, item, line } of cases) {
      const planted = [
        { section: item.section, text: `${line} (since 9.9.1)`, changeIds: item.changeIds },
        { section: item.section, text: line, changeIds: [...item.changeIds, '#999999'] },
      ];
      for (const p of planted) expect(verifyWording([item], { items: [p] }, release.changes).items[0]!.origin).toBe('rules');
    }
  });
});
