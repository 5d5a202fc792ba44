import { and, desc, eq, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from './database.js';
import { changes, chunks, documents, incidents, releases, services, type ChangedFile } from './schema.js';

export interface StoredRelease {
  id: string;
  serviceId: string;
  service: string;
  version: string;
  environment: string;
  strategy: string | null;
  flags: string[];
  externalId: string | null;
  metrics: Record<string, number> | null;
  createdAt: Date;
  deployedAt: Date | null;
  outcome: string | null;
  outcomeAt: Date | null;
  changes: number;
}

export interface StoredChange {
  id: string;
  releaseId: string | null;
  externalId: string;
  title: string;
  body: string;
  author: string | null;
  labels: string[];
  files: ChangedFile[];
  createdAt: Date;
}

/** A past release's outcome as the risk features see it. */
export interface PastOutcome {
  releaseId: string;
  serviceId: string;
  createdAt: Date;
  outcome: string;
  outcomeAt: Date;
}

export interface PastIncident {
  id: string;
  externalId: string;
  title: string;
  severity: string | null;
  startedAt: Date;
  resolvedAt: Date | null;
  causedByReleaseId: string | null;
}

const releaseColumns = {
  id: releases.id,
  serviceId: releases.serviceId,
  service: services.name,
  version: releases.version,
  environment: releases.environment,
  strategy: releases.strategy,
  flags: releases.flags,
  externalId: releases.externalId,
  metrics: releases.metrics,
  createdAt: releases.createdAt,
  deployedAt: releases.deployedAt,
  outcome: releases.outcome,
  outcomeAt: releases.outcomeAt,
  changes: sql<number>`(select count(*) from changes ch where ch.release_id = ${releases.id})::int`,
};

const changeColumns = {
  id: changes.id,
  releaseId: changes.releaseId,
  externalId: changes.externalId,
  title: changes.title,
  body: changes.body,
  author: changes.author,
  labels: changes.labels,
  files: changes.files,
  createdAt: changes.createdAt,
};

const incidentColumns = {
  id: incidents.id,
  externalId: incidents.externalId,
  title: incidents.title,
  severity: incidents.severity,
  startedAt: incidents.startedAt,
  resolvedAt: incidents.resolvedAt,
  causedByReleaseId: incidents.causedByReleaseId,
};

/** Reads over releases, their changes and incidents; every query is scoped by tenant. */
export function releaseRepo(db: Db) {
  const select = () => db.select(releaseColumns).from(releases).innerJoin(services, eq(services.id, releases.serviceId));
  const changesOfMany = async (tenantId: string, releaseIds: string[]): Promise<StoredChange[]> => {
    const valid = [...new Set(releaseIds)].filter(isUuid);
    if (valid.length === 0) return [];
    return db
      .select(changeColumns)
      .from(changes)
      .where(and(eq(changes.tenantId, tenantId), inArray(changes.releaseId, valid)))
      .orderBy(changes.createdAt, changes.externalId);
  };
  return {
    async get(tenantId: string, id: string): Promise<StoredRelease | undefined> {
      if (!isUuid(id)) return undefined;
      const [row] = await select().where(and(eq(releases.tenantId, tenantId), eq(releases.id, id)));
      return row;
    },

    async list(
      tenantId: string,
      q: { serviceId?: string; from?: Date; to?: Date; limit: number; order?: 'asc' | 'desc' },
    ): Promise<StoredRelease[]> {
      const where: SQL[] = [eq(releases.tenantId, tenantId)];
      if (q.serviceId) where.push(eq(releases.serviceId, q.serviceId));
      if (q.from) where.push(gte(releases.createdAt, q.from));
      if (q.to) where.push(lte(releases.createdAt, q.to));
      const order = q.order === 'asc' ? [releases.createdAt, releases.id] : [desc(releases.createdAt), desc(releases.id)];
      return select()
        .where(and(...where))
        .orderBy(...order)
        .limit(q.limit);
    },

    /** Several releases in one read (evidence); unknown ids are left out. */
    async getMany(tenantId: string, ids: string[]): Promise<StoredRelease[]> {
      const valid = [...new Set(ids)].filter(isUuid);
      if (valid.length === 0) return [];
      return select().where(and(eq(releases.tenantId, tenantId), inArray(releases.id, valid)));
    },

    /** The changes of several releases in one read, oldest first. */
    changesOfMany,

    changesOf(tenantId: string, releaseId: string): Promise<StoredChange[]> {
      return changesOfMany(tenantId, [releaseId]);
    },

    /** Every change of the tenant, oldest first, with its service (the training snapshot). */
    async changesOfTenant(tenantId: string): Promise<(StoredChange & { serviceId: string })[]> {
      return db
        .select({ ...changeColumns, serviceId: changes.serviceId })
        .from(changes)
        .where(eq(changes.tenantId, tenantId))
        .orderBy(changes.createdAt);
    },

    /** The service's changes made strictly before `before` that shipped in another release: the file and author history. */
    async changesBefore(tenantId: string, serviceId: string, before: Date, excludeReleaseId: string): Promise<StoredChange[]> {
      return db
        .select(changeColumns)
        .from(changes)
        .where(
          and(
            eq(changes.tenantId, tenantId),
            eq(changes.serviceId, serviceId),
            lt(changes.createdAt, before),
            sql`${changes.releaseId} is distinct from ${excludeReleaseId}`,
          ),
        )
        .orderBy(changes.createdAt);
    },

    /** Outcomes of the service's releases that were KNOWN before `before` (outcome_at < before). */
    async outcomesKnownBefore(tenantId: string, serviceId: string | undefined, before: Date): Promise<PastOutcome[]> {
      const where: SQL[] = [
        eq(releases.tenantId, tenantId),
        sql`${releases.outcome} is not null`,
        lt(releases.outcomeAt, before),
        lt(releases.createdAt, before),
      ];
      if (serviceId) where.push(eq(releases.serviceId, serviceId));
      const rows = await db
        .select({
          releaseId: releases.id,
          serviceId: releases.serviceId,
          createdAt: releases.createdAt,
          outcome: releases.outcome,
          outcomeAt: releases.outcomeAt,
        })
        .from(releases)
        .where(and(...where))
        .orderBy(releases.createdAt);
      return rows.map((r) => ({ ...r, outcome: r.outcome!, outcomeAt: r.outcomeAt! }));
    },

    /** Incidents on the service that had started before `before`. */
    async incidentsBefore(tenantId: string, serviceId: string, before: Date, since: Date): Promise<PastIncident[]> {
      return db
        .select(incidentColumns)
        .from(incidents)
        .where(
          and(
            eq(incidents.tenantId, tenantId),
            eq(incidents.serviceId, serviceId),
            lt(incidents.startedAt, before),
            gte(incidents.startedAt, since),
          ),
        )
        .orderBy(desc(incidents.startedAt));
    },

    /** Incidents caused by these releases that had started before `before`. */
    async incidentsCausedBy(tenantId: string, releaseIds: string[], before: Date): Promise<PastIncident[]> {
      if (releaseIds.length === 0) return [];
      return db
        .select(incidentColumns)
        .from(incidents)
        .where(and(eq(incidents.tenantId, tenantId), inArray(incidents.causedByReleaseId, releaseIds), lt(incidents.startedAt, before)));
    },

    /**
     * The release each change or diff document belongs to: documents are
     * linked to changes by external id (the change's own id, or `<id>:diff`).
     */
    async releasesOfDocuments(tenantId: string, documentIds: string[]): Promise<Map<string, string>> {
      if (documentIds.length === 0) return new Map();
      const rows = await db
        .select({ documentId: documents.id, releaseId: changes.releaseId })
        .from(documents)
        .innerJoin(
          changes,
          and(eq(changes.tenantId, documents.tenantId), sql`${changes.externalId} = regexp_replace(${documents.externalId}, ':diff$', '')`),
        )
        .where(and(eq(documents.tenantId, tenantId), inArray(documents.id, [...new Set(documentIds)])));
      return new Map(rows.filter((r) => r.releaseId).map((r) => [r.documentId, r.releaseId!]));
    },

    /** The first chunk of each incident document with these external ids, as of a time (incident evidence). */
    async incidentChunks(
      tenantId: string,
      externalIds: string[],
      asOf: Date,
    ): Promise<{ externalId: string; chunkId: string; documentId: string; title: string; text: string; occurredAt: Date }[]> {
      if (externalIds.length === 0) return [];
      const rows = await db
        .select({
          externalId: documents.externalId,
          chunkId: chunks.id,
          documentId: documents.id,
          title: chunks.title,
          text: chunks.text,
          occurredAt: chunks.occurredAt,
        })
        .from(chunks)
        .innerJoin(documents, eq(documents.id, chunks.documentId))
        .where(
          and(
            eq(documents.tenantId, tenantId),
            eq(documents.kind, 'incident'),
            inArray(documents.externalId, externalIds),
            eq(chunks.ordinal, 0),
            lte(chunks.occurredAt, asOf),
          ),
        );
      return rows.map((r) => ({ ...r, externalId: r.externalId ?? '' }));
    },

    /** Records (or corrects) the outcome and when it became known: features read outcome_at, so a late correction never reaches earlier releases. */
    async setOutcome(tenantId: string, releaseId: string, outcome: string, at: Date): Promise<boolean> {
      const r = await db
        .update(releases)
        .set({ outcome, outcomeAt: at })
        .where(and(eq(releases.tenantId, tenantId), eq(releases.id, releaseId)))
        .returning({ id: releases.id });
      return r.length > 0;
    },

    async linkIncidents(tenantId: string, releaseId: string, externalIds: string[]): Promise<number> {
      if (externalIds.length === 0) return 0;
      const r = await db
        .update(incidents)
        .set({ causedByReleaseId: releaseId })
        .where(and(eq(incidents.tenantId, tenantId), inArray(incidents.externalId, externalIds)))
        .returning({ id: incidents.id });
      return r.length;
    },

    /** How many outcomes the tenant has (decides whether to retrain). */
    async outcomeCount(tenantId: string): Promise<number> {
      const [row] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from releases where tenant_id = ${tenantId} and outcome is not null`,
      );
      return row?.n ?? 0;
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids come from URLs: a malformed one is "not found", never a database error. */
export const isUuid = (s: string) => UUID.test(s);
