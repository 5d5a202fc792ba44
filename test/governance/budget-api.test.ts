import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RiskAssessment } from '../../src/contracts/risk.js';
import { createStore, type Store } from '../../src/store/index.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { runCli } from '../support/cli.js';
import { SETUPS } from '../support/setups.js';

// Every level lets a release through on its own: whatever the model says, only the budget can hold it.
const POLICY = `service: payments
approvals:
  low: none
  medium: none
  high: none
  critical: none
budget:
  riskiest: 10%
  effect: hold
`;

/**
 * A gate budget over HTTP, through the real server: an assessment without a rank is shown as not judged (the level
 * rules decide), a ranked one inside the budget is held until an emergency override, and `shipcheck policy check`
 * says both.
 */
for (const setup of SETUPS) {
  describe.runIf(await setup.available())(`gate budget API: ${setup.name}`, () => {
    let t: TestServer;
    let drop: () => Promise<void>;
    let store: Store;
    let ci: string;
    let admin: string;
    let ana: string;
    let releaseId: string;

    const verdict = async () => (await t.call('GET', `/v1/releases/${releaseId}/policy`, { token: ana })).body;
    const check = () => runCli(['policy', 'check', releaseId, '--server', t.url, '--token', ana]);

    /** A re-score as the risk service stores it, with the rank its model gave (the route does not fill one in yet). */
    const storeRanked = async (rank: RiskAssessment['rank']) => {
      const tenantId = (await store.tenants.bySlug('acme'))!.id;
      const latest = (await store.risk.assessments.latest(tenantId, releaseId)) as RiskAssessment;
      const id = randomUUID();
      // A minute after the latest: each ranked re-score is the newest.
      const createdAt = new Date(Date.parse(latest.assessedAt) + 60_000);
      await store.risk.assessments.save({
        id,
        createdAt,
        tenantId,
        releaseId,
        modelId: null,
        probability: latest.probability,
        level: latest.level,
        recommendation: latest.recommendation,
        body: { ...latest, id, assessedAt: createdAt.toISOString(), rank },
      });
      return id;
    };

    beforeAll(async () => {
      const opened = await setup.open();
      drop = opened.drop;
      t = await startTestServer({ database: opened.database, env: opened.env });
      store = createStore(opened.database);
      ci = (await t.app.tokens.create({ tenant: 'acme', name: 'ci', scopes: ['ingest', 'score', 'read'] })).token;
      admin = (await t.app.tokens.create({ tenant: 'acme', name: 'platform-admin', scopes: ['admin'] })).token;
      ana = (await t.app.tokens.create({ tenant: 'acme', name: 'ana', scopes: ['read', 'approve'] })).token;
      const r = await t.call('POST', '/v1/releases', { token: ci, body: { service: 'payments', version: '3.2.0' } });
      expect(r.status).toBe(201);
      releaseId = r.body.id;
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    it('stores a policy with a budget written as a percentage, and answers it as the fraction', async () => {
      const r = await t.call('PUT', '/v1/policies/payments', { token: admin, body: { yaml: POLICY, reason: 'hold the riskiest tenth' } });
      expect(r.status).toBe(200);
      expect(r.body.document.budget).toEqual({ riskiest: 0.1, effect: 'hold' });
      const bad = await t.call('PUT', '/v1/policies/payments', {
        token: admin,
        body: { yaml: POLICY.replace('10%', '150%'), reason: 'typo', basedOn: 1 },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/line 8: budget\.riskiest: at most 50%/);
    });

    it('shows an assessment without a rank as not judged by the budget, and lets the level rules decide', async () => {
      const scored = await t.call('POST', `/v1/releases/${releaseId}/risk`, { token: ci });
      expect(scored.status).toBe(200);
      const v = await verdict();
      expect(v.state).toBe('allowed');
      expect(v.rules.map((r: { id: string }) => r.id)).toEqual([`risk.${scored.body.level}`, 'budget_unjudged']);
      // A fresh tenant is scored by the prior: the reason says so (not that the answer predates ranks).
      expect(scored.body.model.scope).toBe('prior');
      expect(v.rules[1].says).toBe(
        'the budget (hold the riskiest 10% of releases) was not judged: the prior model has no releases of its own to rank it among; the risk level rules decide',
      );
      const cli = await check();
      expect(cli.code).toBe(0);
      expect(cli.out).toMatch(/\n {2}also budget_unjudged: the budget \(hold the riskiest 10% of releases\) was not judged/);
    });

    it('holds a ranked release inside the budget: approvals do not lift it, an emergency override does', async () => {
      const assessmentId = await storeRanked({ riskiestShare: 0.07, among: 412 });
      const v = await verdict();
      expect(v).toMatchObject({ state: 'held', assessmentId, rule: { id: 'budget', effect: 'hold' } });
      expect(v.rule.says).toBe(
        'among the riskiest 7% of the 412 newest releases its model was trained on: held (budget: hold the riskiest 10% of releases)',
      );
      const cli = await check();
      expect(cli.code).toBe(1);
      expect(cli.out.split('\n')[0]).toBe(`held — ${v.rule.says}`);
      const promote = await t.call('POST', `/v1/releases/${releaseId}/decisions`, {
        token: admin,
        body: { action: 'promote', reason: 'go' },
      });
      expect(promote.status).toBe(409);
      expect(promote.body.error.code).toBe('policy_unmet');
      const approve = await t.call('POST', `/v1/releases/${releaseId}/decisions`, {
        token: ana,
        body: { action: 'approve', reason: 'fine' },
      });
      expect(approve.status).toBe(201);
      expect((await verdict()).state).toBe('held');
      const override = await t.call('POST', `/v1/releases/${releaseId}/decisions`, {
        token: ana,
        body: { action: 'override', reason: 'outage fix' },
      });
      expect(override.status).toBe(201);
      expect((await verdict()).state).toBe('overridden');
    });

    it('lets a ranked release outside the budget through, saying where it ranks', async () => {
      const assessmentId = await storeRanked({ riskiestShare: 0.4, among: 412 });
      const v = await verdict();
      expect(v.assessmentId).toBe(assessmentId);
      // The override stands for the release; the budget's word on the new assessment is still listed.
      expect(v.rules.find((r: { id: string }) => r.id === 'budget')).toEqual({
        id: 'budget',
        says: 'among the riskiest 40% of the 412 newest releases its model was trained on: outside the budget (hold the riskiest 10% of releases)',
        effect: 'none',
      });
    });
  });
}
