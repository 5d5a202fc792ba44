import { GATE_CAPTURE_AT, type ModelMetrics } from '../../contracts/evals.js';
import { brier, brierSkill } from './brier.js';
import { expectedCalibrationError } from './calibration.js';
import { popt, recallAtEffort } from './effort.js';
import { gateCapture } from './gate.js';
import { prAuc } from './precision-recall.js';
import { rocAuc } from './roc.js';
import { thresholdMetrics } from './threshold.js';
import { checkEffort, checkPair, countFailures, type Label } from './validate.js';

export interface EvaluateOptions {
  /** Changed lines (la + ld) per change; without it the effort-aware figures are null. */
  effort?: readonly number[];
  /** Failure rate of the TRAINING data: the Brier-skill reference (see brierSkill). */
  baseRate: number;
  /** Decision threshold for precision/recall/F1 (flag when p ≥ threshold). */
  threshold: number;
}

/** Every ModelMetrics figure for one model on one test set. */
export function evaluate(p: readonly number[], y: readonly Label[], opts: EvaluateOptions): ModelMetrics {
  checkPair(p, y);
  if (opts.effort !== undefined) checkEffort(opts.effort, p.length);
  const [g5, g10, g20, g50] = GATE_CAPTURE_AT.map((percent) => gateCapture(p, y, percent));
  const t = thresholdMetrics(p, y, opts.threshold);
  return {
    n: p.length,
    failures: countFailures(y),
    auc: rocAuc(p, y),
    prAuc: prAuc(p, y),
    brier: brier(p, y),
    brierSkill: brierSkill(p, y, opts.baseRate),
    ece: expectedCalibrationError(p, y),
    gateCapture: { '5': g5 ?? null, '10': g10 ?? null, '20': g20 ?? null, '50': g50 ?? null },
    popt: opts.effort ? popt(p, y, opts.effort) : null,
    recallAt20Effort: opts.effort ? recallAtEffort(p, y, opts.effort, 0.2) : null,
    threshold: opts.threshold,
    precision: t.precision,
    recall: t.recall,
    f1: t.f1,
  };
}
