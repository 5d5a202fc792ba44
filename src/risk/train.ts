import type { Embedder } from '../contracts/embedder.js';
import { releaseContext, releaseText } from './context.js';
import { FAILED_OUTCOMES } from '../contracts/risk.js';
import {
  CandidateFitError,
  MIN_TRAINING_FAILURES,
  MIN_TRAINING_ROWS,
  type SelectedRiskModel,
  selectRiskModel,
  type TrainingRow,
} from './model/index.js';
import type { RiskStore } from './ports.js';
import { snapshotHistory } from './snapshot.js';

/** A service gets its own model from this much history on (else the tenant-wide model serves it). */
export const PER_SERVICE_MIN_ROWS = 400;
export const PER_SERVICE_MIN_FAILURES = 60;
/** Release texts per embedder call while training. */
const EMBED_BATCH = 128;

export interface TrainedScope {
  service: string | null;
  version: number;
  n: number;
  failures: number;
  /** The candidate the validation chose, and why. */
  chosen: string;
  why: string;
  /** `rejected`: it failed validation and does not serve (the previous model, or the prior, keeps serving). */
  status: 'serving' | 'rejected';
  statusReason: string | null;
  validation: ValidationSummary;
  /** The base-rate layer's forgetting half-life in days (null: never forgets; 'off': not used). */
  halfLifeDays: number | null | 'off';
}

/** The chosen model's rolling-origin validation, as served, beside the lines-added floor's. */
export interface ValidationSummary {
  rows: number;
  auc: number | null;
  floorAuc: number | null;
  brierSkill: number | null;
  ece: number | null;
}

export interface TrainSummary {
  trained: TrainedScope[];
  skipped: { service: string | null; reason: string }[];
  releases: number;
  /** The service with the most labelled releases, when none had enough for a model of its own (so people see how far off it is). */
  largestService?: { service: string; releases: number; failures: number; needs: { releases: number; failures: number } };
}

export interface TrainDeps {
  store: RiskStore;
  embedder: Pick<Embedder, 'embed'>;
}

/**
 * Trains the tenant's models from its stored history: every release with
 * an outcome becomes a row whose features are computed as of its own
 * creation time, by the same code as a live assessment over the history
 * read once (snapshotHistory), and known from its outcome time on (an SZZ
 * label from when its fix landed). The candidates are compared by
 * rolling-origin validation; the chosen one is fitted on all rows and
 * saved with its validation report. A model that fails validation is saved
 * as `rejected` and does not serve: the previous one (or the prior) does.
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
    rows.push({
      at: r.createdAt,
      y: FAILED_OUTCOMES.has(r.outcome!) ? 1 : 0,
      features: ctx.features,
      knownAt: r.outcomeAt!,
      service: r.service,
    });
    opts.onProgress?.(i + 1, labelled.length);
  }
  const summary: TrainSummary = { trained: [], skipped: [], releases: labelled.length };
  const scopes: { service: string | null; rows: typeof rows }[] = [{ service: null, rows }];
  let largest: TrainSummary['largestService'];
  for (const service of new Set(rows.map((r) => r.service))) {
    const own = rows.filter((r) => r.service === service);
    const failures = own.filter((r) => r.y === 1).length;
    if (own.length >= PER_SERVICE_MIN_ROWS && failures >= PER_SERVICE_MIN_FAILURES) scopes.push({ service, rows: own });
    else if (!largest || own.length > largest.releases)
      largest = { service, releases: own.length, failures, needs: { releases: PER_SERVICE_MIN_ROWS, failures: PER_SERVICE_MIN_FAILURES } };
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
    let model: SelectedRiskModel;
    try {
      model = selectRiskModel(scope.rows, { trainedAt: now });
    } catch (err) {
      if (!(err instanceof CandidateFitError)) throw err;
      summary.skipped.push({
        service: scope.service,
        reason: `${err.message}; the model serving now (or the prior) keeps serving`,
      });
      continue;
    }
    const report = model.selection;
    const validation: ValidationSummary = {
      rows: report.served.rows,
      auc: report.served.auc,
      floorAuc: report.candidates.find((c) => c.candidate === 'la')?.auc ?? null,
      brierSkill: report.served.brierSkill,
      ece: report.served.ece,
    };
    const status = report.failed ? 'rejected' : 'serving';
    const saved = await deps.store.models.save({
      tenantId,
      service: scope.service,
      algorithm: model.version,
      trainedAt: now,
      dataUntil: scope.rows[scope.rows.length - 1]!.at,
      // The labelled releases it was given (what the retrain trigger counts), not the fewer the label horizon let it fit.
      n: scope.rows.length,
      failures: model.failures,
      artifact: model.toJSON(),
      metrics: { chosen: report.chosen, ...validation },
      status,
      statusReason: report.failed,
    });
    summary.trained.push({
      service: scope.service,
      version: saved.version,
      n: model.n,
      failures: model.failures,
      chosen: report.chosen,
      why: report.why,
      status,
      statusReason: report.failed,
      validation,
      halfLifeDays: report.recalibration.halfLifeDays,
    });
  }
  if (largest && scopes.length === 1) summary.largestService = largest;
  return summary;
}
