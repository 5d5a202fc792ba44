/**
 * Failed deployment recovery time: for each failed deploy, the hours from
 * the failure to recovery.
 *
 * The failure starts when its earliest attributed incident started (the
 * moment users were hurt), or at the deploy when no incident is attributed.
 * Recovery is the latest `resolvedAt` of its attributed incidents when every
 * one is resolved; otherwise (no incident, or one still open) it is the next
 * deploy of the same service after the failure that did not fail itself: the
 * fix forward or the rollback. A failed deploy with neither is unrecovered:
 * counted and named in the definition, never a zero.
 */
import type { DoraFigure } from '../../contracts/dora.js';
import type { AttributedIncident, ClassifiedDeploy } from './attribution.js';
import { figure } from './figure.js';
import { count, hoursBetween, median, nameIds } from './stats.js';
import { recoveryTier } from './tiers.js';

export interface Recovery {
  releaseId: string;
  /** Hours; null when unrecovered. */
  hours: number | null;
  /** The incidents that set its start or end. */
  incidents: string[];
  by: 'incident' | 'deploy' | null;
}

export function recoveries(deploys: readonly ClassifiedDeploy[], incidents: readonly AttributedIncident[]): Recovery[] {
  return deploys
    .filter((d) => d.failed)
    .map((f): Recovery => {
      const mine = incidents.filter((i) => i.attributedTo === f.releaseId);
      const start = mine.length > 0 ? new Date(Math.min(...mine.map((i) => i.startedAt.getTime()))) : f.deployedAt;
      const ids = mine.map((i) => i.id);
      if (mine.length > 0 && mine.every((i) => i.resolvedAt !== null)) {
        const end = new Date(Math.max(...mine.map((i) => i.resolvedAt!.getTime())));
        return { releaseId: f.releaseId, hours: hoursBetween(start, end), incidents: ids, by: 'incident' };
      }
      const next = deploys.find(
        (d) => d.service === f.service && d.releaseId !== f.releaseId && !d.failed && d.deployedAt.getTime() > start.getTime(),
      );
      if (!next) return { releaseId: f.releaseId, hours: null, incidents: ids, by: null };
      return { releaseId: f.releaseId, hours: hoursBetween(start, next.deployedAt), incidents: ids, by: 'deploy' };
    });
}

export function recoveryFigure(rs: readonly Recovery[]): DoraFigure {
  const measured = rs.filter((r) => r.hours !== null && r.hours >= 0);
  const negative = rs.filter((r) => r.hours !== null && r.hours < 0);
  const unrecovered = rs.filter((r) => r.hours === null);
  const byIncident = measured.filter((r) => r.by === 'incident').length;
  const notes = [
    unrecovered.length > 0
      ? `${count(unrecovered.length, 'failed deploy')} not recovered within the window: ${nameIds(unrecovered.map((r) => r.releaseId))}.`
      : '',
    negative.length > 0
      ? `${count(negative.length, 'failed deploy')} whose incident was resolved before it started excluded: ${nameIds(negative.map((r) => r.releaseId))}.`
      : '',
  ].filter(Boolean);
  return figure({
    value: median(measured.map((r) => r.hours!)),
    unit: 'hours',
    n: measured.length,
    tier: recoveryTier,
    definition: [
      `Median hours from a failure to recovery over ${count(measured.length, 'recovered failed deploy')}.`,
      'A failure starts when its earliest attributed incident started, else at the deploy;',
      `it ends when its incidents are resolved (${byIncident} did), else at the next deploy of the service that did not fail`,
      `(${measured.length - byIncident} did).`,
      ...notes,
    ].join(' '),
    releases: measured.map((r) => r.releaseId),
    incidents: [...new Set(measured.flatMap((r) => r.incidents))],
  });
}
