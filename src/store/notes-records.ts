import { auditDecision } from './audit.js';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { NotesDraft } from '../contracts/notes.js';
import type { ApprovedNotes, NotesApproval, NotesLog, NotesSource, NotesVersion, StoredChange } from '../notes/ports.js';
import { type Db, queryRows } from './database.js';
import { assessments, changes, decisions, documents, releaseChanges, releaseNotes, releases, services } from './schema.js';
import { isUuid } from './sql-array.js';
import { isUniqueViolation } from './unique-violation.js';

/** Characters of one change's diff the notes read: enough for migrations, exports and config files, bounded per release. */
const PATCH_CHARS = 200_000;
/** Ticket references in a message: `#123` and tracker keys like `PAY-123`. */
const TICKET_REF = /#(\d{1,10})\b|\b([A-Z][A-Z0-9]{1,9}-\d{1,7})\b/g;

function ticketRefs(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(TICKET_REF)) {
    if (m[1]) out.add(m[1]).add(`#${m[1]}`);
    if (m[2]) out.add(m[2]);
  }
  return [...out];
}

type ChangeRow = typeof changes.$inferSelect;

/** A stored change as the notes read it: which id it is cited by is the drafter's to decide. */
function storedChange(r: ChangeRow, patch: string | undefined): StoredChange {
  return {
    id: r.id,
    externalId: r.externalId,
    title: r.title,
    body: r.body,
    author: r.author,
    createdAt: r.createdAt,
    labels: r.labels,
    files: r.files,
    ...(patch ? { patch } : {}),
  };
}

async function releaseChangeRows(db: Db, tenantId: string, releaseId: string): Promise<ChangeRow[]> {
  const rows = await db
    .select({ c: changes })
    .from(releaseChanges)
    .innerJoin(changes, eq(changes.id, releaseChanges.changeId))
    .where(and(eq(releaseChanges.tenantId, tenantId), eq(releaseChanges.releaseId, releaseId)))
    .orderBy(asc(changes.createdAt), asc(changes.externalId));
  return rows.map((r) => r.c);
}

async function changesWithEvidence(db: Db, tenantId: string, releaseId: string): Promise<StoredChange[]> {
  const rows = await releaseChangeRows(db, tenantId, releaseId);
  if (rows.length === 0) return [];
  const diffs = await db
    .select({ externalId: documents.externalId, body: sql<string>`left(${documents.body}, ${PATCH_CHARS})` })
    .from(documents)
    .where(
      and(
        eq(documents.tenantId, tenantId),
        eq(documents.kind, 'diff'),
        inArray(
          documents.externalId,
          rows.map((r) => `${r.externalId}:diff`),
        ),
      ),
    );
  const patchOf = new Map(diffs.map((d) => [d.externalId!.replace(/:diff$/, ''), d.body]));
  const refs = new Map(rows.map((r) => [r.id, ticketRefs(`${r.title}\n${r.body}`)]));
  const allRefs = [...new Set([...refs.values()].flat())];
  const tickets = allRefs.length
    ? await db
        .select({ externalId: documents.externalId, title: documents.title })
        .from(documents)
        .where(and(eq(documents.tenantId, tenantId), eq(documents.kind, 'ticket'), inArray(documents.externalId, allRefs)))
    : [];
  const ticketOf = new Map(tickets.map((t) => [t.externalId!, t.title]));
  return rows.map((r) => {
    const c = storedChange(r, patchOf.get(r.externalId));
    const found = refs
      .get(r.id)!
      .filter((ref) => ticketOf.has(ref))
      .map((ref) => ({ id: ref, title: ticketOf.get(ref)! }));
    return found.length ? { ...c, tickets: found } : c;
  });
}

type NotesRow = typeof releaseNotes.$inferSelect;
const toVersion = (r: NotesRow): NotesVersion => ({
  version: r.version,
  kind: r.kind as NotesVersion['kind'],
  draft: r.draft as NotesDraft,
  summary: r.summary,
  markdown: r.markdown,
  baseVersion: r.baseVersion,
  editDistance: r.editDistance,
  actor: r.actor,
  reason: r.reason,
  createdAt: r.createdAt,
});

type DecisionRow = typeof decisions.$inferSelect;
const toApproval = (r: DecisionRow): NotesApproval => ({
  decisionId: r.id,
  version: r.notesVersion!,
  actor: r.actor,
  reason: r.reason,
  createdAt: r.createdAt,
});

export function notesSourceRepo(db: Db): NotesSource {
  return {
    async release(tenantId, releaseId) {
      if (!isUuid(releaseId)) return undefined;
      const [r] = await db
        .select({ r: releases, service: services.name })
        .from(releases)
        .innerJoin(services, eq(services.id, releases.serviceId))
        .where(and(eq(releases.tenantId, tenantId), eq(releases.id, releaseId)));
      if (!r) return undefined;
      const { r: rel } = r;
      return {
        id: rel.id,
        serviceId: rel.serviceId,
        service: r.service,
        version: rel.version,
        environment: rel.environment,
        strategy: rel.strategy,
        flags: rel.flags,
        commitRange: rel.commitRange,
        createdAt: rel.createdAt,
      };
    },
    changes: (tenantId, releaseId) => changesWithEvidence(db, tenantId, releaseId),
    async assessment(tenantId, releaseId) {
      const [a] = await db
        .select({ body: assessments.body })
        .from(assessments)
        .where(and(eq(assessments.tenantId, tenantId), eq(assessments.releaseId, releaseId)))
        .orderBy(desc(assessments.createdAt))
        .limit(1);
      const body = a?.body as { id?: string; level?: string; score?: number } | undefined;
      return body?.id && body.level && typeof body.score === 'number' ? { id: body.id, level: body.level, score: body.score } : undefined;
    },
    async approvedBefore(tenantId, serviceId, before, limit) {
      // The newest approved version of each earlier release: one row per release, newest releases first.
      const rows = await queryRows<{ release_id: string; release_version: string; created_at: string | Date; draft: unknown }>(
        db,
        sql`
        select * from (
        select distinct on (r.id) r.id as release_id, r.version as release_version, r.created_at, n.draft
        from releases r
        join decisions d on d.release_id = r.id and d.action = 'approve_notes' and d.tenant_id = ${tenantId}
        join release_notes n on n.release_id = r.id and n.version = d.notes_version
        where r.tenant_id = ${tenantId} and r.service_id = ${serviceId} and r.created_at < ${before.toISOString()}
        order by r.id, d.notes_version desc) latest
        order by created_at desc limit ${limit}`,
      );
      const found = rows.map((r) => ({ ...r, created_at: new Date(r.created_at) }));
      if (found.length === 0) return [];
      // The changes of every release found, in one query (not one per release).
      const linked = await db
        .select({ releaseId: releaseChanges.releaseId, c: changes })
        .from(releaseChanges)
        .innerJoin(changes, eq(changes.id, releaseChanges.changeId))
        .where(
          and(
            eq(releaseChanges.tenantId, tenantId),
            inArray(
              releaseChanges.releaseId,
              found.map((r) => r.release_id),
            ),
          ),
        )
        .orderBy(asc(changes.createdAt), asc(changes.externalId));
      const changesOf = new Map<string, StoredChange[]>();
      for (const { releaseId, c } of linked) {
        if (!changesOf.has(releaseId)) changesOf.set(releaseId, []);
        // Without their diffs: what people kept is learned from messages, labels and files.
        changesOf.get(releaseId)!.push(storedChange(c, undefined));
      }
      const out: ApprovedNotes[] = found.map((r) => ({
        version: r.release_version,
        createdAt: r.created_at,
        changes: changesOf.get(r.release_id) ?? [],
        draft: (typeof r.draft === 'string' ? JSON.parse(r.draft) : r.draft) as NotesDraft,
      }));
      return out;
    },
  };
}

export function notesLogRepo(db: Db): NotesLog {
  const approvalsOf = (tenantId: string, releaseId: string) =>
    db
      .select()
      .from(decisions)
      .where(and(eq(decisions.tenantId, tenantId), eq(decisions.releaseId, releaseId), eq(decisions.action, 'approve_notes')))
      .orderBy(asc(decisions.seq));
  return {
    async listing(tenantId, releaseId) {
      if (!isUuid(releaseId)) return [];
      const rows = await db
        .select({
          version: releaseNotes.version,
          kind: releaseNotes.kind,
          actor: releaseNotes.actor,
          createdAt: releaseNotes.createdAt,
          editDistance: releaseNotes.editDistance,
        })
        .from(releaseNotes)
        .where(and(eq(releaseNotes.tenantId, tenantId), eq(releaseNotes.releaseId, releaseId)))
        .orderBy(asc(releaseNotes.version));
      return rows.map((r) => ({ ...r, kind: r.kind as NotesVersion['kind'] }));
    },
    async get(tenantId, releaseId, version) {
      if (!isUuid(releaseId)) return undefined;
      const scope = and(eq(releaseNotes.tenantId, tenantId), eq(releaseNotes.releaseId, releaseId));
      const [r] = await db
        .select()
        .from(releaseNotes)
        .where(version === undefined ? scope : and(scope, eq(releaseNotes.version, version)))
        .orderBy(desc(releaseNotes.version))
        .limit(1);
      return r && toVersion(r);
    },
    async append(tenantId, releaseId, expectedLatest, v) {
      try {
        const [r] = await db
          .insert(releaseNotes)
          .values({ tenantId, releaseId, version: expectedLatest + 1, ...v })
          .returning();
        return toVersion(r!);
      } catch (err) {
        // Another writer stored this version first: the caller's edit was based on an older one.
        if (!isUniqueViolation(err)) throw err;
        const [latest] = await db
          .select({ version: releaseNotes.version })
          .from(releaseNotes)
          .where(and(eq(releaseNotes.tenantId, tenantId), eq(releaseNotes.releaseId, releaseId)))
          .orderBy(desc(releaseNotes.version))
          .limit(1);
        return { conflict: latest?.version ?? expectedLatest };
      }
    },
    async approvals(tenantId, releaseId) {
      if (!isUuid(releaseId)) return [];
      return (await approvalsOf(tenantId, releaseId)).map(toApproval);
    },
    async approve(tenantId, releaseId, a) {
      try {
        return await db.transaction(async (tx) => {
          const [r] = await tx
            .insert(decisions)
            .values({
              tenantId,
              releaseId,
              action: 'approve_notes',
              reason: a.reason,
              actor: a.actor,
              notesVersion: a.version,
              overridesAdvice: false,
              createdAt: a.createdAt,
            })
            .returning();
          await auditDecision(tx, r!);
          return toApproval(r!);
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const [r] = (await approvalsOf(tenantId, releaseId)).filter((d) => d.notesVersion === a.version);
        return { conflict: toApproval(r!) };
      }
    },
  };
}
