import { brierSkill, expectedCalibrationError, rocAuc } from '../evals/metrics/index.js';
import type { Embedder } from '../ingest/embedder.js';
import type { StoredRelease } from '../store/index.js';
import { contextAsOf, loadSnapshot, type RiskStore } from './as-of.js';
import { FAILED_OUTCOMES } from './features/context.js';
import { trainLogistic } from './logistic.js';
import { MIN_TRAINING_FAILURES, MIN_TRAINING_ROWS, RiskModelError, trainRiskModel, type TrainingRow } from './model/index.js';

/** A service gets its own model from this much history on (else the tenant-wide model serves it). */
export const PER_SERVICE_MIN_ROWS = 400;
export const PER_SERVICE_MIN_FAILURES = 60;
/** Newest share held out to measure the model before it is saved. */
const HOLDOUT = 0.2;

export interface TrainedScope {
  service: string | null;
  version: number;
  n: number;
  failures: number;
  metrics: HoldoutMetrics;
}

export interface HoldoutMetrics {
  holdout: number;
  auc: number | null;
  baselineAuc: number | null;
  brierSkill: number | null;
  ece: number | null;
}

export interface TrainSummary {
  trained: TrainedScope[];
  skipped: { service: string | null; reason: string }[];
  releases: number;
}

const label = (r: StoredRelease): 0 | 1 => (FAILED_OUTCOMES.has(r.outcome ?? '') ? 1 : 0);

/**
 * Trains the tenant's models from its stored history: every release with
 * an outcome becomes a row whose features are computed as of its own
 * creation time (the same code path as a live assessment). The newest 20%
 * is held out to measure the model (and the lines-added baseline beside it);
 * the saved model is then fitted on all rows.
 */
export async function trainTenant(
  deps: { store: RiskStore; embedder: Embedder },
  tenantId: string,
  opts: { now?: Date; onProgress?: (done: number, total: number) => void } = {},
): Promise<TrainSummary> {
  const now = opts.now ?? new Date();
  const releases = (await deps.store.releases.list(tenantId, { limit: 1_000_000, order: 'asc', to: now })).filter(
    (r) => r.outcome !== null && r.outcomeAt !== null && r.outcomeAt <= now,
  );
  const snapshot = await loadSnapshot(deps.store, tenantId, now);
  const rows: (TrainingRow & { service: string })[] = [];
  for (const [i, r] of releases.entries()) {
    const ctx = await contextAsOf(deps.store, deps.embedder, tenantId, r, { snapshot });
    rows.push({ at: r.createdAt, y: label(r), features: ctx.features, service: r.service });
    opts.onProgress?.(i + 1, releases.length);
  }
  const summary: TrainSummary = { trained: [], skipped: [], releases: releases.length };
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
    const metrics = holdoutMetrics(scope.rows);
    const model = trainRiskModel(scope.rows, { trainedAt: now });
    const saved = await deps.store.risk.saveModel({
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
function holdoutMetrics(rows: readonly TrainingRow[]): HoldoutMetrics {
  const cut = Math.floor(rows.length * (1 - HOLDOUT));
  const train = rows.slice(0, cut);
  const test = rows.slice(cut);
  const empty = { holdout: test.length, auc: null, baselineAuc: null, brierSkill: null, ece: null };
  const trainFailures = train.filter((r) => r.y === 1).length;
  if (test.length === 0 || trainFailures < MIN_TRAINING_FAILURES / 2 || trainFailures === train.length) return empty;
  try {
    const model = trainRiskModel(train);
    const p = test.map((r) => model.predict(r.features).probability);
    const y = test.map((r) => r.y);
    const la = (r: TrainingRow) => [Math.log1p(r.features.la ?? 0)];
    const baseline = trainLogistic(
      train.map(la),
      train.map((r) => r.y),
    );
    return {
      holdout: test.length,
      auc: rocAuc(p, y) ?? null,
      baselineAuc:
        rocAuc(
          test.map((r) => baseline.predict(la(r))),
          y,
        ) ?? null,
      brierSkill: brierSkill(p, y, trainFailures / train.length) ?? null,
      ece: expectedCalibrationError(p, y),
    };
  } catch (err) {
    // Too little in the older 80% to fit: no held-out figures, the saved model is still fitted on all rows.
    if (err instanceof RiskModelError) return empty;
    throw err;
  }
}
