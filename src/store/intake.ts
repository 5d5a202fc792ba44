import { and, desc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import { INDEX_ATTEMPTS, INDEX_JOB, indexJobId } from '../contracts/jobs.js';
import type { ReleaseDetail, ReleaseOutcome, ReleaseView } from '../contracts/risk.js';
import type {
  HistoryIncident,
  HistoryRelease,
  IntakeChange,
  IntakeDifference,
  IntakeRelease,
  ReleaseIntakeStore,
  StoredIntake,
} from '../ingest/ports.js';
import { type Db, queryRows } from './database.js';
import { afterKey, pageAt, toPage } from './paging.js';
import { addToOutbox } from './outbox.js';
import { changes, documents, incidents, releaseChanges, releases, services } from './schema.js';
import { ensureService } from './tenants.js';
import { isUuid, pgArray } from './sql-array.js';

/** Thrown inside the intake transaction to roll it back when the content differs. */
class Differs extends Error {
  constructor(readonly diff: IntakeDifference) {
    super('intake differs from what is stored');
  }
}

type NewChange = Omit<IntakeChange, 'createdAtGiven' | 'diffHash'> & { diffHash?: string | null };

const changeRow = (tenantId: string, serviceId: string, c: NewChange) => ({
  tenantId,
  serviceId,
  externalId: c.externalId,
  title: c.title,
  body: c.body,
  author: c.author,
  labels: c.labels,
  files: c.files,
  paths: [...new Set(c.files.map((f) => f.path))],
  diffHash: c.diffHash ?? null,
  additions: c.files.reduce((s, f) => s + f.additions, 0),
  deletions: c.files.reduce((s, f) => s + f.deletions, 0),
  createdAt: c.createdAt,
  firstCommitAt: c.firstCommitAt ?? null,
});

/** Inserts the changes that are new (by tenant and external id); a change stored before keeps its row. */
async function insertChanges(tx: Db, tenantId: string, serviceId: string, list: NewChange[]) {
  for (let i = 0; i < list.length; i += 500) {
    await tx
      .insert(changes)
      .values(list.slice(i, i + 500).map((c) => changeRow(tenantId, serviceId, c)))
      .onConflictDoNothing();
  }
}

/** Links the (stored) changes with these external ids to the release. */
async function linkChanges(tx: Db, tenantId: string, releaseId: string, list: readonly { externalId: string }[]) {
  if (list.length === 0) return;
  await tx.execute(sql`
    insert into release_changes (release_id, change_id, tenant_id)
    select ${releaseId}::uuid, c.id, c.tenant_id from changes c
    where c.tenant_id = ${tenantId} and c.external_id = any(${pgArray(list.map((c) => c.externalId))}::text[])
    on conflict do nothing`);
}

/** What is stored under this service and version and these change ids (compared with a re-send). */
async function storedIntake(tx: Db, tenantId: string, releaseId: string | undefined, externalIds: string[]): Promise<StoredIntake> {
  const stored: StoredIntake = { changes: new Map() };
  if (releaseId) {
    const [r] = await tx.select().from(releases).where(eq(releases.id, releaseId));
    const ids = await queryRows<{ external_id: string }>(
      tx,
      sql`select c.external_id from release_changes rc join changes c on c.id = rc.change_id where rc.release_id = ${releaseId}`,
    );
    stored.release = {
      id: releaseId,
      environment: r!.environment,
      strategy: r!.strategy,
      flags: r!.flags,
      externalId: r!.externalId,
      commitRange: r!.commitRange,
      createdAt: r!.createdAt,
      changeIds: ids.map((x) => x.external_id),
    };
  }
  if (externalIds.length > 0) {
    const rows = await tx
      .select()
      .from(changes)
      .where(and(eq(changes.tenantId, tenantId), sql`${changes.externalId} = any(${pgArray(externalIds)}::text[])`));
    for (const c of rows) {
      stored.changes.set(c.externalId, {
        title: c.title,
        body: c.body,
        author: c.author,
        labels: c.labels,
        files: c.files,
        createdAt: c.createdAt,
        diffHash: c.diffHash,
      });
    }
  }
  return stored;
}

/**
 * Stores the documents queued (or finds them), puts back in the queue the
 * ones that failed, and writes an index job to the outbox for every one
 * still waiting. Returns how many wait.
 */
async function queueDocuments(tx: Db, tenantId: string, serviceId: string, docs: IntakeRelease['documents']): Promise<number> {
  if (docs.length === 0) return 0;
  await tx
    .insert(documents)
    .values(docs.map((d) => ({ ...d, tenantId, serviceId, status: 'queued' })))
    .onConflictDoNothing();
  const rows = await queryRows<{ id: string; status: string }>(
    tx,
    sql`update documents set status = 'queued', error = null
        where tenant_id = ${tenantId} and content_hash = any(${pgArray(docs.map((d) => d.contentHash))}::text[])
          and status in ('queued', 'failed')
        returning id, status`,
  );
  await addToOutbox(
    tx,
    rows.map((r) => ({
      tenantId,
      job: INDEX_JOB,
      jobId: indexJobId(r.id),
      payload: { documentId: r.id, tenantId },
      attempts: INDEX_ATTEMPTS,
    })),
  );
  return rows.length;
}

const viewColumns = {
  id: releases.id,
  service: services.name,
  version: releases.version,
  environment: releases.environment,
  strategy: releases.strategy,
  flags: releases.flags,
  createdAt: releases.createdAt,
  deployedAt: releases.deployedAt,
  outcome: releases.outcome,
  outcomeAt: releases.outcomeAt,
  externalId: releases.externalId,
  commitRange: releases.commitRange,
  changes: sql<number>`(select count(*) from release_changes rc where rc.release_id = ${releases.id})::int`,
};

type ViewRow = {
  id: string;
  service: string;
  version: string;
  environment: string;
  strategy: string | null;
  flags: string[];
  createdAt: Date;
  deployedAt: Date | null;
  outcome: string | null;
  outcomeAt: Date | null;
  externalId: string | null;
  commitRange: string | null;
  changes: number;
};

function toView({ commitRange: _range, ...r }: ViewRow): ReleaseView {
  return {
    ...r,
    outcome: r.outcome as ReleaseOutcome | null,
    createdAt: r.createdAt.toISOString(),
    deployedAt: r.deployedAt?.toISOString() ?? null,
    outcomeAt: r.outcomeAt?.toISOString() ?? null,
  };
}

/** Release intake, views of releases, and history import: the writes of a release in one place. */
export function intakeRepo(db: Db): ReleaseIntakeStore {
  return {
    async intake(tenantId, r, differs) {
      try {
        return await db.transaction(async (t) => {
          const tx = t as unknown as Db;
          const serviceId = await ensureService(tx, tenantId, r.service);
          const [inserted] = await tx
            .insert(releases)
            .values({
              tenantId,
              serviceId,
              version: r.version,
              environment: r.environment,
              strategy: r.strategy,
              flags: r.flags,
              externalId: r.externalId,
              commitRange: r.commitRange,
              createdAt: r.createdAt,
              registeredBy: r.registeredBy,
            })
            .onConflictDoNothing()
            .returning({ id: releases.id });
          let releaseId = inserted?.id;
          if (!releaseId) {
            const [existing] = await tx
              .select({ id: releases.id })
              .from(releases)
              .where(and(eq(releases.tenantId, tenantId), eq(releases.serviceId, serviceId), eq(releases.version, r.version)));
            releaseId = existing!.id;
          }
          // The changes first, then everything compared with what is stored now: a change another request
          // stored a moment ago (its insert waited for that request to commit) is compared, never overwritten.
          await insertChanges(tx, tenantId, serviceId, r.changes);
          const stored = await storedIntake(
            tx,
            tenantId,
            inserted ? undefined : releaseId,
            r.changes.map((c) => c.externalId),
          );
          const diff = differs(stored);
          if (diff) throw new Differs(diff);
          await linkChanges(tx, tenantId, releaseId, r.changes);
          const queuedDocuments = await queueDocuments(tx, tenantId, serviceId, r.documents);
          return { releaseId, created: Boolean(inserted), queuedDocuments };
        });
      } catch (err) {
        if (err instanceof Differs) return { conflict: err.diff };
        throw err;
      }
    },

    async view(tenantId, releaseId): Promise<ReleaseDetail | undefined> {
      if (!isUuid(releaseId)) return undefined;
      const [row] = await db
        .select(viewColumns)
        .from(releases)
        .innerJoin(services, eq(services.id, releases.serviceId))
        .where(and(eq(releases.tenantId, tenantId), eq(releases.id, releaseId)));
      if (!row) return undefined;
      const list = await db
        .select({
          id: changes.id,
          externalId: changes.externalId,
          title: changes.title,
          author: changes.author,
          labels: changes.labels,
          files: changes.files,
          createdAt: changes.createdAt,
        })
        .from(releaseChanges)
        .innerJoin(changes, eq(changes.id, releaseChanges.changeId))
        .where(eq(releaseChanges.releaseId, releaseId))
        .orderBy(changes.createdAt, changes.externalId);
      const docIds = list.flatMap((c) => [c.externalId, `${c.externalId}:diff`]);
      const counts = await queryRows<{ status: string; n: number }>(
        db,
        sql`select status, count(*)::int as n from documents
            where tenant_id = ${tenantId} and kind in ('change', 'diff') and external_id = any(${pgArray(docIds)}::text[])
            group by status`,
      );
      const n = (s: string) => counts.find((c) => c.status === s)?.n ?? 0;
      return {
        ...toView(row),
        commitRange: row.commitRange,
        changeList: list.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
        documents: { indexed: n('indexed'), queued: n('queued'), failed: n('failed') },
      };
    },

    async list(tenantId, q) {
      return (await this.page(tenantId, q)).items;
    },

    async page(tenantId, q) {
      const where: SQL[] = [eq(releases.tenantId, tenantId)];
      if (q.service) where.push(eq(services.name, q.service));
      if (q.from) where.push(gte(releases.createdAt, q.from));
      if (q.to) where.push(lte(releases.createdAt, q.to));
      if (q.after) where.push(afterKey(releases.createdAt, releases.id, q.after));
      const rows = await db
        .select({ ...viewColumns, pageAt: pageAt(releases.createdAt) })
        .from(releases)
        .innerJoin(services, eq(services.id, releases.serviceId))
        .where(and(...where))
        .orderBy(desc(releases.createdAt), desc(releases.id))
        .limit(q.limit + 1);
      return toPage(rows, q.limit, ({ pageAt: _at, ...r }) => toView(r));
    },

    async markDeployed(tenantId, releaseId, at) {
      if (!isUuid(releaseId)) return false;
      const r = await db
        .update(releases)
        .set({ deployedAt: sql`coalesce(${releases.deployedAt}, ${at.toISOString()}::timestamptz)` })
        .where(and(eq(releases.tenantId, tenantId), eq(releases.id, releaseId)))
        .returning({ id: releases.id });
      return r.length === 1;
    },
    async importHistory(tenantId, list: HistoryRelease[]) {
      let inserted = 0;
      const serviceIds = new Map<string, string>();
      for (const name of new Set(list.map((r) => r.service))) serviceIds.set(name, await ensureService(db, tenantId, name));
      for (let i = 0; i < list.length; i += 500) {
        const batch = list.slice(i, i + 500);
        await db.transaction(async (t) => {
          const tx = t as unknown as Db;
          const rows = await tx
            .insert(releases)
            .values(
              batch.map((r) => ({
                tenantId,
                serviceId: serviceIds.get(r.service)!,
                version: r.version,
                environment: r.environment ?? 'production',
                strategy: r.strategy ?? null,
                externalId: r.externalId ?? null,
                flags: r.flags ?? [],
                metrics: r.metrics ?? null,
                createdAt: r.createdAt,
                deployedAt: r.deployedAt ?? null,
                outcome: r.outcome,
                outcomeAt: r.outcomeAt,
              })),
            )
            .onConflictDoNothing()
            .returning({ id: releases.id, serviceId: releases.serviceId, version: releases.version });
          inserted += rows.length;
          const byKey = new Map(batch.map((r) => [`${serviceIds.get(r.service)}\0${r.version}`, r]));
          for (const row of rows) {
            const r = byKey.get(`${row.serviceId}\0${row.version}`);
            if (!r?.changes?.length) continue;
            await insertChanges(tx, tenantId, row.serviceId, r.changes);
            await linkChanges(tx, tenantId, row.id, r.changes);
          }
        });
      }
      return inserted;
    },

    async importIncidents(tenantId, list: HistoryIncident[]) {
      if (list.length === 0) return 0;
      const serviceIds = new Map<string, string>();
      for (const name of new Set(list.map((i) => i.service))) serviceIds.set(name, await ensureService(db, tenantId, name));
      const causes = [...new Set(list.map((i) => i.causedByRelease).filter((x): x is string => Boolean(x)))];
      const releaseIds = new Map(
        causes.length === 0
          ? []
          : (
              await db
                .select({ id: releases.id, externalId: releases.externalId })
                .from(releases)
                .where(and(eq(releases.tenantId, tenantId), inArray(releases.externalId, causes)))
            ).map((r) => [r.externalId!, r.id]),
      );
      const rows = await db
        .insert(incidents)
        .values(
          list.map((i) => ({
            tenantId,
            serviceId: serviceIds.get(i.service)!,
            externalId: i.externalId,
            title: i.title,
            severity: i.severity ?? null,
            startedAt: i.startedAt,
            resolvedAt: i.resolvedAt ?? null,
            causedByReleaseId: i.causedByRelease ? (releaseIds.get(i.causedByRelease) ?? null) : null,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: incidents.id });
      return rows.length;
    },
  };
}
