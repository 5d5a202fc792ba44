import { ModelSelection, type RiskModelView } from '../contracts/risk.js';
import type { StoredModelSummary } from './ports.js';

/**
 * Stored models as people read them, newest first: for each scope (a
 * service's own model, or the tenant-wide one) the newest that may serve is
 * `serving`, older ones `superseded`, and a retrain that failed validation
 * `rejected` with why. A model without a report (trained before selection
 * existed) reads as `selection: null`; one whose report does not parse
 * also says so in `selectionError`: listing the others must not fail for it.
 */
export function modelViews(rows: readonly StoredModelSummary[]): RiskModelView[] {
  const servingSeen = new Set<string | null>();
  return rows.map((r) => {
    let status: RiskModelView['status'] = 'rejected';
    if (r.status === 'serving') {
      status = servingSeen.has(r.service) ? 'superseded' : 'serving';
      servingSeen.add(r.service);
    }
    // Absent: a model from before selection existed. Present but unreadable: say so, never pass it off as absent.
    const selection = r.selection === undefined ? undefined : ModelSelection.safeParse(r.selection);
    return {
      id: r.id,
      version: r.version,
      service: r.service,
      algorithm: r.algorithm,
      trainedAt: r.trainedAt.toISOString(),
      dataUntil: r.dataUntil.toISOString(),
      n: r.n,
      failures: r.failures,
      status,
      statusReason: r.statusReason,
      selection: selection?.success ? selection.data : null,
      selectionError:
        selection && !selection.success ? `the stored validation report cannot be read: ${selection.error.issues[0]?.message}` : null,
    };
  });
}
