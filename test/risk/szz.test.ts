import { describe, expect, it } from 'vitest';
import {
  type BlamedLine,
  groupReleases,
  type HistoryCommit,
  isFixingMessage,
  isMeaningfulLine,
  labelAsOf,
  labelChanges,
  linesToBlame,
  parseZeroContextDiff,
  pullRequestOf,
  releaseOutcome,
  toRanges,
} from '../../src/risk/history/index.js';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);
const file = (lines: number) => [{ path: 'src/a.ts', additions: lines, deletions: 0 }];

function commit(sha: string, at: number, message: string, parents: string[], files = file(3)): HistoryCommit {
  return { sha, parents, author: 'ada', authoredAt: day(at), committedAt: day(at), message, files, pr: pullRequestOf(message) };
}

/** A → B (the bug) → C → D (fixes B's line). */
const history = [
  commit('a', 0, 'add calculator', []),
  commit('b', 10, 'add discount', ['a']),
  commit('c', 20, 'add tax', ['b']),
  commit('d', 30, 'Fix discount rounding', ['c']),
];
const line = (sha: string, text: string): BlamedLine => ({ sha, text });

describe('fixing commits', () => {
  it('are named by fix words or issue references, not by a squash merge’s PR number', () => {
    for (const m of [
      'Fix crash',
      'fixes the parser',
      'FIXED typo',
      'bug: wrong total',
      'Regression in 1.2',
      'Closes #12',
      'PAY-431 rounding',
    ]) {
      expect(isFixingMessage(m), m).toBe(true);
    }
    for (const m of [
      'Add prefix option',
      'Add retries (#12)',
      'Merge pull request #7 from x/y',
      'debugging output',
      'suffix handling',
      'Read UTF-16 and SHA-256 input, ISO-8601 dates',
      'Escape &#123; entities',
    ]) {
      expect(isFixingMessage(m), m).toBe(false);
    }
    expect(pullRequestOf('Add retries (#12)')).toBe(12);
    expect(pullRequestOf('Merge pull request #7 from x/y')).toBe(7);
    expect(pullRequestOf('Add retries')).toBeNull();
  });
});

describe('labelChanges', () => {
  it('labels the change whose line the fix changed, not the ones before or after it', () => {
    const labels = labelChanges(history, new Map([['d', [line('b', 'return price * 0.5;')]]]));
    const byId = Object.fromEntries(labels.map((l) => [l.sha, l]));
    expect(byId.b).toMatchObject({ bugInducing: true, fixedBy: ['d'], labelKnownAt: day(30) });
    expect(byId.a!.bugInducing).toBe(false);
    expect(byId.c!.bugInducing).toBe(false);
    expect(byId.d!.bugInducing).toBe(false);
  });

  it('ignores blank, comment-only and punctuation-only lines', () => {
    const blames = new Map([['d', [line('a', '   '), line('b', '// the discount'), line('c', '  });'), line('c', ' * docs')]]]);
    expect(labelChanges(history, blames).filter((l) => l.bugInducing)).toEqual([]);
  });

  it('never labels with a fix that precedes the change, nor with the fix itself', () => {
    const blames = new Map([['b', [line('d', 'x = 1;'), line('b', 'y = 2;')]]]);
    const fixFirst = [history[0]!, commit('b', 10, 'fix things', ['a']), history[2]!, commit('d', 30, 'add later', ['c'])];
    expect(labelChanges(fixFirst, blames).filter((l) => l.bugInducing)).toEqual([]);
  });

  it('skips a fix over the size cap and never blames a change over it', () => {
    const big = Array.from({ length: 101 }, (_, i) => ({ path: `f${i}.ts`, additions: 1, deletions: 1 }));
    const massFix = [...history.slice(0, 3), commit('d', 30, 'fix formatting everywhere', ['c'], big)];
    expect(labelChanges(massFix, new Map([['d', [line('b', 'return 1;')]]])).some((l) => l.bugInducing)).toBe(false);
    const vendored = [
      history[0]!,
      commit('b', 10, 'vendor lib', ['a'], [{ path: 'v.js', additions: 2001, deletions: 0 }]),
      ...history.slice(2),
    ];
    expect(labelChanges(vendored, new Map([['d', [line('b', 'return 1;')]]])).some((l) => l.bugInducing)).toBe(false);
    expect(
      labelChanges(history, new Map([['d', [line('b', 'return 1;')]]]), { maxFiles: 100, maxLines: 2 }).some((l) => l.bugInducing),
    ).toBe(false);
  });

  it('lists every fix of a change, oldest first, and knows the label from the first', () => {
    const h = [...history, commit('e', 40, 'fix discount again', ['d'])];
    const labels = labelChanges(
      h,
      new Map([
        ['e', [line('b', 'a();')]],
        ['d', [line('b', 'b();')]],
      ]),
    );
    expect(labels.find((l) => l.sha === 'b')).toMatchObject({ fixedBy: ['d', 'e'], labelKnownAt: day(30) });
  });
});

describe('labelAsOf', () => {
  const b = { at: day(10), labelKnownAt: day(30) };
  it('is bug only once the fix exists; before it, unknown while young and clean once mature', () => {
    expect(labelAsOf(b, day(20))).toBe('unknown');
    expect(labelAsOf(b, day(30))).toBe('bug');
    expect(labelAsOf(b, day(200))).toBe('bug');
    const late = { at: day(10), labelKnownAt: day(150) };
    expect(labelAsOf(late, day(120))).toBe('clean');
    expect(labelAsOf(late, day(120), 200)).toBe('unknown');
    expect(labelAsOf({ at: day(10), labelKnownAt: null }, day(99))).toBe('unknown');
    expect(labelAsOf({ at: day(10), labelKnownAt: null }, day(100))).toBe('clean');
    expect(labelAsOf(b, day(5))).toBe('unknown');
  });
});

describe('diff lines to blame', () => {
  const diff = [
    'diff --git a/src/a.ts b/src/a.ts',
    '--- a/src/a.ts',
    '+++ b/src/a.ts',
    '@@ -3 +3 @@',
    '-  return price * 0.5;',
    '+  return Math.round(price * 0.5);',
    '@@ -7,3 +7,3 @@',
    '-// old comment',
    '-  if (x) {',
    '-}',
    '+// new comment',
    '+    if (x) {',
    '+}',
    '@@ -20,0 +21,2 @@',
    '+added();',
    'diff --git a/new.ts b/new.ts',
    '--- /dev/null',
    '+++ b/new.ts',
    '@@ -0,0 +1 @@',
    '+x',
    'diff --git "a/caf\\303\\251.ts" "b/caf\\303\\251.ts"',
    '--- "a/caf\\303\\251.ts"',
    '+++ "b/caf\\303\\251.ts"',
    '@@ -1,2 +1 @@',
    '-one();',
    '-two();',
    '+three();',
  ].join('\n');

  it('keeps deleted or changed lines that carry code, in the parent’s numbering', () => {
    const files = parseZeroContextDiff(diff);
    expect(files.map((f) => f.path)).toEqual(['src/a.ts', 'café.ts']);
    expect(linesToBlame(files[0]!)).toEqual([3]);
    expect(linesToBlame(files[1]!)).toEqual([1, 2]);
    expect(toRanges([5, 1, 2, 3, 9, 10])).toEqual([
      [1, 3],
      [5, 5],
      [9, 10],
    ]);
    expect(isMeaningfulLine('-- sql comment')).toBe(false);
    expect(isMeaningfulLine('# shell comment')).toBe(false);
    expect(isMeaningfulLine('total -= 1;')).toBe(true);
  });
});

describe('releases', () => {
  const labels = new Map(labelChanges(history, new Map([['d', [line('b', 'return 1;')]]])).map((l) => [l.sha, l]));

  it('are one per commit without tags; a failure is known when its change is first fixed', () => {
    const { releases } = groupReleases(history, []);
    expect(releases.map((r) => r.changes)).toEqual([['a'], ['b'], ['c'], ['d']]);
    expect(releaseOutcome(releases[1]!, labels)).toMatchObject({ outcome: 'failure', outcomeAt: day(30), bugInducing: ['b'] });
    expect(releaseOutcome(releases[2]!, labels)).toMatchObject({ outcome: 'success', outcomeAt: day(110) });
  });

  it('follow tags; a change fixed within its own release did not fail it; commits after the last tag are unreleased', () => {
    const tags = [
      { name: 'v2', sha: 'd', at: day(31) },
      { name: 'v1', sha: 'b', at: day(11) },
    ];
    const h = [...history, commit('e', 40, 'add more', ['d'])];
    const { releases, unreleased } = groupReleases(h, tags);
    expect(releases.map((r) => [r.version, r.changes])).toEqual([
      ['v1', ['a', 'b']],
      ['v2', ['c', 'd']],
    ]);
    expect(unreleased).toEqual(['e']);
    expect(releaseOutcome(releases[0]!, labels).outcome).toBe('failure');
    expect(releaseOutcome(releases[1]!, labels).outcome).toBe('success');
    const together = groupReleases(h, [{ name: 'v1', sha: 'd', at: day(31) }]).releases[0]!;
    expect(releaseOutcome(together, labels).outcome).toBe('success');
  });

  it('group a merged branch’s commits with the tag that first reaches them', () => {
    const h = [
      commit('a', 0, 'base', []),
      commit('s', 1, 'side work', ['a']),
      commit('m1', 2, 'main work', ['a']),
      commit('m', 3, 'Merge pull request #4 from side', ['m1', 's'], []),
    ];
    const { releases } = groupReleases(h, [{ name: 'v1', sha: 'm', at: day(3) }]);
    expect(releases[0]!.changes).toEqual(['a', 's', 'm1']);
    expect(labelChanges(h, new Map()).map((l) => l.sha)).toEqual(['a', 's', 'm1']);
  });
});
