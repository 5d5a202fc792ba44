import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutTelemetry } from '../../fixtures/rollout/telemetry.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { pgliteForTests } from '../support/db.js';
import { startReceiver } from '../support/receiver.js';
import { until } from '../support/until.js';

/** Notifications go through the job queue: a receiver that fails is retried with backoff; one that never answers is given up on, and both are recorded. */
describe('advisor notifications when the receiver fails', () => {
  let t: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let token: string;
  let tenantId: string;
  let clock = Date.UTC(2026, 11, 7, 16, 0, 0);

  beforeAll(async () => {
    // The first call to /flaky fails with 500; /hang never answers.
    receiver = await startReceiver((r, n) => (r.path === '/hang' ? 'hang' : r.path === '/flaky' && n === 1 ? 500 : 200));
    t = await startTestServer({
      database: await pgliteForTests(),
      env: { SHIPCHECK_WEBHOOK_TIMEOUT_MS: '300' },
      clock: () => clock,
      sweep: { outboxEveryMs: 200 },
    });
    token = await t.token('acme', ['ingest', 'read', 'advise', 'admin']);
    tenantId = (await t.app.store.tenants.bySlug('acme'))!.id;
    for (const p of ['/flaky', '/hang']) await t.call('POST', '/v1/webhooks', { token, body: { url: receiver.url + p } });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('delivers once after a 500 (retried), records a receiver that times out as failed, and never sends one advisory twice', async () => {
    const r = await t.call('POST', '/v1/releases', { token, body: { service: 'checkout', version: '8.0.0' } });
    await t.call('POST', `/v1/releases/${r.body.id}/rollout`, {
      token,
      body: { action: 'start', canaryWeight: 0.1, startedAt: new Date(clock).toISOString() },
    });
    const from = clock;
    clock += 3000;
    const first = await t.call('POST', `/v1/releases/${r.body.id}/telemetry`, {
      token,
      body: rolloutTelemetry({ fromMs: from, toMs: clock, stepMs: 1000, bad: false }),
    });
    const advisoryId = first.body.advisory.id;
    // The same batch again: same action, no new notification.
    await t.call('POST', `/v1/releases/${r.body.id}/telemetry`, {
      token,
      body: rolloutTelemetry({ fromMs: from, toMs: clock, stepMs: 1000, bad: false }),
    });
    const flaky = await until(
      'the flaky receiver delivered',
      () => t.app.store.advisor.notifications.list(tenantId, advisoryId),
      (l) => l.some((n) => n.state === 'sent'),
    );
    expect(flaky.find((n) => n.state === 'sent')!.attempts).toBe(2);
    expect(receiver.received.filter((x) => x.path === '/flaky')).toHaveLength(2);
    // 5 attempts of 300 ms timeouts with 1+2+4+8 s of backoff: about 17 s before it is given up on.
    const hung = await until(
      'the hanging receiver given up',
      () => t.app.store.advisor.notifications.list(tenantId, advisoryId),
      (l) => l.some((n) => n.state === 'failed'),
      40_000,
    );
    expect(hung.find((n) => n.state === 'failed')!.result).toMatchObject({ detail: expect.stringMatching(/timed out|timeout/i) });
    expect(receiver.received.filter((x) => x.path === '/hang')).toHaveLength(5);
    expect(receiver.received.filter((x) => x.path === '/flaky')).toHaveLength(2);
  }, 60_000);
});
