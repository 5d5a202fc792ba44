import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ARGO_FAILURE_CONDITION, ARGO_SUCCESS_CONDITION, argoResult, flaggerAnswer } from '../../src/advisor/integrations.js';
import { type Advisory, type AdvisorAction, AdvisorAction as AdvisorActions } from '../../src/contracts/advisor.js';
import {
  ArgoAnswer,
  FlaggerAnswerBody,
  type FlaggerCheck,
  FlaggerCheck as FlaggerChecks,
  FlaggerWebhookRequest,
  type IntegrationAction,
  type RecordedDecision,
} from '../../src/contracts/integrations.js';

/**
 * The request/response contracts of the Argo Rollouts and Flagger
 * integrations, held against the YAML users copy: the AnalysisTemplate's
 * conditions are evaluated (with the few expression forms they use, as
 * Argo's expr language reads them) against the answer for every action.
 */

const ACTIONS: IntegrationAction[] = [...AdvisorActions.options, 'none'];

function advisory(action: AdvisorAction, sequence = 3): Advisory {
  return {
    id: `00000000-0000-4000-8000-00000000000${sequence}`,
    releaseId: '11111111-1111-4111-8111-111111111111',
    sequence,
    action,
    confidence: 0.9,
    metrics: [],
    integrity: [],
    logSignatures: [],
    evidence: [],
    reasons: [{ text: `the judge says ${action}\nwith detail`, citations: [] }],
    requiresAcknowledgement: action === 'rollback',
    reasonsBy: 'deterministic',
    riskLevel: null,
    phase: 'rollout',
    createdAt: '2026-03-01T10:00:00.000Z',
  };
}
const adviceFor = (action: IntegrationAction) => (action === 'none' ? null : advisory(action));

// ---- Argo: the template as users copy it -------------------------------------------------------------------------

interface ArgoMetric {
  name: string;
  successCondition?: string;
  failureCondition?: string;
  failureLimit?: number;
  inconclusiveLimit?: number;
  provider: { web: { url: string; jsonPath: string; headers: { key: string; value: string }[] } };
}

const argoDocs = parseAllDocuments(fs.readFileSync('docs/integrations/argo-analysis-template.yaml', 'utf8')).map((d) => d.toJS());
const template = argoDocs.find((d) => d.kind === 'AnalysisTemplate');
const metrics: ArgoMetric[] = template.spec.metrics;
const metric = (name: string) => metrics.find((m) => m.name === name)!;

/**
 * The expression forms the template uses, read as Argo's expr language reads them. Any other form throws,
 * so the YAML cannot drift into something this test does not evaluate.
 */
function evalCondition(expression: string, result: string): boolean {
  const e = expression.trim();
  if (e === 'true' || e === 'false') return e === 'true';
  const compare = /^result\s*(==|!=)\s*'([^']*)'$/.exec(e);
  if (compare) return compare[1] === '==' ? result === compare[2] : result !== compare[2];
  const member = /^result\s+(not\s+)?in\s*\[([^\]]*)\]$/.exec(e);
  if (member) {
    const items = member[2]!.split(',').map((item) => {
      const quoted = /^\s*'([^']*)'\s*$/.exec(item);
      if (!quoted) throw new Error(`unsupported list item ${item} in ${expression}`);
      return quoted[1];
    });
    return items.includes(result) !== Boolean(member[1]);
  }
  throw new Error(`the test's evaluator does not read this condition: ${expression}`);
}

type Phase = 'Successful' | 'Failed' | 'Inconclusive';

/** One measurement's phase, by Argo's rule (evaluate.EvaluateResult). */
function measure(m: ArgoMetric, result: string): Phase {
  let success = m.successCondition ? evalCondition(m.successCondition, result) : false;
  let failure = m.failureCondition ? evalCondition(m.failureCondition, result) : false;
  if (!m.successCondition && !m.failureCondition) return 'Successful';
  if (m.successCondition && !m.failureCondition) failure = !success;
  if (!m.successCondition && m.failureCondition) success = !failure;
  if (failure) return 'Failed';
  return success ? 'Successful' : 'Inconclusive';
}

/**
 * The AnalysisRun after `looks` measurements of every metric, all reading `result`: a metric ends Failed when its
 * failures exceed failureLimit, Inconclusive when its inconclusive ones exceed inconclusiveLimit (both default 0);
 * the first metric to end so ends the run (Failed aborts the Rollout, Inconclusive pauses it).
 */
function runAfter(looks: number, result: string): 'Running' | 'Failed' | 'Inconclusive' {
  const counts = metrics.map(() => ({ Failed: 0, Inconclusive: 0 }));
  for (let look = 0; look < looks; look++) {
    const ended: ('Failed' | 'Inconclusive')[] = [];
    metrics.forEach((m, i) => {
      const phase = measure(m, result);
      if (phase !== 'Successful') counts[i]![phase]++;
      if (counts[i]!.Failed > (m.failureLimit ?? 0)) ended.push('Failed');
      else if (counts[i]!.Inconclusive > (m.inconclusiveLimit ?? 0)) ended.push('Inconclusive');
    });
    if (ended.includes('Failed')) return 'Failed';
    if (ended.length > 0) return 'Inconclusive';
  }
  return 'Running';
}

describe('Argo Rollouts: the AnalysisTemplate against shipcheck’s answer', () => {
  it('reads the action the answer always carries, with a bearer token, from the argo route', () => {
    for (const m of metrics) {
      expect(m.provider.web.jsonPath).toBe('{$.action}');
      expect(m.provider.web.url).toMatch(/^\{\{args\.shipcheck-url\}\}\/v1\/integrations\/argo\?service=\{\{args\.service\}\}$/);
      expect(m.provider.web.headers).toEqual([{ key: 'Authorization', value: 'Bearer {{args.shipcheck-token}}' }]);
    }
    // No advisory yet is still a string action (a missing field would be a JSONPath error, counted towards abort).
    expect(ArgoAnswer.parse(argoResult(null)).action).toBe('none');
  });

  it('writes the conditions the code documents', () => {
    expect(metric('shipcheck-advice').successCondition).toBe(ARGO_SUCCESS_CONDITION);
    expect(metric('shipcheck-advice').failureCondition).toBe(ARGO_FAILURE_CONDITION);
  });

  it('passes on continue and promote, fails on rollback, is inconclusive on insufficient_data, needs_human, halt and no advisory', () => {
    const phases = Object.fromEntries(ACTIONS.map((a) => [a, measure(metric('shipcheck-advice'), argoResult(adviceFor(a)).action)]));
    expect(phases).toEqual({
      continue: 'Successful',
      promote: 'Successful',
      rollback: 'Failed',
      insufficient_data: 'Inconclusive',
      needs_human: 'Inconclusive',
      halt: 'Inconclusive',
      none: 'Inconclusive',
    });
  });

  it('aborts at the first rollback, pauses at the first halt or needs_human, and waits out early insufficient data', () => {
    const limit = metric('shipcheck-advice').inconclusiveLimit!;
    expect(limit).toBeGreaterThan(0);
    expect(runAfter(1, 'rollback')).toBe('Failed');
    expect(runAfter(1, 'halt')).toBe('Inconclusive');
    expect(runAfter(1, 'needs_human')).toBe('Inconclusive');
    for (const early of ['insufficient_data', 'none']) {
      expect(runAfter(limit, early)).toBe('Running');
      expect(runAfter(limit + 1, early)).toBe('Inconclusive');
    }
    expect(runAfter(500, 'continue')).toBe('Running');
    expect(runAfter(500, 'promote')).toBe('Running');
  });

  it('the hold metric never fails a run', () => {
    for (const a of ACTIONS) expect(measure(metric('shipcheck-hold'), a)).not.toBe('Failed');
  });

  it('reads a recorded human rollback as rollback, and a person’s continue on halt as continue until the advice changes', () => {
    const rollback: RecordedDecision = { action: 'rollback', advised: 'halt' };
    expect(argoResult(advisory('continue'), rollback)).toMatchObject({ action: 'rollback', decidedBy: 'decision' });
    const goOn: RecordedDecision = { action: 'continue', advised: 'halt' };
    expect(argoResult(advisory('halt'), goOn)).toMatchObject({ action: 'continue', decidedBy: 'decision' });
    expect(argoResult(advisory('needs_human'), goOn)).toMatchObject({ action: 'needs_human', decidedBy: 'advice' });
    expect(argoResult(advisory('halt'), { action: 'override', advised: 'halt' })).toMatchObject({ action: 'halt', decidedBy: 'advice' });
  });

  it('answers with the advisory it read and a one-line summary', () => {
    const answer = ArgoAnswer.parse(argoResult(advisory('rollback', 7)));
    expect(answer).toEqual({
      action: 'rollback',
      releaseId: '11111111-1111-4111-8111-111111111111',
      advisoryId: '00000000-0000-4000-8000-000000000007',
      sequence: 7,
      createdAt: '2026-03-01T10:00:00.000Z',
      decidedBy: 'advice',
      summary: 'rollback advised (advisory #7): the judge says rollback with detail',
    });
  });
});

// ---- Flagger ------------------------------------------------------------------------------------------------------

const yes = (check: FlaggerCheck, action: IntegrationAction, decision: RecordedDecision | null = null) =>
  flaggerAnswer(check, adviceFor(action), decision).status === 200;

describe('Flagger: the answer to each webhook type', () => {
  it('says yes (200) or no (412) by the advice alone, as documented', () => {
    const table = Object.fromEntries(FlaggerChecks.options.map((check) => [check, ACTIONS.filter((a) => yes(check, a))]));
    expect(table).toEqual({
      rollout: ['continue', 'halt', 'promote', 'insufficient_data', 'needs_human', 'none'],
      'confirm-traffic-increase': ['continue', 'promote', 'insufficient_data', 'none'],
      'confirm-promotion': ['promote'],
      // Advice alone never makes Flagger roll back at once: only a person's recorded rollback does.
      rollback: [],
    });
    for (const check of FlaggerChecks.options) {
      for (const a of ACTIONS) expect([200, 412]).toContain(flaggerAnswer(check, adviceFor(a)).status);
    }
  });

  it('never fails, holds or promotes on missing data in a way that reads as a verdict', () => {
    for (const action of ['insufficient_data', 'none'] as const) {
      expect(yes('rollout', action)).toBe(true); // no failed check counted towards rollback
      expect(yes('confirm-promotion', action)).toBe(false); // and never promoted
      expect(yes('rollback', action)).toBe(false);
    }
  });

  it('rolls back at once on a person’s recorded rollback, whatever the advice says now', () => {
    const decision: RecordedDecision = { action: 'rollback', advised: 'halt' };
    for (const a of ACTIONS) {
      const answer = flaggerAnswer('rollback', adviceFor(a), decision);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ pass: true, action: 'rollback', decidedBy: 'decision' });
      expect(yes('rollout', a, decision)).toBe(false);
      expect(yes('confirm-traffic-increase', a, decision)).toBe(false);
      expect(yes('confirm-promotion', a, decision)).toBe(false);
    }
  });

  it('lets a person’s continue or promote stand while the advice they answered stands', () => {
    expect(yes('confirm-traffic-increase', 'halt', { action: 'continue', advised: 'halt' })).toBe(true);
    expect(yes('confirm-traffic-increase', 'needs_human', { action: 'continue', advised: 'halt' })).toBe(false);
    expect(yes('confirm-promotion', 'insufficient_data', { action: 'promote', advised: 'insufficient_data' })).toBe(true);
    expect(yes('confirm-promotion', 'continue', { action: 'promote', advised: 'insufficient_data' })).toBe(false);
    expect(yes('confirm-traffic-increase', 'continue', { action: 'halt', advised: 'continue' })).toBe(false);
    expect(yes('confirm-traffic-increase', 'halt', { action: 'override', advised: 'halt' })).toBe(false);
  });

  it('answers a body Flagger can show in its events, naming the check, the action and why', () => {
    const { status, body } = flaggerAnswer('rollout', advisory('rollback', 4));
    expect(status).toBe(412);
    expect(FlaggerAnswerBody.parse(body)).toEqual({
      check: 'rollout',
      pass: false,
      action: 'rollback',
      decidedBy: 'advice',
      advisoryId: '00000000-0000-4000-8000-000000000004',
      reason: 'rollout fails: rollback advised (advisory #4): the judge says rollback with detail',
    });
    expect(flaggerAnswer('confirm-promotion', null).body.reason).toBe(
      'confirm-promotion held: no advisory yet for this release (no data judged): neither a pass nor a fail',
    );
  });
});

describe('Flagger: the request it sends and the Canary users copy', () => {
  const payload = {
    name: 'checkout',
    namespace: 'shop',
    phase: 'Progressing',
    checksum: '85d557f47b',
    metadata: { service: 'checkout', token: 'sc_abc', cluster: 'eu-1' },
  };

  it('accepts Flagger’s webhook body, keeping the user’s other metadata as strings', () => {
    const parsed = FlaggerWebhookRequest.parse(payload);
    expect(parsed.metadata).toEqual({ service: 'checkout', token: 'sc_abc', cluster: 'eu-1' });
    expect(FlaggerWebhookRequest.parse({ ...payload, phase: undefined, checksum: undefined }).name).toBe('checkout');
    expect(
      FlaggerWebhookRequest.parse({ ...payload, metadata: { releaseId: '11111111-1111-4111-8111-111111111111' } }).metadata.releaseId,
    ).toBe('11111111-1111-4111-8111-111111111111');
  });

  it('refuses a body that does not say which release, or says it wrongly', () => {
    const { metadata: _m, ...noMetadata } = payload;
    expect(FlaggerWebhookRequest.safeParse(noMetadata).success).toBe(false);
    const none = FlaggerWebhookRequest.safeParse({ ...payload, metadata: { token: 'x' } });
    expect(none.success).toBe(false);
    expect(JSON.stringify(none.error?.issues)).toMatch(/metadata needs releaseId or service/);
    expect(FlaggerWebhookRequest.safeParse({ ...payload, metadata: { releaseId: 'not-a-uuid' } }).success).toBe(false);
    expect(FlaggerWebhookRequest.safeParse({ ...payload, metadata: { service: 'checkout', n: 3 } }).success).toBe(false);
  });

  it('names the check in each webhook’s URL, matching its type, with the service to answer for', () => {
    const canary = parseAllDocuments(fs.readFileSync('docs/integrations/flagger-canary.yaml', 'utf8'))
      .map((d) => d.toJS())
      .find((d) => d.kind === 'Canary');
    const hooks: { type: string; url: string; metadata: Record<string, string> }[] = canary.spec.analysis.webhooks;
    expect(hooks.map((h) => h.type).sort()).toEqual([...FlaggerChecks.options].sort());
    for (const hook of hooks) {
      expect(hook.url.endsWith(`/v1/integrations/flagger/${hook.type}`)).toBe(true);
      expect(FlaggerWebhookRequest.safeParse({ ...payload, metadata: hook.metadata }).success).toBe(true);
    }
  });
});

describe('the release policy gates promotion for Argo and Flagger', () => {
  const held = { allows: false, missing: ['needs 1 more approval from an owner of payments (olga)'] };
  const allowed = { allows: true, missing: [] };

  it('Argo: continue and promote are answered halt (inconclusive) while the policy holds, with what is missing', () => {
    for (const action of ['continue', 'promote'] as const) {
      const a = argoResult(advisory(action), null, null, held);
      expect(a).toMatchObject({ action: 'halt', decidedBy: 'policy' });
      expect(a.summary).toMatch(/held by the release policy: needs 1 more approval from an owner of payments/);
      expect(argoResult(advisory(action), null, null, allowed)).toMatchObject({ action, decidedBy: 'advice' });
    }
    // A person's promote does not lift the policy either; a rollback is never held.
    expect(argoResult(advisory('promote'), { action: 'promote', advised: 'promote' }, null, held).action).toBe('halt');
    expect(argoResult(advisory('rollback'), null, null, held).action).toBe('rollback');
  });

  it('Flagger: only confirm-promotion is gated; the canary’s own checks follow the advice', () => {
    const no = flaggerAnswer('confirm-promotion', advisory('promote'), null, held);
    expect(no.status).toBe(412);
    expect(no.body.reason).toMatch(/held by the release policy/);
    expect(flaggerAnswer('confirm-promotion', advisory('promote'), null, allowed).status).toBe(200);
    expect(flaggerAnswer('confirm-traffic-increase', advisory('continue'), null, held).status).toBe(200);
    expect(flaggerAnswer('rollout', advisory('continue'), null, held).status).toBe(200);
  });
});
