import { GbdtTrainingError } from './gbdt/index.js';
import { trainGbdtRiskModel } from './gbdt-risk.js';
import { trainPlainLogistic } from './linear.js';
import { RiskModelError, trainRiskModel } from './stacked.js';
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
 */
export const CANDIDATES = ['la', 'lr', 'stacked-lr', 'gbdt'] as const;
export type CandidateName = (typeof CANDIDATES)[number];

export const CANDIDATE_LABELS: Record<CandidateName, string> = {
  la: 'logistic regression on lines added (the floor)',
  lr: 'logistic regression on every input',
  'stacked-lr': 'recency-weighted logistic regression stacked with the lines-added model',
  gbdt: 'gradient-boosted trees (monotone)',
};

/** Fits one candidate; throws CandidateFitError when the rows cannot fit it (one class, no varying input). */
export function fitCandidate(name: CandidateName, rows: readonly TrainingRow[], trainedAt?: Date): RiskModel {
  try {
    switch (name) {
      case 'la':
      case 'lr':
        return trainPlainLogistic(rows, name, { trainedAt });
      case 'stacked-lr':
        return trainRiskModel(rows, { trainedAt });
      case 'gbdt':
        return trainGbdtRiskModel(rows, { trainedAt });
    }
  } catch (err) {
    if (err instanceof RiskModelError || err instanceof GbdtTrainingError || err instanceof RangeError || isOneClass(err))
      throw new CandidateFitError(name, (err as Error).message);
    throw err;
  }
}

const isOneClass = (err: unknown) => err instanceof Error && err.message === 'cannot train on one class';

export class CandidateFitError extends Error {
  constructor(
    readonly candidate: CandidateName,
    message: string,
  ) {
    super(`${candidate}: ${message}`);
  }
}
