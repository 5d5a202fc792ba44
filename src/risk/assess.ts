import { randomUUID } from 'node:crypto';
import type { Embedder } from '../contracts/embedder.js';
import type { AssessmentModelSelection, Factor, RiskAssessment } from '../contracts/risk.js';
import { type ReleaseContext, releaseContext } from './context.js';
import { StoredRecordUnreadableError } from './errors.js';
import { gatherEvidence, readEvidenceRecords, retrieveEvidence } from './evidence.js';
import {
  INPUT_LABELS,
  isSelected,
  priorRiskModel,
  shiftProbability,
  type RiskModel,
  riskModelFromJSON,
  type SelectedRiskModel,
} from './model/index.js';
import { decide, type RiskPolicy, thresholdsFor } from './policy.js';
import type { EvidenceSearch, RiskModelRef, RiskRelease, RiskStore } from './ports.js';
import { explainRisk } from './reasons/explain.js';
import type { ReasonWriter } from './reasons/types.js';
import { encodeAssessment } from './stored-assessment.js';

export interface AssessDeps {
  store: RiskStore;
  embedder: Pick<Embedder, 'embed'>;
  evidenceSearch: EvidenceSearch;
  policy: RiskPolicy;
  reasonWriter?: ReasonWriter | undefined;
  llmTimeoutMs: number;
}

/** Outcomes since training read for the base-rate layer: with a 30-day half-life, older ones weigh next to nothing. */
const LAYER_OUTCOMES = 2000;

/** Factors shown: the largest contributions either way. */
const FACTORS_SHOWN = 8;

/** Parsed model artifacts by row id: artifacts never change once stored. */
const MODELS_CACHED = 64;
const modelCache = new Map<string, RiskModel>();

async function modelFor(store: RiskStore, tenantId: string, service: string): Promise<{ model: RiskModel; row?: RiskModelRef }> {
  const row = await store.models.latest(tenantId, service);
  if (!row) return { model: priorRiskModel() };
  let model = modelCache.get(row.id);
  if (!model) {
    const artifact = await store.models.artifact(tenantId, row.id);
    try {
      model = riskModelFromJSON(artifact);
    } catch (err) {
      throw new StoredRecordUnreadableError(
        `risk model v${row.version}${row.service ? ` of ${row.service}` : ''}`,
        'train a new version with "shipcheck train"',
        err,
      );
    }
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
 * cannot feed back. The release is embedded once and searched once: the
 * features and the evidence share that search.
 */
export async function assessRelease(deps: AssessDeps, tenantId: string, release: RiskRelease): Promise<RiskAssessment> {
  const { store } = deps;
  const [ctx, { model, row }] = await Promise.all([
    releaseContext({ history: store.history, chunks: store.chunks, embedder: deps.embedder }, tenantId, release),
    modelFor(store, tenantId, release.service),
  ]);
  // The evidence search and the records it is shown beside do not depend on each other.
  const [retrieved, records] = await Promise.all([
    retrieveEvidence(deps.evidenceSearch, store.history, tenantId, ctx),
    readEvidenceRecords(store.history, tenantId, ctx),
  ]);
  // The base-rate layer as of the release: moved by the outcomes of releases this model assessed, known before it.
  const live =
    isSelected(model) && row ? model.withOutcomes(await outcomesSinceTraining(store, tenantId, row, model, release.createdAt)) : model;
  const prediction = live.predict(ctx.features, release.createdAt);
  // Decide on the probability as shown, so a shown 0.35 can never read "medium" under a 0.35 threshold.
  const probability = round(prediction.probability);
  const thresholds = thresholdsFor(deps.policy, release.service);
  const decision = decide(probability, thresholds);
  const { evidence, byFactor } = gatherEvidence(ctx, records, retrieved);

  const factors: Factor[] = prediction.contributions.slice(0, FACTORS_SHOWN).map((c) => ({
    name: c.name,
    label: INPUT_LABELS[c.name],
    value: round(c.value),
    contribution: round(c.contribution),
    evidence: byFactor[c.name] ?? [],
  }));
  const degraded: string[] = [];
  if (!row) degraded.push('prior_model');
  if (ctx.changes.length === 0 && !release.metrics) degraded.push('no_changes');

  const explained = await explainRisk(
    {
      release: { id: release.id, service: release.service, version: release.version, strategy: release.strategy },
      probability,
      level: decision.level,
      recommendation: decision.recommendation,
      factors,
      evidence,
      context: reasonContext(ctx),
    },
    deps.reasonWriter,
    { timeoutMs: deps.llmTimeoutMs },
  );

  const assessment: RiskAssessment = {
    // The id is made here so the stored body and the answer are one object, written once.
    id: randomUUID(),
    releaseId: release.id,
    service: release.service,
    version: release.version,
    assessedAt: new Date().toISOString(),
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
      ...(isSelected(live) ? { selection: selectionOf(live, release.createdAt) } : {}),
    },
    rank: isSelected(live) ? roundRank(live.rank(probability, release.createdAt)) : null,
    degraded: [...degraded, ...explained.degraded],
    llm: explained.llm,
  };
  await store.assessments.save({
    id: assessment.id,
    createdAt: new Date(assessment.assessedAt),
    tenantId,
    releaseId: release.id,
    modelId: row?.id ?? null,
    probability,
    level: assessment.level,
    recommendation: assessment.recommendation,
    body: encodeAssessment(assessment),
  });
  return assessment;
}

/** Outcomes the layer has not seen yet, with the base model's probability for each (the stored answer without its shift). */
async function outcomesSinceTraining(store: RiskStore, tenantId: string, row: RiskModelRef, model: SelectedRiskModel, before: Date) {
  if (model.selection.recalibration.halfLifeDays === 'off') return [];
  const since = new Date(model.trainedAt ?? row.trainedAt.toISOString());
  const scored = await store.models.scoredOutcomes(tenantId, row.id, { since, before, limit: LAYER_OUTCOMES });
  return scored.map((o) => ({
    probability: shiftProbability(o.probability, -o.shift),
    failed: (o.failed ? 1 : 0) as 0 | 1,
    knownAt: o.knownAt,
  }));
}

/** What an answer says about the model behind it: the candidate chosen, its validation, the base-rate shift applied. */
function selectionOf(model: SelectedRiskModel, at: Date): AssessmentModelSelection {
  const s = model.selection;
  return {
    chosen: s.chosen,
    why: s.why,
    validation: {
      auc: s.served.auc,
      floorAuc: s.candidates.find((c) => c.candidate === 'la')?.auc ?? null,
      brierSkill: s.served.brierSkill,
      ece: s.served.ece,
      rows: s.served.rows,
    },
    baseRate: { halfLifeDays: s.recalibration.halfLifeDays, shift: round(model.shift(at)) },
  };
}

const roundRank = (r: { riskiestShare: number; among: number } | null) =>
  r ? { riskiestShare: round(r.riskiestShare), among: r.among } : null;

/** What the reason sentences need beyond the factors: the raw counts behind ratios, the risky paths, the subsystems named. */
function reasonContext(ctx: ReleaseContext) {
  return {
    features: ctx.features,
    riskyPaths: Object.fromEntries(ctx.riskyPaths),
    subsystems: ctx.subsystems,
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
