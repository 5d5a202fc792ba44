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

/** Which artifact kind each candidate's model is stored as. */
const KIND_OF: Record<string, string> = {
  la: 'shipcheck-risk-model',
  lr: 'shipcheck-risk-model',
  'stacked-lr': 'shipcheck-risk-model',
  gbdt: 'shipcheck-gbdt-risk-model',
  blend: 'shipcheck-blend-risk-model',
};

/**
 * A selected model as stored (risk_models.artifact). Beyond the shape, its parts must agree: a model that is
 * not the candidate the report names, a layer present when validation turned it off (or the reverse), or
 * recent scores out of order (rank would answer wrong) is refused, never served half-right.
 */
export const SelectedRiskModelJson = z
  .object({
    kind: z.literal('shipcheck-selected-risk-model'),
    version: z.literal(1),
    trainedAt: z.iso.datetime(),
    selection: SelectionReport,
    /** The base-rate layer's sums at training time; null when validation turned it off. */
    baseRate: BaseRateState.nullable(),
    /** The chosen model's probabilities for the newest training releases, ascending: what `rank` compares with. */
    recentScores: z.array(z.number().min(0).max(1)),
    model: z.union([RiskModelJson, GbdtRiskModelJson, BlendRiskModelJson]),
  })
  .superRefine((m, ctx) => {
    if (KIND_OF[m.selection.chosen] !== m.model.kind)
      ctx.addIssue({
        code: 'custom',
        path: ['model', 'kind'],
        message: `the report chose ${m.selection.chosen} but the model is a ${m.model.kind}`,
      });
    if ((m.baseRate === null) !== (m.selection.recalibration.halfLifeDays === 'off'))
      ctx.addIssue({ code: 'custom', path: ['baseRate'], message: 'the base-rate layer and the recalibration the report chose disagree' });
    if (m.baseRate && m.baseRate.halfLifeDays !== m.selection.recalibration.halfLifeDays)
      ctx.addIssue({
        code: 'custom',
        path: ['baseRate', 'halfLifeDays'],
        message: 'the layer forgets at another half-life than the report chose',
      });
    if (m.recentScores.some((x, i) => i > 0 && x < m.recentScores[i - 1]!))
      ctx.addIssue({ code: 'custom', path: ['recentScores'], message: 'recent scores are not in ascending order' });
  });
export type SelectedRiskModelJson = z.infer<typeof SelectedRiskModelJson>;
