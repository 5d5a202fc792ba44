import { z } from 'zod';
import { LogisticModelJson } from './logistic.js';
import { ALL_INPUTS, type InputName } from './transform.js';

/** A risk model as stored (risk_models.artifact): versioned JSON, parsed (never cast) when read. */
export const RiskModelJson = z.object({
  kind: z.literal('shipcheck-risk-model'),
  version: z.string(),
  trainedAt: z.string().nullable(),
  n: z.number().int(),
  failures: z.number().int(),
  inputs: z.array(z.enum(ALL_INPUTS as [InputName, ...InputName[]])),
  logistic: LogisticModelJson,
  /** The lines-added-only model the stacker blends in (null when `la` is not among the inputs). */
  laLogistic: LogisticModelJson.nullable(),
  /** p = σ(a·z_full + c·z_la + b), fitted on the newest slice; null = uncalibrated σ(z_full). */
  stack: z.object({ a: z.number(), c: z.number(), b: z.number() }).nullable(),
});
export type RiskModelJson = z.infer<typeof RiskModelJson>;
