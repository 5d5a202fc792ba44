import type { DoraFigure } from '../../contracts/dora.js';
import type { ClassifiedDeploy } from './attribution.js';
import { figure } from './figure.js';
import { count, DAY_MS, round } from './stats.js';
import { frequencyTier } from './tiers.js';

/** Deploys per day over the whole window (every deploy, failed ones too: each reached production). */
export function deploymentFrequency(deploys: readonly ClassifiedDeploy[], from: Date, to: Date): DoraFigure {
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  const perDay = deploys.length === 0 ? null : deploys.length / days;
  const rate = perDay === null ? 'no deploys' : `${round(perDay, 3)} a day, ${round(perDay * 7, 2)} a week`;
  return figure({
    value: perDay,
    unit: 'deploys/day',
    n: deploys.length,
    tier: frequencyTier,
    definition:
      `Deploys per day: ${count(deploys.length, 'deploy')} in the ${round(days, 2)}-day window [from, to): ${rate}. ` +
      'Every deploy counts, failed ones too.',
    releases: deploys.map((d) => d.releaseId),
    incidents: [],
  });
}
