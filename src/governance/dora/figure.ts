import type { DoraFigure } from '../../contracts/dora.js';
import { LOW_CONFIDENCE_BELOW } from './stats.js';
import type { Tier } from './tiers.js';

/**
 * One figure. A null value (nothing stands behind it) has no tier and no
 * low-confidence flag: there is nothing to be unsure of. Any value resting
 * on fewer than 10 events, a median or a rate alike, is flagged.
 */
export function figure(f: {
  value: number | null;
  unit: string;
  n: number;
  tier: (value: number) => Tier | null;
  definition: string;
  releases: string[];
  incidents: string[];
}): DoraFigure {
  const value = f.value !== null && Number.isFinite(f.value) ? f.value : null;
  return {
    value,
    unit: f.unit,
    n: f.n,
    lowConfidence: value !== null && f.n < LOW_CONFIDENCE_BELOW,
    tier: value === null ? null : f.tier(value),
    definition: f.definition,
    releases: f.releases,
    incidents: f.incidents,
  };
}
