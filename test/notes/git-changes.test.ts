import { describe, expect, it } from 'vitest';
import type { LogCommit } from '../../src/cli/git-log-stream.js';
import { changesOfLog, splitMessage } from '../../src/cli/notes-changes.js';
import { breakingFooter } from '../../src/notes/conventional.js';

/** A commit as the log parser gives it; `sha` is padded to 40 hex digits. */
function commit(id: string, parents: string[], message: string, files: LogCommit['files'] = []): LogCommit {
  return {
    sha: id.padEnd(40, '0'),
    parents: parents.map((p) => p.padEnd(40, '0')),
    author: `author of ${id}`,
    date: `2024-01-01T00:00:0${id.length % 10}Z`,
    message,
    invalidUtf8: false,
    files,
    patch: '',
    patchTruncated: false,
  };
}
const sha = (id: string) => id.padEnd(40, '0');
/** Commits listed newest first, as git log lists them. */
const keysOf = (commits: LogCommit[]) =>
  changesOfLog(commits).map((c) => [c.key.replace(/0+$/, ''), c.shas.map((s) => s.replace(/0+$/, ''))]);

describe('splitMessage', () => {
  it('joins the first paragraph into the subject, as git log %s does, and keeps the body whole', () => {
    expect(splitMessage('fix: a long\nsubject\n\nbody 1\n\nbody 2\n')).toEqual({
      subject: 'fix: a long subject',
      body: 'body 1\n\nbody 2',
    });
    expect(splitMessage('')).toEqual({ subject: '', body: '' });
  });
});

describe('changesOfLog', () => {
  it('gives a commit of a nested PR branch to the innermost pull request that merged it', () => {
    // main: a1 ─ M1(#1) ; branch of #1: b1 ─ M2(#2, merging c1) ─ b2
    const log = [
      commit('e1', ['a1', 'b2'], 'Merge pull request #1 from x/outer\n\nOuter work\n'),
      commit('b2', ['d2'], 'fix: outer second'),
      commit('d2', ['b1', 'c1'], 'Merge pull request #2 from x/inner\n\nInner work\n'),
      commit('c1', ['b1'], 'fix: inner'),
      commit('b1', ['a1'], 'fix: outer first'),
      commit('a1', ['f0'], 'chore: on main'),
    ];
    expect(keysOf(log)).toEqual([
      ['a1', ['a1']],
      ['#2', ['d2', 'c1']],
      ['#1', ['e1', 'b2', 'b1']],
    ]);
    const outer = changesOfLog(log).find((c) => c.key === '#1')!;
    expect(outer).toMatchObject({
      subject: 'Outer work',
      body: '* fix: outer first\n* fix: outer second',
      isMerge: false,
      author: 'author of b1',
    });
  });

  it("keeps main's commits out of a PR whose branch merged main in", () => {
    // main: a1 ─ a2 ─ M(#4) ; feature: f1 (from a1) ─ fm (merges a2) ─ f2
    const log = [
      commit('m4', ['a2', 'f2'], 'Merge pull request #4 from x/feature\n\nFeature\n'),
      commit('f2', ['fm'], 'feat: second'),
      commit('fm', ['f1', 'a2'], "Merge branch 'main' into feature"),
      commit('a2', ['a1'], 'fix: on main'),
      commit('f1', ['a1'], 'feat: first'),
      commit('a1', ['z0'], 'chore: base'),
    ];
    expect(keysOf(log)).toEqual([
      ['a1', ['a1']],
      ['a2', ['a2']],
      ['#4', ['m4', 'f2', 'fm', 'f1']],
    ]);
  });

  it('keeps a branch commit with its own PR number apart, and makes a merge that brought nothing its own merge change', () => {
    const log = [
      commit('m1', ['a1', 'b1'], 'Merge pull request #7 from x/release\n\nRelease branch\n'),
      commit('b1', ['a1'], 'fix: squashed elsewhere (#5)'),
      commit('a1', ['f0'], 'feat: on main'),
    ];
    const changes = changesOfLog(log);
    expect(keysOf(log)).toEqual([
      ['a1', ['a1']],
      ['#5', ['b1']],
      ['#7', ['m1']],
    ]);
    expect(changes.find((c) => c.key === '#7')).toMatchObject({ isMerge: true, subject: 'Release branch' });
  });

  it('joins commits that name the same PR (a backport in the range) and adds up their files', () => {
    const log = [
      commit('b2', ['b1'], 'fix: guard (#9)', [{ path: 'a.ts', additions: 1, deletions: 0 }]),
      commit('b1', ['a1'], 'fix: guard (#9)', [
        { path: 'a.ts', additions: 2, deletions: 1 },
        { path: 'b.ts', additions: 1, deletions: 1 },
      ]),
    ];
    const [change] = changesOfLog(log);
    expect(change).toMatchObject({ key: '#9', shas: [sha('b2'), sha('b1')], subject: 'fix: guard (#9)' });
    expect(change!.files).toEqual([
      { path: 'a.ts', additions: 3, deletions: 1 },
      { path: 'b.ts', additions: 1, deletions: 1 },
    ]);
  });

  it("reads GitLab's merge request number, and keeps a branch revert's message out of the PR body", () => {
    const log = [
      commit('m1', ['a1', 'b2'], "Merge branch 'feature' into 'main'\n\nAdd export\n\nSee merge request group/app!42\n"),
      commit('b2', ['b1'], 'Revert "wip"\n\nThis reverts commit b1.\n'),
      commit('b1', ['a1'], 'wip\n\nBREAKING CHANGE: drops node 16\n'),
    ];
    const [change] = changesOfLog(log);
    expect(change).toMatchObject({ key: '#42', pr: 42, subject: 'Add export', isMerge: false });
    expect(breakingFooter(change!.body)).toBe('drops node 16');
    expect(change!.body).not.toContain('This reverts commit');
  });

  it('keeps the breaking footer of a single-commit PR titled by its merge', () => {
    const log = [
      commit('m1', ['a1', 'b1'], 'Merge pull request #6 from x/y\n\nDrop the old API\n'),
      commit('b1', ['a1'], 'refactor: drop api\n\nBREAKING CHANGE: `oldApi` is gone'),
    ];
    const [change] = changesOfLog(log);
    expect(change).toMatchObject({ key: '#6', subject: 'Drop the old API' });
    expect(breakingFooter(change!.body)).toBe('`oldApi` is gone');
  });

  it("takes a single-commit PR's own subject and body when the merge says nothing more", () => {
    const log = [commit('m1', ['a1', 'b1'], 'Merge pull request #3 from x/y'), commit('b1', ['a1'], 'feat: one thing\n\nWhy it matters.')];
    expect(changesOfLog(log)[0]).toMatchObject({ key: '#3', subject: 'feat: one thing', body: 'Why it matters.', isMerge: false });
  });
});
