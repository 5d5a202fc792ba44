import { z } from 'zod';
import { RiskModelJson } from '../artifact.js';
import { CANDIDATES } from '../candidates.js';
import { GbdtRiskModelJson } from '../gbdt-risk.js';
import { BaseRateState } from './base-rate.js';

const Candidate = z.enum(CANDIDATES);

export const CandidateFiguresJson = z.object({
  candidate: Candidate,
  folds: z.number().int(),
  auc: z.number().nullable(),
  logLoss: z.number().nullable(),
  brier: z.number().nullable(),
  rows: z.number().int(),
});

/** The validation a retrain ran, stored with the model it chose (and shown by GET /v1/risk/models). */
export const SelectionReport = z.object({
  chosen: Candidate,
  why: z.string(),
  folds: z.array(z.object({ origin: z.string(), trainRows: z.number().int(), scoredRows: z.number().int() })),
  candidates: z.array(CandidateFiguresJson),
  /** The chosen model's validation figures after recalibration (what serving would have scored). */
  served: z.object({
    auc: z.number().nullable(),
    brier: z.number().nullable(),
    brierSkill: z.number().nullable(),
    ece: z.number().nullable(),
    rows: z.number().int(),
  }),
  recalibration: z.object({
    halfLifeDays: z.union([z.number(), z.null(), z.literal('off')]),
    logLossBefore: z.number(),
    logLossAfter: z.number(),
  }),
  /** Why the retrain failed validation (the previous model keeps serving), or null. */
  failed: z.string().nullable(),
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
  model: z.union([RiskModelJson, GbdtRiskModelJson]),
});
export type SelectedRiskModelJson = z.infer<typeof SelectedRiskModelJson>;
