import type { FeatureVector } from '../../features/names.js';
import { BLEND_OF, type CandidateName, CandidateFitError, fitCandidate } from '../candidates.js';
import { MIN_TRAINING_FAILURES, MIN_TRAINING_ROWS } from '../stacked.js';
import { METRIC_NAMES } from '../../features/change-metrics.js';
import { usableInputs } from '../linear.js';
import { ALL_INPUTS, DERIVED, type InputName } from '../transform.js';
import type { RiskModel, RiskPrediction, TrainingRow } from '../types.js';
import type { SelectedRiskModelJson, SelectionReport } from './artifact.js';
import { brierScore, calibrationError, rankAuc } from './metrics.js';
import { BaseRateTracker, shiftProbability } from './base-rate.js';
import { AUC_TIE, type Choice, chooseCandidate, MIN_FOLDS } from './choose.js';
import { chooseRecalibration, type RecalibrationChoice, recalibratedFolds, seededTracker } from './recalibration.js';
import { labelHorizonMs, trainableAt } from './label-horizon.js';
import { type RollingOrigin, type RollingOriginOptions, rollingOrigin } from './rolling-origin.js';
import { validationFailure } from './validation-gate.js';

/** The candidate that serves when the history is too short to compare them: what served before selection existed. */
export const FALLBACK: CandidateName = 'stacked-lr';
/** Newest training releases the rank of a new one is measured against. */
export const RANK_WINDOW = 1000;

export interface SelectedRiskModel extends RiskModel {
  chosen: CandidateName;
  selection: SelectionReport;
  /** The base-rate layer's log-odds shift as of a time (0 when it is off). */
  shift(at?: Date): number;
  /** Share of the newest training releases scored at or above this probability (before the base-rate shift on both sides). */
  rank(probability: number, at?: Date): { riskiestShare: number; among: number } | null;
  /** The candidate's own model, before recalibration. */
  base: RiskModel;
  /** Feeds one outcome that became known: the base-rate layer moves (the replay does this between retrains). */
  observe(f: FeatureVector, failed: 0 | 1, knownAt: Date): void;
  /**
   * The same model with its base-rate layer moved by outcomes that became known since it was trained (each with
   * the base model's probability for that release): what the service answers with. The model itself is unchanged.
   */
  withOutcomes(outcomes: readonly { probability: number; failed: 0 | 1; knownAt: Date }[]): SelectedRiskModel;
  toJSON(): SelectedRiskModelJson;
}

/**
 * Trains the tenant's model: rolling-origin validation of every candidate,
 * the best (ties to the simpler) refitted on all rows, and a base-rate
 * layer over it whose forgetting the same validation chose. Rows must be in
 * time order. Throws CandidateFitError when even the chosen candidate
 * cannot be fitted on all rows.
 */
export function selectRiskModel(
  given: readonly TrainingRow[],
  opts: { trainedAt?: Date; validation?: RollingOriginOptions } = {},
): SelectedRiskModel {
  const trainedAt = opts.trainedAt ?? new Date();
  // The final fit, like every fold, learns only from labels older than the horizon (label-horizon.ts).
  const rows = trainableAt(given, trainedAt.getTime() + 1, labelHorizonMs(given)).map((i) => given[i]!);
  const failures = rows.filter((r) => r.y === 1).length;
  if (rows.length < MIN_TRAINING_ROWS || failures < MIN_TRAINING_FAILURES || failures === rows.length) {
    throw new CandidateFitError(
      'selection',
      `${rows.length} releases old enough to learn from (${given.length - rows.length} younger than the label horizon), ${failures} failed: a model needs ≥ ${MIN_TRAINING_ROWS} and ≥ ${MIN_TRAINING_FAILURES} failures and some successes`,
    );
  }
  const full = rollingOrigin(rows, opts.validation);
  const fullChoice = chooseCandidate(rows, full, FALLBACK);
  const context = contextCheck(rows, fullChoice, opts.validation);
  const { validation, choice } = context?.used === false ? context.without : { validation: full, choice: fullChoice };
  const recal = choice.recalibration;
  const model = fitCandidate(choice.chosen, rows, trainedAt, context?.used === false ? JIT_INPUTS : undefined);
  const probabilities = rows.map((r) => model.probability(r.features));
  const halfLife = recal.halfLifeDays === 'off' ? undefined : recal.halfLifeDays;
  const tracker =
    halfLife === undefined
      ? null
      : seededTracker(
          rows.map((row, i) => ({ row, probability: probabilities[i]! })),
          halfLife,
          trainedAt.getTime(),
        );
  const selection: SelectionReport = {
    chosen: choice.chosen,
    why: context ? `${choice.why}; ${contextWords(context.report)}` : choice.why,
    folds: validation.folds.map((f) => ({ origin: f.origin.toISOString(), trainRows: f.trainRows, scoredRows: f.scoredRows })),
    candidates: choice.figures,
    served: servedFigures(rows, validation, choice.chosen, recal),
    recalibration: recal,
    context: context ? context.report : null,
    failed: null,
  };
  selection.failed = validationFailure(selection);
  return selectedModel(
    {
      kind: 'shipcheck-selected-risk-model',
      version: 1,
      trainedAt: trainedAt.toISOString(),
      selection,
      baseRate: tracker ? tracker.state() : null,
      recentScores: probabilities.slice(-RANK_WINDOW).sort((a, b) => a - b),
      model: model.toJSON() as SelectedRiskModelJson['model'],
    },
    model,
  );
}

/** The 14 just-in-time metrics and the ratios derived from them: what any history carries, imported or not. */
export const JIT_INPUTS: readonly InputName[] = [...METRIC_NAMES, ...(Object.keys(DERIVED) as InputName[])];

/**
 * Whether shipcheck's release context (risky paths, recent failures and incidents, similar releases, the
 * failure history of files and authors, …) pays on this history: the chosen candidate is validated again on
 * the just-in-time metrics alone, over the same slices. Without the context it must do worse by more than
 * AUC_TIE for the context to be used: fewer inputs is the simpler model. Null when the rows carry no context
 * (imported just-in-time histories).
 */
function contextCheck(rows: readonly TrainingRow[], choice: Choice, validation: RollingOriginOptions | undefined) {
  const contextInputs = usableInputs(
    rows,
    ALL_INPUTS.filter((n) => !JIT_INPUTS.includes(n)),
  ).inputs;
  const withAuc = choice.figures.find((f) => f.candidate === choice.chosen)?.auc ?? null;
  if (contextInputs.length === 0 || withAuc === null) return null;
  const candidates: CandidateName[] = choice.chosen === 'blend' ? [...BLEND_OF, 'blend'] : [choice.chosen];
  const v = rollingOrigin(rows, { ...validation, candidates, among: JIT_INPUTS });
  const c = chooseCandidate(rows, v, choice.chosen);
  const withoutAuc = c.figures.find((f) => f.candidate === choice.chosen)?.auc ?? null;
  const used = withoutAuc === null || withAuc - withoutAuc > AUC_TIE;
  return {
    used,
    // Served without the context: the chosen candidate with its own base-rate layer on those slices. The candidates'
    // figures stay the comparison that chose it; `served` and `folds` then describe the model that serves.
    without: {
      validation: v,
      choice: {
        chosen: choice.chosen,
        why: choice.why,
        figures: choice.figures,
        recalibration: chooseRecalibration(rows, v, choice.chosen),
      },
    },
    report: { used, inputs: contextInputs, aucWith: withAuc, aucWithout: withoutAuc },
  };
}

function contextWords(r: { used: boolean; aucWith: number | null; aucWithout: number | null }): string {
  const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
  const what = "shipcheck's release context (risky paths, recent failures and incidents, similar releases, file and author history)";
  return r.used
    ? `${what} helps: validation AUC ${f(r.aucWith)} with it, ${f(r.aucWithout)} without`
    : `${what} did not help (validation AUC ${f(r.aucWithout)} without it, ${f(r.aucWith)} with): left out`;
}

/** Rebuilds the served model around its (already parsed) base model. */
export function selectedModel(
  json: SelectedRiskModelJson,
  base: RiskModel,
  tracker: BaseRateTracker | null = json.baseRate ? BaseRateTracker.from(json.baseRate) : null,
): SelectedRiskModel {
  const shift = (at?: Date) => tracker?.shift(at) ?? 0;
  const calibrated = (p: number, at?: Date) => (tracker ? tracker.apply(p, at) : p);
  const scores = json.recentScores;
  return {
    version: base.version,
    trainedAt: json.trainedAt,
    n: base.n,
    failures: base.failures,
    features: base.features,
    calibration: tracker ? 'base-rate' : base.calibration,
    chosen: json.selection.chosen,
    selection: json.selection,
    base,
    shift,
    predict(f, at): RiskPrediction {
      const p = base.predict(f);
      return { probability: calibrated(p.probability, at), contributions: p.contributions };
    },
    probability: (f, at) => calibrated(base.probability(f), at),
    rank(probability, at) {
      if (scores.length === 0) return null;
      // The recent scores are the base model's: compare before the shift on both sides.
      const raw = shiftProbability(probability, -shift(at));
      // Share of recent scores ≥ raw (binary search on the ascending list).
      let lo = 0;
      let hi = scores.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (scores[mid]! < raw - 1e-12) lo = mid + 1;
        else hi = mid;
      }
      return { riskiestShare: (scores.length - lo) / scores.length, among: scores.length };
    },
    observe(f, failed, knownAt) {
      tracker?.observe(base.probability(f), failed, knownAt);
    },
    withOutcomes(outcomes) {
      if (!tracker || outcomes.length === 0) return this;
      const moved = BaseRateTracker.from(tracker.state());
      for (const o of [...outcomes].sort((x, y) => x.knownAt.getTime() - y.knownAt.getTime()))
        moved.observe(o.probability, o.failed, o.knownAt);
      return selectedModel(json, base, moved);
    },
    toJSON: () => ({ ...structuredClone(json), baseRate: tracker ? tracker.state() : null }),
  };
}

/**
 * The chosen candidate's validation answers as serving would have given them (recalibrated as of
 * each release's time), scored: Brier skill against each fold's own training base rate, a forecast
 * that existed then.
 */
function servedFigures(rows: readonly TrainingRow[], validation: RollingOrigin, chosen: CandidateName, recal: RecalibrationChoice) {
  const scored = validation.scored[chosen] ?? [];
  // Too few slices to validate (the fallback serving a short history): no figures, so nothing to fail on either.
  if (scored.length === 0 || new Set(scored.map((s) => s.fold)).size < MIN_FOLDS)
    return { auc: null, brier: null, brierSkill: null, ece: null, rows: 0 };
  const p =
    recal.halfLifeDays === 'off' ? scored.map((s) => s.probability) : recalibratedFolds(rows, validation, chosen, recal.halfLifeDays);
  const y = scored.map((s) => rows[s.row]!.y);
  const foldRate = new Map<number, number>();
  for (const [fold, seed] of validation.inSample[chosen]!) {
    foldRate.set(fold, seed.rows.reduce((n, i) => n + rows[i]!.y, 0) / Math.max(1, seed.rows.length));
  }
  const reference = scored.reduce((s, x, i) => s + (foldRate.get(x.fold)! - y[i]!) ** 2, 0) / scored.length;
  const brier = brierScore(p, y);
  return {
    auc: rankAuc(p, y),
    brier,
    brierSkill: reference > 0 ? 1 - brier / reference : null,
    ece: calibrationError(p, y),
    rows: p.length,
  };
}
