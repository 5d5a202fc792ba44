import { randomUUID } from 'node:crypto';
import type { Factor, RiskAssessment } from '../contracts/risk.js';
import type { Embedder } from '../ingest/embedder.js';
import type { Retrieval } from '../retrieval/search.js';
import type { RiskModelRef, StoredRelease } from '../store/index.js';
import { contextAsOf, type RiskStore } from './as-of.js';
import { gatherEvidence, retrieveEvidence } from './evidence.js';
import { priorRiskModel, riskModelFromJSON, type RiskModel } from './model/index.js';
import { decide, thresholdsFor, type RiskPolicy } from './policy.js';
import { explainRisk } from './reasons/explain.js';
import type { ReasonWriter } from './reasons/types.js';

export interface AssessDeps {
  store: RiskStore;
  embedder: Embedder;
  retrieval: Retrieval;
  policy: RiskPolicy;
  reasonWriter?: ReasonWriter | undefined;
  llmTimeoutMs: number;
}

/** Factors shown: the largest contributions either way. */
const FACTORS_SHOWN = 8;

/** Parsed model artifacts by row id: artifacts never change once stored. */
const MODELS_CACHED = 64;
const modelCache = new Map<string, RiskModel>();

async function modelFor(store: RiskStore, tenantId: string, service: string): Promise<{ model: RiskModel; row?: RiskModelRef }> {
  const row = await store.risk.latestModel(tenantId, service);
  if (!row) return { model: priorRiskModel() };
  let model = modelCache.get(row.id);
  if (!model) {
    model = riskModelFromJSON(await store.risk.modelArtifact(tenantId, row.id));
    // Maps keep insertion order: drop the oldest once many versions have been served.
    if (modelCache.size >= MODELS_CACHED) modelCache.delete(modelCache.keys().next().value!);
    modelCache.set(row.id, model);
  }
  return { model, row };
}

/**
 * Scores a release and explains the score, as of the release's creation
 * time. The probability, level and recommendation come from the model and
 * the policy only; the reasons (LLM or not) are computed after them and
 * cannot feed back.
 */
export async function assessRelease(deps: AssessDeps, tenantId: string, release: StoredRelease): Promise<RiskAssessment> {
  const changes = await deps.store.releases.changesOf(tenantId, release.id);
  // The evidence search needs only the changes: it runs beside the features and the model read
  // (a PostgreSQL pool runs them at once; PGlite in turn).
  const [ctx, { model, row }, retrieved] = await Promise.all([
    contextAsOf(deps.store, deps.embedder, tenantId, release, { changes }),
    modelFor(deps.store, tenantId, release.service),
    retrieveEvidence(deps.store, deps.retrieval, tenantId, release, changes),
  ]);
  const prediction = model.predict(ctx.features);
  // Decide on the probability as shown, so a shown 0.35 can never read "medium" under a 0.35 threshold.
  const probability = round(prediction.probability);
  const thresholds = thresholdsFor(deps.policy, release.service);
  const decision = decide(probability, thresholds);
  const { evidence, byFactor } = await gatherEvidence(deps.store, tenantId, ctx, retrieved);

  const factors: Factor[] = prediction.contributions.slice(0, FACTORS_SHOWN).map((c) => ({
    name: c.name,
    value: round(c.value),
    contribution: round(c.contribution),
    evidence: byFactor[c.name] ?? [],
  }));
  const degraded: string[] = [];
  if (!row) degraded.push('prior_model');
  if (release.changes === 0 && !release.metrics) degraded.push('no_changes');

  const explained = await explainRisk(
    {
      release: { id: release.id, service: release.service, version: release.version, strategy: release.strategy },
      probability,
      level: decision.level,
      recommendation: decision.recommendation,
      factors,
      evidence,
    },
    deps.reasonWriter,
    { timeoutMs: deps.llmTimeoutMs },
  );

  const body: Omit<RiskAssessment, 'id' | 'assessedAt'> = {
    releaseId: release.id,
    service: release.service,
    version: release.version,
    probability,
    score: Math.round(probability * 100),
    ...decision,
    thresholds,
    factors,
    evidence,
    reasons: explained.reasons,
    model: {
      version: row ? `${row.algorithm}@v${row.version}` : model.version,
      trainedAt: row ? row.trainedAt.toISOString() : null,
      n: row ? row.n : 0,
      scope: row ? (row.service ?? 'tenant') : 'prior',
    },
    degraded: [...degraded, ...explained.degraded],
    llm: explained.llm,
  };
  // The id is made here so the stored body and the answer are one object, written once.
  const assessment: RiskAssessment = { id: randomUUID(), assessedAt: new Date().toISOString(), ...body };
  await deps.store.risk.saveAssessment({
    id: assessment.id,
    createdAt: new Date(assessment.assessedAt),
    tenantId,
    releaseId: release.id,
    modelId: row?.id ?? null,
    probability: body.probability,
    level: body.level,
    recommendation: body.recommendation,
    body: assessment,
  });
  return assessment;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
