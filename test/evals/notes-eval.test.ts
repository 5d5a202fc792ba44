import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNotesDataset, readNotesDataset } from '../../src/evals/notes/read.js';
import { draftRecord, runNotesEval, testSize } from '../../src/evals/notes/run.js';
import { countRelease, figures, pool } from '../../src/evals/notes/score.js';
import { learnHouseStyle } from '../../src/notes/style.js';
import { runCli } from '../support/cli.js';

const SLICE = path.resolve('fixtures/notes/vue-core-slice.jsonl');

describe('notes eval on the Vue core slice', () => {
  const releases = readNotesDataset(SLICE);
  const result = runNotesEval(releases, { testFraction: 0.25, since: '2024-09-10' });

  it('splits by tag date: the newest quarter is the test part', () => {
    expect(result.testCount).toBe(2);
    expect(result.releases.filter((r) => r.part === 'test').map((r) => r.release.version)).toEqual(['3.5.7', '3.5.8']);
    expect(result.slices.map((s) => [s.name, s.systems.shipcheck.releases])).toEqual([
      ['all', 8],
      ['test (newest 2)', 2],
      ['since 2024-09-10', 5],
    ]);
  });

  it('every item of every system cites only changes of its range', () => {
    for (const s of result.slices) for (const p of Object.values(s.systems)) expect(p.micro.valid).toBe(1);
  });

  it('the drafter selects better than both baselines, and every commit has full recall', () => {
    const all = result.slices[0]!.systems;
    expect(all['every-commit'].micro.R).toBe(1);
    expect(all.shipcheck.micro.F1!).toBeGreaterThan(all['release-please'].micro.F1!);
    expect(all['release-please'].micro.F1!).toBeGreaterThan(all['every-commit'].micro.F1!);
  });

  it('pools counts: micro figures are the figures of summed counts, macro the mean of defined per-release figures', () => {
    const rows = result.releases.map((r) => r.counts.shipcheck);
    const pooled = pool(rows);
    expect(pooled.counts.tp).toBe(rows.reduce((a, r) => a + r.tp, 0));
    expect(pooled.micro.F1).toBeCloseTo((2 * pooled.counts.tp) / (pooled.counts.cited + pooled.counts.gold), 12);
    const f1s = rows.map((r) => figures(r).F1!);
    expect(pooled.macro.F1).toBeCloseTo(f1s.reduce((a, b) => a + b, 0) / f1s.length, 12);
  });

  it('a test release is drafted with the style of the releases before the test part only', () => {
    // The test half's notes say "Fixed" where the first half says "Bug Fixes"; they have more items,
    // so a style learned on all releases would say "Fixed" (checked first): the test drafts must not.
    const lines = fs.readFileSync(SLICE, 'utf8').trim().split('\n');
    const rewritten = lines.map((l, i) => (i >= 4 ? l.replaceAll('"section": "Bug Fixes"', '"section": "Fixed"') : l)).join('\n');
    const data = parseNotesDataset(rewritten);
    expect(learnHouseStyle(data).headings.fixes).toBe('Fixed');
    const run = runNotesEval(data, { testFraction: 0.5, since: null });
    const test = run.releases.filter((x) => x.part === 'test');
    expect(test.map((r) => r.release.version)).toEqual(['3.5.5', '3.5.6', '3.5.7', '3.5.8']);
    for (const r of test) expect(r.draft.headings.fixes).toBe('Bug Fixes');
  });

  it('scores an empty draft of a release with notes as zero recall, and an empty draft of an empty release as perfect', () => {
    const r = releases[0]!;
    expect(figures(countRelease(r, []))).toMatchObject({ R: 0, F1: 0, valid: null });
    const empty = { ...r, cited: new Map(), notesMarkdown: '' };
    expect(figures(countRelease(empty, []))).toMatchObject({ P: 1, R: 1, F1: 1, RLsum: 1 });
  });

  it('a slice without releases has no figures, not perfect ones', () => {
    const none = pool([]);
    expect(none.releases).toBe(0);
    expect(Object.values(none.micro).every((v) => v === null)).toBe(true);
    expect(Object.values(none.macro).every((v) => v === null)).toBe(true);
  });

  it('counts an id outside the range as an invalid item', () => {
    const r = releases[0]!;
    const c = countRelease(r, [
      { section: 'fixes', heading: 'Bug Fixes', text: 'x', changeIds: ['#999999'] },
      { section: 'fixes', heading: 'Bug Fixes', text: 'y', changeIds: [] },
    ]);
    expect(figures(c).valid).toBe(0);
    expect(c).toMatchObject({ invalidItems: 1, uncited: 1 });
  });

  it('draft records carry the house heading as the section and the omitted changes with reasons', () => {
    const rec = draftRecord(result.releases[0]!);
    expect(rec.version).toBe('3.5.1');
    expect(new Set(rec.items.map((i) => i.section))).toEqual(new Set(['Bug Fixes']));
    expect(rec.omitted.map((o) => o.reason).sort()).toEqual(['chore', 'dependencies', 'release']);
  });
});

describe('notes dataset errors', () => {
  it('names the line of a line that is not JSON', () => {
    expect(() => parseNotesDataset('{"version":"1","commits":[]}\n{oops\n', 'd.jsonl')).toThrow(/^d\.jsonl:2: not JSON/);
  });
  it('names the line and field of a record that is not a release', () => {
    expect(() => parseNotesDataset('\n{"version":"1","commits":[]}\n{"version":"2"}\n', 'd.jsonl')).toThrow(/^d\.jsonl:3: commits: /);
  });
  it('refuses an empty dataset and a missing file', () => {
    expect(() => parseNotesDataset('\n\n', 'd.jsonl')).toThrow(/no releases/);
    expect(() => readNotesDataset('/nonexistent/notes.jsonl')).toThrow(/no such file/);
  });
  it('test part: the fraction rounded, at least one, never all', () => {
    expect([testSize(1, 0.3), testSize(2, 0.3), testSize(41, 0.3), testSize(77, 0.3), testSize(10, 0.99)]).toEqual([0, 1, 12, 23, 9]);
  });
});

describe('shipcheck eval notes', () => {
  it('prints the figures and writes drafts.jsonl (one line per release), report.md and figures.json', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'notes-eval-'));
    const res = await runCli(['eval', 'notes', '--dataset', SLICE, '--out', out, '--test-fraction', '0.25']);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/shipcheck \(rules\)\s+micro/);
    expect(res.out).toContain('release-please filter');
    expect(res.out).toContain('every commit');
    const drafts = fs
      .readFileSync(path.join(out, 'drafts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(drafts.map((d) => d.version)).toEqual(['3.5.1', '3.5.2', '3.5.3', '3.5.4', '3.5.5', '3.5.6', '3.5.7', '3.5.8']);
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('## Per release');
    expect(JSON.parse(fs.readFileSync(path.join(out, 'figures.json'), 'utf8')).testReleases).toBe(2);
  });

  it('exits 2 with a clear message on a missing file, a bad line, a bad fraction', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notes-bad-'));
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, '{"version":"1","commits":[]}\nnot json\n');
    const missing = await runCli(['eval', 'notes', '--dataset', path.join(dir, 'none.jsonl')]);
    expect([missing.code, missing.err]).toEqual([2, expect.stringContaining('no such file')]);
    const broken = await runCli(['eval', 'notes', '--dataset', bad]);
    expect([broken.code, broken.err]).toEqual([2, expect.stringContaining('bad.jsonl:2: not JSON')]);
    const fraction = await runCli(['eval', 'notes', '--dataset', SLICE, '--test-fraction', '1.5']);
    expect([fraction.code, fraction.err]).toEqual([2, expect.stringContaining('--test-fraction')]);
  });
});
