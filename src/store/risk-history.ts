import { and, eq, sql } from 'drizzle-orm';
import { type ChangedFile, FAILED_OUTCOMES, type ReleaseOutcome } from '../contracts/risk.js';
import type {
  DocumentRelease,
  EarlierChange,
  HistorySnapshot,
  OutcomeWindow,
  PastIncident,
  PastOutcome,
  ReleaseHistory,
  RiskRelease,
  ShippedChange,
  TrainingHistory,
} from '../risk/ports.js';
import { asDate as date, type Db, queryRows } from './database.js';
import { changes, releaseChanges, releases, services } from './schema.js';
import { isUuid, pgArray } from './sql-array.js';

const FAILED = `(${[...FAILED_OUTCOMES].map((o) => `'${o}'`).join(', ')})`;

const releaseColumns = {
  id: releases.id,
  serviceId: releases.serviceId,
  service: services.name,
  version: releases.version,
  strategy: releases.strategy,
  flags: releases.flags,
  metrics: releases.metrics,
  createdAt: releases.createdAt,
  outcome: releases.outcome,
  outcomeAt: releases.outcomeAt,
};

const changeColumns = {
  id: changes.id,
  externalId: changes.externalId,
  title: changes.title,
  body: changes.body,
  author: changes.author,
  labels: changes.labels,
  files: changes.files,
  createdAt: changes.createdAt,
};

const asRelease = (r: Omit<RiskRelease, 'outcome'> & { outcome: string | null }): RiskRelease => ({
  ...r,
  outcome: r.outcome as ReleaseOutcome | null,
});

type RawOutcome = { releaseId: string; serviceId: string; createdAt: string; outcome: ReleaseOutcome; outcomeAt: string };
const pastOutcome = (o: RawOutcome): PastOutcome => ({ ...o, createdAt: date(o.createdAt), outcomeAt: date(o.outcomeAt) });

type RawIncident = {
  id: string;
  external_id: string;
  title: string;
  severity: string | null;
  started_at: Date | string;
  caused_by_release_id: string | null;
  chunk_id: string | null;
  document_id: string | null;
  text: string | null;
  chunk_at: Date | string | null;
};

function pastIncident(r: RawIncident): PastIncident {
  return {
    id: r.id,
    externalId: r.external_id,
    title: r.title,
    severity: r.severity,
    startedAt: date(r.started_at),
    causedByReleaseId: r.caused_by_release_id,
    ...(r.chunk_id ? { document: { chunkId: r.chunk_id, documentId: r.document_id!, text: r.text!, occurredAt: date(r.chunk_at!) } } : {}),
  };
}

/** Incidents with the first chunk of their own document as of `asOf`, in one statement. */
function incidentsWithDocument(where: ReturnType<typeof sql>, asOf: Date) {
  return sql`
    select i.id, i.external_id, i.title, i.severity, i.started_at, i.caused_by_release_id,
           ch.id as chunk_id, ch.document_id, ch.text, ch.occurred_at as chunk_at
    from incidents i
    left join lateral (
      select c.id, c.document_id, c.text, c.occurred_at from documents d join chunks c on c.document_id = d.id
      where d.tenant_id = i.tenant_id and d.kind = 'incident' and d.external_id = i.external_id
        and c.ordinal = 0 and c.occurred_at <= ${asOf.toISOString()}::timestamptz
      order by c.occurred_at, c.id limit 1
    ) ch on true
    where ${where}
    order by i.started_at desc, i.id`;
}

/**
 * The reads of one assessment, each bounded to the release: SQL filters and
 * aggregates, never the tenant's whole history. risk/snapshot.ts answers
 * the same questions in memory for training; a contract test holds them equal.
 */
export function riskHistoryRepo(db: Db): ReleaseHistory & TrainingHistory {
  const selectReleases = () => db.select(releaseColumns).from(releases).innerJoin(services, eq(services.id, releases.serviceId));
  const changesOf = async (tenantId: string, releaseIds: string[]): Promise<ShippedChange[]> => {
    const ids = [...new Set(releaseIds)].filter(isUuid);
    if (ids.length === 0) return [];
    return db
      .select({ ...changeColumns, releaseId: releaseChanges.releaseId })
      .from(releaseChanges)
      .innerJoin(changes, eq(changes.id, releaseChanges.changeId))
      .where(and(eq(releaseChanges.tenantId, tenantId), sql`${releaseChanges.releaseId} = any(${pgArray(ids)}::uuid[])`))
      .orderBy(changes.createdAt, changes.externalId);
  };

  return {
    async release(tenantId, id) {
      if (!isUuid(id)) return undefined;
      const [row] = await selectReleases().where(and(eq(releases.tenantId, tenantId), eq(releases.id, id)));
      return row ? asRelease(row) : undefined;
    },

    async releases(tenantId, ids) {
      const valid = [...new Set(ids)].filter(isUuid);
      if (valid.length === 0) return [];
      const rows = await selectReleases().where(and(eq(releases.tenantId, tenantId), sql`${releases.id} = any(${pgArray(valid)}::uuid[])`));
      return rows.map(asRelease);
    },

    changesOf,

    async earlierChanges(tenantId, q): Promise<EarlierChange[]> {
      if (q.paths.length === 0 && q.authors.length === 0) return [];
      const before = q.before.toISOString();
      // The first release of the service that shipped each change (a re-landed change: its first landing) carries its
      // outcome, and only when that outcome was recorded before the time asked: a later outcome must not leak.
      const rows = await queryRows<{
        id: string;
        title: string;
        author: string | null;
        created_at: Date | string;
        files: ChangedFile[];
        release_id: string;
        released_at: Date | string;
        outcome: ReleaseOutcome | null;
      }>(
        db,
        sql`
          select c.id, c.title, c.author, c.created_at, c.files, fr.id as release_id, fr.created_at as released_at,
                 case when fr.outcome_at < ${before}::timestamptz then fr.outcome end as outcome
          from changes c
          join lateral (select r.id, r.created_at, r.outcome, r.outcome_at from release_changes rc join releases r on r.id = rc.release_id
                        where rc.change_id = c.id and r.service_id = ${q.serviceId}::uuid and r.created_at < ${before}::timestamptz
                        order by r.created_at, r.id limit 1) fr on true
          where c.tenant_id = ${tenantId} and c.created_at < ${before}::timestamptz
            and (c.paths && ${pgArray(q.paths)}::text[] or c.author = any(${pgArray(q.authors)}::text[]))
            and not (c.id = any(${pgArray(q.excludeChangeIds)}::uuid[]))
          order by c.created_at desc, c.external_id desc
          limit ${q.limit}`,
      );
      return rows.map((r) => ({
        id: r.id,
        title: r.title,
        author: r.author,
        createdAt: date(r.created_at),
        files: r.files,
        releaseId: r.release_id,
        releasedAt: date(r.released_at),
        outcome: r.outcome,
      }));
    },

    async outcomeWindow(tenantId, q): Promise<OutcomeWindow> {
      const before = q.before.toISOString();
      const [row] = await queryRows<{ known: number; failed: number; recent: RawOutcome[] }>(
        db,
        sql`
          with known as (
            select r.id, r.service_id, r.created_at, r.outcome, r.outcome_at from releases r
            where r.tenant_id = ${tenantId} and r.outcome is not null and r.id <> ${q.excludeReleaseId}::uuid
              and r.outcome_at < ${before}::timestamptz and r.created_at < ${before}::timestamptz
          )
          select
            (select count(*) from known)::int as known,
            (select count(*) from known where outcome in ${sql.raw(FAILED)})::int as failed,
            (select coalesce(json_agg(json_build_object('releaseId', x.id, 'serviceId', x.service_id, 'createdAt', x.created_at,
                      'outcome', x.outcome, 'outcomeAt', x.outcome_at) order by x.created_at, x.id), '[]'::json)
               from (select * from known where service_id = ${q.serviceId}::uuid order by created_at desc, id desc limit ${q.recent}) x) as recent`,
      );
      return { tenant: { known: row!.known, failed: row!.failed }, recent: row!.recent.map(pastOutcome) };
    },

    async documentReleases(tenantId, documentIds, beforeDate) {
      const ids = [...new Set(documentIds)].filter(isUuid);
      if (ids.length === 0) return new Map();
      const before = beforeDate.toISOString();
      // Change documents carry the change's id as their external id; diffs carry "<id>:diff". The documents are
      // found by primary key first (a materialized step), whatever the planner's statistics say about the tenant.
      const rows = await queryRows<{ document_id: string; release_id: string; earlier: boolean; outcome: ReleaseOutcome | null }>(
        db,
        sql`
          with d as materialized (select id, tenant_id, kind, external_id from documents where id = any(${pgArray(ids)}::uuid[]))
          select d.id as document_id, r.id as release_id, r.created_at < ${before}::timestamptz as earlier,
                 case when r.outcome_at < ${before}::timestamptz and r.created_at < ${before}::timestamptz then r.outcome end as outcome
          from d
          join changes c on c.tenant_id = d.tenant_id and c.external_id = regexp_replace(d.external_id, ':diff$', '')
          join release_changes rc on rc.change_id = c.id
          join releases r on r.id = rc.release_id
          where d.tenant_id = ${tenantId} and d.kind in ('change', 'diff')
          order by d.id, r.id`,
      );
      const out = new Map<string, DocumentRelease[]>();
      for (const r of rows) {
        const list = out.get(r.document_id) ?? [];
        list.push({ releaseId: r.release_id, earlier: r.earlier, outcome: r.outcome });
        out.set(r.document_id, list);
      }
      return out;
    },

    async incidents(tenantId, q) {
      const rows = await queryRows<RawIncident>(
        db,
        incidentsWithDocument(
          sql`i.tenant_id = ${tenantId} and i.service_id = ${q.serviceId}
              and i.started_at < ${q.before.toISOString()}::timestamptz and i.started_at >= ${q.since.toISOString()}::timestamptz`,
          q.before,
        ),
      );
      return rows.map(pastIncident);
    },

    async incidentsCausedBy(tenantId, releaseIds, before) {
      const ids = releaseIds.filter(isUuid);
      if (ids.length === 0) return [];
      const rows = await queryRows<RawIncident>(
        db,
        incidentsWithDocument(
          sql`i.tenant_id = ${tenantId} and i.caused_by_release_id = any(${pgArray(ids)}::uuid[])
              and i.started_at < ${before.toISOString()}::timestamptz`,
          before,
        ),
      );
      return rows.map(pastIncident);
    },

    async snapshot(tenantId, until): Promise<HistorySnapshot> {
      const [rows, shipped, incidentRows] = await Promise.all([
        selectReleases()
          .where(and(eq(releases.tenantId, tenantId), sql`${releases.createdAt} <= ${until.toISOString()}::timestamptz`))
          .orderBy(releases.createdAt, releases.id),
        db
          .select({ ...changeColumns, releaseId: releaseChanges.releaseId, serviceId: releases.serviceId })
          .from(releaseChanges)
          .innerJoin(changes, eq(changes.id, releaseChanges.changeId))
          .innerJoin(releases, eq(releases.id, releaseChanges.releaseId))
          .where(eq(releaseChanges.tenantId, tenantId))
          .orderBy(changes.createdAt, changes.externalId),
        queryRows<RawIncident & { service_id: string }>(
          db,
          sql`select i.id, i.external_id, i.title, i.severity, i.started_at, i.caused_by_release_id, i.service_id,
                     null as chunk_id, null as document_id, null as text, null as chunk_at
              from incidents i where i.tenant_id = ${tenantId}`,
        ),
      ]);
      return {
        releases: rows.map(asRelease),
        changes: shipped,
        incidents: incidentRows.map((r) => ({ ...pastIncident(r), serviceId: r.service_id })),
      };
    },
  };
}
