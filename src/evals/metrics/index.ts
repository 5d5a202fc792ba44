/** Evaluation metrics for release-risk models: pure functions over parallel arrays (p, y[, effort]). */
export type { Label } from './validate.js';
export { rocAuc, rocCurve, type RocPoint } from './roc.js';
export { prAuc } from './precision-recall.js';
export { brier, brierSkill } from './brier.js';
export { expectedCalibrationError, reliabilityTable, DEFAULT_CALIBRATION_BINS } from './calibration.js';
export { gateCapture, gateCurve, type GatePoint } from './gate.js';
export { recallAtEffort, popt, modelOrder, effectiveEffort } from './effort.js';
export { thresholdMetrics, type ThresholdMetrics } from './threshold.js';
export { histogramByOutcome, type OutcomeHistogram } from './histogram.js';
export { evaluate, type EvaluateOptions } from './evaluate.js';
