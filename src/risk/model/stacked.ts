import { RiskModelError } from './errors.js';
import type { RiskModelJson } from './artifact.js';
import { linearRiskModel, logitOf, rowsMatrix, usableInputs, withKnownDirections } from './linear.js';
import { plattCalibrate, rawCoefficients, trainLogistic } from './logistic.js';
import type { InputName } from './transform.js';
import type { RiskModel, TrainingRow } from './types.js';

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

export { RiskModelError } from './errors.js';

/** Rows must be in time order (the newest slice calibrates); they are sorted here to be sure. */
export function trainRiskModel(
  rowsIn: readonly TrainingRow[],
  opts: { trainedAt?: Date | undefined; among?: readonly InputName[] | undefined } = {},
): RiskModel {
  const rows = [...rowsIn].sort((a, b) => a.at.getTime() - b.at.getTime());
  const failures = rows.filter((r) => r.y === 1).length;
  if (rows.length < MIN_TRAINING_ROWS)
    throw new RiskModelError(`need at least ${MIN_TRAINING_ROWS} releases with outcomes, got ${rows.length}`);
  if (failures < MIN_TRAINING_FAILURES || failures === rows.length) {
    throw new RiskModelError(`need at least ${MIN_TRAINING_FAILURES} failures and some successes, got ${failures} of ${rows.length}`);
  }
  const usable = usableInputs(rows, opts.among);
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
  return linearRiskModel(json, lr, laLr);
}
