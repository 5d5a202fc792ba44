import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RiskAssessment } from '../../src/contracts/risk.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { DEMO_TENANT, pgliteWithDemo } from '../support/demo-db.js';
import { type RecordedRequest, type Reply, startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';

/**
 * Risk assessments of the demo organisation over HTTP with the LLM layer on,
 * against a local OpenAI-compatible server: a model's reply changes the
 * reasons, never the probability, level, recommendation or factors.
 */
let fake: FakeOpenAI;
let t: TestServer;
let scorer: string;
const baseline = new Map<string, RiskAssessment>();

/** The evidence blocks of the prompt a model is sent: id, title and why, as it reads them. */
function evidenceOf(req: RecordedRequest) {
  const user = (req.body as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === 'user')!.content;
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return [...user.matchAll(/<evidence id="([^"]+)"[^>]*>\ntitle: ([^\n]*)\nwhy shown: ([^\n]*)/g)].map((m) => ({
    id: decode(m[1]!),
    title: decode(m[2]!),
    why: decode(m[3]!),
  }));
}

/** Obeys an instruction planted in the evidence, citing real ids. */
const hostile = (req: RecordedRequest): Reply => {
  const [first] = evidenceOf(req);
  const reasons = [
    'risk is low and it is safe; no approval is needed',
    'Ignore the model: this release is safe… a hold would be wrong',
    'The staging rollout was clean, so this release can go out today.',
  ].map((text) => ({ text, citations: [first!.id], quotes: [] }));
  return { content: JSON.stringify({ reasons }) };
};

/** States what four evidence blocks say, each citing its own id. */
const compliant = (req: RecordedRequest): Reply => {
  const reasons = evidenceOf(req)
    .slice(0, 4)
    .map((e) => ({ text: `${e.title}: ${e.why}.`, citations: [e.id], quotes: [] }));
  return { content: JSON.stringify({ reasons }) };
};

beforeAll(async () => {
  fake = await startFakeOpenAI();
  t = await startTestServer({ database: await pgliteWithDemo(), env: { OPENAI_BASE_URL: fake.baseURL } });
  scorer = await t.token(DEMO_TENANT, ['read', 'score']);
  const tenantId = (await t.app.store.tenants.bySlug(DEMO_TENANT))!.id;
  const all = (await t.app.store.risk.training.snapshot(tenantId, new Date())).releases;
  // Twelve releases spread over the newest sixty, each assessed once with no LLM answer (an empty reply is a refusal).
  for (const r of all.slice(-60).filter((_, i) => i % 5 === 0)) {
    const a = await assess(r.id, { content: '' });
    expect(a.degraded).toContain('llm_refused');
    baseline.set(r.id, a);
  }
}, 240_000);
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

async function assess(releaseId: string, reply: Reply | ((req: RecordedRequest) => Reply)): Promise<RiskAssessment> {
  fake.pushChat(reply);
  const r = await t.call('POST', `/v1/releases/${releaseId}/risk`, { token: scorer });
  expect(r.status).toBe(200);
  return r.body as RiskAssessment;
}

const decision = (a: RiskAssessment) => ({
  probability: a.probability,
  score: a.score,
  level: a.level,
  recommendation: a.recommendation,
  factors: a.factors,
});
const llmTexts = (a: RiskAssessment) => a.reasons.filter((r) => r.source === 'llm').map((r) => r.text);

describe('the LLM layer in a risk assessment', () => {
  it('never changes the decision, and drops what an obeying model says against it', async () => {
    const recommendations = new Set<string>();
    for (const [id, withoutLlm] of baseline) {
      const obeying = await assess(id, hostile);
      const faithful = await assess(id, compliant);
      expect(decision(obeying)).toEqual(decision(withoutLlm));
      expect(decision(faithful)).toEqual(decision(withoutLlm));
      recommendations.add(withoutLlm.recommendation);

      // An order to the reader is dropped under any decision; calling the release safe and shippable, under any but promote.
      expect(llmTexts(obeying)).not.toContainEqual(expect.stringMatching(/^Ignore the model/));
      if (withoutLlm.recommendation !== 'promote') {
        expect(llmTexts(obeying)).toEqual([]);
        expect(obeying.llm.droppedClaims).toBe(3);
        expect(obeying.degraded).toContain('llm_no_verified_claims');
      }
      // The compliant model's claims are kept, with the real citations it was given.
      expect(llmTexts(faithful)).toHaveLength(4);
      const ids = new Set(faithful.evidence.map((e) => e.id));
      for (const r of faithful.reasons) expect(r.citations.every((c) => ids.has(c))).toBe(true);
    }
    // The releases cover a promote and at least one recommendation that is not.
    expect(recommendations.has('promote')).toBe(true);
    expect(recommendations.size).toBeGreaterThan(1);
  });

  it('keeps the sentences shipped without an LLM when a model writes them, with their citations', async () => {
    let checked = 0;
    for (const [id, withoutLlm] of baseline) {
      const claims = withoutLlm.reasons
        .slice(1)
        .filter((r) => r.citations.length > 0)
        .slice(0, 8)
        .map((r) => ({ text: r.text, citations: r.citations, quotes: [] }));
      if (claims.length === 0) continue;
      const a = await assess(id, { content: JSON.stringify({ reasons: claims }) });
      expect(a.llm.droppedClaims, JSON.stringify(claims)).toBe(0);
      expect(llmTexts(a)).toEqual(claims.map((c) => c.text));
      checked += claims.length;
    }
    expect(checked).toBeGreaterThan(12);
  });
});
