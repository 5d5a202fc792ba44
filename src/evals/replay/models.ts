import type { HistoryRecord } from '../../contracts/evals.js';
import { METRIC_NAMES } from '../../risk/features/change-metrics.js';
import { trainLogistic } from '../../risk/model/logistic.js';
import {
  CandidateFitError,
  fitCandidate,
  MODEL_VERSION,
  priorRiskModel,
  RiskModelError,
  type RiskModel,
  type SelectedRiskModel,
  selectRiskModel,
  type TrainingRow,
  trainRiskModel,
} from '../../risk/model/index.js';

/** A fitted model's answer for a record; `observe` hears an outcome that became known after the fit. */
export type Scorer = ((r: HistoryRecord) => number) & { observe?: (r: HistoryRecord, knownAt: Date) => void };

/** When a model is fitted: the replay's clock, when each record's outcome became known, the model serving until now. */
export interface FitContext {
  now: Date;
  knownAt(r: HistoryRecord): Date;
  previous?: Scorer | undefined;
}

/** A model the harness can replay: fitted on past records only, then asked about later ones. */
export interface ModelSpec {
  name: string;
  version: string;
  fit(train: readonly HistoryRecord[], context?: FitContext): Scorer;
}

/** A record as the risk model trains on it: its time, its label, its metrics, and when the label became known. */
const trainingRow = (r: HistoryRecord, knownAt?: Date): TrainingRow => ({
  at: r.at,
  y: r.outcome === 'failure' ? 1 : 0,
  features: r.metrics,
  knownAt,
});

/** Counts are heavy-tailed: log1p keeps a 10,000-line change from dominating the fit. */
const logged = (v: number | undefined) => Math.log1p(Math.max(0, v ?? 0));

/**
 * The published floor: logistic regression on lines added alone ("LApredict",
 * Zeng et al., ISSTA 2021), which matches deep models on these metrics.
 * log1p is monotonic, so the ranking (AUC) equals raw `la`'s.
 */
export const baselineLa: ModelSpec = {
  name: 'baseline-la',
  version: 'la-logistic-1',
  fit(train) {
    const model = trainLogistic(
      train.map((r) => [logged(r.metrics.la)]),
      train.map((r) => (r.outcome === 'failure' ? 1 : 0)),
    );
    return (r) => model.predict([logged(r.metrics.la)]);
  },
};

/** Regularised logistic regression on all 14 metrics (log1p of counts): the reference the risk scorer must beat too. */
export const jitLogistic: ModelSpec = {
  name: 'jit-lr',
  version: 'jit14-logistic-1',
  fit(train) {
    const present = METRIC_NAMES.filter((m) => train.some((r) => r.metrics[m] !== undefined));
    const row = (r: HistoryRecord) => present.map((m) => (m === 'entropy' || m === 'fix' ? (r.metrics[m] ?? 0) : logged(r.metrics[m])));
    const model = trainLogistic(
      train.map(row),
      train.map((r) => (r.outcome === 'failure' ? 1 : 0)),
    );
    return (r) => model.predict(row(r));
  },
};

/**
 * The risk scorer's own model (src/risk/model): what `POST /v1/releases/:id/risk`
 * uses, trained on the features each record carries (imported history: the 14 metrics).
 * With too little history it is the documented prior, as for a live tenant
 * (an online replay's first months), rather than no answer.
 */
export const riskLogistic: ModelSpec = {
  name: 'risk-lr',
  version: MODEL_VERSION,
  fit(train) {
    let model: RiskModel;
    try {
      model = trainRiskModel(train.map((r) => trainingRow(r)));
    } catch (err) {
      if (!(err instanceof RiskModelError)) throw err;
      model = priorRiskModel();
    }
    return (r) => model.predict(r.metrics).probability;
  },
};

/**
 * One of the served model's candidates on its own (src/risk/model/candidates.ts), fitted as the
 * service fits it. Too little history for it (an online replay's first weeks): the prior answers.
 */
function candidateSpec(name: 'gbdt' | 'blend', version: string): ModelSpec {
  return {
    name,
    version,
    fit(train) {
      let model: RiskModel;
      try {
        model = fitCandidate(
          name,
          train.map((r) => trainingRow(r)),
        );
      } catch (err) {
        if (!(err instanceof CandidateFitError)) throw err;
        model = priorRiskModel();
      }
      return (r) => model.probability(r.metrics);
    },
  };
}

export const gbdtCandidate = candidateSpec('gbdt', 'gbdt-1');
export const blendCandidate = candidateSpec('blend', 'blend-1');

/**
 * What the service serves (src/risk/model/select): the candidates compared by rolling-origin
 * validation on the records the retrain sees, the best (ties to the simpler) with its base-rate
 * layer, which outcomes arriving between retrains keep moving. A retrain that fails validation
 * leaves the previous model serving, as in the service.
 */
export const servedModel: ModelSpec = {
  name: 'served',
  version: 'selected-1',
  fit(train, context) {
    const rows = train.map((r) => trainingRow(r, context?.knownAt(r)));
    const prior: Scorer = (r: HistoryRecord) => priorRiskModel().probability(r.metrics);
    let model: SelectedRiskModel;
    try {
      model = selectRiskModel(rows, { trainedAt: context?.now ?? train[train.length - 1]!.at });
    } catch (err) {
      if (!(err instanceof CandidateFitError)) throw err;
      return context?.previous ?? prior;
    }
    // Failed validation: what served before keeps serving (the prior when nothing did), as in the service.
    if (model.selection.failed) return context?.previous ?? prior;
    const scorer: Scorer = (r) => model.probability(r.metrics, r.at);
    scorer.observe = (r, knownAt) => model.observe(r.metrics, r.outcome === 'failure' ? 1 : 0, knownAt);
    return scorer;
  },
};

export const MODELS: Record<string, ModelSpec> = {
  [servedModel.name]: servedModel,
  [baselineLa.name]: baselineLa,
  [jitLogistic.name]: jitLogistic,
  [riskLogistic.name]: riskLogistic,
  [gbdtCandidate.name]: gbdtCandidate,
  [blendCandidate.name]: blendCandidate,
};
