import { AppError } from '../../contracts/errors.js';
import { FEATURES, type FeatureName, type FeatureVector } from '../features/names.js';
import { sigmoid } from './math.js';
import { RiskModelJson } from './artifact.js';
import { logisticFromJSON, plattCalibrate, rawCoefficients, trainLogistic, type LogisticModel } from './logistic.js';
import { ALL_INPUTS, inputValue, type InputName } from './transform.js';
import { PRIOR } from './prior.js';

export { RiskModelJson } from './artifact.js';
export { INPUT_LABELS, type InputName } from './transform.js';

/**
 * The risk model: L2-regularised logistic regression on log-transformed,
 * standardised features plus relative churn (model/logistic.ts), rows
 * weighted towards the recent past, stacked with the lines-added-only model
 * by a two-input logistic regression fitted on the newest 20% of the
 * training history (which the base models did not see). The stacker is the
 * calibration (a generalised Platt scaling): probabilities follow the recent
 * failure rate rather than the average of all time, since base rates drift.
 *
 * Measured on the seven jit projects (README "Risk scorer"), each step
 * against the last: all 14 metrics alone lost to lines-added on npm and
 * neutron; stacking with the la model lifted npm 0.738 → 0.771 and neutron
 * 0.896 → 0.912; time-decay weights added ~0.001–0.002 and cut ECE on npm;
 * dropping ld/lt (collinear with la/lt: large opposite contributions that
 * read badly) lifted npm to 0.784 (the baseline is 0.786, still ahead).
 * Tried and dropped: calibration slices of 10% / 30% (ECE worse on two
 * projects each), λ = 30 / 300 (no consistent gain), keeping the base
 * models fitted on 80% instead of refitting (worse AUC on 5 of 8);
 * stacker rows weighted towards the newest (half-life 10–50% of the slice)
 * or its intercept refitted on the newest 5–10%: npm's ECE 0.091 → 0.023–0.053,
 * but brackets' and zulip's 0.054 / 0.056 → 0.062–0.107, because their
 * failure rates moved the other way after the split
 * (scripts/calibration-shift.ts shows the shift).
 */
export const MODEL_VERSION = 'risk-lr-1';
/** Below this many labelled releases (or failures) a tenant gets the prior model. */
export const MIN_TRAINING_ROWS = 40;
export const MIN_TRAINING_FAILURES = 8;
/** Newest share of the training rows that fits the calibration (not the weights). */
export const CALIBRATION_SHARE = 0.2;
export const L2 = 1;
/** The stacker has two inputs and a few hundred to thousands of rows: a light ridge only keeps it finite. */
export const STACK_L2 = 0.01;
/** Sample weights halve over this share of the training span (0.5: the oldest rows weigh 1/4). */
export const HALF_LIFE_SHARE = 0.5;

export interface TrainingRow {
  at: Date;
  y: 0 | 1;
  features: FeatureVector;
}
export interface Contribution {
  name: InputName;
  value: number;
  contribution: number;
}
export interface RiskPrediction {
  probability: number;
  /** The known inputs' contributions, largest first (an unknown input contributes nothing and is not listed). */
  contributions: Contribution[];
}
export interface RiskModel {
  version: string;
  trainedAt: string | null;
  n: number;
  failures: number;
  features: InputName[];
  calibration: 'platt' | 'none';
  predict(f: FeatureVector): RiskPrediction;
  toJSON(): RiskModelJson;
}

/** Too little or too uniform history to fit a model. */
export class RiskModelError extends AppError {
  constructor(message: string) {
    super('insufficient_history', message);
  }
}

function fromParts(json: RiskModelJson, lr: LogisticModel, laLr: LogisticModel | null): RiskModel {
  const { inputs, stack } = json;
  const laIndex = inputs.indexOf('la');
  return {
    version: json.version,
    trainedAt: json.trainedAt,
    n: json.n,
    failures: json.failures,
    features: [...inputs],
    calibration: stack ? 'platt' : 'none',
    predict(f) {
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
      contributions.sort((p, q) => Math.abs(q.contribution) - Math.abs(p.contribution) || (p.name < q.name ? -1 : 1));
      return { probability: sigmoid(eta), contributions };
    },
    toJSON: () => structuredClone(json),
  };
}

/** What a person reads as the factor's value of a known input: the untransformed feature (derived ratios as ratios). */
function rawValue(name: InputName, f: FeatureVector): number {
  return (f as Record<string, number | undefined>)[name] ?? Math.expm1(inputValue(name, f)!);
}

function rowsMatrix(rows: readonly TrainingRow[], inputs: InputName[], means: number[]) {
  return rows.map((r) => inputs.map((n, j) => inputValue(n, r.features) ?? means[j]!));
}

/** Inputs present in at least one row and not constant. */
function usableInputs(rows: readonly TrainingRow[]): { inputs: InputName[]; means: number[] } {
  const inputs: InputName[] = [];
  const means: number[] = [];
  for (const name of ALL_INPUTS) {
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
 * non-negative weight. On a short history such a weight can come out
 * negative (noise, or collinearity with the service's other traits), and the
 * model would then score a change re-landed after its rollback lower than the
 * first time, and explain that "a similar release failed, which lowers the
 * risk". An input whose weight points the wrong way is left out and the rest
 * refitted until every kept one points the known way (an active-set fit of
 * sign constraints: the weight is held at 0).
 */
function withKnownDirections(
  start: { inputs: InputName[]; means: number[] },
  fitModel: (kept: { inputs: InputName[]; means: number[] }) => LogisticModel,
): { inputs: InputName[]; means: number[] } {
  let kept = start;
  for (;;) {
    const model = fitModel(kept);
    const wrong = new Set(kept.inputs.filter((name, j) => raisesRisk(name) && model.weights[j]! < 0));
    if (wrong.size === 0 || wrong.size === kept.inputs.length) return kept;
    const keep = kept.inputs.map((name) => !wrong.has(name));
    kept = { inputs: kept.inputs.filter((_, j) => keep[j]), means: kept.means.filter((_, j) => keep[j]) };
  }
}

const raisesRisk = (name: InputName) => name in FEATURES && 'raises' in FEATURES[name as FeatureName];

/** Rows must be in time order (the newest slice calibrates); they are sorted here to be sure. */
export function trainRiskModel(rowsIn: readonly TrainingRow[], opts: { trainedAt?: Date } = {}): RiskModel {
  const rows = [...rowsIn].sort((a, b) => a.at.getTime() - b.at.getTime());
  const failures = rows.filter((r) => r.y === 1).length;
  if (rows.length < MIN_TRAINING_ROWS)
    throw new RiskModelError(`need at least ${MIN_TRAINING_ROWS} releases with outcomes, got ${rows.length}`);
  if (failures < MIN_TRAINING_FAILURES || failures === rows.length) {
    throw new RiskModelError(`need at least ${MIN_TRAINING_FAILURES} failures and some successes, got ${failures} of ${rows.length}`);
  }
  const usable = usableInputs(rows);
  if (usable.inputs.length === 0) throw new RiskModelError('no feature varies across the training releases');
  const y = rows.map((r) => r.y);
  // Drift: a row's weight halves every HALF_LIFE_SHARE of the fitted span, counted back from its newest row.
  const decay = (k: number) => {
    const t0 = rows[0]!.at.getTime();
    const t1 = rows[k - 1]!.at.getTime();
    const half = Math.max(1, (t1 - t0) * HALF_LIFE_SHARE);
    return rows.slice(0, k).map((r) => 0.5 ** ((t1 - r.at.getTime()) / half));
  };
  const { inputs, means } = withKnownDirections(usable, (kept) =>
    trainLogistic(rowsMatrix(rows, kept.inputs, kept.means), y, { l2: L2, sampleWeight: decay(rows.length) }),
  );
  const cut = Math.floor(rows.length * (1 - CALIBRATION_SHARE));
  const X = rowsMatrix(rows, inputs, means);
  const laIndex = inputs.indexOf('la');
  const laCol = (m: number[][]) => m.map((x) => [x[laIndex]!]);
  // Weights from the older rows; the stacker (blend with the lines-added model, and
  // calibration) from the newest slice they did not see. Then the bases are refitted on all rows.
  let stack: RiskModelJson['stack'] = null;
  const fitFailures = y.slice(0, cut).filter((v) => v === 1).length;
  if (fitFailures > 0 && fitFailures < cut && y.slice(cut).some((v) => v === 1) && y.slice(cut).some((v) => v === 0)) {
    const early = trainLogistic(X.slice(0, cut), y.slice(0, cut), { l2: L2, sampleWeight: decay(cut) });
    const zFull = X.slice(cut).map((x) => logitOf(early, x));
    if (laIndex >= 0) {
      const earlyLa = trainLogistic(laCol(X.slice(0, cut)), y.slice(0, cut), { l2: L2, sampleWeight: decay(cut) });
      const zLa = laCol(X.slice(cut)).map((x) => logitOf(earlyLa, x));
      const s = rawCoefficients(
        trainLogistic(
          zFull.map((z, i) => [z, zLa[i]!]),
          y.slice(cut),
          { l2: STACK_L2 },
        ),
      );
      stack = { a: s.weights[0]!, c: s.weights[1]!, b: s.intercept };
    } else {
      const p = plattCalibrate(zFull, y.slice(cut));
      stack = { a: p.a, c: 0, b: p.b };
    }
  }
  const lr = trainLogistic(X, y, { l2: L2, sampleWeight: decay(rows.length) });
  const laLr = laIndex >= 0 ? trainLogistic(laCol(X), y, { l2: L2, sampleWeight: decay(rows.length) }) : null;
  const json: RiskModelJson = {
    kind: 'shipcheck-risk-model',
    version: MODEL_VERSION,
    trainedAt: (opts.trainedAt ?? new Date()).toISOString(),
    n: rows.length,
    failures,
    inputs,
    logistic: lr.toJSON(),
    laLogistic: laLr ? laLr.toJSON() : null,
    stack,
  };
  return fromParts(json, lr, laLr);
}

function logitOf(m: LogisticModel, x: readonly number[]): number {
  let eta = m.intercept;
  for (let j = 0; j < x.length; j++) eta += (m.weights[j]! * (x[j]! - m.mean[j]!)) / m.std[j]!;
  return eta;
}

export function riskModelFromJSON(json: unknown): RiskModel {
  const parsed = RiskModelJson.parse(json);
  const lr = logisticFromJSON(parsed.logistic);
  if (lr.weights.length !== parsed.inputs.length) throw new RiskModelError('model artifact: inputs and weights differ in length');
  const laLr = parsed.laLogistic ? logisticFromJSON(parsed.laLogistic) : null;
  if (laLr && (laLr.weights.length !== 1 || !parsed.inputs.includes('la')))
    throw new RiskModelError('model artifact: the lines-added model needs the la input');
  return fromParts(parsed, lr, laLr);
}

/** The documented prior (see prior.ts) for a tenant with too little history. */
/** The prior never changes: parsed once, on first use (every assessment of a tenant without a model asks for it). */
let prior: RiskModel | undefined;
export function priorRiskModel(): RiskModel {
  prior ??= riskModelFromJSON(PRIOR);
  return prior;
}
