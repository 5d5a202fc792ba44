import { describe, expect, it } from 'vitest';
import { draftNotes } from '../../src/notes/draft.js';
import { change } from './helpers.js';

const reasonOf = (draft: ReturnType<typeof draftNotes>, key: string) => draft.omitted.find((o) => o.changeId === key);

describe('reverts', () => {
  it('a change and its revert in one range are both omitted, each naming the other', () => {
    const original = change('fix(reactivity): self-referencing computed should refresh');
    const revert = change('fix: Revert "fix(reactivity): self-referencing computed should refresh"', {
      body: `This reverts commit ${original.shas[0]}.`,
    });
    const kept = change('fix(ssr): respect warnHandler');
    const d = draftNotes({ version: '1.0.0', changes: [original, kept, revert] });
    expect(d.items.map((i) => i.changeIds)).toEqual([[kept.key]]);
    expect(reasonOf(d, original.key)).toMatchObject({ reason: 'reverted', detail: expect.stringContaining(revert.key) });
    expect(reasonOf(d, revert.key)).toMatchObject({ reason: 'reverted', detail: expect.stringContaining(original.key) });
  });

  it('finds the reverted change by its quoted subject when the body names no hash', () => {
    const original = change('Add CommonJS backwards compatibility (#8911)', { pr: 8911 });
    const revert = change('Revert "Add CommonJS backwards compatibility" (#8932)', { pr: 8932 });
    const d = draftNotes({ version: '1.0.0', changes: [original, revert] });
    expect(d.items).toEqual([]);
    expect(d.omitted.map((o) => o.reason)).toEqual(['reverted', 'reverted']);
  });

  it('finds it by the words after a plain "Revert" and by a subject GitHub truncated with "…"', () => {
    const a = change('Add CommonJS backwards compatibility (#8911)', { pr: 8911 });
    const ra = change('Revert add CommonJS backwards compatibility (#8932)', { pr: 8932 });
    const b = change('fix(compiler-sfc): add error handling for defineModel() without variable assignment (#13352)', { pr: 13352 });
    const rb = change('Revert "fix(compiler-sfc): add error handling for defineModel() without varia…" (#13390)', { pr: 13390 });
    const d = draftNotes({ version: '1.0.0', changes: [a, b, ra, rb] });
    expect(d.items).toEqual([]);
    expect(d.omitted.every((o) => o.reason === 'reverted')).toBe(true);
  });

  it('a revert of a revert restores the change: the two reverts cancel and the change stays', () => {
    const x = change('fix: handle empty slots');
    const rx = change('Revert "fix: handle empty slots"', { body: `This reverts commit ${x.shas[0]}.` });
    const rrx = change('Revert "Revert "fix: handle empty slots""', { body: `This reverts commit ${rx.shas[0]}.` });
    const d = draftNotes({ version: '1.0.0', changes: [x, rx, rrx] });
    expect(d.items.map((i) => i.changeIds)).toEqual([[x.key]]);
    expect(d.omitted.map((o) => o.changeId).sort()).toEqual([rx.key, rrx.key].sort());
  });

  it('a revert of a change released earlier is an item under Reverts', () => {
    const d = draftNotes({ version: '1.0.0', changes: [change('Revert "fix(hmr): prevent runtime overwrite" (#13925)', { pr: 13925 })] });
    expect(d.items).toMatchObject([{ section: 'reverts', changeIds: ['#13925'] }]);
  });

  it('a revert of something users never saw (a CI tweak, a bump) is left out like it', () => {
    const d = draftNotes({
      version: '1.0.0',
      changes: [
        change('Revert "ci(pkg-pr-new): add vapor branch" (#12943)', { pr: 12943 }),
        change('Revert "chore(deps): update pnpm to v6"'),
      ],
    });
    expect(d.items).toEqual([]);
    expect(d.omitted.map((o) => o.reason)).toEqual(['ci', 'dependencies']);
  });
});

describe('duplicates', () => {
  it('a cherry-pick joins its original: one item citing both', () => {
    const original = change('fix(runtime-core): avoid leaking keys (#15051)', { pr: 15051 });
    const pick = change('fix(runtime-core): avoid leaking keys on the 3.4 branch', {
      body: `(cherry picked from commit ${original.shas[0]})`,
    });
    const d = draftNotes({ version: '1.0.0', changes: [original, pick] });
    expect(d.items).toHaveLength(1);
    expect(d.items[0]!.changeIds).toEqual([original.key, pick.key]);
    expect(d.omitted).toEqual([]);
  });

  it('a backport with the same subject under another PR joins too, and the line cites both PRs', () => {
    const a = change('Fix `quiet` option to suppress reports (#9387)', { pr: 9387 });
    const b = change('Fix `quiet` option to suppress reports (#9401)', { pr: 9401 });
    const d = draftNotes({ version: '1.0.0', changes: [a, b] });
    expect(d.items).toHaveLength(1);
    expect(d.items[0]!.changeIds).toEqual(['#9387', '#9401']);
    expect(d.items[0]!.text).toContain('#9387');
    expect(d.items[0]!.text).toContain('#9401');
  });

  it('omitted changes with the same subject are not merged: each keeps its own reason', () => {
    const d = draftNotes({ version: '1.0.0', changes: [change('chore(deps): update build'), change('chore(deps): update build')] });
    expect(d.omitted).toHaveLength(2);
    expect(d.omitted.every((o) => o.reason === 'dependencies')).toBe(true);
  });
});

describe('a revert that names its commit', () => {
  it('cancels that commit, not an older one with the same subject (a backport, a re-land)', async () => {
    const { draftNotes } = await import('../../src/notes/draft.js');
    const { change } = await import('./helpers.js');
    const older = change('fix: handle empty cart');
    const named = change('fix: handle empty cart');
    const revert = change('Revert "fix: handle empty cart"', { body: `This reverts commit ${named.shas[0]}.` });
    const d = draftNotes({ version: '1', changes: [older, named, revert] });
    expect(d.omitted.find((o) => o.changeId === named.key)).toMatchObject({ reason: 'reverted' });
    expect(d.omitted.find((o) => o.changeId === revert.key)).toMatchObject({ reason: 'reverted' });
    expect(d.items.flatMap((i) => i.changeIds)).toContain(older.key);
  });
});
