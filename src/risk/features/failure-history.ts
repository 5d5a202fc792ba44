import { FAILED_OUTCOMES } from '../../contracts/risk.js';
import { subsystemOf } from './change-metrics.js';
import { RATE_PRIOR_WEIGHT } from './context.js';
import type { HistoryChange } from './history-metrics.js';

/**
 * What the earlier changes' own releases say about a release: did the files,
 * the authors and the area it touches break production before? Features a
 * change-metrics dataset cannot carry, since they need outcomes joined to
 * the file history, as known at the release time:
 *
 * - file_failure_rate    failure share among earlier changes to the touched files whose
 *                        release's outcome was known, smoothed towards the tenant rate
 * - author_failure_rate  the same among earlier changes by the release's authors
 * - days_since_area_failure  days from the newest known-failed earlier change touching the
 *                        release's subsystems (so also its files) being shipped, to the release
 *
 * Each is absent when nothing is known to compute it (no earlier change with
 * a known outcome): unknown, not 0 and not the prior. With outcomes known and
 * no failure in the area, days_since_area_failure is NO_AREA_FAILURE_DAYS.
 * Imported JIT histories carry no changes, so they never get them. The area
 * is searched among the earlier changes read for the release (same files or
 * same authors, the newest 2,000), not every change of the subsystem.
 */
/** What "no failure in the area as far as the history goes" reads as: ten years. */
export const NO_AREA_FAILURE_DAYS = 3650;

export interface PastChange extends HistoryChange {
  /** When the release that shipped it was created. */
  releasedAt: Date;
  /** That release's outcome if it was known before the time asked, else null (the caller cuts it). */
  outcome: string | null;
}

export interface FailureHistory {
  file_failure_rate?: number;
  author_failure_rate?: number;
  days_since_area_failure?: number;
}

/** The earlier changes behind each feature: the evidence cites the failed ones. */
export interface FailureHistorySources<T extends PastChange> {
  /** Earlier changes to the touched files with a known outcome, newest first. */
  files: T[];
  /** Earlier changes by the release's authors with a known outcome, newest first. */
  authors: T[];
  /** The newest earlier change touching the release's subsystems whose release is known to have failed. */
  areaFailure: T | undefined;
}

const DAY_MS = 86_400_000;

export const failed = (c: Pick<PastChange, 'outcome'>) => c.outcome !== null && FAILED_OUTCOMES.has(c.outcome);

/** `before` newest first, cut at the release time with outcomes known then (the store and the snapshot guarantee both). */
export function failureHistorySources<T extends PastChange>(
  release: readonly HistoryChange[],
  before: readonly T[],
): FailureHistorySources<T> {
  const touched = new Set(release.flatMap((c) => c.files.map((f) => f.path)));
  const subsystems = new Set([...touched].map(subsystemOf));
  const authors = new Set(release.map((c) => c.author).filter((a): a is string => a !== null));
  const known = before.filter((c) => c.outcome !== null);
  // Newest by release time, not by commit time: a change can wait long before a release ships it.
  const areaFailure = before
    .filter((c) => failed(c) && c.files.some((f) => subsystems.has(subsystemOf(f.path))))
    .reduce<T | undefined>((best, c) => (!best || c.releasedAt > best.releasedAt ? c : best), undefined);
  return {
    files: known.filter((c) => c.files.some((f) => touched.has(f.path))),
    authors: known.filter((c) => c.author !== null && authors.has(c.author)),
    areaFailure,
  };
}

/** Failures among `changes`, smoothed towards `prior` with RATE_PRIOR_WEIGHT pseudo-changes; undefined for none. */
export function smoothedShare(changes: readonly Pick<PastChange, 'outcome'>[], prior: number): number | undefined {
  if (changes.length === 0) return undefined;
  const failures = changes.filter(failed).length;
  return (failures + RATE_PRIOR_WEIGHT * prior) / (changes.length + RATE_PRIOR_WEIGHT);
}

/** Pure: the failure-history features of a release at `at`, with `tenantRate` the prior of the smoothed shares. */
export function failureHistory(
  release: readonly HistoryChange[],
  before: readonly PastChange[],
  at: Date,
  tenantRate: number,
): FailureHistory {
  const s = failureHistorySources(release, before);
  const out: FailureHistory = {};
  const files = smoothedShare(s.files, tenantRate);
  if (files !== undefined) out.file_failure_rate = files;
  const authors = smoothedShare(s.authors, tenantRate);
  if (authors !== undefined) out.author_failure_rate = authors;
  if (s.areaFailure) out.days_since_area_failure = Math.max(0, (at.getTime() - s.areaFailure.releasedAt.getTime()) / DAY_MS);
  // Earlier changes with known outcomes and none failed: as long ago as the feature counts, not unknown. Unknown
  // would read as a typical value, and score an area that never failed as riskier than one that failed last year.
  else if (before.some((c) => c.outcome !== null)) out.days_since_area_failure = NO_AREA_FAILURE_DAYS;
  return out;
}
