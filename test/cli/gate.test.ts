import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGitRange } from '../../src/cli/git.js';
import { runCli } from '../support/cli.js';
import { releaseFromCommits } from '../../src/cli/release-from-git.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { DEMO_TENANT, pgliteWithDemo } from '../support/demo-db.js';

const run = runCli;

/** A repository with a base commit, a trivial commit and a risky one (tags base, trivial, risky). */
function makeRepo(dir: string) {
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe' });
  const write = (file: string, lines: number, prefix = 'line') => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), Array.from({ length: lines }, (_, i) => `${prefix} ${i}`).join('\n') + '\n');
  };
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'dev@example.com');
  git('config', 'user.name', 'Dev One');
  write('README.md', 5);
  write('src/orders/place-order.ts', 40);
  git('add', '.');
  git('commit', '-qm', 'initial import');
  git('tag', 'base');
  fs.appendFileSync(path.join(dir, 'README.md'), 'a typo fixed\n');
  git('commit', '-qam', 'docs: fix a typo in the README');
  git('tag', 'trivial');
  write('package-lock.json', 3000, 'dep');
  write('package.json', 30, 'dep');
  write('migrations/0031_orders_backfill.sql', 220, 'sql');
  write('terraform/rds.tf', 60, 'tf');
  write('src/orders/place-order.ts', 400, 'code');
  git('add', '.');
  git('commit', '-qm', 'chore(deps): bump fastify from 4.29.0 to 5.0.0', '-m', 'Lock file regenerated; backfill orders.');
  git('tag', 'risky');
}

let repo: string;
let dataDir: string;
beforeAll(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-gate-repo-'));
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-gate-db-'));
  makeRepo(repo);
});
afterAll(() => {
  fs.rmSync(repo, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('release from a git range', () => {
  it('turns each commit into a change with its files and lines', async () => {
    const commits = await readGitRange(repo, 'trivial..risky');
    const r = releaseFromCommits(commits, {
      service: 'checkout',
      version: '5.0.0',
      createdAt: new Date('2026-12-01T10:00:00Z'),
      commitRange: 'trivial..risky',
    });
    expect(r.changes).toHaveLength(1);
    const c = r.changes![0]!;
    expect(c.title).toBe('chore(deps): bump fastify from 4.29.0 to 5.0.0');
    expect(c.author).toBe('Dev One');
    expect(c.body).toContain('Lock file regenerated');
    expect(Object.fromEntries(c.files!.map((f) => [f.path, f.additions]))).toMatchObject({
      'package-lock.json': 3000,
      'migrations/0031_orders_backfill.sql': 220,
      'terraform/rds.tf': 60,
    });
    expect(c.files!.find((f) => f.path === 'src/orders/place-order.ts')).toMatchObject({ additions: 400, deletions: 40 });
    expect(c.diff).toContain('+++ b/terraform/rds.tf');
  });
});

describe('shipcheck gate against a server with the demo organisation', () => {
  let t: TestServer;
  let token: string;
  beforeAll(async () => {
    t = await startTestServer({ database: await pgliteWithDemo() });
    token = await t.token(DEMO_TENANT, ['ingest', 'read', 'score']);
  }, 240_000);
  afterAll(async () => t?.close());
  const gate = (...args: string[]) =>
    run(['gate', '--service', 'checkout', '--repo', repo, '--server', t.url, '--token', token, ...args], {});

  it('passes a trivial change (exit 0)', async () => {
    const r = await gate('--version', 'g-trivial', '--from', 'base', '--to', 'trivial', '--strategy', 'canary');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^shipcheck gate: PASS/);
  });

  it('holds a risky change (exit 1) with reasons citing the incident a similar release caused', async () => {
    const r = await gate('--version', 'g-risky', '--from', 'trivial', '--to', 'risky', '--json');
    expect(r.code).toBe(1);
    const a = JSON.parse(r.out);
    expect(a.gate).toEqual({ exit: 1, verdict: 'held' });
    expect(['high', 'critical']).toContain(a.level);
    const incident = a.evidence.find((e: { kind: string; why: string }) => e.kind === 'incident' && /caused by/.test(e.why));
    expect(incident).toBeDefined();
    expect(a.reasons.some((x: { citations: string[] }) => x.citations.includes(incident.id))).toBe(true);
    const human = await gate('--version', 'g-risky', '--from', 'trivial', '--to', 'risky');
    expect(human.code).toBe(1);
    expect(human.out).toMatch(/^shipcheck gate: HELD/);
    expect(human.out).toContain('INC-');
    // The incident a similar release caused is a reason, not only a line under evidence.
    expect(human.out).toMatch(/^ {2}- A similar past release caused incident INC-/m);
    // Every #n a reason cites is listed under evidence, numbered from #1 in the order first cited.
    const cited = [...new Set([...human.out.split('evidence:')[0]!.matchAll(/#(\d+)/g)].map((m) => Number(m[1])))];
    const listed = [...human.out.matchAll(/^ {2}#(\d+) \[/gm)].map((m) => Number(m[1]));
    expect(cited.length).toBeGreaterThan(1);
    expect(cited).toEqual(listed.slice(0, cited.length));
    expect(listed).toEqual(listed.map((_, i) => i + 1));
    // Every evidence line links to GET /v1/evidence/:id, and the link opens.
    const links = [...human.out.matchAll(new RegExp(`${t.url}/v1/evidence/\\S+`, 'g'))].map((m) => m[0]);
    expect(links).toHaveLength(listed.length);
    for (const link of links) {
      const res = await fetch(link, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
    }
  });

  it('holds a range whose commits an earlier release already shipped (a re-land), never scoring it as empty', async () => {
    const first = JSON.parse((await gate('--version', 'g-land', '--from', 'trivial', '--to', 'risky', '--json')).out);
    const again = await gate('--version', 'g-reland', '--from', 'trivial', '--to', 'risky', '--json');
    expect(again.code).toBe(1);
    const a = JSON.parse(again.out);
    expect(a.degraded).not.toContain('no_changes');
    expect(a.probability).toBeGreaterThanOrEqual(first.probability);
    const release = await t.call('GET', `/v1/releases/${a.releaseId}`, { token });
    expect(release.body.changes).toBe(1);
  });

  it('a version registered before with another range is a conflict: exit 2 naming it, even under --fail-open', async () => {
    expect((await gate('--version', 'g-conflict', '--from', 'base', '--to', 'trivial')).code).toBe(0);
    for (const extra of [[], ['--fail-open']]) {
      const r = await gate('--version', 'g-conflict', '--from', 'trivial', '--to', 'risky', ...extra);
      expect(r.code).toBe(2);
      expect(r.err).toContain('409 release_conflict');
      expect(r.err).toContain('changes');
    }
  });

  it('a wrong token is an error (exit 2)', async () => {
    const bad = await run(['gate', '--service', 'checkout', '--version', 'x', '--server', t.url, '--token', 'sc_wrong'], {});
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('401');
  });

  it('a refused token (401), a missing scope (403) or a request the server rejects (400) exits 2 even under --fail-open', async () => {
    const readOnly = await t.token(DEMO_TENANT, ['read']);
    const cases = [
      { token: 'sc_mistyped', version: 'f-401', status: '401 unauthorized' },
      { token: readOnly, version: 'f-403', status: '403 forbidden' },
      { token, version: 'v'.repeat(201), status: '400 validation_failed' },
    ];
    for (const c of cases) {
      const r = await run(
        ['gate', '--service', 'checkout', '--version', c.version, '--server', t.url, '--token', c.token, '--fail-open'],
        {},
      );
      expect(r.code, c.status).toBe(2);
      expect(r.err, c.status).toContain(c.status);
      expect(r.err, c.status).toContain('fails open only on an outage');
      expect(r.err, c.status).not.toContain('WARNING');
    }
  });
});

/** A stand-in for a server in trouble: answers every request with `status` and `body`, or never answers. */
async function troubledServer(answer: { status: number; body: string; type: string } | 'never') {
  const server = http.createServer((_req, res) => {
    if (answer === 'never') return; // holds the request open until closed
    res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('shipcheck gate --fail-open covers outages only', () => {
  const envelope = (code: string) => JSON.stringify({ error: { code, message: 'down for a moment', requestId: 'r-1' } });
  const outages = [
    { name: '503 unavailable', answer: { status: 503, body: envelope('unavailable'), type: 'application/json' } },
    { name: '500 internal', answer: { status: 500, body: envelope('internal'), type: 'application/json' } },
    { name: "a proxy's 502 page", answer: { status: 502, body: '<html>Bad Gateway</html>', type: 'text/html' } },
    { name: 'no answer within --timeout-ms', answer: 'never' as const },
  ];
  for (const o of outages) {
    it(`${o.name}: exit 2, or 0 with a WARNING under --fail-open`, async () => {
      const server = await troubledServer(o.answer);
      try {
        const args = ['gate', '--service', 'checkout', '--version', '1', '--server', server.url, '--token', 'sc_x', '--timeout-ms', '500'];
        const closed = await run(args, {});
        expect(closed.code).toBe(2);
        const open = await run([...args, '--fail-open'], {});
        expect(open.code).toBe(0);
        expect(open.err).toMatch(/^WARNING: shipcheck gate failed open \(exit 0\)/m);
      } finally {
        await server.close();
      }
    });
  }

  it('a 4xx from something in front of the server (a proxy refusing the call) is not an outage', async () => {
    const server = await troubledServer({ status: 403, body: '<html>Forbidden</html>', type: 'text/html' });
    try {
      const r = await run(
        ['gate', '--service', 'checkout', '--version', '1', '--server', server.url, '--token', 'sc_x', '--fail-open'],
        {},
      );
      expect(r.code).toBe(2);
      expect(r.err).toContain('answered 403');
    } finally {
      await server.close();
    }
  });
});

describe('shipcheck gate errors', () => {
  it('an unreachable server exits 2, or 0 with a WARNING under --fail-open', async () => {
    const args = ['gate', '--service', 'checkout', '--version', '1', '--server', 'http://127.0.0.1:59999', '--token', 'sc_x'];
    const closed = await run(args, {});
    expect(closed.code).toBe(2);
    expect(closed.err).toContain('cannot reach');
    const open = await run([...args, '--fail-open'], {});
    expect(open.code).toBe(0);
    expect(open.err).toMatch(/^WARNING: shipcheck gate failed open \(exit 0\)/m);
  });

  it('usage errors stay exit 2 even with --fail-open', async () => {
    expect((await run(['gate', '--version', '1', '--fail-open'], {})).code).toBe(2);
    expect((await run(['gate', '--service', 's', '--version', '1', '--fail-on', 'extreme', '--fail-open'], {})).code).toBe(2);
    expect((await run(['gate', '--service', 's', '--version', '1', '--from', 'a'], {})).code).toBe(2);
  });

  it('a bad git range exits 2, even under --fail-open (a shallow clone or a wrong ref would turn the gate off for good)', async () => {
    const env = { SHIPCHECK_DATA_DIR: path.join(dataDir, 'db'), SHIPCHECK_DEMO: '0' };
    const args = ['gate', '--service', 'checkout', '--version', '1', '--repo', repo, '--from', 'nope', '--to', 'risky'];
    expect((await run(args, env)).code).toBe(2);
    const open = await run([...args, '--fail-open'], env);
    expect(open.code).toBe(2);
    expect(open.err).toContain('git rev-list failed');
  });

  it('on a fresh embedded data dir, creates tenant "default" with its admin token as serve does, and says so', async () => {
    const fresh = path.join(dataDir, 'fresh');
    const env = { SHIPCHECK_DATA_DIR: path.join(fresh, 'db'), SHIPCHECK_DEMO: '0' };
    const r = await run(['gate', '--service', 'checkout', '--version', 'n-1', '--repo', repo, '--from', 'base', '--to', 'trivial'], env);
    expect(r.err).not.toContain('no tenant');
    expect(r.code).toBe(0);
    const tokenFile = path.join(fresh, 'admin-token');
    expect(r.err).toContain(`created tenant "default" with an admin token in ${tokenFile} (mode 0600)`);
    expect(fs.readFileSync(tokenFile, 'utf8')).toMatch(/^sc_\S+\n$/);
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    // The token is not printed (CI logs), and only the first command creates anything.
    expect(r.err + r.out).not.toContain(fs.readFileSync(tokenFile, 'utf8').trim());
    const again = await run(
      ['gate', '--service', 'checkout', '--version', 'n-2', '--repo', repo, '--from', 'base', '--to', 'trivial'],
      env,
    );
    expect(again.code).toBe(0);
    expect(again.err).not.toContain('created tenant');
  }, 120_000); // a new embedded database (initdb), opened twice

  it('runs embedded with no server: the prior model, flagged degraded', async () => {
    const env = { SHIPCHECK_DATA_DIR: path.join(dataDir, 'db'), SHIPCHECK_DEMO: '0' };
    expect((await run(['tokens', 'create', '--tenant', 'default', '--scopes', 'read', '--name', 'x'], env)).code).toBe(0);
    const r = await run(
      [
        'gate',
        '--service',
        'checkout',
        '--version',
        'e-1',
        '--repo',
        repo,
        '--from',
        'trivial',
        '--to',
        'risky',
        '--fail-on',
        'medium',
        '--json',
      ],
      env,
    );
    const a = JSON.parse(r.out);
    expect(a.degraded).toContain('prior_model');
    expect(a.model.version).toBe('prior-1');
    expect(r.code).toBe(a.gate.exit);
    expect(['medium', 'high', 'critical']).toContain(a.level);
    expect(r.code).toBe(1);
    const trivial = await run(
      ['gate', '--service', 'checkout', '--version', 'e-2', '--repo', repo, '--from', 'base', '--to', 'trivial', '--json'],
      env,
    );
    expect(JSON.parse(trivial.out).probability).toBeLessThan(a.probability);
    expect(trivial.code).toBe(0);
    // Without a server, each evidence line names the command that opens it, and that command does.
    const human = await run(
      ['gate', '--service', 'checkout', '--version', 'e-1', '--repo', repo, '--from', 'trivial', '--to', 'risky'],
      env,
    );
    const commands = [...human.out.matchAll(/^ {6}shipcheck evidence (\S+)$/gm)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThan(0);
    for (const id of commands) {
      const opened = await run(['evidence', id], env);
      expect(opened.code, id).toBe(0);
      expect(opened.out).toMatch(/^\[(chunk|release|change|incident)\] /);
    }
    const missing = await run(['evidence', 'change:00000000-0000-4000-8000-000000000000'], env);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no evidence change:00000000');
  }, 120_000); // five commands, each opening the embedded database
});
