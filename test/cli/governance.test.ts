import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.js';
import { runCli } from '../support/cli.js';
import { pgliteForTests } from '../support/db.js';

const POLICY = `service: checkout
owners: [olga]
approvals:
  low: one
  medium: one
  high: two_with_owner
`;

/** `shipcheck policy`, `audit`, `dora`, `tokens create --server` and `eval agreement`, against a running server and embedded. */
describe('shipcheck policy, audit, dora', () => {
  let t: TestServer;
  let admin: string;
  let releaseId: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-governance-cli-'));
  const server = (token = admin) => ['--server', t.url, '--token', token];

  beforeAll(async () => {
    t = await startTestServer({ database: await pgliteForTests() });
    admin = (await t.app.tokens.create({ tenant: 'acme', name: 'lee', scopes: ['admin'] })).token;
    releaseId = (await t.call('POST', '/v1/releases', { token: admin, body: { service: 'checkout', version: '4.0.0' } })).body.id;
    expect((await t.call('POST', `/v1/releases/${releaseId}/risk`, { token: admin })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a policy file with an unknown key (exit 1, its line named), then stores a good one', async () => {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, POLICY.replace('owners', 'ownerz'));
    const refused = await runCli(['policy', 'set', '--file', bad, '--reason', 'try', ...server()]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/ownerz/);
    expect(refused.err).toMatch(/line 2/);
    const good = path.join(dir, 'good.yaml');
    fs.writeFileSync(good, POLICY);
    const set = await runCli(['policy', 'set', '--file', good, '--reason', 'a second pair of eyes', ...server()]);
    expect(set.code).toBe(0);
    expect(set.out).toMatch(/policy of checkout: version 1 stored \(by lee: a second pair of eyes\)/);
    expect((await runCli(['policy', 'list', ...server()])).out).toMatch(/checkout {2}v1/);
  });

  it('checks a release against its policy: exit 1 while an approval is missing, 0 once given', async () => {
    const held = await runCli(['policy', 'check', releaseId, ...server()]);
    expect(held.code).toBe(1);
    expect(held.out).toMatch(/needs approval/);
    expect(held.out).toMatch(/missing: needs 1 more approval/);
    // A second token, made over HTTP while the server holds the database.
    const made = await runCli(['tokens', 'create', '--scopes', 'read,approve', '--name', 'ana', ...server()]);
    expect(made.code).toBe(0);
    const ana = made.out.trim();
    expect(ana).toMatch(/^sc_/);
    expect(
      (await t.call('POST', `/v1/releases/${releaseId}/decisions`, { token: ana, body: { action: 'approve', reason: 'ok' } })).status,
    ).toBe(201);
    // A bad or unknown id is an error (2), never a verdict (1) a CI script would read as "held".
    expect((await runCli(['policy', 'check', 'not-a-release', ...server()])).code).toBe(2);
    expect((await runCli(['policy', 'check', '00000000-0000-4000-8000-000000000000', ...server()])).code).toBe(2);
    const allowed = await runCli(['policy', 'check', releaseId, ...server()]);
    expect(allowed.code).toBe(0);
    expect(allowed.out).toMatch(/approved by ana/);
  });

  it('verifies the chain, exports it, and names the entry edited or deleted in an exported file', async () => {
    const ok = await runCli(['audit', 'verify', ...server()]);
    expect(ok.code).toBe(0);
    // lee's token, the policy, ana's token (made over HTTP), her approval.
    expect(ok.out).toMatch(/audit chain verified: 4 entries/);
    const file = path.join(dir, 'audit.jsonl');
    const exported = await runCli(['audit', 'export', '--out', file, ...server()]);
    expect(exported.code).toBe(0);
    expect((await runCli(['audit', 'verify', '--file', file])).code).toBe(0);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    const edited = path.join(dir, 'edited.jsonl');
    expect(JSON.parse(lines[3]!)).toMatchObject({ seq: 4, action: 'approve', reason: 'ok' });
    fs.writeFileSync(edited, [...lines.slice(0, 3), lines[3]!.replace('"reason":"ok"', '"reason":"approved by the board"')].join('\n'));
    const broken = await runCli(['audit', 'verify', '--file', edited]);
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/BROKEN at entry #4 .*edited/);
    const cut = path.join(dir, 'cut.jsonl');
    fs.writeFileSync(cut, lines[1]!);
    const gap = await runCli(['audit', 'verify', '--file', cut]);
    expect(gap.code).toBe(1);
    expect(gap.out).toMatch(/#2 .*deleted/);
    // A cut tail is invisible from inside; the head an earlier check printed names it.
    const head = /head ([0-9a-f]{64})/.exec(ok.out)![1]!;
    const tail = path.join(dir, 'tail.jsonl');
    fs.writeFileSync(tail, lines.slice(0, 3).join('\n'));
    expect((await runCli(['audit', 'verify', '--file', tail])).code).toBe(0);
    const named = await runCli(['audit', 'verify', '--file', tail, '--head', head]);
    expect(named.code).toBe(1);
    expect(named.out).toMatch(/deleted/);
    const viaServer = await runCli(['audit', 'verify', '--head', head, ...server()]);
    expect(viaServer.code).toBe(0);
    expect((await runCli(['audit', 'verify', '--head', 'nope', ...server()])).code).toBe(2);
    const csv = await runCli(['audit', 'export', '--format', 'csv', '--out', path.join(dir, 'audit.csv'), ...server()]);
    expect(csv.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'audit.csv'), 'utf8').split('\r\n')[0]).toMatch(/^seq,id,at,/);
  });

  it('writes a long export to a pipe whole: the command waits for its output to drain before it exits', async () => {
    for (let i = 0; i < 150; i++) {
      const doc = { service: 'search', approvals: { low: i % 2 ? 'one' : 'none' } };
      expect(
        (await t.call('PUT', '/v1/policies/search', { token: admin, body: { document: doc, reason: `step ${i} ${'x'.repeat(300)}` } }))
          .status,
      ).toBe(200);
    }
    // Spawned without blocking: this process serves the requests the child makes.
    const child = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, ['bin/shipcheck.js', 'audit', 'export', ...server()]);
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stderr += d));
      p.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(child.stderr).not.toMatch(/cannot|error/i);
    expect(child.status).toBe(0);
    expect(child.stdout.length).toBeGreaterThan(65_536);
    const lines = child.stdout.trim().split('\n');
    const total = (await t.call('GET', '/v1/audit/verify', { token: admin })).body.checked;
    expect(total).toBeGreaterThan(150);
    expect(lines).toHaveLength(total);
    expect(JSON.parse(lines.at(-1)!).seq).toBe(total);
  });

  it('prints DORA with definitions, and refuses an unknown definition', async () => {
    const r = await runCli(['dora', ...server()]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/deployment frequency/);
    expect(r.out).toMatch(/definitions:/);
    const bad = await runCli(['dora', '--incident-attribution', 'blame', ...server()]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--incident-attribution "blame" is not allowed/);
  });

  it('reports agreement with people on the embedded database (empty: nothing compared, no NaN)', async () => {
    const env = { SHIPCHECK_DATA_DIR: path.join(dir, 'db'), SHIPCHECK_DEMO: '0' };
    const r = await runCli(['eval', 'agreement', '--json'], env);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.n).toBe(0);
    expect(report.agreementRate).toBeNull();
  });
});

describe('a command with no --server mode, while a server holds the embedded database', () => {
  it('says to stop the server, not to use --server it does not take (import history, eval agreement)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-locked-'));
    const dataDir = path.join(dir, 'db');
    // This process is alive: its pid in the lock file is what a running server leaves there.
    fs.writeFileSync(`${dataDir}.lock`, String(process.pid));
    try {
      const env = { SHIPCHECK_DATA_DIR: dataDir, SHIPCHECK_DEMO: '0' };
      for (const argv of [
        ['import', 'history', 'fixtures/history/releases.jsonl'],
        ['eval', 'agreement'],
      ]) {
        const r = await runCli(argv, env);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/in use by process/);
        expect(r.err).toMatch(/reads the database itself \(it has no --server mode\): stop the server first/);
        expect(r.err).not.toMatch(/--server http/);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
