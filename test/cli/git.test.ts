import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGitRange } from '../../src/cli/git.js';

let repo: string;
const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });

/** Commits of every shape a range can hold: edits, a missing final newline, a rename, binary, empty, mode-only, a merge. */
beforeAll(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-git-'));
  const write = (file: string, text: string | Buffer) => fs.writeFileSync(path.join(repo, file), text);
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'ada@example.com');
  git('config', 'user.name', 'Ada Ö');
  write('a.txt', 'a\nb\n');
  git('add', '.');
  git('commit', '-qm', 'first');
  git('tag', 'start');
  write('a.txt', 'a\nb\nc');
  git('commit', '-qam', 'no newline at the end');
  git('mv', 'a.txt', 'b.txt');
  git('commit', '-qm', 'rename');
  write('blob.dat', Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)));
  git('add', '.');
  git('commit', '-qm', 'binary', '-m', 'body line 1\n\nbody line 3');
  git('commit', '-q', '--allow-empty', '-m', 'empty');
  fs.chmodSync(path.join(repo, 'b.txt'), 0o755);
  git('commit', '-qam', 'mode only');
  git('checkout', '-qb', 'side');
  write('side.txt', 'side\n');
  git('add', '.');
  git('commit', '-qm', 'side');
  git('checkout', '-q', 'main');
  write('main.txt', 'main\n');
  git('add', '.');
  git('commit', '-qm', 'main');
  git('merge', '-q', '--no-edit', 'side');
  write('tab\tname.txt', 'ünïcode\tline\n');
  write('notes.md', 'diff --git a/x b/x\n1\t2\tlooks like numstat\n');
  git('add', '.');
  git('commit', '-qm', 'a name with a tab, and text that looks like git output');
});
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

describe('readGitRange', () => {
  it('reads each commit as separate git show calls would (the diff documents are hashed: a byte more would be a conflict)', async () => {
    const commits = await readGitRange(repo, 'start..HEAD');
    const shas = git('rev-list', '--reverse', 'start..HEAD', '--').split('\n').filter(Boolean);
    expect(commits.map((c) => c.sha)).toEqual(shas);
    for (const c of commits) {
      const [author, date, subject, body] = git('show', '-s', '--format=%an%x1f%aI%x1f%s%x1f%b', c.sha).split('\x1f');
      const files = git('show', '--numstat', '--format=', c.sha)
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [a, d, ...p] = line.split('\t');
          return { path: p.join('\t'), additions: Number(a) || 0, deletions: Number(d) || 0 };
        });
      const patch = git('show', '--format=', '--patch', '--no-color', c.sha);
      expect(c, c.subject).toEqual({
        sha: c.sha,
        author,
        date: date!.trim(),
        subject: subject!.trim(),
        body: body!.trim(),
        files,
        patch,
      });
    }
    const byTitle = Object.fromEntries(commits.map((c) => [c.subject, c]));
    expect(byTitle['binary']!.files).toEqual([{ path: 'blob.dat', additions: 0, deletions: 0 }]);
    expect(byTitle['binary']!.body).toBe('body line 1\n\nbody line 3');
    expect(byTitle['empty']!.patch).toBe('');
    expect(byTitle['a name with a tab, and text that looks like git output']!.files.map((f) => f.path)).toEqual([
      'notes.md',
      '"tab\\tname.txt"',
    ]);
  });
});
