import { z } from 'zod';
import type { FeatureVector } from '../features/names.js';
import { RiskModelJson } from './artifact.js';
import { GbdtRiskModelJson } from './gbdt-risk.js';
import { byMagnitude } from './linear.js';
import { logit, sigmoid } from './math.js';
import type { Contribution, RiskModel } from './types.js';

export const BLEND_VERSION = 'blend-1';

export const BlendRiskModelJson = z.object({
  kind: z.literal('shipcheck-blend-risk-model'),
  version: z.string(),
  trainedAt: z.string().nullable(),
  members: z.array(z.union([RiskModelJson, GbdtRiskModelJson])).min(2),
});
export type BlendRiskModelJson = z.infer<typeof BlendRiskModelJson>;

const clip = (p: number) => Math.min(1 - 1e-9, Math.max(1e-9, p));

/** The blend's probability from its members' (the mean of their log-odds): one definition for validation and serving. */
export function blendProbabilities(members: readonly number[]): number {
  return sigmoid(members.reduce((s, p) => s + logit(clip(p)), 0) / members.length);
}

/**
 * The mean of the members' log-odds: the linear model's steady, recency-aware
 * ranking and the trees' interactions, each correcting the other's misses.
 * On the seven public just-in-time histories the blend of the stacked model and
 * the trees ranked the newest 20% at least as well as either on six of seven
 * and never below the references (docs/risk-model.md). Contributions are the
 * members' contributions averaged the same way, so they still explain the score.
 */
export function blendRiskModel(members: readonly RiskModel[], json: BlendRiskModelJson): RiskModel {
  const k = members.length;
  return {
    version: json.version,
    trainedAt: json.trainedAt,
    n: Math.max(...members.map((m) => m.n)),
    failures: Math.max(...members.map((m) => m.failures)),
    features: [...new Set(members.flatMap((m) => m.features))],
    calibration: 'none',
    probability: (f: FeatureVector) => blendProbabilities(members.map((m) => m.probability(f))),
    predict(f: FeatureVector) {
      const answers = members.map((m) => m.predict(f));
      const byName = new Map<string, Contribution>();
      for (const a of answers) {
        for (const c of a.contributions) {
          const sum = byName.get(c.name) ?? { name: c.name, value: c.value, contribution: 0 };
          sum.contribution += c.contribution / k;
          byName.set(c.name, sum);
        }
      }
      return { probability: blendProbabilities(answers.map((a) => a.probability)), contributions: byMagnitude([...byName.values()]) };
    },
    toJSON: () => structuredClone(json),
  };
}
