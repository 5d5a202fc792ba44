import { afterAll, describe, expect, it } from 'vitest';
import { readNotesRange } from '../../src/cli/git-notes.js';
import { bigRepo, rangeShas, removeRepo } from './git-fixture.js';

const repos: string[] = [];
afterAll(() => repos.forEach(removeRepo));

describe('readNotesRange at scale', () => {
  it('reads a range of 5,000 commits in one git log and accounts for every commit', { timeout: 120_000 }, async () => {
    const { repo, git, merges } = bigRepo(5000);
    repos.push(repo);
    const shas = rangeShas(git, 'v0..main');
    expect(shas).toHaveLength(4999);
    const { changes, warnings } = await readNotesRange(repo, 'v0', 'main');
    expect(warnings).toEqual([]);
    const read = changes.flatMap((c) => c.shas);
    expect(read.toSorted()).toEqual(shas.toSorted());
    // Each merged PR is one change: the merge and the commit its branch brought in.
    const merged = changes.filter((c) => (c.pr ?? 0) > 100_000);
    expect(merged).toHaveLength(merges);
    expect(merged.every((c) => c.shas.length === 2 && !c.isMerge && c.subject.startsWith('Side work'))).toBe(true);
    expect(changes.filter((c) => c.patch?.includes('new file mode') && c.files.some((f) => f.path.startsWith('migrations/')))).toHaveLength(
      10,
    );
    expect(changes.find((c) => c.key === '#4990')?.body).toBe('Body of change 4990.');
  });
});
