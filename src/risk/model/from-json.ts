import { RiskModelJson } from './artifact.js';
import { BlendRiskModelJson, blendRiskModel } from './blend-risk.js';
import { GbdtRiskModelJson, gbdtRiskModel } from './gbdt-risk.js';
import { linearRiskModel } from './linear.js';
import { logisticFromJSON } from './logistic.js';
import { PRIOR } from './prior.js';
import { SelectedRiskModelJson } from './select/artifact.js';
import { type SelectedRiskModel, selectedModel } from './select/selected.js';
import { RiskModelError } from './errors.js';
import type { RiskModel } from './types.js';

/**
 * A stored model artifact, parsed (never cast): a selected model (the
 * chosen candidate with its validation and base-rate layer), or one of the
 * bare models earlier versions stored. Anything else, or a malformed one,
 * throws: a model read half-right would score every release wrong.
 */
export function riskModelFromJSON(json: unknown): RiskModel | SelectedRiskModel {
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (kind === 'shipcheck-selected-risk-model') {
    const parsed = SelectedRiskModelJson.parse(json);
    return selectedModel(parsed, bareModel(parsed.model));
  }
  return bareModel(json);
}

function bareModel(json: unknown): RiskModel {
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (kind === 'shipcheck-gbdt-risk-model') return gbdtRiskModel(GbdtRiskModelJson.parse(json));
  if (kind === 'shipcheck-blend-risk-model') {
    const blend = BlendRiskModelJson.parse(json);
    return blendRiskModel(blend.members.map(bareModel), blend);
  }
  const parsed = RiskModelJson.parse(json);
  const lr = logisticFromJSON(parsed.logistic);
  if (lr.weights.length !== parsed.inputs.length) throw new RiskModelError('model artifact: inputs and weights differ in length');
  const laLr = parsed.laLogistic ? logisticFromJSON(parsed.laLogistic) : null;
  if (laLr && (laLr.weights.length !== 1 || !parsed.inputs.includes('la')))
    throw new RiskModelError('model artifact: the lines-added model needs the la input');
  return linearRiskModel(parsed, lr, laLr);
}

/** The documented prior (see prior.ts) for a tenant with too little history; parsed once, on first use. */
let prior: RiskModel | undefined;
export function priorRiskModel(): RiskModel {
  prior ??= bareModel(PRIOR);
  return prior;
}

export const isSelected = (m: RiskModel): m is SelectedRiskModel => 'selection' in m;
