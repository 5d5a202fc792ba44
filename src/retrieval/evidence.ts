import { NotFoundError } from '../contracts/errors.js';
import { type EvidenceView, parseEvidenceId } from '../contracts/evidence.js';
import type { EvidenceStore } from './ports.js';

/**
 * Opens any id an answer cites (a risk assessment today; advisories and
 * release notes the same way): the record's text, its document, and the
 * API path that shows more. An id that is malformed, unknown or another
 * tenant's is not found.
 */
export function createEvidenceResolver(store: EvidenceStore) {
  return {
    async open(tenantId: string, raw: string): Promise<EvidenceView> {
      const ref = parseEvidenceId(raw);
      const record = ref ? await store[ref.kind](tenantId, ref.id) : undefined;
      if (!ref || !record) throw new NotFoundError(`no evidence ${raw}`);
      const link =
        ref.kind === 'release'
          ? `/v1/releases/${ref.id}`
          : record.document
            ? `/v1/documents/${record.document.id}?body=true`
            : `/v1/evidence/${raw}`;
      return {
        id: raw,
        kind: ref.kind,
        title: record.title,
        text: record.text,
        occurredAt: record.occurredAt.toISOString(),
        service: record.service,
        document: record.document,
        link,
      };
    },
  };
}

export type EvidenceResolver = ReturnType<typeof createEvidenceResolver>;
