import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/risk/model/gbdt/rng.js';
import type { HistoryRelease } from '../../src/ingest/ports.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { runCli } from '../support/cli.js';
import { pgliteForTests } from '../support/db.js';

/**
 * Which model serves, end to end over HTTP on PGlite: a retrain chooses a
 * candidate and its figures show in GET /v1/risk/models and in every answer;
 * a retrain that fails validation is kept, flagged, and never serves.
 */
let t: TestServer;
let tenantId: string;
let scorer: string;
let reader: string;

/** A seeded stream in [0, 1): the same rows every run. */
const seeded = (seed: number) => mulberry32(seed);

const T0 = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;

/** Imported releases with precomputed metrics, one every 12 hours from `start`; `fails(la, rand)` decides the outcome. */
function releases(n: number, start: number, seed: number, fails: (la: number, r: () => number) => boolean): HistoryRelease[] {
  const rand = seeded(seed);
  return Array.from({ length: n }, (_, i) => {
    const la = Math.round(Math.exp(rand() * 7));
    const at = new Date(T0 + (start + i) * 12 * HOUR);
    return {
      service: 'api',
      version: `1.${start + i}.0`,
      createdAt: at,
      deployedAt: at,
      metrics: { la, ld: Math.round(la / 4), nf: 1 + Math.floor(rand() * 10) },
      outcome: fails(la, rand) ? 'failure' : 'success',
      outcomeAt: new Date(at.getTime() + HOUR),
    };
  });
}

beforeAll(async () => {
  t = await startTestServer({ database: await pgliteForTests() });
  tenantId = (await t.app.tokens.ensureTenant('acme')).id;
  scorer = await t.token('acme', ['ingest', 'read', 'score']);
  reader = await t.token('acme', ['read']);
}, 120_000);
afterAll(async () => t?.close());

async function scoreNew(version: string, la: number) {
  const created = await t.call('POST', '/v1/releases', {
    token: scorer,
    body: {
      service: 'api',
      version,
      changes: [{ id: version, title: 'change', files: [{ path: 'src/a.ts', additions: la, deletions: 1 }] }],
    },
  });
  expect([200, 201]).toContain(created.status);
  const scored = await t.call('POST', `/v1/releases/${created.body.id}/risk`, { token: scorer });
  expect(scored.status).toBe(200);
  return scored.body;
}

describe('the model that serves', () => {
  it('serves the chosen candidate, names it in each answer, and lists its validation', async () => {
    // Big changes fail: a history any candidate can learn.
    await t.app.releases.importHistory(
      tenantId,
      releases(300, 0, 1, (la, r) => r() < 1 / (1 + Math.exp(-(Math.log1p(la) - 4)))),
    );
    const trained = await t.app.risk.train(tenantId);
    expect(trained.trained).toHaveLength(1);
    expect(trained.trained[0]).toMatchObject({ status: 'serving', statusReason: null });
    // No service has a model of its own yet, and the summary says how far the largest is from one.
    expect(trained.largestService).toMatchObject({ service: 'api', releases: 300, needs: { releases: 400, failures: 60 } });
    const listed = (await t.call('GET', '/v1/risk/models', { token: reader })).body.models;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ version: 1, status: 'serving', selection: { chosen: trained.trained[0]!.chosen, failed: null } });
    expect(listed[0].selection.served.auc).toBeGreaterThan(0.65);
    const answer = await scoreNew('9.0.0', 3000);
    expect(answer.model.version).toBe(`${listed[0].algorithm}@v1`);
    expect(answer.model.selection.chosen).toBe(listed[0].selection.chosen);
    expect(answer.degraded).not.toContain('prior_model');
    // Its outcome, once recorded, is what moves the model's base-rate layer before the next retrain.
    const recorded = await t.call('POST', `/v1/releases/${answer.releaseId}/outcome`, { token: scorer, body: { outcome: 'failure' } });
    expect(recorded.status).toBe(200);
    const window = { since: new Date(listed[0].trainedAt), before: new Date(Date.now() + 60_000), limit: 10 };
    const heard = await t.app.store.risk.models.scoredOutcomes(tenantId, listed[0].id, window);
    expect(heard).toEqual([
      { probability: answer.probability, shift: answer.model.selection.baseRate.shift, failed: true, knownAt: expect.any(Date) },
    ]);
    const other = (await t.app.tokens.ensureTenant('globex')).id;
    expect(await t.app.store.risk.models.scoredOutcomes(other, listed[0].id, window)).toEqual([]);
    // Another tenant lists none of acme's models.
    const stranger = await t.token('globex', ['read']);
    expect((await t.call('GET', '/v1/risk/models', { token: stranger })).body.models).toEqual([]);
  }, 120_000);

  it('keeps the previous model serving when a retrain fails validation, and flags the retrain', async () => {
    // Then the outcomes stop meaning anything: coin flips, whatever the size.
    await t.app.releases.importHistory(
      tenantId,
      releases(500, 300, 2, (_la, r) => r() < 0.3),
    );
    const trained = await t.app.risk.train(tenantId);
    // 800 releases: the service now has enough for a model of its own too (v2 tenant-wide, v3 for api); both fail.
    expect(trained.trained.map((m) => [m.service, m.status])).toEqual([
      [null, 'rejected'],
      ['api', 'rejected'],
    ]);
    expect(trained.largestService).toBeUndefined();
    for (const m of trained.trained) expect(m.statusReason).toMatch(/no better than chance|lose to the training base rate/);
    const listed = (await t.call('GET', '/v1/risk/models', { token: reader })).body.models;
    expect(listed.map((m: { version: number; status: string }) => [m.version, m.status])).toEqual([
      [3, 'rejected'],
      [2, 'rejected'],
      [1, 'serving'],
    ]);
    expect(listed[1].statusReason).toBe(trained.trained[0]!.statusReason);
    expect(listed[1].selection.failed).toBe(trained.trained[0]!.statusReason);
    const answer = await scoreNew('9.0.1', 3000);
    expect(answer.model.version).toMatch(/@v1$/);
    // The CLI says the same, over the server: the rejected ones with why, v1 serving, named as answers name them.
    const cli = await runCli(['models', '--server', t.url, '--token', reader]);
    expect(cli.code, cli.err).toBe(0);
    expect(cli.out).toMatch(new RegExp(`^${listed[0].algorithm}@v3 REJECTED \\(api\\)`, 'm'));
    expect(cli.out).toContain(`  rejected: ${trained.trained[0]!.statusReason}`);
    expect(cli.out).toMatch(new RegExp(`^${listed[2].algorithm}@v1 SERVING \\(tenant-wide\\)`, 'm'));
    expect((await runCli(['models', '--limit', '0', '--server', t.url, '--token', reader])).err).toMatch(
      /--limit: a whole number from 1 to 200/,
    );
  }, 120_000);
});
