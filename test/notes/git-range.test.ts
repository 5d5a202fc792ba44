import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNotesRange } from '../../src/cli/git-notes.js';
import { CliError } from '../../src/cli/output.js';
import type { NoteChange } from '../../src/notes/types.js';
import { emptyRepo, rangeShas, releaseRepo, removeRepo } from './git-fixture.js';

let fx: ReturnType<typeof releaseRepo>;
let changes: NoteChange[];
let warnings: string[];
const cleanup: string[] = [];

beforeAll(async () => {
  fx = releaseRepo();
  cleanup.push(fx.repo);
  ({ changes, warnings } = await readNotesRange(fx.repo, 'v1.0.0', 'v1.1.0'));
});
afterAll(() => cleanup.forEach(removeRepo));

const bySha = (sha: string) => changes.find((c) => c.shas.includes(sha));

describe('readNotesRange: a release range', () => {
  it('puts every commit of the range in exactly one change', () => {
    const all = changes.flatMap((c) => c.shas);
    expect(all.toSorted()).toEqual(rangeShas(fx.git, 'v1.0.0..v1.1.0').toSorted());
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(changes.map((c) => c.key)).size).toBe(changes.length);
  });

  it('lists changes oldest first', () => {
    const keys = changes.map((c) => c.key);
    expect(keys.indexOf('#10')).toBeLessThan(keys.indexOf(fx.shas.plain));
    expect(keys.indexOf(fx.shas.plain)).toBeLessThan(keys.indexOf('#12'));
    expect(keys.at(-1)).toBe(fx.shas.invalid);
  });

  it('keys a squash-merged PR by its number and keeps the body in full', () => {
    const c = bySha(fx.shas.squash)!;
    expect(c).toMatchObject({ key: '#10', pr: 10, subject: 'feat(api): add farewell (#10)', body: 'Closes #9', isMerge: false });
    expect(c.author).toBe('Ada Lovelace');
    expect(c.files).toEqual([{ path: 'src/farewell.ts', additions: 3, deletions: 0 }]);
  });

  it('groups a merged PR with the commits it brought in, titled by the merge body', () => {
    const c = bySha(fx.shas.prMerge)!;
    expect(c.key).toBe('#12');
    expect(c.shas.toSorted()).toEqual([fx.shas.prMerge, fx.shas.branchFix, fx.shas.branchDocs].toSorted());
    expect(c.subject).toBe('Handle null values in the parser');
    expect(c.isMerge).toBe(false);
    expect(c.files.map((f) => f.path).toSorted()).toEqual(['docs/null.md', 'migrations/002_add_col.sql', 'src/parse.ts']);
    expect(c.patch).toContain('new file mode');
    // The commit made on main while the branch was open is not part of the PR.
    expect(bySha(fx.shas.perf)!.key).toBe(fx.shas.perf);
  });

  it('flags a merge that brought nothing of its own and keeps the cherry-pick and its original apart', () => {
    expect(bySha(fx.shas.plainMerge)).toMatchObject({ key: fx.shas.plainMerge, isMerge: true, shas: [fx.shas.plainMerge] });
    expect(bySha(fx.shas.cherry)!.body).toContain(`(cherry picked from commit ${fx.shas.original})`);
    expect(bySha(fx.shas.original)!.key).toBe(fx.shas.original);
  });

  it('keeps a revert and what it reverts as two changes, the revert citing the sha', () => {
    expect(bySha(fx.shas.reverted)!.key).toBe(fx.shas.reverted);
    expect(bySha(fx.shas.revert)!.body).toBe(`This reverts commit ${fx.shas.reverted}.`);
  });

  it('keeps only evidence lines of the patch: export lines of source, all lines of configuration', () => {
    const c = bySha(fx.shas.breaking)!;
    expect(c.patch).toContain('-export function greet(name: string) {');
    expect(c.patch).toContain('+export function hello(name: string) {');
    expect(c.patch).toContain('-PORT=8080');
    expect(c.patch).not.toContain('return "hi');
  });

  it("reads the same whatever the user's diff settings (no prefixes, signatures shown)", async () => {
    fx.git('config', 'diff.noprefix', 'true');
    fx.git('config', 'log.showSignature', 'true');
    try {
      const again = await readNotesRange(fx.repo, 'v1.0.0', 'v1.1.0');
      expect(again.changes).toEqual(changes);
    } finally {
      fx.git('config', '--unset', 'diff.noprefix');
      fx.git('config', '--unset', 'log.showSignature');
    }
  });

  it('converts a message with an encoding header and replaces invalid bytes of one without, with a warning', () => {
    expect(bySha(fx.shas.latin1)!.subject).toBe('café ok');
    expect(bySha(fx.shas.invalid)!.subject).toBe('fix: caf\uFFFD menu');
    expect(warnings).toEqual([expect.stringContaining(`commit ${fx.shas.invalid.slice(0, 12)}: its message is not valid UTF-8`)]);
  });
});

describe('readNotesRange: refs and odd ranges', () => {
  it('names a missing ref and the tags that exist, suggesting the one meant', async () => {
    const err = await readNotesRange(fx.repo, '1.0.0', 'v1.1.0').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).message).toContain('--from 1.0.0: no such tag, branch or commit');
    expect((err as CliError).message).toContain('did you mean v1.0.0?');
    expect((err as CliError).message).toMatch(/recent tags: v1\.0\.0, v1\.1\.0|recent tags: v1\.0\.0/);
    const missingTo = await readNotesRange(fx.repo, 'v1.0.0', 'v9.9.9').catch((e: unknown) => e);
    expect((missingTo as CliError).message).toContain('--to v9.9.9: no such tag');
  });

  it('never lets a ref become a git option', async () => {
    await expect(readNotesRange(fx.repo, '--output=/tmp/x', 'v1.1.0')).rejects.toThrow('--from: not a ref');
  });

  it('answers an empty range with no changes and a warning, and spots swapped refs', async () => {
    expect(await readNotesRange(fx.repo, 'v1.1.0', 'v1.1.0')).toEqual({ changes: [], warnings: ['v1.1.0..v1.1.0 holds no commits'] });
    const swapped = await readNotesRange(fx.repo, 'v1.1.0', 'v1.0.0');
    expect(swapped.changes).toEqual([]);
    expect(swapped.warnings.join('\n')).toMatch(/v1\.1\.0 is \d+ commits ahead of v1\.0\.0: are --from and --to swapped\?/);
  });

  it('accounts for every merge of a range of merges only, and warns', async () => {
    const { repo, git, write } = emptyRepo();
    cleanup.push(repo);
    write('a.txt', '1\n');
    git('add', '-A');
    git('commit', '-qm', 'base');
    git('checkout', '-qb', 'side');
    write('b.txt', '2\n');
    git('add', '-A');
    git('commit', '-qm', 'feat: side work');
    git('tag', 'side-done');
    git('checkout', '-q', 'main');
    git('merge', '-q', '--no-ff', 'side', '-m', 'Merge pull request #20 from ada/side');
    git('commit', '-q', '--allow-empty', '-m', 'second merge marker');
    const r = await readNotesRange(repo, 'side-done', 'main~1');
    expect(r.changes).toEqual([expect.objectContaining({ key: '#20', isMerge: true, shas: [git('rev-parse', 'main~1').trim()] })]);
    expect(r.warnings).toEqual([expect.stringContaining('side-done..main~1 holds only merge commits (1)')]);
  });

  it('stops with a clear error in a shallow clone that lacks the start of the range', async () => {
    const shallow = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-shallow-'));
    cleanup.push(shallow);
    execFileSync('git', ['clone', '-q', '--depth', '2', '--no-tags', `file://${fx.repo}`, shallow], { stdio: 'ignore' });
    const missing = await readNotesRange(shallow, 'v1.0.0', 'HEAD').catch((e: unknown) => e);
    expect((missing as CliError).message).toContain('--from v1.0.0: no such tag');
    expect((missing as CliError).message).toContain('this clone is shallow');
    // The tag fetched alone: it exists, but the history between is cut off.
    execFileSync('git', ['-C', shallow, 'fetch', '-q', '--depth', '1', 'origin', 'tag', 'v1.0.0'], { stdio: 'ignore' });
    await expect(readNotesRange(shallow, 'v1.0.0', 'HEAD')).rejects.toThrow(/not an ancestor of HEAD in this shallow clone/);
  });

  it('says so when the directory is not a repository', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-norepo-'));
    cleanup.push(dir);
    await expect(readNotesRange(dir, 'a', 'b')).rejects.toThrow(`not a git repository: ${dir}`);
  });
});
