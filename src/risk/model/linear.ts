import { FEATURES, type FeatureName, type FeatureVector } from '../features/names.js';
import type { RiskModelJson } from './artifact.js';
import { RiskModelError } from './errors.js';
import { type LogisticModel, trainLogistic } from './logistic.js';
import { sigmoid } from './math.js';
import { ALL_INPUTS, inputValue, type InputName } from './transform.js';
import type { Contribution, RiskModel, RiskPrediction, TrainingRow } from './types.js';

/**
 * The logistic risk models (the stacked one, the plain one, lines added
 * alone) share one artifact shape and one way to predict and explain: the
 * full model's term, optionally blended with the lines-added model's by the
 * stacker, which also calibrates.
 */
export function linearRiskModel(json: RiskModelJson, lr: LogisticModel, laLr: LogisticModel | null): RiskModel {
  const { inputs, stack } = json;
  const laIndex = inputs.indexOf('la');
  const predict = (f: FeatureVector): RiskPrediction => {
    // Contributions are in the calibrated log-odds: a·(full model's term) (+ c·(la model's term) for la).
    const a = stack?.a ?? 1;
    let eta = stack ? stack.b + a * lr.intercept : lr.intercept;
    const contributions: Contribution[] = [];
    inputs.forEach((name, j) => {
      const raw = inputValue(name, f);
      const x = raw ?? lr.mean[j]!; // unknown → the training mean: contributes nothing
      let c = (a * lr.weights[j]! * (x - lr.mean[j]!)) / lr.std[j]!;
      if (j === laIndex && laLr && stack) {
        eta += stack.c * laLr.intercept;
        c += (stack.c * laLr.weights[0]! * (x - laLr.mean[0]!)) / laLr.std[0]!;
      }
      eta += c;
      if (raw !== undefined) contributions.push({ name, value: rawValue(name, f), contribution: c });
    });
    return { probability: sigmoid(eta), contributions: byMagnitude(contributions) };
  };
  return {
    version: json.version,
    trainedAt: json.trainedAt,
    n: json.n,
    failures: json.failures,
    features: [...inputs],
    calibration: stack ? 'platt' : 'none',
    predict,
    // The same log-odds as predict, without building and sorting the explanation (validation scores every row).
    probability(f) {
      const a = stack?.a ?? 1;
      let eta = stack ? stack.b + a * lr.intercept : lr.intercept;
      for (let j = 0; j < inputs.length; j++) {
        const x = inputValue(inputs[j]!, f) ?? lr.mean[j]!;
        eta += (a * lr.weights[j]! * (x - lr.mean[j]!)) / lr.std[j]!;
        if (j === laIndex && laLr && stack) eta += stack.c * (laLr.intercept + (laLr.weights[0]! * (x - laLr.mean[0]!)) / laLr.std[0]!);
      }
      return sigmoid(eta);
    },
    toJSON: () => structuredClone(json),
  };
}

/** Largest contribution first; ties by name, so the order is stable. */
export function byMagnitude(contributions: Contribution[]): Contribution[] {
  return contributions.sort((p, q) => Math.abs(q.contribution) - Math.abs(p.contribution) || (p.name < q.name ? -1 : 1));
}

/** What a person reads as the factor's value of a known input: the untransformed feature (derived ratios as ratios). */
export function rawValue(name: InputName, f: FeatureVector): number {
  return (f as Record<string, number | undefined>)[name] ?? Math.expm1(inputValue(name, f)!);
}

export function rowsMatrix(rows: readonly TrainingRow[], inputs: readonly InputName[], means: readonly number[]) {
  return rows.map((r) => inputs.map((n, j) => inputValue(n, r.features) ?? means[j]!));
}

export interface InputSet {
  inputs: InputName[];
  means: number[];
}

/** Inputs present in at least one row and not constant, from `among` (all inputs by default). */
export function usableInputs(rows: readonly TrainingRow[], among: readonly InputName[] = ALL_INPUTS): InputSet {
  const inputs: InputName[] = [];
  const means: number[] = [];
  for (const name of among) {
    const vals = rows.map((r) => inputValue(name, r.features)).filter((v): v is number => v !== undefined);
    if (vals.length === 0) continue;
    const mean = vals.reduce((s, v) => s + v, 0) / vals.length;
    if (vals.every((v) => Math.abs(v - vals[0]!) < 1e-12)) continue;
    inputs.push(name);
    means.push(mean);
  }
  return { inputs, means };
}

/**
 * Inputs that can only add to the risk (FEATURES[…].raises: a risky path, a
 * recent failure or incident, a similar release that failed) keep a
 * non-negative weight, and those that can only lower it (`lowers`) a
 * non-positive one. On a short history such a weight can come out
 * negative (noise, or collinearity with the service's other traits), and the
 * model would then score a change re-landed after its rollback lower than the
 * first time, and explain that "a similar release failed, which lowers the
 * risk". An input whose weight points the wrong way is left out and the rest
 * refitted until every kept one points the known way (an active-set fit of
 * sign constraints: the weight is held at 0).
 */
export function withKnownDirections(start: InputSet, fitModel: (kept: InputSet) => LogisticModel): InputSet {
  let kept = start;
  for (;;) {
    const model = fitModel(kept);
    const wrong = new Set(kept.inputs.filter((name, j) => knownDirection(name) * model.weights[j]! < 0));
    if (wrong.size === 0 || wrong.size === kept.inputs.length) return kept;
    const keep = kept.inputs.map((name) => !wrong.has(name));
    kept = { inputs: kept.inputs.filter((_, j) => keep[j]), means: kept.means.filter((_, j) => keep[j]) };
  }
}

/**
 * Size and spread: more lines, files, directories or subsystems never lower the risk. The literature and every
 * history agree on the direction; a fit that says otherwise is trading one size term against a collinear one (lines
 * added against lines added per file), and the reasons would then say "adds 2,000 lines, which lowers the risk".
 */
export const GROWS_WITH_SIZE: ReadonlySet<InputName> = new Set<InputName>([
  'la',
  'ld',
  'lt',
  'nf',
  'nd',
  'ns',
  'entropy',
  'la_per_lt',
  'la_per_nf',
]);

/** +1: the input can only raise the risk (size, FEATURES[…].raises); −1: only lower it (`lowers`); 0: the history decides. */
export function knownDirection(name: InputName): 1 | -1 | 0 {
  if (GROWS_WITH_SIZE.has(name)) return 1;
  if (!(name in FEATURES)) return 0;
  const f = FEATURES[name as FeatureName];
  return 'raises' in f ? 1 : 'lowers' in f ? -1 : 0;
}

export function logitOf(m: LogisticModel, x: readonly number[]): number {
  let eta = m.intercept;
  for (let j = 0; j < x.length; j++) eta += (m.weights[j]! * (x[j]! - m.mean[j]!)) / m.std[j]!;
  return eta;
}

export const labelsOf = (rows: readonly TrainingRow[]) => rows.map((r) => r.y);

/**
 * A logistic regression without stacking or recency weights: on the inputs
 * the rows carry (`lr`), or on lines added alone (`la`, the published floor
 * LApredict). The simpler candidates the selection compares the stacked
 * model against.
 */
export function trainPlainLogistic(
  rows: readonly TrainingRow[],
  which: 'lr' | 'la',
  opts: { trainedAt?: Date | undefined; l2?: number; among?: readonly InputName[] | undefined } = {},
): RiskModel {
  const l2 = opts.l2 ?? 1;
  const y = labelsOf(rows);
  const start = usableInputs(rows, which === 'la' ? ['la'] : (opts.among ?? ALL_INPUTS));
  if (start.inputs.length === 0) throw new RiskModelError(which === 'la' ? 'no release carries lines added' : 'no feature varies');
  const { inputs, means } =
    which === 'la' ? start : withKnownDirections(start, (kept) => trainLogistic(rowsMatrix(rows, kept.inputs, kept.means), y, { l2 }));
  const lr = trainLogistic(rowsMatrix(rows, inputs, means), y, { l2 });
  const json: RiskModelJson = {
    kind: 'shipcheck-risk-model',
    version: which === 'la' ? LA_VERSION : LR_VERSION,
    trainedAt: (opts.trainedAt ?? new Date()).toISOString(),
    n: rows.length,
    failures: y.filter((v) => v === 1).length,
    inputs,
    logistic: lr.toJSON(),
    laLogistic: null,
    stack: null,
  };
  return linearRiskModel(json, lr, null);
}

export const LR_VERSION = 'lr-1';
export const LA_VERSION = 'la-lr-1';
