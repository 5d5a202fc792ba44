import type { DoraDefinitions, DoraFigure } from '../../contracts/dora.js';
import type { AttributedIncident, ClassifiedDeploy } from './attribution.js';
import { figure } from './figure.js';
import { count, nameIds } from './stats.js';
import { changeFailureTier } from './tiers.js';

/** Failed deploys / deploys, as a ratio in [0, 1]: failed by outcome, or by an incident attributed to it. */
export function changeFailureRate(
  deploys: readonly ClassifiedDeploy[],
  incidents: readonly AttributedIncident[],
  definitions: DoraDefinitions,
): DoraFigure {
  const failed = deploys.filter((d) => d.failed);
  const byOutcome = failed.filter((d) => d.failedByOutcome).length;
  const inWindow = new Set(deploys.map((d) => d.releaseId));
  const counted = incidents.filter((i) => i.attributedTo !== null && inWindow.has(i.attributedTo));
  const unattributed = incidents.filter((i) => i.attributedTo === null);
  const elsewhere = incidents.filter((i) => i.attributedTo !== null && !inWindow.has(i.attributedTo));
  const attribution =
    definitions.incidentAttribution === 'root_cause'
      ? 'the release an incident names as its root cause'
      : "the service's last deploy at or before the incident started";
  const notes = [
    unattributed.length > 0
      ? `${count(unattributed.length, 'incident')} attributed to no deploy: ${nameIds(unattributed.map((i) => i.id))}.`
      : '',
    elsewhere.length > 0
      ? `${count(elsewhere.length, 'incident')} attributed to a deploy outside the window, not counted: ${nameIds(elsewhere.map((i) => i.id))}.`
      : '',
  ].filter(Boolean);
  return figure({
    value: deploys.length === 0 ? null : failed.length / deploys.length,
    unit: 'ratio',
    n: deploys.length,
    tier: changeFailureTier,
    definition: [
      `Share of deploys that failed: ${failed.length} of ${count(deploys.length, 'deploy')}.`,
      `A deploy failed when its outcome is ${definitions.failureOutcomes.join(' or ')} (${byOutcome} did), or when an incident is attributed to it`,
      `(${failed.length - byOutcome} more); incidents go to ${attribution}.`,
      'Tier: the 2024 cluster whose rate is nearest (elite 5%, medium 10%, high 20%, low 40%).',
      ...notes,
    ].join(' '),
    releases: failed.map((d) => d.releaseId),
    incidents: counted.map((i) => i.id),
  });
}
