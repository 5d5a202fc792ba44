/**
 * The deploys and incidents a report rests on, split from its input:
 *
 * - deploys with `deployedAt` in [from, to) are the window's deploys: every
 *   figure counts them;
 * - deploys before `from` may be passed too, for attribution only: under
 *   `last_deploy` an incident early in the window belongs to the last deploy
 *   before it, which may predate the window. They are never counted, never
 *   failed, never rework, and never listed among the report's deploys;
 * - incidents that started in [from, to) are the window's incidents.
 *
 * Deploys at or after `to`, and incidents outside the window, are not
 * considered (a recovery that happens after `to` is not seen).
 */
import type { DoraDeploy, DoraIncident } from '../ports.js';

export interface DoraInput {
  deploys: DoraDeploy[];
  incidents: DoraIncident[];
  from: Date;
  to: Date;
  service: string | null;
}

export interface SplitWindow {
  from: Date;
  to: Date;
  /** In [from, to), oldest first. */
  deploys: DoraDeploy[];
  /** Before `from`, oldest first: attribution only. */
  earlier: DoraDeploy[];
  /** Started in [from, to), oldest first. */
  incidents: DoraIncident[];
}

const validDate = (d: Date) => d instanceof Date && !Number.isNaN(d.getTime());
const byTime =
  <T>(at: (x: T) => Date) =>
  (a: T, b: T) =>
    at(a).getTime() - at(b).getTime();

export function splitWindow(input: DoraInput): SplitWindow {
  const { from, to, service } = input;
  if (!validDate(from) || !validDate(to)) throw new RangeError('DORA window: from and to must be valid dates');
  if (from.getTime() >= to.getTime()) {
    throw new RangeError(`DORA window: from (${from.toISOString()}) must be before to (${to.toISOString()})`);
  }
  // A report for one service computed over another's events would be a silent wrong answer: the caller filtered wrongly.
  const stranger = [...input.deploys, ...input.incidents].find((x) => service !== null && x.service !== service);
  if (stranger) throw new Error(`DORA report for service "${service}" was given an event of service "${stranger.service}"`);
  const seen = new Set<string>();
  for (const d of input.deploys) {
    if (!validDate(d.deployedAt)) throw new RangeError(`DORA: deploy ${d.releaseId} has no valid deployedAt`);
    if (seen.has(d.releaseId)) throw new Error(`DORA: deploy ${d.releaseId} was given twice`);
    seen.add(d.releaseId);
  }
  for (const i of input.incidents) {
    if (!validDate(i.startedAt)) throw new RangeError(`DORA: incident ${i.id} has no valid startedAt`);
  }
  const f = from.getTime();
  const t = to.getTime();
  const at = (d: DoraDeploy) => d.deployedAt.getTime();
  return {
    from,
    to,
    deploys: input.deploys.filter((d) => at(d) >= f && at(d) < t).sort(byTime((d) => d.deployedAt)),
    earlier: input.deploys.filter((d) => at(d) < f).sort(byTime((d) => d.deployedAt)),
    incidents: input.incidents.filter((i) => i.startedAt.getTime() >= f && i.startedAt.getTime() < t).sort(byTime((i) => i.startedAt)),
  };
}
