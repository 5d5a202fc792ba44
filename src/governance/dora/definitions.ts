/**
 * The definitions a DORA report is computed under, read from query
 * parameters (HTTP) or flags (CLI). Each one absent takes its default; each
 * one given must be valid, and an error names the parameter and what it allows.
 */
import { DoraDefinitions } from '../../contracts/dora.js';
import { ValidationError } from '../../contracts/errors.js';
import { ReleaseOutcome } from '../../contracts/risk.js';

export const LEAD_TIME_STARTS = DoraDefinitions.shape.leadTimeStart.unwrap().options;
export const INCIDENT_ATTRIBUTIONS = DoraDefinitions.shape.incidentAttribution.unwrap().options;
export const MAX_REWORK_WINDOW_HOURS = 24 * 30;

/** The defaults: lead time from the first commit, incidents to their root-cause release, failure and rollback fail, 24 h rework window. */
export const DEFAULT_DORA_DEFINITIONS: DoraDefinitions = DoraDefinitions.parse({});

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  const value = raw.trim();
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(`${name} "${raw}" is not allowed; choose one of ${allowed.join(', ')}`, { parameter: name, allowed });
  }
  return value as T;
}

function outcomes(raw: string): ReleaseOutcome[] {
  const allowed = ReleaseOutcome.options;
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) {
    throw new ValidationError(`failureOutcomes "${raw}" has an empty item; give a comma list of ${allowed.join(', ')}`, {
      parameter: 'failureOutcomes',
      allowed,
    });
  }
  return [...new Set(items.map((s) => oneOf('failureOutcomes', s, allowed)))];
}

function hours(raw: string): number {
  const value = raw.trim();
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(n > 0 && n <= MAX_REWORK_WINDOW_HOURS)) {
    throw new ValidationError(`reworkWindowHours "${raw}" must be a number of hours above 0 and at most ${MAX_REWORK_WINDOW_HOURS}`, {
      parameter: 'reworkWindowHours',
    });
  }
  return n;
}

/**
 * `leadTimeStart` (first_commit | pr_opened), `incidentAttribution`
 * (root_cause | last_deploy), `failureOutcomes` (comma list of success,
 * failure, rolled_back), `reworkWindowHours` (0 < h ≤ 720). Other keys are
 * ignored (the same query carries the service and the window).
 */
export function parseDoraDefinitions(query: Record<string, string | undefined>): DoraDefinitions {
  const d = { ...DEFAULT_DORA_DEFINITIONS };
  if (query.leadTimeStart !== undefined) d.leadTimeStart = oneOf('leadTimeStart', query.leadTimeStart, LEAD_TIME_STARTS);
  if (query.incidentAttribution !== undefined) {
    d.incidentAttribution = oneOf('incidentAttribution', query.incidentAttribution, INCIDENT_ATTRIBUTIONS);
  }
  if (query.failureOutcomes !== undefined) d.failureOutcomes = outcomes(query.failureOutcomes);
  if (query.reworkWindowHours !== undefined) d.reworkWindowHours = hours(query.reworkWindowHours);
  if (query.environment !== undefined) {
    const env = query.environment.trim();
    if (!env || env.length > 100) throw new ValidationError('environment must be 1–100 characters', { parameter: 'environment' });
    d.environment = env;
  }
  return d;
}
