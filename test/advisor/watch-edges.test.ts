import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutTelemetry } from '../../fixtures/rollout/telemetry.js';
import { boundedLines, LOOK_LINE_CHARS, LOOK_LOG_CHARS } from '../../src/advisor/evaluate.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { pgliteForTests } from '../support/db.js';
import { startReceiver } from '../support/receiver.js';
import { until } from '../support/until.js';

/** The edges of a watch: concurrent looks, advice gone stale, a watch started again, and what each scope may do. */
describe('watch edges', () => {
  let t: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let token: string;
  let admin: string;
  let reader: string;
  let clock = Date.UTC(2026, 11, 7, 18, 0, 0);

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await startTestServer({ database: await pgliteForTests(), clock: () => clock, sweep: { outboxEveryMs: 200 } });
    token = await t.token('acme', ['ingest', 'read', 'advise', 'approve']);
    admin = await t.token('acme', ['admin']);
    reader = await t.token('acme', ['read']);
    await t.call('POST', '/v1/webhooks', { token: admin, body: { url: `${receiver.url}/edges`, service: 'edges' } });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  async function watched(version: string) {
    const r = await t.call('POST', '/v1/releases', { token, body: { service: 'edges', version } });
    await t.call('POST', `/v1/releases/${r.body.id}/rollout`, {
      token,
      body: { action: 'start', canaryWeight: 0.1, startedAt: new Date(clock).toISOString() },
    });
    return r.body.id as string;
  }
  const batch = (from: number, to: number, bad: boolean) => rolloutTelemetry({ fromMs: from, toMs: to, stepMs: 1000, bad });

  it('concurrent batches each get their own look, in sequence, and each change of action is notified once', async () => {
    const id = await watched('1.0.0');
    const from = clock;
    clock += 40_000;
    const parts = [0, 1, 2, 3].map((i) => batch(from + i * 10_000, from + (i + 1) * 10_000, true));
    const answers = await Promise.all(parts.map((body) => t.call('POST', `/v1/releases/${id}/telemetry`, { token, body })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const history = (await t.call('GET', `/v1/releases/${id}/advice?history=true`, { token })).body.history;
    expect(history.map((a: { sequence: number }) => a.sequence)).toEqual([1, 2, 3, 4]);
    const changes = history.filter((a: { action: string }, i: number) => i === 0 || history[i - 1].action !== a.action).length;
    const mine = () => receiver.received.filter((r) => r.body.release?.id === id);
    await until('notifications', mine, (l) => l.length >= changes);
    await new Promise((r) => setTimeout(r, 500));
    expect(mine()).toHaveLength(changes);
  });

  it('advice does not outlive its data: Argo asking hours after the last sample gets no pass', async () => {
    const id = await watched('1.1.0');
    let action = '';
    for (let i = 0; i < 40 && action !== 'continue' && action !== 'promote'; i++) {
      const from = clock;
      clock += 5000;
      action = (await t.call('POST', `/v1/releases/${id}/telemetry`, { token, body: batch(from, clock, false) })).body.advisory.action;
    }
    expect(['continue', 'promote']).toContain(action);
    clock += 6 * 3600_000;
    const argo = await t.call('GET', `/v1/integrations/argo?release=${id}`, { token: reader });
    expect(argo.body.action).toBe('insufficient_data');
    const flagger = await t.call('POST', '/v1/integrations/flagger/confirm-promotion', {
      body: { name: 'edges', namespace: 'x', metadata: { releaseId: id, token: reader } },
    });
    expect(flagger.status).toBe(412);
  });

  it('a watch started again after an abort starts afresh: good data then promotes', async () => {
    const id = await watched('1.2.0');
    let action = '';
    for (let i = 0; i < 40 && action !== 'rollback'; i++) {
      const from = clock;
      clock += 3000;
      action = (await t.call('POST', `/v1/releases/${id}/telemetry`, { token, body: batch(from, clock, true) })).body.advisory.action;
    }
    expect(action).toBe('rollback');
    await t.call('POST', `/v1/releases/${id}/rollout`, { token, body: { action: 'stop', result: 'aborted' } });
    clock += 600_000;
    await t.call('POST', `/v1/releases/${id}/rollout`, {
      token,
      body: { action: 'start', canaryWeight: 0.1, startedAt: new Date(clock).toISOString(), minDurationSeconds: 60 },
    });
    const seen: string[] = [];
    for (let i = 0; i < 60 && seen.at(-1) !== 'promote'; i++) {
      const from = clock;
      clock += 5000;
      seen.push((await t.call('POST', `/v1/releases/${id}/telemetry`, { token, body: batch(from, clock, false) })).body.advisory.action);
    }
    expect(seen.at(-1)).toBe('promote');
    expect(seen).not.toContain('rollback');
  });

  it('only an admin names a Prometheus source; a password in its URL is never shown; reading metrics creates no service', async () => {
    const r = await t.call('POST', '/v1/releases', { token, body: { service: 'edges', version: '1.3.0' } });
    const source = { url: 'http://svc:S3cretPassw0rd@127.0.0.1:1/', queries: [{ metric: 'errors', canary: 'x' }] };
    const refused = await t.call('POST', `/v1/releases/${r.body.id}/rollout`, { token, body: { action: 'start', prometheus: source } });
    expect(refused.status).toBe(403);
    const put = await t.call('PUT', '/v1/services/edges/metrics', {
      token: admin,
      body: { metrics: [{ name: 'errors' }], prometheus: source },
    });
    expect(put.status).toBe(200);
    expect(JSON.stringify(put.body)).not.toContain('S3cretPassw0rd');
    const got = await t.call('GET', '/v1/services/edges/metrics', { token: reader });
    expect(JSON.stringify(got.body)).not.toContain('S3cretPassw0rd');
    expect(got.body.prometheus.url).toBe('http://***:***@127.0.0.1:1/');
    const started = await t.call('POST', `/v1/releases/${r.body.id}/rollout`, { token, body: { action: 'start' } });
    expect(JSON.stringify(started.body)).not.toContain('S3cretPassw0rd');
    await t.call('POST', `/v1/releases/${r.body.id}/rollout`, { token, body: { action: 'stop' } });
    const before = await t.app.store.services.list((await t.app.store.tenants.bySlug('acme'))!.id);
    const unknown = await t.call('GET', '/v1/services/never-seen/metrics', { token: reader });
    expect(unknown.body.defaults).toBe(true);
    expect(await t.app.store.services.list((await t.app.store.tenants.bySlug('acme'))!.id)).toHaveLength(before.length);
    const secretName = await t.call('PUT', '/v1/services/AKIAIOSFODNN7EXAMPL0/metrics', {
      token: admin,
      body: { metrics: [{ name: 'errors' }] },
    });
    expect(secretName.status).toBe(400);
  });

  it('a Flagger token that cannot be a header is no token (401), never a 500', async () => {
    for (const bad of ['sc_€', 'sc_\u0000x', 'a b'])
      expect(
        (
          await t.call('POST', '/v1/integrations/flagger/rollout', {
            body: { name: 'a', namespace: 'b', metadata: { service: 'edges', token: bad } },
          })
        ).status,
      ).toBe(401);
  });

  it('a polled point Prometheus revised replaces the stored one; a POSTed one with another value conflicts', async () => {
    const r = await t.call('POST', '/v1/releases', { token, body: { service: 'edges', version: '1.4.0' } });
    const tenantId = (await t.app.store.tenants.bySlug('acme'))!.id;
    const store = t.app.store.advisor.telemetry;
    const point = (value: number) => [{ metric: 'requests', group: 'canary' as const, tsMs: clock, value }];
    expect((await store.addSamples(tenantId, r.body.id, point(10))).stored).toBe(1);
    expect((await store.addSamples(tenantId, r.body.id, point(12))).conflicts).toHaveLength(1);
    const replaced = await store.addSamples(tenantId, r.body.id, point(12), { replace: true });
    expect(replaced.stored).toBe(1);
    const { series } = await store.series(tenantId, r.body.id, { untilMs: clock, limit: 10 });
    expect(series[0]!.points).toEqual([[clock, 12]]);
  });

  it('a look mines a bounded amount of log text: the newest lines, each cut to its head', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `${i} ${'x'.repeat(5000)}`);
    const kept = boundedLines(lines);
    expect(kept.every((l) => l.length <= LOOK_LINE_CHARS)).toBe(true);
    expect(kept.reduce((s, l) => s + l.length + 1, 0)).toBeLessThanOrEqual(LOOK_LOG_CHARS + LOOK_LINE_CHARS + 1);
    expect(kept.at(-1)!.startsWith('4999 ')).toBe(true);
    expect(boundedLines(['a', 'b'])).toEqual(['a', 'b']);
  });
});
