import { z } from 'zod';
import { CandidateFigures, ModelSelection } from '../../../contracts/risk.js';
import { RiskModelJson } from '../artifact.js';
import { BlendRiskModelJson } from '../blend-risk.js';
import { CANDIDATES } from '../candidates.js';
import { GbdtRiskModelJson } from '../gbdt-risk.js';
import { BaseRateState } from './base-rate.js';

const Candidate = z.enum(CANDIDATES);

/** The validation a retrain ran, stored with the model it chose (the contract GET /v1/risk/models shows). */
export const SelectionReport = ModelSelection.extend({
  chosen: Candidate,
  candidates: z.array(CandidateFigures.extend({ candidate: Candidate })),
});
export type SelectionReport = z.infer<typeof SelectionReport>;

/** A selected model as stored (risk_models.artifact). */
export const SelectedRiskModelJson = z.object({
  kind: z.literal('shipcheck-selected-risk-model'),
  version: z.literal(1),
  trainedAt: z.string(),
  selection: SelectionReport,
  /** The base-rate layer's sums at training time; null when validation turned it off. */
  baseRate: BaseRateState.nullable(),
  /** The chosen model's probabilities for the newest training releases, ascending: what `rank` compares with. */
  recentScores: z.array(z.number().min(0).max(1)),
  model: z.union([RiskModelJson, GbdtRiskModelJson, BlendRiskModelJson]),
});
export type SelectedRiskModelJson = z.infer<typeof SelectedRiskModelJson>;
