import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutTelemetry } from '../../fixtures/rollout/telemetry.js';
import { runCli } from '../support/cli.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { pgliteForTests } from '../support/db.js';

/** `shipcheck advisor` against a running server, and on the embedded database. */
describe('shipcheck advisor', () => {
  let t: TestServer;
  let token: string;
  let releaseId: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-advisor-cli-'));
  let clock = Date.now() - 120_000;
  const server = () => ['--server', t.url, '--token', token];

  beforeAll(async () => {
    t = await startTestServer({ database: await pgliteForTests(), clock: () => clock });
    token = (await t.app.tokens.create({ tenant: 'acme', name: 'lee (release manager)', scopes: ['admin'] })).token;
    releaseId = (await t.call('POST', '/v1/releases', { token, body: { service: 'checkout', version: '4.0.0' } })).body.id;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the default metrics, then sets them from a YAML file, refusing a bad one with the field named', async () => {
    const shown = await runCli(['advisor', 'metrics', '--service', 'checkout', ...server()]);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/the defaults/);
    expect(shown.out).toMatch(/errors\s+count\/requests/);
    const set = await runCli(['advisor', 'metrics', '--service', 'checkout', '--file', 'docs/advisor/metrics.example.yaml', ...server()]);
    expect(set.code).toBe(0);
    expect(set.out).toMatch(/configured/);
    expect(set.out).toMatch(/prometheus http:\/\/prometheus\.monitoring:9090 every 30s, 3 queries/);
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'metrics:\n  - name: errors\n    direction: sideways\n');
    const refused = await runCli(['advisor', 'metrics', '--service', 'checkout', '--file', bad, ...server()]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/metrics\.0\.direction/);
    fs.writeFileSync(bad, 'metrics: [unclosed');
    expect((await runCli(['advisor', 'metrics', '--service', 'checkout', '--file', bad, ...server()])).err).toMatch(/bad\.yaml/);
  });

  it('shows the advice of a watched release and records a decision under the token name', async () => {
    await t.call('POST', `/v1/releases/${releaseId}/rollout`, {
      token,
      body: { action: 'start', canaryWeight: 0.1, startedAt: new Date(clock).toISOString(), metrics: [{ name: 'latency_p99_ms' }] },
    });
    const from = clock;
    clock += 30_000;
    await t.call('POST', `/v1/releases/${releaseId}/telemetry`, {
      token,
      body: rolloutTelemetry({ fromMs: from, toMs: clock, stepMs: 1000, bad: false }),
    });
    const show = await runCli(['advisor', 'show', releaseId, '--history', ...server()]);
    expect(show.code).toBe(0);
    expect(show.out).toMatch(/watch: watching \(canary/);
    expect(show.out).toMatch(/#1 .* (CONTINUE|INSUFFICIENT_DATA|PROMOTE)/);
    expect(show.out).toMatch(/latency_p99_ms \(canary n=30, baseline n=30\)\s+window:/);
    // Unscored, the release is held by its policy, and the advice says what is missing.
    expect(show.out).toMatch(/policy: held — /);
    expect(show.out).toMatch(/missing: an assessment/);
    const decided = await runCli([
      'advisor',
      'decide',
      releaseId,
      '--action',
      'halt',
      '--reason',
      'waiting for the payments team',
      ...server(),
    ]);
    expect(decided.code).toBe(0);
    expect(decided.out).toMatch(/recorded: halt by lee \(release manager\)/);
    const json = await runCli(['advisor', 'show', releaseId, '--json', ...server()]);
    expect(JSON.parse(json.out).latest.sequence).toBe(1);
  });

  it('says what is wrong, exit 2: an unknown release, a bad action, no subcommand', async () => {
    const unknown = await runCli(['advisor', 'show', '00000000-0000-4000-8000-000000000000', ...server()]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/404 not_found/);
    expect((await runCli(['advisor', 'decide', releaseId, '--action', 'nope', '--reason', 'x', ...server()])).err).toMatch(
      /--action must be one of/,
    );
    expect((await runCli(['advisor', ...server()])).code).toBe(2);
  });

  it('works on the embedded database too, naming the local user as the actor', async () => {
    const env = { SHIPCHECK_DATA_DIR: path.join(dir, 'db'), SHIPCHECK_DEMO: '0' };
    const shown = await runCli(['advisor', 'metrics', '--service', 'search'], env);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/search: the defaults/);
    const none = await runCli(['advisor', 'decide', '00000000-0000-4000-8000-000000000000', '--action', 'halt', '--reason', 'x'], env);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no release/);
  });
});
