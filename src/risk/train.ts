import type { Embedder } from '../contracts/embedder.js';
import { releaseContext, releaseText } from './context.js';
import { FAILED_OUTCOMES } from '../contracts/risk.js';
import { MIN_TRAINING_FAILURES, MIN_TRAINING_ROWS, RiskModelError, type TrainingRow, trainRiskModel } from './model/index.js';
import { trainLogistic } from './model/logistic.js';
import type { HoldoutFigures, HoldoutScorer, RiskStore } from './ports.js';
import { snapshotHistory } from './snapshot.js';

/** A service gets its own model from this much history on (else the tenant-wide model serves it). */
export const PER_SERVICE_MIN_ROWS = 400;
export const PER_SERVICE_MIN_FAILURES = 60;
/** Release texts per embedder call while training. */
const EMBED_BATCH = 128;
/** Newest share held out to measure the model before it is saved. */
const HOLDOUT = 0.2;

export interface TrainedScope {
  service: string | null;
  version: number;
  n: number;
  failures: number;
  metrics: HoldoutMetrics;
}

export interface HoldoutMetrics extends HoldoutFigures {
  holdout: number;
}

export interface TrainSummary {
  trained: TrainedScope[];
  skipped: { service: string | null; reason: string }[];
  releases: number;
}

export interface TrainDeps {
  store: RiskStore;
  embedder: Pick<Embedder, 'embed'>;
  scoreHoldout: HoldoutScorer;
}

/**
 * Trains the tenant's models from its stored history: every release with
 * an outcome becomes a row whose features are computed as of its own
 * creation time, by the same code as a live assessment over the history
 * read once (snapshotHistory). The newest 20% is held out to measure the
 * model (and the lines-added baseline beside it); the saved model is then
 * fitted on all rows.
 */
export async function trainTenant(
  deps: TrainDeps,
  tenantId: string,
  opts: { now?: Date; onProgress?: (done: number, total: number) => void } = {},
): Promise<TrainSummary> {
  const now = opts.now ?? new Date();
  const snapshot = await deps.store.training.snapshot(tenantId, now);
  const labelled = snapshot.releases.filter((r) => r.outcome !== null && r.outcomeAt !== null && r.outcomeAt <= now);
  const history = { ...snapshotHistory(snapshot), documentReleases: deps.store.history.documentReleases };
  // Embedded in batches, not one call per release: with a remote embedder that is one round trip per EMBED_BATCH.
  const vectors: number[][] = [];
  for (let i = 0; i < labelled.length; i += EMBED_BATCH) {
    const batch = labelled.slice(i, i + EMBED_BATCH);
    const changes = await Promise.all(batch.map((r) => history.changesOf(tenantId, [r.id])));
    vectors.push(...(await deps.embedder.embed(batch.map((r, j) => releaseText(r, changes[j]!)))));
  }
  const rows: (TrainingRow & { service: string })[] = [];
  for (const [i, r] of labelled.entries()) {
    const ctx = await releaseContext({ history, chunks: deps.store.chunks, embedder: deps.embedder }, tenantId, r, vectors[i]);
    rows.push({ at: r.createdAt, y: FAILED_OUTCOMES.has(r.outcome!) ? 1 : 0, features: ctx.features, service: r.service });
    opts.onProgress?.(i + 1, labelled.length);
  }
  const summary: TrainSummary = { trained: [], skipped: [], releases: labelled.length };
  const scopes: { service: string | null; rows: typeof rows }[] = [{ service: null, rows }];
  for (const service of new Set(rows.map((r) => r.service))) {
    const own = rows.filter((r) => r.service === service);
    if (own.length >= PER_SERVICE_MIN_ROWS && own.filter((r) => r.y === 1).length >= PER_SERVICE_MIN_FAILURES)
      scopes.push({ service, rows: own });
  }
  for (const scope of scopes) {
    const failures = scope.rows.filter((r) => r.y === 1).length;
    if (scope.rows.length < MIN_TRAINING_ROWS || failures < MIN_TRAINING_FAILURES || failures === scope.rows.length) {
      summary.skipped.push({
        service: scope.service,
        reason: `${scope.rows.length} releases with outcomes, ${failures} failed: a model needs ≥ ${MIN_TRAINING_ROWS} and ≥ ${MIN_TRAINING_FAILURES} failures (the prior model serves until then)`,
      });
      continue;
    }
    const metrics = holdoutMetrics(scope.rows, deps.scoreHoldout);
    const model = trainRiskModel(scope.rows, { trainedAt: now });
    const saved = await deps.store.models.save({
      tenantId,
      service: scope.service,
      algorithm: model.version,
      trainedAt: now,
      dataUntil: scope.rows[scope.rows.length - 1]!.at,
      n: model.n,
      failures: model.failures,
      artifact: model.toJSON(),
      metrics: { ...metrics },
    });
    summary.trained.push({ service: scope.service, version: saved.version, n: model.n, failures: model.failures, metrics });
  }
  return summary;
}

/** Time-ordered: fit on the oldest 80%, measure on the newest 20%, beside the lines-added baseline. */
function holdoutMetrics(rows: readonly TrainingRow[], score: HoldoutScorer): HoldoutMetrics {
  const cut = Math.floor(rows.length * (1 - HOLDOUT));
  const train = rows.slice(0, cut);
  const test = rows.slice(cut);
  const empty = { holdout: test.length, auc: null, baselineAuc: null, brierSkill: null, ece: null };
  const trainFailures = train.filter((r) => r.y === 1).length;
  if (test.length === 0 || trainFailures < MIN_TRAINING_FAILURES / 2 || trainFailures === train.length) return empty;
  try {
    const model = trainRiskModel(train);
    const la = (r: TrainingRow) => [Math.log1p(r.features.la ?? 0)];
    const baseline = trainLogistic(
      train.map(la),
      train.map((r) => r.y),
    );
    return {
      holdout: test.length,
      ...score({
        probabilities: test.map((r) => model.predict(r.features).probability),
        baseline: test.map((r) => baseline.predict(la(r))),
        labels: test.map((r) => r.y),
        trainBaseRate: trainFailures / train.length,
      }),
    };
  } catch (err) {
    // Too little in the older 80% to fit: no held-out figures, the saved model is still fitted on all rows.
    if (err instanceof RiskModelError) return empty;
    throw err;
  }
}
