/**
 * Deployment rework rate (added by DORA in 2024): the share of deploys that
 * were unplanned, made because of an incident in production. Shipcheck cannot
 * read intent, so it approximates: a deploy is rework when it is a deploy of
 * the same service
 *
 * - within `reworkWindowHours` after a failed deploy (a fix forward, a
 *   rollback, a hurried retry), or
 * - while an incident of that service attributed to a deploy is open
 *   (started, not yet resolved; the deploy at the resolution instant counts,
 *   as that is usually the fix). The deploy the incident is attributed to is
 *   not rework for its own incident.
 *
 * A planned deploy that happens to land in such a span is counted as rework
 * too: the rate leans high when deploys are frequent.
 */
import type { DoraDefinitions, DoraFigure } from '../../contracts/dora.js';
import type { AttributedIncident, ClassifiedDeploy } from './attribution.js';
import { figure } from './figure.js';
import { count, HOUR_MS, round } from './stats.js';

export interface Rework {
  releases: Set<string>;
  /** Incidents that made at least one deploy rework. */
  incidents: Set<string>;
}

export function rework(
  deploys: readonly ClassifiedDeploy[],
  incidents: readonly AttributedIncident[],
  definitions: DoraDefinitions,
): Rework {
  const span = definitions.reworkWindowHours * HOUR_MS;
  const out: Rework = { releases: new Set(), incidents: new Set() };
  for (const d of deploys) {
    const t = d.deployedAt.getTime();
    const afterFailure = deploys.some(
      (f) => f.failed && f.service === d.service && f.deployedAt.getTime() < t && t <= f.deployedAt.getTime() + span,
    );
    const during = incidents.filter(
      (i) =>
        i.attributedTo !== null &&
        i.attributedTo !== d.releaseId &&
        i.service === d.service &&
        i.startedAt.getTime() <= t &&
        (i.resolvedAt === null || t <= i.resolvedAt.getTime()),
    );
    if (afterFailure || during.length > 0) out.releases.add(d.releaseId);
    for (const i of during) out.incidents.add(i.id);
  }
  // In incident order (oldest first), whatever deploy found them first.
  out.incidents = new Set(incidents.filter((i) => out.incidents.has(i.id)).map((i) => i.id));
  return out;
}

export function reworkFigure(deploys: readonly ClassifiedDeploy[], rw: Rework, definitions: DoraDefinitions): DoraFigure {
  const releases = deploys.map((d) => d.releaseId).filter((id) => rw.releases.has(id));
  return figure({
    value: deploys.length === 0 ? null : releases.length / deploys.length,
    unit: 'ratio',
    n: deploys.length,
    tier: () => null,
    definition: [
      `Share of deploys that were rework: ${releases.length} of ${count(deploys.length, 'deploy')}.`,
      `Approximated as a deploy of the same service within ${round(definitions.reworkWindowHours)} h after a failed deploy,`,
      'or while an attributed incident of the service is open.',
      'The 2024 report gives no clusters for this figure: no tier.',
    ].join(' '),
    releases,
    incidents: [...rw.incidents],
  });
}
