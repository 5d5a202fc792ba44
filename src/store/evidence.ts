import { sql } from 'drizzle-orm';
import { type ChangedFile, fileLine, OUTCOME_WORDS, type ReleaseOutcome } from '../contracts/risk.js';
import type { EvidenceRecord, EvidenceStore } from '../retrieval/ports.js';
import { asDate as date, type Db, queryRows } from './database.js';
import { isUuid } from './sql-array.js';

type DocColumns = {
  doc_id: string | null;
  doc_kind: string | null;
  doc_title: string | null;
  doc_source: string | null;
  doc_external: string | null;
};
/** The cited record's own document, as the columns `docColumns` selects from a joined `d`. */
const docColumns = sql.raw(
  'd.id as doc_id, d.kind as doc_kind, d.title as doc_title, d.source as doc_source, d.external_id as doc_external',
);
const documentOf = (r: DocColumns): EvidenceRecord['document'] =>
  r.doc_id ? { id: r.doc_id, kind: r.doc_kind!, title: r.doc_title!, source: r.doc_source, externalId: r.doc_external } : null;

/** The records an answer may cite, each read with its tenant in the filter. */
export function evidenceRepo(db: Db): EvidenceStore {
  return {
    async chunk(tenantId, id) {
      if (!isUuid(id)) return undefined;
      const [r] = await queryRows<DocColumns & { title: string; text: string; occurred_at: Date | string; service: string }>(
        db,
        sql`select c.title, c.text, c.occurred_at, s.name as service,
                   d.id as doc_id, d.kind as doc_kind, d.title as doc_title, d.source as doc_source, d.external_id as doc_external
            from chunks c join documents d on d.id = c.document_id join services s on s.id = c.service_id
            where c.tenant_id = ${tenantId} and c.id = ${id}`,
      );
      return r && { title: r.title, text: r.text, occurredAt: date(r.occurred_at), service: r.service, document: documentOf(r) };
    },

    async release(tenantId, id) {
      if (!isUuid(id)) return undefined;
      const [r] = await queryRows<{
        version: string;
        service: string;
        created_at: Date | string;
        outcome: ReleaseOutcome | null;
        strategy: string | null;
        changes: { title: string; files: ChangedFile[] }[];
      }>(
        db,
        sql`select r.version, s.name as service, r.created_at, r.outcome, r.strategy,
                   coalesce((select json_agg(json_build_object('title', c.title, 'files', c.files) order by c.created_at, c.external_id)
                             from release_changes rc join changes c on c.id = rc.change_id where rc.release_id = r.id), '[]'::json) as changes
            from releases r join services s on s.id = r.service_id
            where r.tenant_id = ${tenantId} and r.id = ${id}`,
      );
      if (!r) return undefined;
      const lines = r.changes.map((c) => `- ${c.title}: ${c.files.map(fileLine).join(', ') || 'no files'}`);
      return {
        // The column is free text: an outcome written by an older version still gets a title.
        title: `${r.service} ${r.version} (${r.outcome ? (OUTCOME_WORDS[r.outcome]?.state ?? r.outcome) : 'no outcome yet'})`,
        text: [`strategy: ${r.strategy ?? 'not stated'}`, `changes (${r.changes.length}):`, ...lines].join('\n'),
        occurredAt: date(r.created_at),
        service: r.service,
        document: null,
      };
    },

    async change(tenantId, id) {
      if (!isUuid(id)) return undefined;
      const [r] = await queryRows<
        DocColumns & {
          title: string;
          body: string;
          author: string | null;
          files: ChangedFile[];
          created_at: Date | string;
          service: string;
          shipped: string[];
        }
      >(
        db,
        sql`select c.title, c.body, c.author, c.files, c.created_at, s.name as service,
                   coalesce((select json_agg(r.version order by r.created_at) from release_changes rc join releases r on r.id = rc.release_id
                             where rc.change_id = c.id), '[]'::json) as shipped, ${docColumns}
            from changes c join services s on s.id = c.service_id
            left join documents d on d.tenant_id = c.tenant_id and d.kind = 'change' and d.external_id = c.external_id
            where c.tenant_id = ${tenantId} and c.id = ${id}
            limit 1`,
      );
      if (!r) return undefined;
      return {
        title: r.title,
        text: [
          `author: ${r.author ?? 'unknown'}`,
          `shipped in: ${r.shipped.join(', ') || 'no release'}`,
          'files:',
          ...r.files.map((f) => `  ${fileLine(f)}`),
          ...(r.body ? ['', r.body] : []),
        ].join('\n'),
        occurredAt: date(r.created_at),
        service: r.service,
        document: documentOf(r),
      };
    },

    async incident(tenantId, id) {
      if (!isUuid(id)) return undefined;
      const [r] = await queryRows<
        DocColumns & {
          external_id: string;
          title: string;
          severity: string | null;
          started_at: Date | string;
          resolved_at: Date | string | null;
          service: string;
        }
      >(
        db,
        sql`select i.external_id, i.title, i.severity, i.started_at, i.resolved_at, s.name as service, ${docColumns}
            from incidents i join services s on s.id = i.service_id
            left join documents d on d.tenant_id = i.tenant_id and d.kind = 'incident' and d.external_id = i.external_id
            where i.tenant_id = ${tenantId} and i.id = ${id}
            limit 1`,
      );
      if (!r) return undefined;
      return {
        title: `${r.external_id}: ${r.title}`,
        text: `severity ${r.severity ?? 'unknown'}; started ${date(r.started_at).toISOString()}; ${r.resolved_at ? `resolved ${date(r.resolved_at).toISOString()}` : 'not resolved'}`,
        occurredAt: date(r.started_at),
        service: r.service,
        document: documentOf(r),
      };
    },

    window: (tenantId, id) => advisoryEvidenceRecord(db, tenantId, id, 'window'),
    logsig: (tenantId, id) => advisoryEvidenceRecord(db, tenantId, id, 'logsig'),

    async assessment(tenantId, id) {
      if (!isUuid(id)) return undefined;
      const [r] = await queryRows<{ body: AssessmentBody; created_at: Date | string; service: string; version: string }>(
        db,
        sql`select a.body, a.created_at, s.name as service, r.version
            from assessments a join releases r on r.id = a.release_id join services s on s.id = r.service_id
            where a.tenant_id = ${tenantId} and a.id = ${id}`,
      );
      if (!r) return undefined;
      const b = r.body;
      return {
        title: `risk assessment of ${r.service} ${r.version}: ${b.score ?? Math.round((b.probability ?? 0) * 100)} (${b.level ?? 'unknown'})`,
        text: [
          `probability ${b.probability ?? '?'}, level ${b.level ?? '?'}, recommendation ${b.recommendation ?? '?'}`,
          `model ${b.model?.version ?? 'unknown'}`,
          ...(b.reasons ?? []).map((x) => `- ${x.text}`),
        ].join('\n'),
        occurredAt: date(r.created_at),
        service: r.service,
        document: null,
      };
    },

    async advisory(tenantId, id) {
      if (!isUuid(id)) return undefined;
      const [r] = await queryRows<{
        body: AdvisoryBody;
        sequence: number;
        action: string;
        created_at: Date | string;
        service: string;
        version: string;
      }>(
        db,
        sql`select a.body, a.sequence, a.action, a.created_at, s.name as service, r.version
            from advisories a join releases r on r.id = a.release_id join services s on s.id = r.service_id
            where a.tenant_id = ${tenantId} and a.id = ${id}`,
      );
      if (!r) return undefined;
      return {
        title: `advisory #${r.sequence} on ${r.service} ${r.version}: ${r.action}`,
        text: [`action ${r.action}, confidence ${r.body.confidence ?? '?'}`, ...(r.body.reasons ?? []).map((x) => `- ${x.text}`)].join(
          '\n',
        ),
        occurredAt: date(r.created_at),
        service: r.service,
        document: null,
      };
    },
  };
}

/** The parts of a stored assessment's or advisory's body an evidence record shows (read defensively: old rows vary). */
interface AssessmentBody {
  probability?: number;
  score?: number;
  level?: string;
  recommendation?: string;
  model?: { version?: string };
  reasons?: { text: string }[];
}
interface AdvisoryBody {
  confidence?: number;
  reasons?: { text: string }[];
}

/** A metric window or log template an advisory cited, with the release's service. */
async function advisoryEvidenceRecord(
  db: Db,
  tenantId: string,
  id: string,
  kind: 'window' | 'logsig',
): Promise<EvidenceRecord | undefined> {
  if (!isUuid(id)) return undefined;
  const [r] = await queryRows<{ title: string; text: string; occurred_at: Date | string; service: string }>(
    db,
    sql`select e.title, e.text, e.occurred_at, s.name as service
        from advisory_evidence e join advisories a on a.id = e.advisory_id
        join releases r on r.id = a.release_id join services s on s.id = r.service_id
        where e.tenant_id = ${tenantId} and e.id = ${id} and e.kind = ${kind}`,
  );
  return r && { title: r.title, text: r.text, occurredAt: date(r.occurred_at), service: r.service, document: null };
}
