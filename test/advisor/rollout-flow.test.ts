import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutTelemetry } from '../../fixtures/rollout/telemetry.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { startReceiver } from '../support/receiver.js';
import { until } from '../support/until.js';
import { SETUPS } from '../support/setups.js';

/**
 * A rollout watched end to end over HTTP, on a clock the test moves: a bad
 * canary goes insufficient_data → halt → rollback with its evidence, each
 * change notified once per webhook, a person's decision recorded and only
 * then the rollback hook called; a good canary ends in promote.
 */
for (const setup of SETUPS) {
  describe.runIf(await setup.available())(`rollout watch: ${setup.name}`, () => {
    let t: TestServer;
    let drop: () => Promise<void>;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let token: string;
    let admin: string;
    let onCall: string;
    let clock = Date.UTC(2026, 11, 7, 9, 0, 0);
    const STEP = 1000;

    beforeAll(async () => {
      const opened = await setup.open();
      drop = opened.drop;
      receiver = await startReceiver();
      t = await startTestServer({ database: opened.database, env: opened.env, clock: () => clock, sweep: { outboxEveryMs: 200 } });
      token = await t.token('acme', ['ingest', 'read', 'advise']);
      admin = await t.token('acme', ['admin']);
      onCall = (await t.app.tokens.create({ tenant: 'acme', name: 'dana (on call)', scopes: ['approve', 'read'] })).token;
      for (const [format, path] of [
        ['json', '/json'],
        ['slack', '/slack'],
      ] as const)
        expect((await t.call('POST', '/v1/webhooks', { token: admin, body: { url: receiver.url + path, format } })).status).toBe(201);
      const hook = await t.call('POST', '/v1/webhooks', {
        token: admin,
        body: { url: `${receiver.url}/rollback`, purpose: 'rollback_hook', service: 'checkout' },
      });
      expect(hook.status).toBe(201);
      const docs = await t.call('POST', '/v1/documents?wait=true', {
        token,
        body: {
          documents: [
            {
              kind: 'incident',
              service: 'checkout',
              title: 'INC-77: checkout canary: elevated 502s from upstream connection resets',
              body: 'Canary answered 502 upstream connect error or disconnect/reset before headers; connection reset by peer. Error rate rose to 6%. Mitigated by rolling back the canary.',
              occurredAt: '2026-10-01T10:00:00Z',
            },
            {
              kind: 'runbook',
              service: 'platform',
              title: 'Rollback procedure: canary deployments',
              body: '## Roll back a canary\n1. Set the canary weight to 0 and abort the rollout.\n2. Confirm 502s and connection resets stop on the stable pods.',
              occurredAt: '2026-01-01T00:00:00Z',
            },
          ],
        },
      });
      expect(docs.status).toBe(200);
    });
    afterAll(async () => {
      await t?.close();
      await receiver?.close();
      await drop?.();
    });

    async function newRollout(version: string, minDurationSeconds: number) {
      const r = await t.call('POST', '/v1/releases', { token, body: { service: 'checkout', version, strategy: 'canary' } });
      expect(r.status).toBe(201);
      const start = await t.call('POST', `/v1/releases/${r.body.id}/rollout`, {
        token,
        body: { action: 'start', strategy: 'canary', canaryWeight: 0.1, startedAt: new Date(clock).toISOString(), minDurationSeconds },
      });
      expect(start.status).toBe(200);
      expect(start.body).toMatchObject({ state: 'watching', strategy: 'canary' });
      return r.body.id as string;
    }

    /** Moves the clock by `seconds`, sends what the canary and the baseline produced meanwhile; the advisory's action. */
    async function tick(releaseId: string, seconds: number, bad: boolean): Promise<string> {
      const from = clock;
      clock += seconds * 1000;
      const body = rolloutTelemetry({ fromMs: from, toMs: clock, stepMs: STEP, bad });
      const r = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, { token, body });
      expect(r.status).toBe(200);
      return r.body.advisory.action;
    }

    const collapse = (xs: string[]) => xs.filter((x, i) => i === 0 || xs[i - 1] !== x);

    let badId: string;
    let actions: string[] = [];

    it('a bad canary: insufficient_data, then halt, then rollback, never a pass', async () => {
      badId = await newRollout('9.2.0', 60);
      actions.push(await tick(badId, 3, true));
      for (let i = 0; i < 40 && actions.at(-1) !== 'rollback'; i++) actions.push(await tick(badId, 3, true));
      actions = collapse(actions);
      expect(actions[0]).toBe('insufficient_data');
      expect(actions).toContain('halt');
      expect(actions.at(-1)).toBe('rollback');
      expect(actions.indexOf('halt')).toBeLessThan(actions.indexOf('rollback'));
      expect(actions).not.toContain('promote');
      expect(actions).not.toContain('continue');
    });

    it('cites metric windows, the new log template, the similar incident and its runbook; every citation opens', async () => {
      const advice = await t.call('GET', `/v1/releases/${badId}/advice?history=true`, { token });
      const a = advice.body.latest;
      expect(a.action).toBe('rollback');
      expect(a.requiresAcknowledgement).toBe(true);
      const errors = a.metrics.find((m: any) => m.name === 'errors');
      expect(errors.verdict).toBe('fail');
      expect(errors.n.canary).toBeGreaterThanOrEqual(10);
      expect(a.logSignatures.some((s: any) => s.status === 'new' && /upstream connect error/.test(s.template))).toBe(true);
      expect(a.evidence.map((e: any) => e.kind)).toEqual(expect.arrayContaining(['metric_window', 'log_template', 'incident', 'runbook']));
      expect(a.evidence.find((e: any) => e.kind === 'incident').title).toMatch(/INC-77/);
      const cited = new Set<string>([...a.reasons.flatMap((r: any) => r.citations), ...a.evidence.map((e: any) => e.id)]);
      expect(cited.size).toBeGreaterThan(5);
      for (const id of cited) {
        const ev = await t.call('GET', `/v1/evidence/${encodeURIComponent(id)}`, { token });
        expect(ev.status, id).toBe(200);
      }
      const window = await t.call('GET', `/v1/evidence/${errors.evidenceId}`, { token });
      expect(window.body.text).toMatch(/metric errors/);
      // The timeline holds every look, in order.
      const seq = advice.body.history.map((h: any) => h.sequence);
      expect(seq).toEqual([...seq].sort((x: number, y: number) => x - y));
      expect(collapse(advice.body.history.map((h: any) => h.action))).toEqual(actions);
    });

    it('notifies each webhook once per change of action, in both formats', async () => {
      const changes = actions.length;
      await until(
        'notifications',
        () => receiver.received.filter((r) => r.path !== '/rollback').length,
        (n) => n >= changes * 2,
      );
      const json = receiver.received.filter((r) => r.path === '/json').map((r) => r.body);
      const slack = receiver.received.filter((r) => r.path === '/slack').map((r) => r.body);
      expect(json.map((b) => b.action)).toEqual(actions);
      expect(json[1].previousAction).toBe(actions[0]);
      expect(json.at(-1).links.acknowledge.url).toMatch(new RegExp(`/v1/releases/${badId}/decisions$`));
      expect(slack).toHaveLength(changes);
      expect(slack.at(-1).text).toMatch(/checkout 9\.2\.0: roll back/);
      expect(receiver.received.some((r) => r.path === '/rollback')).toBe(false);
    });

    it('records who decided, against which advisory; only then calls the rollback hook, and records its answer', async () => {
      const latest = (await t.call('GET', `/v1/releases/${badId}/advice`, { token })).body.latest;
      expect((await t.call('POST', `/v1/releases/${badId}/decisions`, { token, body: { action: 'rollback', reason: 'x' } })).status).toBe(
        403,
      );
      const d = await t.call('POST', `/v1/releases/${badId}/decisions`, {
        token: onCall,
        body: { action: 'rollback', reason: 'error rate and the new 502 line match INC-77' },
      });
      expect(d.status).toBe(201);
      expect(d.body).toMatchObject({ actor: 'dana (on call)', advisoryId: latest.id, advised: 'rollback', overridesAdvice: false });
      expect(d.body.hook).toMatchObject({ ok: true, status: 200 });
      const hookCalls = receiver.received.filter((r) => r.path === '/rollback');
      expect(hookCalls).toHaveLength(1);
      expect(hookCalls[0]!.body.decision).toMatchObject({ id: d.body.id, actor: 'dana (on call)' });
      // The audit entry names the advisory it answered, which opens as it was.
      const audit = (await t.call('GET', '/v1/audit?limit=1000', { token })).body.entries;
      const entry = audit.find((e: { details: { decisionId?: string } }) => e.details.decisionId === d.body.id);
      expect(entry).toMatchObject({
        action: 'rollback',
        actor: 'dana (on call)',
        answers: { kind: 'advisory', id: `advisory:${latest.id}` },
      });
      const advisory = await t.call('GET', `/v1/evidence/${entry.answers.id}`, { token });
      expect(advisory.body).toMatchObject({ kind: 'advisory', title: expect.stringMatching(/: rollback$/) });
      // The rollback decision is the release's outcome now (a label for the model and the evals).
      expect((await t.call('GET', `/v1/releases/${badId}`, { token })).body.outcome).toBe('rolled_back');
      const promote = () =>
        t.call('POST', `/v1/releases/${badId}/decisions`, { token: onCall, body: { action: 'promote', reason: 'known flaky upstream' } });
      // The release policy comes first: an unscored release is held, whatever the advice.
      const unscored = await promote();
      expect(unscored.status).toBe(409);
      expect(unscored.body.error).toMatchObject({ code: 'policy_unmet' });
      expect(unscored.body.error.message).toMatch(/assessment/);
      expect((await t.call('POST', `/v1/releases/${badId}/risk`, { token: admin })).status).toBe(200);
      const against = await promote();
      expect(against.status).toBe(201);
      expect(against.body.overridesAdvice).toBe(true);
      const list = await t.call('GET', `/v1/releases/${badId}/decisions`, { token });
      expect(list.body.decisions.map((x: any) => x.action)).toEqual(['rollback', 'promote']);
      expect(receiver.received.filter((r) => r.path === '/rollback')).toHaveLength(1);
    });

    it('a good canary waits for data, then continues, and ends in promote once the minimum duration has passed', async () => {
      const id = await newRollout('9.3.0', 60);
      const seen: string[] = [];
      for (let i = 0; i < 40 && seen.at(-1) !== 'promote'; i++) seen.push(await tick(id, 3, false));
      const c = collapse(seen);
      expect(c[0]).toBe('insufficient_data');
      expect(c.at(-1)).toBe('promote');
      expect(c).not.toContain('rollback');
      expect(c).not.toContain('halt');
      const stopped = await t.call('POST', `/v1/releases/${id}/rollout`, { token, body: { action: 'stop', result: 'promoted' } });
      expect(stopped.body.state).toBe('promoted_watch');
      const after = await tick(id, 3, false);
      expect(['continue', 'insufficient_data']).toContain(after);
      const advice = await t.call('GET', `/v1/releases/${id}/advice`, { token });
      expect(advice.body.latest.phase).toBe('after_promotion');
    });
  });
}
