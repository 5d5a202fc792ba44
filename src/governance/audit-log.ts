/**
 * Reading the audit log: pages, the whole chain verified, and exports.
 * Entries are written by the store, each with the act it records.
 */
import type { AuditEntry, AuditVerification } from '../contracts/audit.js';
import { verifyChain } from './audit-chain.js';
import { auditCsv, auditJsonLines } from './audit-export.js';
import type { AuditReader } from './ports.js';

/** Entries read per query when verifying or exporting the whole chain. */
const AUDIT_BATCH = 1000;
export const MAX_AUDIT_PAGE = 1000;

export function createAuditLog(store: AuditReader) {
  async function* batches(tenantId: string): AsyncIterable<AuditEntry[]> {
    for (let after = 0; ; ) {
      const batch = await store.page(tenantId, { after, limit: AUDIT_BATCH });
      if (batch.length === 0) return;
      yield batch;
      after = batch.at(-1)!.seq;
      if (batch.length < AUDIT_BATCH) return;
    }
  }

  return {
    async page(tenantId: string, q: { after: number; limit: number }) {
      const limit = Math.min(Math.max(1, q.limit), MAX_AUDIT_PAGE);
      const entries = await store.page(tenantId, { after: q.after, limit: limit + 1 });
      const more = entries.length > limit;
      const shown = entries.slice(0, limit);
      return { entries: shown, ...(more ? { nextAfter: shown.at(-1)!.seq } : {}) };
    },
    /** `expectedHead`: a head hash kept from an earlier check; gone from the log, it names a cut tail. */
    verify(tenantId: string, opts: { expectedHead?: string | undefined } = {}): Promise<AuditVerification> {
      return verifyChain(batches(tenantId), opts.expectedHead ? { expectedHead: opts.expectedHead } : {});
    },
    /** The whole chain as JSON lines or CSV, a batch at a time (a long log is never held whole). */
    async *export(tenantId: string, format: 'jsonl' | 'csv'): AsyncIterable<string> {
      let first = true;
      for await (const entries of batches(tenantId)) {
        yield format === 'csv' ? auditCsv(entries, first) : auditJsonLines(entries);
        first = false;
      }
      if (first && format === 'csv') yield auditCsv([], true);
    },
  };
}
