import { ModelSelection, type RiskModelView } from '../contracts/risk.js';
import type { StoredModelSummary } from './ports.js';

/**
 * Stored models as people read them, newest first: for each scope (a
 * service's own model, or the tenant-wide one) the newest that may serve is
 * `serving`, older ones `superseded`, and a retrain that failed validation
 * `rejected` with why. A report that does not parse (written by an older
 * shipcheck, before selection) reads as null, not as an error: the model
 * itself still serves.
 */
export function modelViews(rows: readonly StoredModelSummary[]): RiskModelView[] {
  const servingSeen = new Set<string | null>();
  return rows.map((r) => {
    let status: RiskModelView['status'] = 'rejected';
    if (r.status === 'serving') {
      status = servingSeen.has(r.service) ? 'superseded' : 'serving';
      servingSeen.add(r.service);
    }
    const selection = ModelSelection.safeParse(r.selection);
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
      selection: selection.success ? selection.data : null,
    };
  });
}
