/**
 * A git repository for the notes figures, written by one `git fast-import`
 * (seconds; `git commit` in a loop takes minutes): tag `v0` on the first
 * commit, then the commits of a synthetic range (bench/notes-synth.ts) with
 * real file contents, so `git log -p` shows what the reader looks for: new
 * migrations, exports removed from `src/index.ts`, changed `.env.example`
 * keys. Every 50th change arrives as a `Merge pull request` of a one-commit
 * branch. Reverts name their target by subject and cherry-picks repeat theirs
 * (commit hashes are not known before fast-import writes the commits).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { synthRange } from './notes-synth.js';

export interface BenchRepo {
  dir: string;
  /** Commits in v0..main. */
  commits: number;
  merges: number;
  buildMs: number;
}

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
  });

/** A repository whose range v0..main holds `total` commits (a merged PR is two: the merge and its branch's commit). */
export function benchRepo(seed: number, total: number): BenchRepo {
  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-bench-notes-'));
  git(dir, 'init', '-q', '-b', 'main');
  const { changes: list } = synthRange(seed, total, 900);
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let mark = 0;
  const commit = (ref: string, message: string, author: string, from: number, extra: string[], files: [string, string | null][]) => {
    mark++;
    const time = 1_700_000_000 + mark * 60;
    const who = `${author} <${author.toLowerCase().replace(/[^a-z]+/g, '.')}@example.com> ${time} +0000`;
    parts.push(`commit ${ref}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n`, data(message));
    if (from) parts.push(`from :${from}\n`);
    parts.push(...extra);
    for (const [p, text] of files) parts.push(text === null ? `D ${p}\n` : `M 100644 inline ${p}\n${data(text)}`);
    parts.push('\n');
    return mark;
  };

  // The entry point re-exports 300 modules; a breaking change removes one of its lines.
  const exported = Array.from({ length: 300 }, (_, i) => `export { legacy${i} } from './legacy${i}.js';`);
  const env = ['DATABASE_URL=postgres://localhost/app', 'PORT=8080'];
  let tip = commit(
    'refs/heads/main',
    'chore: initial',
    'Ada Lovelace',
    0,
    [],
    [
      ['src/index.ts', `${exported.join('\n')}\n`],
      ['.env.example', `${env.join('\n')}\n`],
    ],
  );
  parts.push(`reset refs/tags/v0\nfrom :${tip}\n\n`);

  let merges = 0;
  let removed = 0;
  for (const [i, c] of list.entries()) {
    const inRange = mark - 1;
    if (inRange >= total) break;
    const files: [string, string | null][] = [];
    for (const f of c.files) {
      if (f.path === 'src/index.ts') {
        exported.splice(removed++ % exported.length, 1);
        files.push([f.path, `${exported.join('\n')}\n`]);
      } else if (f.path === '.env.example') {
        env.push(`KEY_${i}=1`);
        if (env.length > 6) env.splice(2, 1);
        files.push([f.path, `${env.join('\n')}\n`]);
      } else if (f.path.startsWith('migrations/')) {
        files.push([f.path, `alter table orders add column c${i} int;\n`]);
      } else {
        files.push([f.path, `export const v${i % 97} = ${i};\n// ${c.subject}\n`]);
      }
    }
    // The squash-merge subject carries "(#PR)"; a merged PR's branch commit does not, its merge names the PR.
    const message = `${c.subject}\n${c.body ? `\n${c.body}\n` : ''}`;
    if (i % 50 === 49 && c.pr && inRange + 2 <= total) {
      const subject = c.subject.replace(/\s*\(#\d+\)$/, '');
      const side = commit('refs/heads/side', `${subject}\n${c.body ? `\n${c.body}\n` : ''}`, c.author ?? 'Ada', tip, [], files);
      tip = commit(
        'refs/heads/main',
        `Merge pull request #${c.pr} from ada/side-${i}\n\n${subject}\n`,
        c.author ?? 'Ada',
        tip,
        [`merge :${side}\n`],
        files, // the merge's tree holds the branch's work
      );
      merges++;
      continue;
    }
    tip = commit('refs/heads/main', message, c.author ?? 'Ada', tip, [], files);
  }
  // A larger malloc top pad: on some kernels fast-import spends seconds growing its heap a page at a time.
  execFileSync('git', ['-C', dir, 'fast-import', '--quiet'], {
    input: parts.join(''),
    env: { ...process.env, MALLOC_TOP_PAD_: String(64 << 20) },
    maxBuffer: 1 << 26,
  });
  git(dir, 'reset', '-q', '--hard', 'main');
  const commits = Number(git(dir, 'rev-list', '--count', 'v0..main').trim());
  return { dir, commits, merges, buildMs: performance.now() - started };
}

export function removeBenchRepo(repo: BenchRepo): void {
  fs.rmSync(repo.dir, { recursive: true, force: true });
}
