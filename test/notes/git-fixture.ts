import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Git = (...args: string[]) => string;

export function gitIn(repo: string): Git {
  return (...args) =>
    execFileSync('git', ['-C', repo, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_DATE: undefined, GIT_COMMITTER_DATE: undefined },
    });
}

export function emptyRepo(prefix = 'shipcheck-notes-'): { repo: string; git: Git; write: (file: string, text: string | Buffer) => void } {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const git = gitIn(repo);
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'ada@example.com');
  git('config', 'user.name', 'Ada Lovelace');
  git('config', 'commit.gpgsign', 'false');
  const write = (file: string, text: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
  };
  return { repo, git, write };
}

/**
 * A small project released twice (v1.0.0, v1.1.0): between the tags a squash-merged PR, a plain subject,
 * a revert pair, a merged PR branch with a migration, a cherry-pick and its original merged by a plain
 * merge, a breaking rename of an export and of an environment variable, and two Latin-1 messages (one
 * with git's encoding header, one without).
 */
export function releaseRepo() {
  const { repo, git, write } = emptyRepo();
  const commit = (message: string, ...extra: string[]) => {
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', message, ...extra);
    return git('rev-parse', 'HEAD').trim();
  };
  write('src/index.ts', 'export function greet(name: string) {\n  return "hi " + name;\n}\nexport const version = 1;\n');
  write('.env.example', 'DATABASE_URL=postgres://localhost/app\nPORT=8080\n');
  write('test/index.test.ts', 'export const helper = 1;\n');
  commit('chore: initial');
  git('tag', 'v1.0.0');

  write('src/farewell.ts', 'export function farewell() {\n  return "bye";\n}\n');
  const squash = commit('feat(api): add farewell (#10)', '-m', 'Closes #9');
  write('src/parse.ts', 'export function parse(s: string) {\n  return s.trim();\n}\n');
  const plain = commit('Fix crash on empty input');
  write('src/beta.ts', 'export const beta = true;\n');
  const reverted = commit('feat: add beta flag');
  git('revert', '--no-edit', 'HEAD');
  const revert = git('rev-parse', 'HEAD').trim();

  git('checkout', '-qb', 'fix-branch');
  write('migrations/002_add_col.sql', 'alter table users add column nick text;\n');
  write('src/parse.ts', 'export function parse(s: string | null) {\n  return (s ?? "").trim();\n}\n');
  const branchFix = commit('fix: handle null');
  write('docs/null.md', 'null is empty\n');
  const branchDocs = commit('docs: explain null');
  git('checkout', '-q', 'main');
  write('src/loop.ts', 'export const loop = 2;\n');
  const perf = commit('perf: faster loop');
  git('merge', '-q', '--no-ff', 'fix-branch', '-m', 'Merge pull request #12 from ada/fix-branch', '-m', 'Handle null values in the parser');
  const prMerge = git('rev-parse', 'HEAD').trim();

  git('checkout', '-qb', 'hotfix');
  write('src/overflow.ts', 'export const limit = 10;\n');
  const original = commit('fix: guard against overflow');
  git('checkout', '-q', 'main');
  git('cherry-pick', '-x', original);
  const cherry = git('rev-parse', 'HEAD').trim();
  git('merge', '-q', '--no-ff', '-X', 'ours', 'hotfix', '-m', "Merge branch 'hotfix'");
  const plainMerge = git('rev-parse', 'HEAD').trim();

  write('src/index.ts', 'export function hello(name: string) {\n  return "hi " + name;\n}\nexport const version = 1;\n');
  write('.env.example', 'DATABASE_URL=postgres://localhost/app\nHTTP_PORT=8080\n');
  const breaking = commit('refactor!: rename greet to hello', '-m', 'BREAKING CHANGE: greet is now hello; PORT is now HTTP_PORT');

  // A Latin-1 message with an encoding header: git converts it to UTF-8.
  write('latin1.txt', Buffer.from('caf\xe9 ok\n', 'latin1'));
  write('src/cafe.ts', 'export const cafe = 1;\n');
  git('add', '-A');
  git('-c', 'i18n.commitEncoding=ISO-8859-1', 'commit', '-q', '-F', 'latin1.txt');
  const latin1 = git('rev-parse', 'HEAD').trim();
  // The same bytes with no encoding header (what an old tool writes): `git commit` would repair them, so the
  // commit object is written by hand. Not convertible: replaced and warned about.
  write('src/cafe.ts', 'export const cafe = 2;\n');
  git('add', 'src/cafe.ts');
  const tree = git('write-tree').trim();
  const object = Buffer.concat([
    Buffer.from(
      `tree ${tree}\nparent ${latin1}\nauthor Ada Lovelace <ada@example.com> 1700000000 +0000\ncommitter Ada Lovelace <ada@example.com> 1700000000 +0000\n\n`,
    ),
    Buffer.from('fix: caf\xe9 menu\n', 'latin1'),
  ]);
  const invalid = execFileSync('git', ['-C', repo, 'hash-object', '-t', 'commit', '-w', '--stdin'], { input: object }).toString().trim();
  git('update-ref', 'refs/heads/main', invalid);
  git('reset', '-q', '--hard');
  git('tag', 'v1.1.0');
  return {
    repo,
    git,
    write,
    shas: {
      squash,
      plain,
      reverted,
      revert,
      branchFix,
      branchDocs,
      perf,
      prMerge,
      original,
      cherry,
      plainMerge,
      breaking,
      latin1,
      invalid,
    },
  };
}

export function rangeShas(git: Git, range: string): string[] {
  return git('rev-list', range, '--').split('\n').filter(Boolean);
}

export function removeRepo(repo: string) {
  fs.rmSync(repo, { recursive: true, force: true });
}

/**
 * A repository of `total` commits written by one `git fast-import` (seconds, where `git commit` in a loop
 * takes minutes): a tag `v0` on the first commit, every 10th subject a squash merge `(#n)`, every 100th
 * commit a `Merge pull request #n` of a one-commit branch, every 500th (from the 250th) a new migration.
 */
export function bigRepo(total: number): { repo: string; git: Git; merges: number } {
  const { repo, git } = emptyRepo('shipcheck-notes-big-');
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let mark = 0;
  let mainTip = 0;
  let merges = 0;
  const commit = (ref: string, message: string, from: number, extra: string[], files: [string, string][]) => {
    mark++;
    const time = 1_700_000_000 + mark * 60;
    parts.push(`commit ${ref}\nmark :${mark}\nauthor Ada <ada@example.com> ${time} +0000\ncommitter Ada <ada@example.com> ${time} +0000\n`);
    parts.push(data(message));
    if (from) parts.push(`from :${from}\n`);
    parts.push(...extra);
    for (const [path, text] of files) parts.push(`M 100644 inline ${path}\n${data(text)}`);
    parts.push('\n');
    return mark;
  };
  mainTip = commit('refs/heads/main', 'chore: initial', 0, [], [['src/f0.ts', 'export const v0 = 0;\n']]);
  parts.push(`reset refs/tags/v0\nfrom :${mainTip}\n\n`);
  while (mark < total) {
    const i = mark + 1;
    if (i % 100 === 0 && mark + 2 <= total) {
      const side = commit('refs/heads/side', `fix: side work ${i}`, mainTip, [], [[`src/side${i}.ts`, `export const s${i} = ${i};\n`]]);
      merges++;
      mainTip = commit(
        'refs/heads/main',
        `Merge pull request #${100_000 + i} from ada/side\n\nSide work ${i}\n`,
        mainTip,
        [`merge :${side}\n`],
        [],
      );
      continue;
    }
    const subject = i % 10 === 0 ? `feat: change ${i} (#${i})` : `fix: change ${i}`;
    const files: [string, string][] = [[`src/f${i % 50}.ts`, `export const v${i} = ${i};\n`]];
    if (i % 500 === 250) files.push([`migrations/${String(i).padStart(5, '0')}_step.sql`, `alter table t add column c${i} int;\n`]);
    mainTip = commit('refs/heads/main', `${subject}\n\nBody of change ${i}.\n`, mainTip, [], files);
  }
  // A larger malloc top pad: on some kernels fast-import spends seconds growing its heap a page at a time.
  const env = { ...process.env, MALLOC_TOP_PAD_: String(64 << 20) };
  execFileSync('git', ['-C', repo, 'fast-import', '--quiet'], { input: parts.join(''), env });
  git('reset', '-q', '--hard', 'main');
  return { repo, git, merges };
}
