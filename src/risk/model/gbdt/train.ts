import { AppError } from '../../../contracts/errors.js';
import { logit, sigmoid, softplus } from '../math.js';
import { binOf, quantileEdges } from './bins.js';
import type { GbdtModel } from './model.js';
import { type GbdtOptions, resolveOptions } from './options.js';
import { mulberry32 } from './rng.js';
import { growTree, treeValue, type Tree } from './tree.js';

/** The rows cannot fit a classifier (one outcome only): there is nothing to tell apart. */
export class GbdtTrainingError extends AppError {
  constructor(message: string) {
    super('insufficient_history', message);
  }
}

/**
 * Fits a gradient-boosted tree classifier (binary log-loss) on rows in time
 * order. The newest `validationShare` of the rows is held out: boosting stops
 * once its log-loss has not improved for `earlyStoppingRounds` rounds, and the
 * model keeps the trees up to its best round. The trees are fitted on the
 * older rows only (not refitted on all): the number of trees was chosen for
 * exactly that fit.
 *
 * One outcome in the fitting rows is refused (GbdtTrainingError) rather than
 * answered with a constant model: a caller that wants the base rate can use it
 * directly, and a "model" that never varies would read as a real one.
 */
export function trainGbdt(X: readonly (readonly number[])[], y: readonly (0 | 1)[], opts: GbdtOptions = {}): GbdtModel {
  const n = X.length;
  if (n === 0) throw new RangeError('cannot train on an empty data set');
  if (y.length !== n) throw new RangeError(`X and y differ in length (${n} vs ${y.length})`);
  const d = X[0]!.length;
  if (d === 0) throw new RangeError('rows have no features');
  X.forEach((row, i) => {
    if (row.length !== d) throw new RangeError(`row ${i} has ${row.length} features, expected ${d}`);
    for (let j = 0; j < d; j++) if (!Number.isFinite(row[j])) throw new RangeError(`X[${i}][${j}] is not a finite number`);
    if (y[i] !== 0 && y[i] !== 1) throw new RangeError(`y[${i}] must be 0 or 1`);
  });
  const o = resolveOptions(opts, d);

  const nTrain = o.validationShare > 0 ? Math.floor(n * (1 - o.validationShare)) : n;
  const nValid = n - nTrain;
  const positives = y.slice(0, nTrain).reduce<number>((s, v) => s + v, 0);
  if (positives === 0 || positives === nTrain) {
    const what = nValid > 0 ? `the oldest ${nTrain} of ${n} rows (the rest stop early)` : `all ${n} rows`;
    throw new GbdtTrainingError(`cannot fit a classifier: ${what} have only one outcome (${positives} positive)`);
  }

  // Bins from the fitting rows only: the validation tail must not shape the model.
  const edges: number[][] = [];
  const bins = new Uint8Array(d * nTrain);
  const column = new Float64Array(nTrain);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < nTrain; i++) column[i] = X[i]![j]!;
    const e = quantileEdges(column, o.maxBins);
    edges.push(e);
    for (let i = 0; i < nTrain; i++) bins[j * nTrain + i] = binOf(column[i]!, e);
  }

  const baseScore = logit(positives / nTrain);
  const score = new Float64Array(nTrain).fill(baseScore);
  const validScore = new Float64Array(nValid).fill(baseScore);
  const grad = new Float64Array(nTrain);
  const hess = new Float64Array(nTrain);
  const all = Int32Array.from({ length: nTrain }, (_, i) => i);
  const rng = mulberry32(o.seed);
  const validLoss = () => {
    let s = 0;
    for (let k = 0; k < nValid; k++) s += softplus(validScore[k]!) - y[nTrain + k]! * validScore[k]!;
    return s / nValid;
  };

  const trees: Tree[] = [];
  let best = 0;
  let bestLoss = nValid > 0 ? validLoss() : Number.NaN;
  let stoppedEarly = false;
  let roundsRun = 0;
  for (let round = 0; round < o.rounds; round++) {
    for (let i = 0; i < nTrain; i++) {
      const p = sigmoid(score[i]!);
      grad[i] = p - y[i]!;
      hess[i] = Math.max(p * (1 - p), 1e-16);
    }
    let rows = all;
    if (o.subsample < 1) {
      const drawn = all.filter(() => rng() < o.subsample);
      if (drawn.length > 0) rows = drawn;
    }
    const tree = growTree({
      bins,
      n: nTrain,
      edges,
      grad,
      hess,
      rows,
      monotone: o.monotone,
      maxDepth: o.maxDepth,
      minSamplesLeaf: o.minSamplesLeaf,
      l2: o.l2,
      learningRate: o.learningRate,
    });
    trees.push(tree);
    roundsRun = round + 1;
    for (let i = 0; i < nTrain; i++) score[i]! += treeValue(tree, X[i]!);
    if (nValid === 0) continue;
    for (let k = 0; k < nValid; k++) validScore[k]! += treeValue(tree, X[nTrain + k]!);
    const loss = validLoss();
    if (loss < bestLoss - 1e-12) {
      bestLoss = loss;
      best = roundsRun;
    } else if (roundsRun - best >= o.earlyStoppingRounds) {
      stoppedEarly = roundsRun < o.rounds;
      break;
    }
  }

  return {
    nFeatures: d,
    baseScore,
    trees: nValid > 0 ? trees.slice(0, best) : trees,
    monotone: o.monotone,
    training: {
      roundsRun,
      stoppedEarly,
      trainRows: nTrain,
      validationRows: nValid,
      validationLoss: nValid > 0 ? bestLoss : null,
    },
  };
}
