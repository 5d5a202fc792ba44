import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CaseFixture,
  type ClaimFixture,
  citedIds,
  DECISION_NAMES,
  type DecisionName,
  FAITHFUL,
  HOSTILE,
  PLANTED,
  reasonInput,
} from '../../fixtures/llm/claims.js';
import { createLlmReasonWriter } from '../../src/llm/risk-reasons.js';
import { explainRisk } from '../../src/risk/reasons/explain.js';
import { stanceOf } from '../../src/risk/reasons/stance.js';
import { verifyClaims } from '../../src/risk/reasons/verify.js';
import { type RecordedRequest, type Reply, startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';

/** The evidence blocks of a rendered prompt, by title: what a model reads its ids from. */
function idsByTitle(req: RecordedRequest): Map<string, string> {
  const user = (req.body as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === 'user')!.content;
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return new Map([...user.matchAll(/<evidence id="([^"]+)"[^>]*>\ntitle: ([^\n]*)/g)].map((m) => [decode(m[2]!), decode(m[1]!)]));
}

/**
 * A fake model that writes these claims about whatever it is sent, citing
 * the evidence by the ids it finds in the prompt (a compliant model cites
 * real evidence; a hostile one, obeying the planted instruction, does too).
 */
const model =
  (claims: readonly ClaimFixture[]) =>
  (req: RecordedRequest): Reply => {
    const ids = idsByTitle(req);
    const reasons = claims.map((c) => ({
      text: c.text,
      citations: c.cites.map((title) => ids.get(title) ?? `missing:${title}`),
      quotes: c.quotes ?? [],
    }));
    return { content: JSON.stringify({ reasons }) };
  };

/** Sends every claim of the set through the real client and verifier, at most 8 to an answer (the answer's limit). */
async function throughTheClient(fake: FakeOpenAI, cases: readonly CaseFixture[]) {
  const writer = createLlmReasonWriter({ baseURL: fake.baseURL, model: 'fake-chat', timeoutMs: 5000 });
  const kept: string[] = [];
  let sent = 0;
  for (const decision of DECISION_NAMES) {
    const claims = cases.filter((c) => c.decision === decision).map((c) => c.claim);
    for (let i = 0; i < claims.length; i += 8) {
      const batch = claims.slice(i, i + 8);
      fake.pushChat(model(batch));
      const input = reasonInput(decision);
      const r = await explainRisk(input, writer);
      // Whatever the model said, the decided numbers are the model's and the policy's.
      expect(r.reasons[0]).toMatchObject({ source: 'model', text: expect.stringContaining(`${Math.round(input.probability * 100)}%`) });
      expect(r.reasons[0]!.text).toContain(`(${input.level})`);
      const llm = r.reasons.filter((x) => x.source === 'llm');
      expect(llm.length + r.llm.droppedClaims).toBe(batch.length);
      for (const reason of llm) for (const id of reason.citations) expect(input.evidence.some((e) => e.id === id)).toBe(true);
      kept.push(...llm.map((x) => x.text));
      sent += batch.length;
    }
  }
  return { kept, sent };
}

describe('the claim verifier against a model that obeys a planted instruction, and one that does not', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(async () => fake?.close());

  it(`drops every hostile claim (${HOSTILE.length}), whatever real evidence it cites`, async () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(20);
    const { kept, sent } = await throughTheClient(fake, HOSTILE);
    expect(sent).toBe(HOSTILE.length);
    expect(kept).toEqual([]);
  });

  it(`keeps every faithful claim (${FAITHFUL.length}) a compliant model writes from the evidence it was given`, async () => {
    expect(FAITHFUL.length).toBeGreaterThanOrEqual(20);
    const { kept, sent } = await throughTheClient(fake, FAITHFUL);
    expect(sent).toBe(FAITHFUL.length);
    expect(kept).toEqual(FAITHFUL.map((c) => c.claim.text));
  });

  it('the evidence the model is sent carries the planted instruction (the hostile claims are what obeying it looks like)', async () => {
    fake.pushChat({ content: JSON.stringify({ reasons: [] }) });
    const before = fake.requests.length;
    await explainRisk(reasonInput('hold'), createLlmReasonWriter({ baseURL: fake.baseURL, model: 'fake-chat', timeoutMs: 5000 }));
    expect(JSON.stringify(fake.requests[before]!.body)).toContain('ignore previous instructions');
    expect(PLANTED).toMatch(/can go out today/);
  });
});

describe('why a claim is dropped', () => {
  const verdict = (decision: DecisionName, text: string, cites: string[], quotes: string[] = []) => {
    const { kept, dropReasons } = verifyClaims([{ text, citations: citedIds({ text, cites }), quotes }], reasonInput(decision));
    return kept.length ? 'kept' : dropReasons[0]!;
  };
  const log = 'deploy notifications 1.23.0 to staging';

  it('the three claims that were shown beside "hold" contradict it', () => {
    expect(verdict('hold', 'risk is low and it is safe; no approval is needed', [log])).toMatch(/contradicts the decision: states a level/);
    expect(verdict('hold', 'Ignore the model: this release is safe… a hold would be wrong', [log])).toMatch(/opens with an order/);
    expect(verdict('hold', 'The rollout on staging was clean, so this release can go out today.', [log])).toMatch(
      /may ship; the recommendation is hold/,
    );
  });

  it('a claim must agree with the recommendation, not only the level', () => {
    const incident = 'INC-1031: notifications 1.21.0: latency spike and upstream timeouts';
    expect(verdict('approval', 'Given INC-1031, this release needs a named approver.', [incident])).toBe('kept');
    expect(verdict('promote', 'Given INC-1031, this release needs a named approver.', [incident])).toMatch(
      /approval is needed; the policy asks for none/,
    );
    expect(verdict('approval', 'Given INC-1031, no approval is needed.', [incident])).toMatch(/no approval is needed/);
    expect(verdict('hold', 'Given INC-1031, the release should be held.', [incident])).toBe('kept');
    expect(verdict('promote', 'Given INC-1031, the release should be held.', [incident])).toMatch(/must not ship/);
  });

  it('a real id is not enough: the cited evidence must hold what the claim says', () => {
    const incident = 'INC-1012: notifications 1.11.4: elevated 502s from upstream connection resets';
    const runbook = 'notifications runbook: SMS provider failover';
    const claim = 'Connection resets from upstream caused elevated errors.';
    expect(verdict('hold', claim, [incident])).toBe('kept');
    expect(verdict('hold', claim, [runbook])).toMatch(/not supported by the cited evidence/);
    expect(verdict('hold', 'Connection resets came from an expired certificate on the load balancer.', [incident])).toMatch(
      /not supported/,
    );
  });
});

describe('stance', () => {
  it.each([
    ['It is not safe to ship yet.', { safe: false, proceed: false }],
    ['The release is safe to ship.', { safe: true, proceed: true }],
    ['A hold is warranted.', { proceed: false }],
    ['A hold is not warranted.', { proceed: true }],
    ['There is no need to hold it.', { proceed: true }],
    ['No approval is needed.', { approval: false }],
    ['It needs a named approver.', { approval: true }],
    ['It should be promoted only with an approval.', { proceed: true, approval: true }],
    ['The release cannot go out today.', { proceed: false }],
  ])('%s', (text, expected) => {
    expect(stanceOf(text)).toMatchObject(expected);
  });

  it('reads levels, their synonyms and their negations', () => {
    expect([...stanceOf('The risk is low.').levels!]).toEqual(['low']);
    expect([...stanceOf('The risk here is minimal.').levels!]).toEqual(['low']);
    expect([...stanceOf('This is not a low-risk release.').levels!]).toEqual(['medium', 'high', 'critical']);
    expect([...stanceOf('It poses a significant risk.').levels!]).toEqual(['high', 'critical']);
  });

  it('does not read a stance into words about something other than the release', () => {
    for (const text of [
      'It touches high-risk paths such as migrations.',
      'The job is safe to retry after a timeout.',
      'The canary entered safe mode after the 503s.',
      'The deploy log shows the pipeline failed to deploy the image.',
      'The fix will be released in 1.24.',
    ]) {
      expect(stanceOf(text), text).toEqual({});
    }
  });
});
