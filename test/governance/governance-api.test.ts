import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.js';
import { SETUPS } from '../support/setups.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

const POLICY = `service: payments
owners: [olga]
approvals:
  low: two_with_owner
  medium: two_with_owner
  high: two_with_owner
  critical: hold
selfApproval: forbidden
override:
  allowed: [olga]
`;

/**
 * People keep authority, over HTTP: a policy holds a release until two people (one an owner) approve the
 * assessment; the author cannot approve; approving twice, without scope or without an assessment is refused;
 * promotion waits for the policy; every act is an audit entry and the chain verifies until the database is edited.
 */
for (const setup of SETUPS) {
  describe.runIf(await setup.available())(`governance API: ${setup.name}`, () => {
    let t: TestServer;
    let drop: () => Promise<void>;
    let ci: string;
    let admin: string;
    let ana: string;
    let olga: string;
    let dana: string;
    let reader: string;
    let other: string;
    let releaseId: string;

    const named = async (name: string, scopes: string[], tenant = 'acme') =>
      (await t.app.tokens.create({ tenant, name, scopes: scopes as never })).token;
    const decide = (token: string, body: Record<string, unknown>, id = releaseId) =>
      t.call('POST', `/v1/releases/${id}/decisions`, { token, body });

    beforeAll(async () => {
      const opened = await setup.open();
      drop = opened.drop;
      t = await startTestServer({ database: opened.database, env: opened.env });
      ci = await named('ci', ['ingest', 'score', 'read']);
      admin = await named('platform-admin', ['admin']);
      ana = await named('ana', ['read', 'approve']);
      olga = await named('olga', ['read', 'approve', 'advise']);
      dana = await named('dana', ['read', 'approve']);
      reader = await named('rita', ['read']);
      other = await named('mallory', ['admin'], 'globex');
      const r = await t.call('POST', '/v1/releases', {
        token: ci,
        body: {
          service: 'payments',
          version: '3.1.0',
          changes: [
            {
              id: 'pr-1',
              title: 'feat: retry card captures',
              author: 'Dana Diaz <dana@example.com>',
              files: [],
              createdAt: new Date(Date.now() - 2 * DAY).toISOString(),
              firstCommitAt: new Date(Date.now() - 5 * DAY).toISOString(),
            },
          ],
        },
      });
      expect(r.status).toBe(201);
      releaseId = r.body.id;
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    it('refuses a policy with an unknown key, naming its line, and stores nothing', async () => {
      const bad = POLICY.replace('selfApproval: forbidden', 'selfApprovel: forbidden');
      const r = await t.call('PUT', '/v1/policies/payments', { token: admin, body: { yaml: bad, reason: 'typo' } });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      expect(r.body.error.message).toMatch(/selfApprovel/);
      expect(r.body.error.message).toMatch(/line 8/);
      expect((await t.call('GET', '/v1/policies', { token: reader })).body.policies).toEqual([]);
    });

    it('stores a policy version (admin only), recorded in the audit log', async () => {
      const denied = await t.call('PUT', '/v1/policies/payments', { token: ana, body: { yaml: POLICY, reason: 'x' } });
      expect(denied.status).toBe(403);
      const r = await t.call('PUT', '/v1/policies/payments', { token: admin, body: { yaml: POLICY, reason: 'two people for payments' } });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ service: 'payments', version: 1, actor: 'platform-admin' });
      const audit = await t.call('GET', '/v1/audit', { token: reader });
      expect(audit.body.entries.at(-1)).toMatchObject({ action: 'policy_change', actor: 'platform-admin', subject: 'policy:payments' });
      // A change made from an older version is refused, naming both: it must not silently undo the one in between.
      const stale = await t.call('PUT', '/v1/policies/payments', { token: admin, body: { yaml: POLICY, reason: 'from v0', basedOn: 0 } });
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toMatch(/version 1, not 0/);
    });

    it('refuses an approval before the release has an assessment', async () => {
      const r = await decide(ana, { action: 'approve', reason: 'looks fine' });
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('no_assessment');
    });

    it('holds the scored release and says what is missing', async () => {
      const r = await t.call('POST', `/v1/releases/${releaseId}/risk`, { token: ci });
      expect(r.status).toBe(200);
      expect(r.body.policy.state).toBe('needs_approval');
      expect(r.body.policy.missing.join(' ')).toMatch(/owner of payments/);
      const promote = await decide(olga, { action: 'promote', reason: 'ship it' });
      expect(promote.status).toBe(409);
      expect(promote.body.error.code).toBe('policy_unmet');
      expect(promote.body.error.message).toMatch(/approval/);
    });

    it('refuses self-approval, a token without the approve scope, and another tenant', async () => {
      const self = await decide(dana, { action: 'approve', reason: 'my own change is fine' });
      expect(self.status).toBe(403);
      expect(self.body.error.code).toBe('self_approval');
      const noScope = await decide(reader, { action: 'approve', reason: 'x' });
      expect(noScope.status).toBe(403);
      expect(noScope.body.error.code).toBe('forbidden');
      const foreign = await decide(other, { action: 'approve', reason: 'x' });
      expect(foreign.status).toBe(404);
    });

    it('counts two approvals (one an owner), refuses approving twice, then allows promotion', async () => {
      const first = await decide(ana, { action: 'approve', reason: 'retry logic reviewed' });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ action: 'approve', actor: 'ana' });
      expect(first.body.assessmentId).toEqual(expect.any(String));
      const twice = await decide(ana, { action: 'approve', reason: 'again' });
      expect(twice.status).toBe(409);
      const midway = await t.call('GET', `/v1/releases/${releaseId}/policy`, { token: reader });
      expect(midway.body.state).toBe('needs_approval');
      expect(midway.body.missing.join(' ')).toMatch(/owner of payments/);
      expect((await decide(olga, { action: 'approve', reason: 'owner approves' })).status).toBe(201);
      const after = await t.call('GET', `/v1/releases/${releaseId}/policy`, { token: reader });
      expect(after.body).toMatchObject({ state: 'allowed', missing: [] });
      expect(after.body.approvals.counted.map((a: { actor: string }) => a.actor).sort()).toEqual(['ana', 'olga']);
      const promote = await decide(olga, { action: 'promote', reason: 'two approvals' });
      expect(promote.status).toBe(201);
      const listed = await t.call('GET', `/v1/releases/${releaseId}/decisions`, { token: reader });
      expect(listed.body.decisions.map((d: { action: string }) => d.action)).toEqual(['approve', 'approve', 'promote']);
    });

    it('counts the promoted release as a deploy in DORA, its lead time from the first commit or from the PR opening', async () => {
      const q = (start: string) =>
        `/v1/dora?service=payments&from=${new Date(Date.now() - DAY).toISOString()}&to=${new Date(Date.now() + HOUR).toISOString()}&leadTimeStart=${start}`;
      const first = await t.call('GET', q('first_commit'), { token: reader });
      expect(first.status).toBe(200);
      expect(first.body.deploymentFrequency).toMatchObject({ n: 1, releases: [releaseId], lowConfidence: true });
      expect(first.body.leadTime.value).toBeGreaterThan(119);
      expect(first.body.leadTime.value).toBeLessThan(122);
      const opened = await t.call('GET', q('pr_opened'), { token: reader });
      expect(opened.body.leadTime.value).toBeGreaterThan(47);
      expect(opened.body.leadTime.value).toBeLessThan(50);
      const bad = await t.call('GET', '/v1/dora?leadTimeStart=merge', { token: reader });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/leadTimeStart/);
      expect((await t.call('GET', q('first_commit'), { token: other })).body.deploymentFrequency.n).toBe(0);
    });

    it('records every act in a chain that verifies, pages, and exports as JSON lines and CSV', async () => {
      // Six tokens made in acme (each an entry), the policy change, two approvals, the promotion.
      const verify = await t.call('GET', '/v1/audit/verify', { token: reader });
      expect(verify.body).toMatchObject({ ok: true, checked: 10, firstBroken: null });
      const all = (await t.call('GET', '/v1/audit?limit=100', { token: reader })).body.entries;
      expect(
        all
          .filter((e: { action: string }) => e.action === 'token_create')
          .map((e: { actor: string; subjectLabel: string }) => e.subjectLabel),
      ).toEqual(['token ci', 'token platform-admin', 'token ana', 'token olga', 'token dana', 'token rita']);
      expect(
        all
          .filter((e: { action: string }) => e.action !== 'token_create')
          .map((e: { action: string; actor: string }) => [e.action, e.actor]),
      ).toEqual([
        ['policy_change', 'platform-admin'],
        ['approve', 'ana'],
        ['approve', 'olga'],
        ['promote', 'olga'],
      ]);
      const page = await t.call('GET', '/v1/audit?limit=2', { token: reader });
      expect(page.body.entries.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
      expect(page.body.nextAfter).toBe(2);
      const rest = await t.call('GET', '/v1/audit?after=8&limit=2', { token: reader });
      expect(rest.body.entries.map((e: { action: string }) => e.action)).toEqual(['approve', 'promote']);
      // What each decision answered opens as evidence, as it was when the person decided.
      const answered = rest.body.entries[0].answers;
      expect(answered).toMatchObject({ kind: 'assessment', id: expect.stringMatching(/^assessment:/) });
      const opened = await t.call('GET', `/v1/evidence/${answered.id}`, { token: reader });
      expect(opened.status).toBe(200);
      expect(opened.body).toMatchObject({ kind: 'assessment', service: 'payments' });
      expect(opened.body.title).toMatch(/risk assessment of payments 3\.1\.0/);
      expect((await t.call('GET', `/v1/evidence/${answered.id}`, { token: other })).status).toBe(404);
      expect(rest.body.nextAfter).toBeUndefined();
      const csv = await fetch(`${t.url}/v1/audit/export?format=csv`, { headers: { authorization: `Bearer ${reader}` } });
      expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
      expect((await csv.text()).trim().split('\n')).toHaveLength(11);
      // Another tenant sees none of it.
      const theirs = (await t.call('GET', '/v1/audit', { token: other })).body.entries;
      expect(theirs.map((e: { tenant: string; action: string; seq: number }) => [e.tenant, e.action, e.seq])).toEqual([
        ['globex', 'token_create', 1],
      ]);
    });

    it('names the entry edited in the database', async () => {
      const db = t.app.database.db;
      await db.execute(
        sql`update audit_log set reason = 'nobody approved this' where seq = 2 and tenant_id = (select id from tenants where slug = 'acme')`,
      );
      const verify = await t.call('GET', '/v1/audit/verify', { token: reader });
      expect(verify.body.ok).toBe(false);
      expect(verify.body.firstBroken).toMatchObject({ seq: 2, problem: 'edited' });
    });

    it('counts only the chosen environment’s releases as deploys (production unless asked)', async () => {
      const staged = await t.call('POST', '/v1/releases', {
        token: ci,
        body: { service: 'search', version: '1.0.0', environment: 'staging' },
      });
      expect((await t.call('POST', `/v1/releases/${staged.body.id}/risk`, { token: ci })).status).toBe(200);
      expect((await decide(olga, { action: 'promote', reason: 'staging soak' }, staged.body.id)).status).toBe(201);
      const window = `from=${new Date(Date.now() - DAY).toISOString()}&to=${new Date(Date.now() + HOUR).toISOString()}`;
      expect((await t.call('GET', `/v1/dora?service=search&${window}`, { token: reader })).body.deploymentFrequency.n).toBe(0);
      const staging = await t.call('GET', `/v1/dora?service=search&environment=staging&${window}`, { token: reader });
      expect(staging.body.deploymentFrequency).toMatchObject({ n: 1, releases: [staged.body.id] });
      expect(staging.body.definitions.environment).toBe('staging');
    });
  });
}
