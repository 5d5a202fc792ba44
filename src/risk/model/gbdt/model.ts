import { sigmoid } from '../math.js';
import { isLeaf, treeValue, type Tree } from './tree.js';

/** A fitted gradient-boosted tree classifier: P(y = 1 | x) = σ(baseScore + Σ tree(x)). */
export interface GbdtModel {
  nFeatures: number;
  /** Log-odds of the training base rate: the prediction before any tree. */
  baseScore: number;
  trees: Tree[];
  /** The monotone constraint each feature was fitted under (+1, −1, 0). */
  monotone: (-1 | 0 | 1)[];
  training: GbdtTrainingSummary;
}

export interface GbdtTrainingSummary {
  /** Rounds boosted before stopping (≥ trees kept). */
  roundsRun: number;
  /** True when the validation loss stopped improving before the round cap. */
  stoppedEarly: boolean;
  /** Rows that fitted the trees and rows held out to stop early (0 when early stopping was off). */
  trainRows: number;
  validationRows: number;
  /** Validation log-loss (mean) of the kept trees; null without a validation tail. */
  validationLoss: number | null;
}

/** P(y = 1 | x) for one raw feature row. */
export function predictGbdt(model: GbdtModel, x: readonly number[]): number {
  return sigmoid(gbdtLogOdds(model, x));
}

/** The model's log-odds for one raw feature row. */
export function gbdtLogOdds(model: GbdtModel, x: readonly number[]): number {
  if (x.length !== model.nFeatures) throw new RangeError(`expected ${model.nFeatures} features, got ${x.length}`);
  for (let j = 0; j < x.length; j++) {
    if (!Number.isFinite(x[j])) throw new RangeError(`feature ${j} is not a finite number`);
  }
  let eta = model.baseScore;
  for (const tree of model.trees) eta += treeValue(tree, x);
  return eta;
}

export interface FeatureImportance {
  feature: number;
  /** Total loss reduction of the splits on this feature. */
  gain: number;
  /** gain / total gain of all features (0 when no tree splits). */
  share: number;
  splits: number;
}

/** Gain importance per feature, in feature order (a feature never split on has gain 0). */
export function gbdtFeatureImportance(model: GbdtModel): FeatureImportance[] {
  const gain = new Array<number>(model.nFeatures).fill(0);
  const splits = new Array<number>(model.nFeatures).fill(0);
  for (const tree of model.trees) {
    for (const node of tree) {
      if (isLeaf(node)) continue;
      gain[node.feature]! += node.gain;
      splits[node.feature]!++;
    }
  }
  const total = gain.reduce((s, g) => s + g, 0);
  return gain.map((g, feature) => ({ feature, gain: g, share: total > 0 ? g / total : 0, splits: splits[feature]! }));
}
