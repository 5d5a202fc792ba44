/**
 * The risk model: candidates (model/candidates.ts), the selection among them
 * on the tenant's own history with a base-rate layer (model/select/), and
 * the stored artifacts (model/from-json.ts). See docs/risk-model.md.
 */
export { RiskModelJson } from './artifact.js';
export { mulberry32 } from './gbdt/rng.js';
export { CANDIDATES, type CandidateName, CandidateFitError, fitCandidate } from './candidates.js';
export { isSelected, priorRiskModel, riskModelFromJSON } from './from-json.js';
export { brierScore, calibrationError, logLoss, rankAuc } from './select/metrics.js';
export type { SelectionReport } from './select/artifact.js';
export { shiftProbability } from './select/base-rate.js';
export { type SelectedRiskModel, selectRiskModel } from './select/selected.js';
export {
  CALIBRATION_SHARE,
  HALF_LIFE_SHARE,
  L2,
  MIN_TRAINING_FAILURES,
  MIN_TRAINING_ROWS,
  MODEL_VERSION,
  RiskModelError,
  STACK_L2,
  trainRiskModel,
} from './stacked.js';
export { INPUT_LABELS, type InputName } from './transform.js';
export type { Contribution, RiskModel, RiskPrediction, TrainingRow } from './types.js';
