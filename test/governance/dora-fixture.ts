import type { DoraDefinitionsInput } from '../../src/contracts/dora.js';
import { DoraDefinitions } from '../../src/contracts/dora.js';
import type { DoraDeploy, DoraIncident } from '../../src/governance/ports.js';

/** Hours from Monday 2024-01-01T00:00Z, the start of every window here. */
export const T0 = Date.parse('2024-01-01T00:00:00Z');
export const at = (hours: number) => new Date(T0 + hours * 3_600_000);

/** A deploy at `hours`, each change given as [first commit, PR opened] in hours BEFORE the deploy (null: first commit unknown). */
export function deploy(
  releaseId: string,
  service: string,
  hours: number,
  outcome: string | null,
  changes: [number | null, number][] = [[1, 1]],
): DoraDeploy {
  return {
    releaseId,
    service,
    version: `1.0.${releaseId.replace(/\D/g, '') || '0'}`,
    deployedAt: at(hours),
    outcome,
    changes: changes.map(([fc, pr]) => ({ firstCommitAt: fc === null ? null : at(hours - fc), createdAt: at(hours - pr) })),
  };
}

export function incident(id: string, service: string, start: number, resolved: number | null, causedBy: string | null): DoraIncident {
  return {
    id,
    service,
    title: `incident ${id}`,
    startedAt: at(start),
    resolvedAt: resolved === null ? null : at(resolved),
    causedByReleaseId: causedBy,
  };
}

export const defs = (d: DoraDefinitionsInput = {}) => DoraDefinitions.parse(d);

/**
 * Two weeks, two services, 12 deploys, 2 incidents. By outcome d2 (failure)
 * and d7 (rolled_back) failed. i1 (api, 90–94 h) names d5 as its root cause,
 * while the last api deploy before it is d6 (85 h). i2 (web, from 200 h,
 * still open) names no cause; the last web deploy before it is d10 (190 h).
 * d9 carries no change; d11's PR was opened after it deployed and d12's first
 * commit is dated after it deployed (clock skew); d3 and d8 have no first commit.
 */
export const HISTORY = {
  deploys: [
    deploy('d1', 'api', 10, 'success', [[30, 10]]),
    deploy('d2', 'api', 30, 'failure', [[20, 5]]),
    deploy('d3', 'api', 33, 'success', [[null, 2]]),
    deploy('d4', 'web', 50, 'success', [[50, 24]]),
    deploy('d5', 'api', 80, 'success', [
      [10, 4],
      [6, 3],
    ]),
    deploy('d6', 'api', 85, 'success', [[40, 8]]),
    deploy('d7', 'web', 120, 'rolled_back', [[12, 6]]),
    deploy('d8', 'web', 130, 'success', [[null, 1]]),
    deploy('d9', 'api', 150, null, []),
    deploy('d10', 'web', 190, 'success', [[72, 48]]),
    deploy('d11', 'web', 260, 'success', [[16, -2]]),
    deploy('d12', 'api', 300, 'success', [[-1, 5]]),
  ],
  incidents: [incident('i1', 'api', 90, 94, 'd5'), incident('i2', 'web', 200, null, null)],
  from: at(0),
  to: at(14 * 24),
  service: null,
};
