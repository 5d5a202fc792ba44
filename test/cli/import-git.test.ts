import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceName } from '../../src/cli/commands/import-git.js';
import { blameFixes, readGitHistory } from '../../src/cli/git-history.js';
import { DEFAULT_SZZ_OPTIONS, groupReleases, labelChanges, releaseOutcome } from '../../src/risk/history/index.js';
import { runCli } from '../support/cli.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-szz-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A repository built commit by commit, each with fixed author and committer dates. */
function fixture(name: string) {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  let day = 0;
  const git = (args: string[], env: Record<string, string> = {}) =>
    execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  git(['init', '-q', '-b', 'main']);
  git(['config', 'user.email', 'ada@example.com']);
  git(['config', 'user.name', 'Ada']);
  git(['config', 'commit.gpgsign', 'false']);
  git(['config', 'tag.gpgsign', 'false']);
  const shas: Record<string, string> = {};
  return {
    dir,
    shas,
    git,
    write: (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    },
    commit(label: string, message: string) {
      const date = new Date(Date.UTC(2025, 0, 1) + day++ * 10 * 86_400_000).toISOString();
      git(['add', '-A']);
      git(['commit', '-q', '-m', message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
      shas[label] = git(['rev-parse', 'HEAD']).trim();
    },
    tag(name: string) {
      const date = new Date(Date.UTC(2025, 0, 1) + (day - 1) * 10 * 86_400_000 + 3_600_000).toISOString();
      git(['tag', '-a', name, '-m', name], { GIT_COMMITTER_DATE: date });
    },
  };
}

const calc = (discount: string, tax: string, comment = '// tax rate', indent = '  ') =>
  [
    'export function total(price: number) {',
    `${indent}const base = price + 1;`,
    `  ${discount}`,
    `  ${comment}`,
    `  ${tax}`,
    '  return base - off + t;',
    '}',
    '',
  ].join('\n');

/**
 * A adds the file, B brings the bug (the discount line), C adds tax, D fixes
 * B's line and, in passing, re-indents A's line and rewrites C's comment;
 * E, a "fix" over the size cap, changes C's tax line; F is a later change.
 */
let repo: ReturnType<typeof fixture>;
beforeAll(() => {
  repo = fixture('calc');
  repo.write('src/calc.ts', calc('const off = 0;', 'const t = 0;', '// no tax'));
  repo.commit('A', 'add calculator');
  repo.write('src/calc.ts', calc('const off = price * 5;', 'const t = 0;', '// no tax'));
  repo.commit('B', 'add discount');
  repo.tag('v1');
  repo.write('src/calc.ts', calc('const off = price * 5;', 'const t = price * 0.2;'));
  repo.commit('C', 'add tax');
  repo.write('src/calc.ts', calc('const off = price * 0.05;', 'const t = price * 0.2;', '// tax rate, in percent', '    '));
  repo.commit('D', 'Fix discount: a percentage, not a factor');
  repo.tag('v2');
  for (let i = 0; i < 101; i++) repo.write(`vendor/lib${i}.js`, 'module.exports = 1;\n');
  repo.write('src/calc.ts', calc('const off = price * 0.05;', 'const t = price * 0.25;', '// tax rate, in percent', '    '));
  repo.commit('E', 'fix formatting and vendor the libraries');
  repo.write('README.md', 'calculator\n');
  repo.commit('F', 'add readme');
});

async function labelsOf(dir: string) {
  const history = await readGitHistory(dir);
  const blame = await blameFixes(dir, history, DEFAULT_SZZ_OPTIONS);
  return { history, blame, labels: labelChanges(history.commits, blame.blames, DEFAULT_SZZ_OPTIONS) };
}

describe('SZZ on a git history', () => {
  it('labels the commit that wrote the line the fix changed (B), not those before or after it', async () => {
    const { history, labels, blame } = await labelsOf(repo.dir);
    expect(history.commits.map((c) => c.sha)).toEqual(['A', 'B', 'C', 'D', 'E', 'F'].map((k) => repo.shas[k]));
    expect(history.shallow).toBe(false);
    // E says "fix" but touches 102 files: it is no fixing commit SZZ follows.
    expect(blame.fixes).toBe(1);
    const bug = labels.filter((l) => l.bugInducing);
    expect(bug.map((l) => l.sha)).toEqual([repo.shas.B]);
    expect(bug[0]!.fixedBy).toEqual([repo.shas.D]);
    expect(bug[0]!.labelKnownAt).toEqual(history.commits[3]!.committedAt);
  });

  it('does not blame a line the fix only re-indented (A) or a comment it rewrote (C)', async () => {
    const { blame } = await labelsOf(repo.dir);
    const blamed = blame.blames.get(repo.shas.D!)!;
    expect(blamed.map((l) => l.sha)).toEqual([repo.shas.B]);
    expect(blamed[0]!.text.trim()).toBe('const off = price * 5;');
  });

  it('groups releases by tag; commits after the newest tag are in none', async () => {
    const { history, labels } = await labelsOf(repo.dir);
    expect(history.tags.map((t) => t.name).sort()).toEqual(['v1', 'v2']);
    const { releases, unreleased } = groupReleases(history.commits, history.tags);
    expect(releases.map((r) => [r.version, r.changes])).toEqual([
      ['v1', [repo.shas.A, repo.shas.B]],
      ['v2', [repo.shas.C, repo.shas.D]],
    ]);
    expect(unreleased).toEqual([repo.shas.E, repo.shas.F]);
    const byId = new Map(labels.map((l) => [l.sha, l]));
    expect(releases.map((r) => releaseOutcome(r, byId).outcome)).toEqual(['failure', 'success']);
  });

  it('warns on a shallow clone and counts what it could not blame', async () => {
    const deep = fixture('deep');
    deep.write('a.ts', 'one();\ntwo();\n');
    deep.commit('X', 'add a');
    deep.write('b.ts', 'three();\n');
    deep.commit('Y', 'add b');
    deep.write('a.ts', 'one(1);\ntwo();\n');
    deep.commit('Z', 'fix one');
    // Cut at Y: Z's blame names Y for X's line, which is older than the cut: not Y's, not countable.
    const cutAtY = path.join(root, 'shallow-y');
    execFileSync('git', ['clone', '-q', '--depth', '2', `file://${deep.dir}`, cutAtY]);
    const y = await labelsOf(cutAtY);
    expect(y.history.shallow).toBe(true);
    expect(y.history.commits).toHaveLength(2);
    expect(y.blame).toMatchObject({ fixes: 1, unblamedFixes: 0, unblamedLines: 1 });
    expect(y.labels.some((l) => l.bugInducing)).toBe(false);
    expect((await labelsOf(deep.dir)).labels.filter((l) => l.bugInducing).map((l) => l.sha)).toEqual([deep.shas.X]);
    // Cut at the fix itself: its parent is missing.
    const cutAtZ = path.join(root, 'shallow-z');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${deep.dir}`, cutAtZ]);
    expect((await labelsOf(cutAtZ)).blame).toMatchObject({ fixes: 1, unblamedFixes: 1 });
    const env = { SHIPCHECK_DATA_DIR: path.join(root, 'db-shallow'), SHIPCHECK_DEMO: '0' };
    const r = await runCli(['import', 'history', '--from-git', cutAtY], env);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/shallow clone: changes near the cut .*0 fixing commits and 1 lines could not be blamed/);
  });
});

describe('shipcheck import history --from-git', () => {
  it('imports the releases with their outcomes into the embedded database, once', async () => {
    const env = { SHIPCHECK_DATA_DIR: path.join(root, 'db'), SHIPCHECK_DEMO: '0' };
    const first = await runCli(['import', 'history', '--from-git', repo.dir, '--service', 'calc', '--json'], env);
    expect(first.code, first.err).toBe(0);
    const summary = JSON.parse(first.out);
    expect(summary).toMatchObject({
      service: 'calc',
      commits: 6,
      fixingCommits: 1,
      bugInducing: 1,
      releases: 2,
      failures: 1,
      unreleased: 2,
      imported: 2,
      duplicate: 0,
    });
    expect(summary.warnings.join('\n')).toMatch(/2 commits after the newest tag/);
    expect(summary.warnings.join('\n')).toMatch(/a model needs ≥ 40/);
    const again = await runCli(['import', 'history', '--from-git', repo.dir, '--service', 'calc', '--json'], env);
    expect(JSON.parse(again.out)).toMatchObject({ imported: 0, duplicate: 2 });
  });

  it('names the service after the directory, and a history without fixes says so (one class only)', async () => {
    const plain = fixture('no-fixes');
    plain.write('a.txt', 'a\n');
    plain.commit('A', 'add a');
    plain.write('a.txt', 'b\n');
    plain.commit('B', 'change a');
    const env = { SHIPCHECK_DATA_DIR: path.join(root, 'db-plain'), SHIPCHECK_DEMO: '0' };
    const r = await runCli(['import', 'history', '--from-git', plain.dir], env);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^no-fixes: 2 commits · 0 fixing · 0 bug-inducing changes · 2 releases \(0 failed\)/);
    expect(r.err).toMatch(/warning: no fixing commits/);
    expect(r.err).toMatch(/one class only .* the risk model cannot train on it yet/);
    expect(['/src/api', '/src/api/.git', '/srv/api.git'].map(serviceName)).toEqual(['api', 'api', 'api']);
  });

  it('says what is wrong: not a repository, an unknown branch, --branch without --from-git', async () => {
    const env = { SHIPCHECK_DATA_DIR: path.join(root, 'db-err'), SHIPCHECK_DEMO: '0' };
    const notRepo = fs.mkdtempSync(path.join(root, 'plain-'));
    expect((await runCli(['import', 'history', '--from-git', notRepo], env)).err).toMatch(/is not a git repository/);
    expect((await runCli(['import', 'history', '--from-git', repo.dir, '--branch', 'nope'], env)).err).toMatch(
      /no branch or commit named nope/,
    );
    expect((await runCli(['import', 'history', 'x.jsonl', '--branch', 'main'], env)).err).toMatch(/--branch goes with --from-git/);
    expect((await runCli(['import', 'history', 'x.jsonl', '--jsonl', 'out.jsonl'], env)).err).toMatch(/--jsonl goes with --from-git/);
    const bad = await runCli(['import', 'history', '--from-git', repo.dir, '--maturity-days', 'ten'], env);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--maturity-days: a whole number of days from 1 to 3650, got "ten"/);
  });

  it('writes the history as release-history JSONL the eval replays: metrics, and when each outcome became known', async () => {
    const file = path.join(root, 'calc.jsonl');
    const env = { SHIPCHECK_DATA_DIR: path.join(root, 'db-never'), SHIPCHECK_DEMO: '0' };
    const r = await runCli(
      ['import', 'history', '--from-git', repo.dir, '--service', 'calc', '--jsonl', file, '--maturity-days', '30', '--json'],
      env,
    );
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ releases: 2, imported: 2, duplicate: 0, jsonl: file });
    // Nothing was stored: the command wrote the file instead.
    expect(fs.existsSync(path.join(root, 'db-never'))).toBe(false);
    const lines = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, l.outcome])).toEqual([
      ['calc-v1', 'failure'],
      ['calc-v2', 'success'],
    ]);
    // v1's failure is known when D fixed it; v2's success once 30 days pass with no fix.
    const { history } = await labelsOf(repo.dir);
    expect(lines[0].outcomeAt).toBe(history.commits[3]!.committedAt.toISOString());
    expect(Date.parse(lines[1].outcomeAt) - Date.parse(lines[1].deployedAt)).toBe(30 * 86_400_000);
    // The 14 metrics as the service computes them: v2 touches the file v1 wrote, by the same author.
    expect(lines[0].metrics).toMatchObject({ nf: 1, ns: 1, fix: 0, nuc: 0, exp: 0 });
    expect(lines[1].metrics).toMatchObject({ nf: 1, fix: 1, nuc: 2, ndev: 1, exp: 2 });
    expect(lines[1].metrics.la).toBeGreaterThan(0);
  });
});
