import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const exec = promisify(execFile);
// Embedded-mode tests: the shipcheck processes they start inherit this environment, and must not pick up the
// Redis the scaled-out suites use (they would make a BullMQ queue under the default name and leave it there).
delete process.env.REDIS_URL;

const run = runCli;

describe('shipcheck CLI (embedded)', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-cli-'));
    env = { SHIPCHECK_DATA_DIR: path.join(dir, 'db') };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints usage and exits 2 on an unknown command or flag', async () => {
    const r = await run(['frobnicate'], env);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown command "frobnicate"');
    const f = await run(['search', 'x', '--nope'], env);
    expect(f.code).toBe(2);
    expect(f.err).toMatch(/Unknown option '--nope'/);
  });

  it('shows help for every command with --help, exit 0', async () => {
    for (const command of [
      'serve',
      'worker',
      'ingest',
      'search',
      'evidence',
      'tokens',
      'migrate',
      'demo',
      'import',
      'eval',
      'gate',
      'train',
    ]) {
      const r = await run([command, '--help'], env);
      expect(r.code, command).toBe(0);
      expect(r.out, command).toMatch(/usage: shipcheck/);
    }
    // A subcommand's help needs none of its options either.
    for (const sub of ['create', 'list', 'revoke']) {
      const r = await run(['tokens', sub, '--help'], env);
      expect(r.code, sub).toBe(0);
      expect(r.err, sub).toBe('');
      expect(r.out, sub).toMatch(/usage: shipcheck tokens create/);
    }
  });

  it('import on a fresh data dir creates tenant "default" with its admin token as serve does, and says so', async () => {
    const fresh = path.join(dir, 'fresh-import');
    const freshEnv = { SHIPCHECK_DATA_DIR: path.join(fresh, 'db') };
    const r = await run(['import', 'history', 'fixtures/history/releases.jsonl'], freshEnv);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^imported [1-9]/);
    const tokenFile = path.join(fresh, 'admin-token');
    expect(r.err).toContain(`created tenant "default" with an admin token in ${tokenFile} (mode 0600)`);
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    // The admin token serve would have minted exists, and it is the tenant's only one.
    const list = await run(['tokens', 'list', '--tenant', 'default', '--json'], freshEnv);
    expect(JSON.parse(list.out)).toEqual([expect.objectContaining({ name: 'admin (first start)', scopes: ['admin'] })]);
    expect(token.startsWith(JSON.parse(list.out)[0].prefix)).toBe(true);
  }, 120_000); // a new embedded database (initdb), opened twice

  it('stops on a bad configuration naming the variable', async () => {
    const r = await run(['migrate'], { ...env, PORT: 'many' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('PORT');
  });

  it('names an unreachable or missing database in one line, exit 2, no stack', async () => {
    const refused = await run(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' });
    expect(refused.code).toBe(2);
    expect(refused.err).toBe('shipcheck migrate: cannot open the database: connect ECONNREFUSED 127.0.0.1:1 (ECONNREFUSED)');
  });

  it('creates a token (and its tenant), printing it once', async () => {
    const r = await run(['tokens', 'create', '--tenant', 'acme', '--scopes', 'ingest,read', '--name', 'ci'], env);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^sc_[\w-]{40,}$/);
    expect(r.err).toContain('created tenant "acme"');
    const list = await run(['tokens', 'list', '--tenant', 'acme'], env);
    expect(list.out).toContain('ci');
    expect(list.out).not.toContain(r.out);
    const bad = await run(['tokens', 'create', '--tenant', 'acme', '--scopes', 'read,root', '--name', 'x'], env);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown scope "root"');
  });

  it('ingests files, reports the second ingest of the same files as duplicates, and searches them', async () => {
    const files = [
      'fixtures/artifacts/deploy-plain.log',
      'fixtures/artifacts/payments-runbook.md',
      'fixtures/artifacts/release-2.14.patch',
    ];
    const first = await run(['ingest', ...files, '--service', 'payments', '--json'], env);
    expect(first.code).toBe(0);
    const a = JSON.parse(first.out);
    expect(a).toMatchObject({ indexed: 3, duplicate: 0, rejected: 0 });
    expect(a.chunks).toBeGreaterThan(3);
    const second = JSON.parse((await run(['ingest', ...files, '--service', 'payments', '--json'], env)).out);
    expect(second).toMatchObject({ indexed: 0, duplicate: 3, rejected: 0, chunks: 0 });

    const s = await run(['search', 'rollback', 'payments', '--kind', 'runbook', '--json'], env);
    expect(s.code).toBe(0);
    const hits = JSON.parse(s.out).results;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h: { kind: string; service: string }) => h.kind === 'runbook' && h.service === 'payments')).toBe(true);
    // One line a document by default, saying how many of its chunks matched; --group chunk lists chunks.
    expect(JSON.parse(s.out).group).toBe('document');
    const plain = await run(['search', 'rollback', 'payments', '--k', '2'], env);
    expect(plain.out).toMatch(/document \S+ · \d+ matching chunks?/);
    const byChunk = JSON.parse((await run(['search', 'rollback', '--group', 'chunk', '--json'], env)).out);
    expect(byChunk.group).toBe('chunk');
    expect(byChunk.results[0]).not.toHaveProperty('matchingChunks');
    expect((await run(['search', 'rollback', '--group', 'page'], env)).code).toBe(2);
  });

  it('rejects binary garbage and unknown kinds with reasons and exit 1, keeping what was stored', async () => {
    const bin = path.join(dir, 'garbage.log');
    fs.writeFileSync(bin, Buffer.from(Array.from({ length: 8000 }, (_, i) => (i * 7919) % 256)));
    const r = await run(['ingest', bin, '--service', 'payments'], env);
    expect(r.code).toBe(1);
    expect(r.out).toContain('indexed 0');
    expect(r.err).toMatch(/binary/);
    const unknown = await run(['ingest', path.join(dir, 'nothing.xyz'), '--service', 'x'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no such file');
    const badKind = await run(['ingest', bin, '--kind', 'photo', '--service', 'x'], env);
    expect(badKind.code).toBe(2);
    expect(badKind.err).toContain('--kind');
    // A file whose kind the name does not tell is counted as not read, apart from rejected documents.
    const mixed = await run(
      ['ingest', 'fixtures/artifacts/incidents.jsonl', 'fixtures/artifacts/deploy-plain.log', '--service', 'payments', '--json'],
      env,
    );
    expect(mixed.code).toBe(1);
    expect(JSON.parse(mixed.out)).toMatchObject({
      rejected: 0,
      notRead: 1,
      problems: [expect.stringContaining('incidents.jsonl: cannot tell the kind')],
    });
    const still = JSON.parse((await run(['search', 'rollback', '--json'], env)).out).results;
    expect(still.length).toBeGreaterThan(0);
  });

  it('turns a git range into change and diff documents', async () => {
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    const git = (...args: string[]) => exec('git', ['-C', repo, '-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', ...args]);
    await git('init', '-q');
    fs.writeFileSync(path.join(repo, 'a.ts'), 'export const a = 1;\n');
    await git('add', '.');
    await git('commit', '-qm', 'feat: first');
    fs.mkdirSync(path.join(repo, 'migrations'));
    fs.writeFileSync(path.join(repo, 'migrations/001.sql'), 'alter table orders add column refunded boolean;\n');
    await git('add', '.');
    await git('commit', '-qm', 'feat(orders): add refunded flag migration');
    const r = await run(['ingest', '--from-git', 'HEAD~1..HEAD', '--repo', repo, '--service', 'orders', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ indexed: 2, rejected: 0 });
    const hits = JSON.parse((await run(['search', 'refunded migration', '--service', 'orders', '--json'], env)).out).results;
    expect(hits.map((h: { kind: string }) => h.kind).sort()).toEqual(['change', 'diff']);
    expect(hits.some((h: { snippet: string }) => h.snippet.includes('migrations/001.sql'))).toBe(true);
    const bad = await run(['ingest', '--from-git', '--upload-pack=x', '--repo', repo, '--service', 'o'], env);
    expect(bad.code).toBe(2);
  });

  it('refuses a second process on the same data dir with a clear message', async () => {
    const child = spawn(process.execPath, ['bin/shipcheck.js', 'serve', '--port', '0'], {
      env: { ...process.env, ...env, SHIPCHECK_DEMO: '0', SHIPCHECK_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.includes('listening')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    try {
      const r = await run(['search', 'anything'], env);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/in use by process \d+/);
      expect(r.err).toContain('--server');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    // Once it stopped, the lock is gone.
    expect((await run(['search', 'rollback', '--json'], env)).code).toBe(0);
  });

  it('serve logs JSON lines at the default level (info)', async () => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, SHIPCHECK_DEMO: '0' };
    delete childEnv.SHIPCHECK_LOG_LEVEL;
    const child = spawn(process.execPath, ['bin/shipcheck.js', 'serve', '--port', '0'], {
      env: childEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        const m = /listening on (http:\S+)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
      const lines = stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: string; msg: string; path?: string });
      expect(lines).toContainEqual(expect.objectContaining({ level: 'info', msg: 'listening' }));
      expect(lines).toContainEqual(expect.objectContaining({ level: 'info', msg: 'request', route: '/healthz', status: 200 }));
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});

describe('a 50 MB log through the CLI', () => {
  it('streams it in segments with bounded memory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-big-'));
    try {
      const file = path.join(dir, 'huge.log');
      const fd = fs.openSync(file, 'w');
      let size = 0;
      for (let i = 0; size < 50 * 1024 * 1024; i++) {
        const block: string[] = [];
        for (let j = 0; j < 1000; j++) {
          const n = i * 1000 + j;
          block.push(
            n % 997 === 0
              ? `2026-03-02T14:${String(n % 60).padStart(2, '0')}:00Z ERROR upstream ECONNRESET payments-gateway attempt=${n % 5}`
              : `2026-03-02T14:${String(n % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}Z INFO GET /health 200 ${n % 40}ms req=${((n * 2654435761) >>> 0).toString(16).padStart(8, '0')}`,
          );
        }
        const text = block.join('\n') + '\n';
        fs.writeSync(fd, text);
        size += text.length;
      }
      fs.closeSync(fd);
      // Child processes, so each peak RSS is its own (GNU time's %M, in KiB). The data dir is
      // created first: initdb's peak would otherwise dwarf what the file itself costs.
      const childEnv = { ...process.env, SHIPCHECK_DATA_DIR: path.join(dir, 'db'), SHIPCHECK_LOG_LEVEL: 'error' };
      await exec(process.execPath, ['bin/shipcheck.js', 'migrate'], { env: childEnv });
      const ingest = async (target: string) => {
        const { stdout, stderr } = await exec(
          '/usr/bin/time',
          [
            '-f',
            'maxrss_kib=%M',
            process.execPath,
            'bin/shipcheck.js',
            'ingest',
            target,
            '--kind',
            'deploy_log',
            '--service',
            'edge',
            '--json',
          ],
          { env: childEnv, maxBuffer: 1 << 24 },
        );
        return { summary: JSON.parse(stdout), rss: Number(/maxrss_kib=(\d+)/.exec(stderr)![1]) * 1024 };
      };
      const small = path.join(dir, 'small.log');
      fs.writeFileSync(small, '2026-03-02T14:00:00Z INFO GET /health 200 3ms\n');
      const baseline = await ingest(small);
      const big = await ingest(file);
      // ~100 segments of at most 500k characters: the file was never one document.
      expect(big.summary.indexed).toBeGreaterThanOrEqual(100);
      expect(big.summary.rejected).toBe(0);
      // Reading 50 MB whole (buffer, string, line array) would cost well over 150 MB more than a one-line file.
      expect(big.rss - baseline.rss).toBeLessThan(150 * 1024 * 1024);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
