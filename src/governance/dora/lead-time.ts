/**
 * Lead time for changes: from a change's start to the deploy that shipped it.
 *
 * The start is `firstCommitAt` (falling back to `createdAt` when the first
 * commit is not known) under `first_commit`, and `createdAt` (the pull
 * request's opening, or the commit's time for a change that had none) under
 * `pr_opened`. The figure is the median over every change shipped in the
 * window, not a median of per-deploy medians: a deploy of twenty changes
 * weighs twenty times one of a single change, as the changes waited that
 * long. A span below zero (a start after the deploy: clock skew, a rebased
 * commit) is excluded and counted in the definition, never silently dropped.
 */
import type { DoraDefinitions, DoraFigure } from '../../contracts/dora.js';
import type { ClassifiedDeploy } from './attribution.js';
import { figure } from './figure.js';
import { count, hoursBetween, median, nameIds } from './stats.js';
import { leadTimeTier } from './tiers.js';

export interface LeadTimes {
  /** Valid spans (hours) of each deploy's changes, by release id; a deploy with no valid span has none. */
  spans: Map<string, number[]>;
  /** Changes whose start fell back from the first commit to `createdAt`. */
  fellBack: number;
  /** Release ids of deploys with a negative span, once per span. */
  negative: string[];
  /** Deploys that carried no change. */
  noChanges: string[];
}

export function leadTimes(deploys: readonly ClassifiedDeploy[], start: DoraDefinitions['leadTimeStart']): LeadTimes {
  const lt: LeadTimes = { spans: new Map(), fellBack: 0, negative: [], noChanges: [] };
  for (const d of deploys) {
    if (d.changes.length === 0) lt.noChanges.push(d.releaseId);
    const spans: number[] = [];
    for (const c of d.changes) {
      let from = c.createdAt;
      if (start === 'first_commit') {
        if (c.firstCommitAt === null) lt.fellBack++;
        else from = c.firstCommitAt;
      }
      const h = hoursBetween(from, d.deployedAt);
      if (!Number.isFinite(h)) throw new RangeError(`DORA: a change of deploy ${d.releaseId} has no valid start time`);
      if (h < 0) lt.negative.push(d.releaseId);
      else spans.push(h);
    }
    if (spans.length > 0) lt.spans.set(d.releaseId, spans);
  }
  return lt;
}

/** The median of a set of deploys' change spans (all of the deploys' changes pooled). */
export function pooledMedian(lt: LeadTimes, releaseIds: Iterable<string>): number | null {
  return median([...releaseIds].flatMap((id) => lt.spans.get(id) ?? []));
}

export function leadTimeFigure(lt: LeadTimes, deploys: readonly ClassifiedDeploy[], start: DoraDefinitions['leadTimeStart']): DoraFigure {
  const releases = deploys.map((d) => d.releaseId).filter((id) => lt.spans.has(id));
  const all = releases.flatMap((id) => lt.spans.get(id)!);
  const field =
    start === 'first_commit'
      ? `the first commit (firstCommitAt; ${count(lt.fellBack, 'change')} without one fell back to createdAt)`
      : 'the pull request opening (createdAt)';
  const notes = [
    lt.negative.length > 0
      ? `${count(lt.negative.length, 'change')} with a start after its deploy (clock skew) excluded: ${nameIds([...new Set(lt.negative)])}.`
      : '',
    lt.noChanges.length > 0 ? `${count(lt.noChanges.length, 'deploy')} with no change: ${nameIds(lt.noChanges)}.` : '',
  ].filter(Boolean);
  return figure({
    value: median(all),
    unit: 'hours',
    n: all.length,
    tier: leadTimeTier,
    definition: [
      `Median hours from ${field} to the deploy, over all ${count(all.length, 'change')} of ${count(releases.length, 'deploy')} in the window.`,
      ...notes,
    ].join(' '),
    releases,
    incidents: [],
  });
}

export const leadTimeOfDeploy = (lt: LeadTimes, releaseId: string): number | null => median(lt.spans.get(releaseId) ?? []);
