import { BLEND_VERSION, type BlendRiskModelJson, blendRiskModel } from './blend-risk.js';
import { GbdtTrainingError } from './gbdt/index.js';
import { trainGbdtRiskModel } from './gbdt-risk.js';
import { trainPlainLogistic } from './linear.js';
import { AppError } from '../../contracts/errors.js';
import { RiskModelError } from './errors.js';
import { trainRiskModel } from './stacked.js';
import type { InputName } from './transform.js';
import type { RiskModel, TrainingRow } from './types.js';

/**
 * The models a tenant's history chooses between, simplest first: a tie in
 * validation goes to the earlier one (fewer moving parts, easier to
 * explain, less to go wrong when the history shifts).
 *
 * - `la`: logistic regression on lines added alone, the published floor (LApredict).
 * - `lr`: L2 logistic regression on every input the history carries.
 * - `stacked-lr`: `lr` with recency weights, stacked with `la` and calibrated on the newest slice.
 * - `gbdt`: gradient-boosted shallow trees, monotone in size and in every input that can only raise the risk.
 * - `blend`: the mean log-odds of `stacked-lr` and `gbdt` (validated from their own answers, no extra fit).
 */
export const CANDIDATES = ['la', 'lr', 'stacked-lr', 'gbdt', 'blend'] as const;
export type CandidateName = (typeof CANDIDATES)[number];

/** The candidates the blend averages. */
export const BLEND_OF: readonly CandidateName[] = ['stacked-lr', 'gbdt'];

/** Fits one candidate; throws CandidateFitError when the rows cannot fit it (one class, no varying input). */
export function fitCandidate(
  name: CandidateName,
  rows: readonly TrainingRow[],
  trainedAt?: Date,
  /** The inputs it may use (all by default): the selection tries the chosen one without the release context too. */
  among?: readonly InputName[],
): RiskModel {
  const failures = rows.filter((r) => r.y === 1).length;
  if (failures === 0 || failures === rows.length)
    throw new CandidateFitError(name, `${rows.length} releases with one outcome only (${failures} failed): nothing to tell apart`);
  try {
    switch (name) {
      case 'la':
      case 'lr':
        return trainPlainLogistic(rows, name, { trainedAt, among });
      case 'stacked-lr':
        return trainRiskModel(rows, { trainedAt, among });
      case 'gbdt':
        return trainGbdtRiskModel(rows, { trainedAt, among });
      case 'blend': {
        const members = BLEND_OF.map((m) => fitCandidate(m, rows, trainedAt, among));
        return blendRiskModel(members, {
          kind: 'shipcheck-blend-risk-model',
          version: BLEND_VERSION,
          trainedAt: (trainedAt ?? new Date()).toISOString(),
          members: members.map((m) => m.toJSON()) as BlendRiskModelJson['members'],
        });
      }
    }
  } catch (err) {
    if (err instanceof CandidateFitError) throw err;
    // Only the known ways a history cannot fit a model; anything else (a NaN input, a bug) must surface as itself.
    if (err instanceof RiskModelError || err instanceof GbdtTrainingError) throw new CandidateFitError(name, (err as Error).message);
    throw err;
  }
}

/** The history cannot fit this candidate (or, `selection`, any model at all): too short, one class, nothing varies. */
export class CandidateFitError extends AppError {
  constructor(
    readonly candidate: CandidateName | 'selection',
    message: string,
  ) {
    super('insufficient_history', `${candidate}: ${message}`);
  }
}
