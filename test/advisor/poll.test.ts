import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutTelemetry } from '../../fixtures/rollout/telemetry.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { pgliteForTests } from '../support/db.js';
import { until } from '../support/until.js';
import { json, startStub, type Stub } from '../connectors/stub-server.js';

/**
 * The poll job: a watched rollout with a Prometheus source is polled by the
 * worker's timer, its samples stored and judged at each poll. Prometheus
 * here is a local stub answering query_range from the bad canary's data; a
 * real Prometheus is exercised by the connector's own test.
 */
describe('polling Prometheus while a rollout is watched', () => {
  let t: TestServer;
  let prom: Stub;
  let token: string;
  let mode: 'ok' | 'garbage' = 'ok';

  beforeAll(async () => {
    prom = await startStub((req, res) => {
      if (mode === 'garbage') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy error</html>');
      const q = req.url.searchParams;
      const [metric, group] = (q.get('query') ?? '').split(':') as [string, 'canary' | 'baseline'];
      const start = Number(q.get('start')) * 1000;
      const end = Number(q.get('end')) * 1000;
      const data = rolloutTelemetry({ fromMs: start - 1, toMs: end, stepMs: 1000, bad: true });
      const values = data.samples.filter((s) => s.metric === metric && s.group === group).map((s) => [s.ts, String(s.value)]);
      json(res, 200, { status: 'success', data: { resultType: 'matrix', result: values.length ? [{ metric: { group }, values }] : [] } });
    });
    t = await startTestServer({ database: await pgliteForTests(), sweep: { pollCheckEveryMs: 200 } });
    token = await t.token('acme', ['ingest', 'read', 'advise', 'admin']);
  });
  afterAll(async () => {
    await t?.close();
    await prom?.close();
  });

  const source = () => ({
    url: prom.url,
    stepSeconds: 1,
    queries: ['requests', 'errors', 'latency_p99_ms'].map((m) => ({ metric: m, canary: `${m}:canary`, baseline: `${m}:baseline` })),
  });
  const advice = async (id: string) => (await t.call('GET', `/v1/releases/${id}/advice?history=true`, { token })).body;

  // Naming a Prometheus source on a rollout needs the admin scope (it makes the server fetch a URL on a timer).
  it('polls, stores and judges: a bad canary reaches rollback with no telemetry POSTed', async () => {
    const r = await t.call('POST', '/v1/releases', { token, body: { service: 'checkout', version: '5.0.0' } });
    const start = await t.call('POST', `/v1/releases/${r.body.id}/rollout`, {
      token,
      body: { action: 'start', canaryWeight: 0.1, startedAt: new Date(Date.now() - 60_000).toISOString(), prometheus: source() },
    });
    expect(start.status).toBe(200);
    const done = await until(
      'a rollback from polls',
      () => advice(r.body.id),
      (a) => a.latest?.action === 'rollback',
      30_000,
    );
    expect(done.latest.metrics.find((m: any) => m.name === 'errors').verdict).toBe('fail');
    expect(done.history.every((a: any) => a.action !== 'continue' && a.action !== 'promote')).toBe(true);
    expect(prom.requests.some((q) => q.url.pathname === '/api/v1/query_range')).toBe(true);
    await t.call('POST', `/v1/releases/${r.body.id}/rollout`, { token, body: { action: 'stop' } });
  });

  it('a Prometheus answering garbage or down gives no verdict: never continue, promote or rollback', async () => {
    mode = 'garbage';
    const r = await t.call('POST', '/v1/releases', { token, body: { service: 'checkout', version: '5.0.1' } });
    await t.call('POST', `/v1/releases/${r.body.id}/rollout`, {
      token,
      body: { action: 'start', canaryWeight: 0.1, startedAt: new Date(Date.now() - 60_000).toISOString(), prometheus: source() },
    });
    const first = await until(
      'a look despite garbage',
      () => advice(r.body.id),
      (a) => (a.history?.length ?? 0) >= 2,
      20_000,
    );
    await prom.close();
    const down = await until(
      'a look with Prometheus down',
      () => advice(r.body.id),
      (a) => a.history.length >= first.history.length + 2,
      20_000,
    );
    for (const a of down.history) expect(['insufficient_data', 'needs_human']).toContain(a.action);
    await t.call('POST', `/v1/releases/${r.body.id}/rollout`, { token, body: { action: 'stop' } });
  });
});
