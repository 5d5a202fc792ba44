/**
 * A gradient-boosted decision tree classifier (histogram splits, log-loss,
 * monotone constraints, early stopping on the newest rows): a candidate risk
 * model that can learn interactions a logistic model cannot, while keeping
 * "more lines added never lowers the risk" where that is asked for.
 */
export { GbdtArtifactError, GbdtModelJson, gbdtFromJSON, gbdtToJSON } from './artifact.js';
export {
  type FeatureImportance,
  type GbdtModel,
  type GbdtTrainingSummary,
  gbdtFeatureImportance,
  gbdtLogOdds,
  predictGbdt,
} from './model.js';
export { GBDT_DEFAULTS, type GbdtOptions } from './options.js';
export { GbdtTrainingError, trainGbdt } from './train.js';
