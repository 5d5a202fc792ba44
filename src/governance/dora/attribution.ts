/**
 * Which deploy an incident counts against, and which deploys failed.
 *
 * - `root_cause`: the release the incident names as its cause
 *   (`causedByReleaseId`); none named, none attributed.
 * - `last_deploy`: the last deploy of the incident's service at or before
 *   the incident started (a deploy before the window counts, see window.ts).
 *
 * A window deploy failed when its outcome is one of `failureOutcomes`, or
 * when a window incident is attributed to it.
 */
import type { DoraDefinitions } from '../../contracts/dora.js';
import type { DoraDeploy, DoraIncident } from '../ports.js';
import type { SplitWindow } from './window.js';

export interface AttributedIncident extends DoraIncident {
  attributedTo: string | null;
}

export interface ClassifiedDeploy extends DoraDeploy {
  failed: boolean;
  /** Its outcome is one of the failure outcomes. */
  failedByOutcome: boolean;
  /** Ids of window incidents attributed to it. */
  incidents: string[];
}

export interface Classified {
  deploys: ClassifiedDeploy[];
  incidents: AttributedIncident[];
}

function lastDeployBefore(incident: DoraIncident, oldestFirst: readonly DoraDeploy[]): string | null {
  let last: string | null = null;
  for (const d of oldestFirst) {
    if (d.deployedAt.getTime() > incident.startedAt.getTime()) break;
    if (d.service === incident.service) last = d.releaseId;
  }
  return last;
}

export function classify(window: SplitWindow, definitions: DoraDefinitions): Classified {
  const all = [...window.earlier, ...window.deploys];
  const incidents: AttributedIncident[] = window.incidents.map((i) => ({
    ...i,
    attributedTo: definitions.incidentAttribution === 'root_cause' ? i.causedByReleaseId : lastDeployBefore(i, all),
  }));
  const failing = new Set<string>(definitions.failureOutcomes);
  const deploys = window.deploys.map((d): ClassifiedDeploy => {
    const mine = incidents.filter((i) => i.attributedTo === d.releaseId).map((i) => i.id);
    const failedByOutcome = d.outcome !== null && failing.has(d.outcome);
    return { ...d, failed: failedByOutcome || mine.length > 0, failedByOutcome, incidents: mine };
  });
  return { deploys, incidents };
}
