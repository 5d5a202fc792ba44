import { describe, expect, it } from 'vitest';
import { NOTES_SECTIONS, NotesDraft } from '../../src/contracts/notes.js';
import { resolveChangeId } from '../../src/notes/dataset.js';
import { draftNotes } from '../../src/notes/draft.js';
import { renderMarkdown } from '../../src/notes/render.js';
import { learnHouseStyle } from '../../src/notes/style.js';
import type { Selector } from '../../src/notes/types.js';
import { change, vueSlice } from './helpers.js';

describe('draftNotes on real releases (Vue core slice)', () => {
  const releases = vueSlice();
  const style = learnHouseStyle(releases.slice(0, 4));

  it.each(releases.map((r) => [r.version, r] as const))(
    '%s: every change is cited or omitted, once, and every citation is in the range',
    (_v, r) => {
      const d = draftNotes({ version: r.version, changes: r.changes, style });
      expect(NotesDraft.safeParse(d).success).toBe(true);
      const cited = d.items.flatMap((i) => i.changeIds);
      const omitted = d.omitted.map((o) => o.changeId);
      expect(new Set([...cited, ...omitted]).size).toBe(r.changes.length);
      expect(cited.length + omitted.length).toBe(r.changes.length); // nothing cited twice or both cited and omitted
      expect(d.counts).toEqual({ changes: r.changes.length, items: d.items.length, omitted: d.omitted.length });
      for (const id of cited) expect(resolveChangeId(r.changes, id)).toBeDefined();
    },
  );

  it('orders items by section, then as the range lists them', () => {
    for (const r of releases) {
      const d = draftNotes({ version: r.version, changes: r.changes, style });
      const ranks = d.items.map((i) => NOTES_SECTIONS.indexOf(i.section));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      const order = d.items.filter((i) => i.section === 'fixes').map((i) => r.changes.findIndex((c) => c.key === i.changeIds[0]));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('writes lines in the learned style: bold scope, PR and commit links, closed issues', () => {
    const r = releases.find((x) => x.version === '3.5.1')!;
    const d = draftNotes({ version: r.version, changes: r.changes, style });
    const line = d.items.find((i) => i.changeIds.includes('#11794'))!.text;
    expect(line).toBe(
      '**reactivity:** handle non-array arguments in reactive `concat` method ([#11794](https://github.com/vuejs/core/issues/11794)) ' +
        '([475977a](https://github.com/vuejs/core/commit/475977a6f76b77392610e0a3ec2b0e076d1e1d59)), closes [#11792](https://github.com/vuejs/core/issues/11792)',
    );
    expect(d.headings).toEqual({ fixes: 'Bug Fixes' });
  });
});

describe('draftNotes', () => {
  it('"Fix x" becomes "Fixed: x." only when the house style says so', () => {
    const c = change('Fix `foo` false positives (#12)', { pr: 12 });
    const plain = draftNotes({ version: '1', changes: [c] });
    expect(plain.items[0]!.text).toBe('Fix `foo` false positives (#12)');
    const styled = draftNotes({
      version: '1',
      changes: [c],
      style: {
        headings: { fixes: 'Fixed' },
        linePrefix: { fixes: 'Fixed: ' },
        boldScope: false,
        cite: { pr: true, commit: false, author: false, closes: false },
        repoUrl: null,
        handles: {},
        lineEnd: '.',
      },
    });
    expect(styled.items[0]!.text).toBe('Fixed: `foo` false positives (#12).');
    expect(styled.headings).toEqual({ fixes: 'Fixed' });
  });

  it('a section the house notes lack keeps its own section, under the default heading, and its own verb', () => {
    const d = draftNotes({
      version: '1',
      changes: [change('perf: faster walk'), change('Improve CLI help')],
      style: {
        headings: { fixes: 'Fixed', features: 'Added', changes: 'Changed' },
        linePrefix: { fixes: 'Fixed: ', changes: 'Changed: ' },
        boldScope: false,
        cite: { pr: true, commit: false, author: false, closes: false },
        repoUrl: null,
        handles: {},
      },
    });
    expect(d.items.map((i) => [i.section, i.text.split(' (')[0]])).toEqual([
      ['performance', 'faster walk'],
      ['changes', 'Changed: improve CLI help'],
    ]);
    expect(d.headings).toEqual({ performance: 'Performance Improvements', changes: 'Changed' });
  });

  it('classifies the deprecating verb, not the word: "Add a deprecation notice" is a feature', () => {
    const d = draftNotes({
      version: '1',
      changes: [change('feat: deprecate `legacy` option'), change('Add deprecation notice to the `json` formatter')],
    });
    expect(d.items.map((i) => [i.section, i.text])).toEqual([
      ['features', `Add deprecation notice to the \`json\` formatter (${d.items[0]!.changeIds[0]!.slice(0, 7)})`],
      ['deprecations', `deprecate \`legacy\` option (${d.items[1]!.changeIds[0]!.slice(0, 7)})`],
    ]);
  });

  it('carries the evidence ids of stored changes', () => {
    const d = draftNotes({ version: '1', changes: [change('feat: a', { evidenceId: 'change:1' }), change('fix: b')] });
    expect(d.items.map((i) => i.evidence)).toEqual([['change:1'], []]);
  });

  it('takes any selector: a learned one that leaves a change out lists it as not_selected with its probability', () => {
    const selector: Selector = {
      kind: 'learned',
      detail: 'test model',
      decide: (c) => ({ include: c.section === 'features', p: c.section === 'features' ? 0.9 : 0.2 }),
    };
    const d = draftNotes({ version: '1', changes: [change('feat: a'), change('fix: b'), change('chore: c')], selector });
    expect(d.items.map((i) => i.section)).toEqual(['features']);
    expect(d.omitted.map((o) => [o.reason, o.detail])).toEqual([
      ['not_selected', 'p=0.200'],
      ['not_selected', 'p=0.200'],
    ]);
    expect(d.selection).toEqual({ kind: 'learned', detail: 'test model' });
  });

  it('a merge or a revert pair stays out whatever the selector says', () => {
    const everything: Selector = { kind: 'learned', detail: 'all', decide: () => ({ include: true, p: 1 }) };
    const d = draftNotes({ version: '1', changes: [change('Merge pull request #1 from a/b', { isMerge: true })], selector: everything });
    expect(d.items).toEqual([]);
    expect(d.omitted).toMatchObject([{ reason: 'merge' }]);
    expect(d.warnings).toContain('the range holds merge commits only: nothing to list');
  });

  it('has no operational section unless operational input is given', () => {
    expect(draftNotes({ version: '1', changes: [] }).operational).toBeNull();
    const d = draftNotes({
      version: '1',
      changes: [],
      operational: {
        flags: [{ name: 'new-checkout', source: 'flags.yaml' }],
        rollback: { text: 'Redeploy 1.0.0.', evidence: ['chunk:1'] },
        risk: null,
      },
    });
    expect(d.operational).toMatchObject({ flags: [{ name: 'new-checkout' }], rollback: { text: 'Redeploy 1.0.0.' } });
  });
});

describe('renderMarkdown', () => {
  it('writes a heading per section in order, the items, then operational notes', () => {
    const d = draftNotes({
      version: '1',
      changes: [change('fix: b (#2)', { pr: 2 }), change('feat: a (#1)', { pr: 1 })],
      operational: { flags: [{ name: 'beta', source: 'config' }], rollback: null, risk: null },
    });
    expect(renderMarkdown(d, { summary: 'One fix, one feature.' })).toBe(
      [
        'One fix, one feature.',
        '',
        '### Features',
        '',
        '- a (#1)',
        '',
        '### Bug Fixes',
        '',
        '- b (#2)',
        '',
        '### Operational notes',
        '',
        '**Feature flags**',
        '',
        '- `beta` (config)',
        '',
      ].join('\n'),
    );
  });

  it('renders an empty draft as an empty string', () => {
    expect(renderMarkdown(draftNotes({ version: '1', changes: [] }))).toBe('');
  });
});

describe('a learned selector and the sections readers must see', () => {
  it('may leave out a fix, never a breaking change, a security fix, a deprecation or a removal the rules keep', async () => {
    const { draftNotes } = await import('../../src/notes/draft.js');
    const { change } = await import('./helpers.js');
    const none = { kind: 'learned' as const, detail: 'says no to everything', decide: () => ({ include: false, p: 0.01 }) };
    const changes = [
      change('feat!: drop Node 16'),
      change('fix(security): escape the redirect URL (XSS)'),
      change('feat: deprecate `legacyMode`'),
      change('Remove the `--old` flag'),
      change('fix: keep the cart'),
    ];
    const d = draftNotes({ version: '1', changes, selector: none });
    expect(d.items.map((i) => i.section).sort()).toEqual(['breaking', 'deprecations', 'removals', 'security']);
    expect(d.omitted).toEqual([expect.objectContaining({ changeId: changes[4]!.key, reason: 'not_selected' })]);
  });
});

describe('notes with no item', () => {
  it('say why in their Markdown instead of printing nothing', async () => {
    const { draftNotes } = await import('../../src/notes/draft.js');
    const { renderMarkdown } = await import('../../src/notes/render.js');
    const { change } = await import('./helpers.js');
    const d = draftNotes({
      version: '1',
      changes: [change('docs: explain the gate'), change('test: cover it'), change('docs: fix a typo')],
    });
    expect(d.items).toEqual([]);
    expect(renderMarkdown(d)).toBe('No changes for readers: all 3 left out (2 docs, 1 tests).\n');
  });
});
