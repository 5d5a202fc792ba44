import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutTelemetry } from '../../fixtures/rollout/telemetry.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { pgliteForTests } from '../support/db.js';

/** Argo Rollouts' web metric and Flagger's webhooks, over HTTP, through a bad canary's life. */
describe('Argo and Flagger routes', () => {
  let t: TestServer;
  let token: string;
  let reader: string;
  let other: string;
  let releaseId: string;
  let clock = Date.UTC(2026, 11, 7, 12, 0, 0);
  const flagger = (check: string, metadata: Record<string, string>, headers: Record<string, string> = {}) =>
    t.call('POST', `/v1/integrations/flagger/${check}`, {
      body: { name: 'checkout', namespace: 'shop', phase: 'Progressing', metadata },
      headers,
    });

  beforeAll(async () => {
    t = await startTestServer({ database: await pgliteForTests(), clock: () => clock });
    token = await t.token('acme', ['ingest', 'read', 'advise', 'approve']);
    reader = await t.token('acme', ['read']);
    other = await t.token('globex', ['read']);
    const r = await t.call('POST', '/v1/releases', { token, body: { service: 'checkout', version: '7.0.0', strategy: 'canary' } });
    releaseId = r.body.id;
  });
  afterAll(async () => t?.close());

  it('answers `none` (inconclusive) before any advisory, by service or release, and never a JSONPath hole', async () => {
    const byService = await t.call('GET', '/v1/integrations/argo?service=checkout', { token: reader });
    expect(byService.status).toBe(200);
    expect(byService.body).toMatchObject({ action: 'none', releaseId: null });
    const byRelease = await t.call('GET', `/v1/integrations/argo?release=${releaseId}`, { token: reader });
    expect(byRelease.body).toMatchObject({ action: 'none', releaseId });
    expect((await t.call('GET', '/v1/integrations/argo', { token: reader })).status).toBe(400);
    expect((await t.call('GET', `/v1/integrations/argo?release=${releaseId}`, { token: other })).status).toBe(404);
    expect((await t.call('GET', `/v1/integrations/argo?release=${releaseId}`)).status).toBe(401);
  });

  it('follows the watched rollout: rollback advice fails Argo and the rollout check; the rollback hook waits for a person', async () => {
    await t.call('POST', `/v1/releases/${releaseId}/rollout`, {
      token,
      body: { action: 'start', canaryWeight: 0.1, startedAt: new Date(clock).toISOString() },
    });
    let action = '';
    for (let i = 0; i < 40 && action !== 'rollback'; i++) {
      const from = clock;
      clock += 3000;
      const r = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, {
        token,
        body: rolloutTelemetry({ fromMs: from, toMs: clock, stepMs: 1000, bad: true }),
      });
      action = r.body.advisory.action;
    }
    expect(action).toBe('rollback');
    const argo = await t.call('GET', '/v1/integrations/argo?service=checkout', { token: reader });
    expect(argo.body).toMatchObject({ action: 'rollback', releaseId, decidedBy: 'advice' });
    // Flagger sends no headers: the token rides in metadata.
    const rollout = await flagger('rollout', { service: 'checkout', token: reader });
    expect(rollout.status).toBe(412);
    expect(rollout.body).toMatchObject({ check: 'rollout', pass: false, action: 'rollback' });
    expect(JSON.stringify(rollout.body)).not.toContain(reader);
    expect((await flagger('rollback', { releaseId, token: reader })).status).toBe(412);
    const decided = await t.call('POST', `/v1/releases/${releaseId}/decisions`, {
      token,
      body: { action: 'rollback', reason: 'the canary answers 502s' },
    });
    expect(decided.status).toBe(201);
    const hook = await flagger('rollback', { releaseId, token: reader });
    expect(hook.status).toBe(200);
    expect(hook.body).toMatchObject({ pass: true, decidedBy: 'decision' });
  });

  it('refuses Flagger calls without a usable token, from another tenant, or without a release to answer for', async () => {
    expect((await flagger('rollout', { service: 'checkout' })).status).toBe(401);
    expect((await flagger('rollout', { service: 'checkout', token: 'sc_nope' })).status).toBe(401);
    expect((await flagger('rollout', { releaseId, token: other })).status).toBe(404);
    const noTarget = await flagger('rollout', { token: reader });
    expect(noTarget.status).toBe(400);
    expect(noTarget.body.error.message).toMatch(/releaseId or service/);
    expect((await flagger('nonsense', { releaseId, token: reader })).status).toBe(400);
    // A header token wins over the body's.
    expect((await flagger('rollout', { releaseId, token: 'sc_nope' }, { authorization: `Bearer ${reader}` })).status).toBe(412);
  });
});
