import type { HoldoutScorer } from '../risk/ports.js';
import { brierSkill, expectedCalibrationError, rocAuc } from './metrics/index.js';

/** The held-out figures `shipcheck train` stores with each model, by the eval harness's own metrics. */
export const scoreHoldout: HoldoutScorer = ({ probabilities, baseline, labels, trainBaseRate }) => ({
  auc: rocAuc(probabilities, labels) ?? null,
  baselineAuc: rocAuc(baseline, labels) ?? null,
  brierSkill: brierSkill(probabilities, labels, trainBaseRate) ?? null,
  ece: expectedCalibrationError(probabilities, labels),
});
