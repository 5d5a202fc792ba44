import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from './database.js';
import { changes, incidents, releases, type ChangedFile } from './schema.js';

export interface NewRelease {
  tenantId: string;
  serviceId: string;
  version: string;
  environment?: string;
  strategy?: string | null;
  externalId?: string | null;
  flags?: string[];
  metrics?: Record<string, number> | null;
  createdAt: Date;
  deployedAt?: Date | null;
  outcome?: string | null;
  outcomeAt?: Date | null;
}

export interface NewChange {
  externalId: string;
  title: string;
  body?: string;
  author?: string | null;
  labels?: string[];
  files?: ChangedFile[];
  createdAt: Date;
}

export interface NewIncident {
  tenantId: string;
  serviceId: string;
  externalId: string;
  title: string;
  severity?: string | null;
  startedAt: Date;
  resolvedAt?: Date | null;
  causedByReleaseId?: string | null;
  documentId?: string | null;
}

/** Releases, their changes and incidents: the history the risk model learns from. */
export function historyRepo(db: Db) {
  return {
    /** Idempotent on (tenant, service, version): a second call returns the first release. */
    async upsertRelease(r: NewRelease, changeRows: NewChange[] = []): Promise<{ id: string; created: boolean }> {
      return db.transaction(async (tx) => {
        const inserted = await tx.insert(releases).values(r).onConflictDoNothing().returning({ id: releases.id });
        if (!inserted[0]) {
          const [existing] = await tx
            .select({ id: releases.id })
            .from(releases)
            .where(and(eq(releases.tenantId, r.tenantId), eq(releases.serviceId, r.serviceId), eq(releases.version, r.version)));
          return { id: existing!.id, created: false };
        }
        const releaseId = inserted[0].id;
        if (changeRows.length > 0) {
          await tx
            .insert(changes)
            .values(
              changeRows.map((c) => ({
                ...c,
                tenantId: r.tenantId,
                serviceId: r.serviceId,
                releaseId,
                additions: (c.files ?? []).reduce((s, f) => s + f.additions, 0),
                deletions: (c.files ?? []).reduce((s, f) => s + f.deletions, 0),
              })),
            )
            .onConflictDoNothing();
        }
        return { id: releaseId, created: true };
      });
    },

    /**
     * Bulk history import: one statement per batch, idempotent on (tenant,
     * service, version). Returns how many rows were new.
     */
    async insertReleases(rows: NewRelease[]): Promise<number> {
      let inserted = 0;
      for (let i = 0; i < rows.length; i += 500) {
        const batch = rows.slice(i, i + 500);
        const r = await db.insert(releases).values(batch).onConflictDoNothing().returning({ id: releases.id });
        inserted += r.length;
      }
      return inserted;
    },

    async releaseIdByExternalId(tenantId: string, externalId: string): Promise<string | undefined> {
      const [row] = await db
        .select({ id: releases.id })
        .from(releases)
        .where(and(eq(releases.tenantId, tenantId), eq(releases.externalId, externalId)));
      return row?.id;
    },

    async upsertIncident(i: NewIncident): Promise<{ id: string; created: boolean }> {
      const inserted = await db.insert(incidents).values(i).onConflictDoNothing().returning({ id: incidents.id });
      if (inserted[0]) return { id: inserted[0].id, created: true };
      const [existing] = await db
        .select({ id: incidents.id })
        .from(incidents)
        .where(and(eq(incidents.tenantId, i.tenantId), eq(incidents.externalId, i.externalId)));
      return { id: existing!.id, created: false };
    },

    async counts(tenantId: string): Promise<{ releases: number; changes: number; incidents: number }> {
      const [r] = await queryRows<{ releases: number; changes: number; incidents: number }>(
        db,
        sql`
        select (select count(*) from releases where tenant_id = ${tenantId})::int as releases,
               (select count(*) from changes where tenant_id = ${tenantId})::int as changes,
               (select count(*) from incidents where tenant_id = ${tenantId})::int as incidents`,
      );
      return r!;
    },
  };
}
