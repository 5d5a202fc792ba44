import { FAILED_OUTCOMES } from '../../contracts/risk.js';
/**
 * Release-context features: when and how it ships, and what the service's
 * recent past says. Times are UTC (a tenant time zone is future work: the
 * README says so).
 */

/** Before 08:00 or from 19:00 UTC: fewer people around to notice and fix. */
export function isOffHours(at: Date): boolean {
  const h = at.getUTCHours();
  return h < 8 || h >= 19;
}

/** Friday from 12:00 UTC, or Saturday / Sunday: a failure meets a thin weekend rota. */
export function isPreWeekend(at: Date): boolean {
  const d = at.getUTCDay();
  return d === 6 || d === 0 || (d === 5 && at.getUTCHours() >= 12);
}

/** Look-back for "recent incidents on the service". */
export const RECENT_INCIDENT_DAYS = 14;

/** How many of the service's latest known outcomes the recent failure rate looks at. */
export const RECENT_RELEASES = 20;
/** Pseudo-releases of the prior in the smoothed rate (an m-estimate). */
export const RATE_PRIOR_WEIGHT = 5;

/**
 * Failure rate of the service's last RECENT_RELEASES known outcomes, smoothed
 * towards `prior` (the tenant's rate) with RATE_PRIOR_WEIGHT pseudo-releases,
 * so a service with two releases and one failure reads as "somewhat risky",
 * not 50%.
 */
export function smoothedFailureRate(outcomes: readonly string[], prior: number): number {
  const recent = outcomes.slice(-RECENT_RELEASES);
  const failures = recent.filter((o) => FAILED_OUTCOMES.has(o)).length;
  return (failures + RATE_PRIOR_WEIGHT * prior) / (recent.length + RATE_PRIOR_WEIGHT);
}

export interface SimilarRelease {
  releaseId: string;
  similarity: number;
  failed: boolean;
}

/** Similar past releases counted at most. */
export const SIMILAR_RELEASES = 10;

/**
 * Failure share among the most similar past releases, weighted by
 * similarity; undefined when there is nothing to compare with (the model
 * then treats the feature as unknown, not as "no failures").
 */
export function similarFailureShare(similar: readonly SimilarRelease[]): number | undefined {
  const top = similar.filter((s) => s.similarity > 0).slice(0, SIMILAR_RELEASES);
  const total = top.reduce((s, r) => s + r.similarity, 0);
  if (total <= 0) return undefined;
  return top.reduce((s, r) => s + (r.failed ? r.similarity : 0), 0) / total;
}
