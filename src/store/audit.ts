import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { type AuditAction, type AuditAnswers, type AuditEntry, auditEntryHash, GENESIS_HASH } from '../contracts/audit.js';
import type { Db } from './database.js';
import { assessments, advisories, auditLog, type decisions, releases, riskModels, services, tenants } from './schema.js';

export interface AuditFields {
  at: Date;
  actor: string;
  action: AuditAction;
  subject: string;
  subjectLabel: string;
  reason: string;
  answers: AuditAnswers | null;
  details: AuditEntry['details'];
}

type AuditRow = typeof auditLog.$inferSelect;

export const toAuditEntry = (r: AuditRow, tenant: string): AuditEntry => ({
  seq: r.seq,
  id: r.id,
  tenant,
  at: r.at.toISOString(),
  actor: r.actor,
  action: r.action as AuditAction,
  subject: r.subject,
  subjectLabel: r.subjectLabel,
  reason: r.reason,
  answers: (r.answers as AuditAnswers | null) ?? null,
  details: r.details as AuditEntry['details'],
  prevHash: r.prevHash,
  hash: r.hash,
});

/**
 * Appends one entry to the tenant's chain, inside the caller's transaction
 * (the act and its entry commit together or not at all). A per-tenant
 * advisory lock orders concurrent appends, so two writers never link to the
 * same previous entry; the unique (tenant, seq) index is the backstop.
 */
export async function appendAudit(tx: Db, tenantId: string, f: AuditFields): Promise<AuditEntry> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`audit:${tenantId}`}, 0))`);
  const [last] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .where(eq(auditLog.tenantId, tenantId))
    .orderBy(desc(auditLog.seq))
    .limit(1);
  const [tenant] = await tx.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId));
  const unsealed = {
    seq: (last?.seq ?? 0) + 1,
    id: randomUUID(),
    tenant: tenant!.slug,
    at: f.at.toISOString(),
    actor: f.actor,
    action: f.action,
    subject: f.subject,
    subjectLabel: f.subjectLabel,
    reason: f.reason,
    answers: f.answers,
    details: f.details,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const entry: AuditEntry = { ...unsealed, hash: auditEntryHash(unsealed) };
  await tx.insert(auditLog).values({
    id: entry.id,
    tenantId,
    seq: entry.seq,
    at: f.at,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    subjectLabel: entry.subjectLabel,
    reason: entry.reason,
    answers: entry.answers,
    details: entry.details,
    prevHash: entry.prevHash,
    hash: entry.hash,
  });
  return entry;
}

type DecisionRow = typeof decisions.$inferSelect;

/** The recommendation a decision answers, with its version: the assessment's model, the advisory's place, the notes version. */
async function answersOf(tx: Db, d: DecisionRow): Promise<AuditAnswers | null> {
  if (d.assessmentId) {
    const [a] = await tx
      .select({ version: riskModels.version, body: assessments.body })
      .from(assessments)
      .leftJoin(riskModels, eq(riskModels.id, assessments.modelId))
      .where(eq(assessments.id, d.assessmentId));
    const model = (a?.body as { model?: { version?: string } } | undefined)?.model?.version;
    return { kind: 'assessment', id: `assessment:${d.assessmentId}`, version: model ?? (a?.version != null ? String(a.version) : null) };
  }
  if (d.advisoryId) {
    const [a] = await tx.select({ sequence: advisories.sequence }).from(advisories).where(eq(advisories.id, d.advisoryId));
    return { kind: 'advisory', id: `advisory:${d.advisoryId}`, version: a ? String(a.sequence) : null };
  }
  if (d.notesVersion !== null) return { kind: 'notes', id: `release:${d.releaseId}`, version: String(d.notesVersion) };
  return null;
}

/** The audit entry of a recorded decision, written in the decision's transaction. */
export async function auditDecision(tx: Db, d: DecisionRow, extra: AuditEntry['details'] = {}): Promise<AuditEntry> {
  const [r] = await tx
    .select({ service: services.name, version: releases.version })
    .from(releases)
    .innerJoin(services, eq(services.id, releases.serviceId))
    .where(eq(releases.id, d.releaseId));
  return appendAudit(tx, d.tenantId, {
    at: d.createdAt,
    actor: d.actor,
    action: d.action as AuditAction,
    subject: `release:${d.releaseId}`,
    subjectLabel: r ? `${r.service} ${r.version}` : d.releaseId,
    reason: d.reason,
    answers: await answersOf(tx, d),
    details: {
      decisionId: d.id,
      ...(d.advised !== null ? { advised: d.advised, overridesAdvice: d.overridesAdvice } : {}),
      ...(d.notesVersion !== null ? { notesVersion: d.notesVersion } : {}),
      ...extra,
    },
  });
}

/** Reads a tenant's chain in stored order, a page at a time. */
export function auditReaderRepo(db: Db) {
  return {
    async page(tenantId: string, q: { after: number; limit: number }): Promise<AuditEntry[]> {
      const [t] = await db.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId));
      const rows = await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, tenantId), gt(auditLog.seq, q.after)))
        .orderBy(asc(auditLog.seq))
        .limit(q.limit);
      return rows.map((r) => toAuditEntry(r, t?.slug ?? ''));
    },
    async tenantSlug(tenantId: string): Promise<string> {
      const [t] = await db.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId));
      return t?.slug ?? '';
    },
  };
}
