/**
 * The audit log's entry and its hash: part of the contract, because anyone
 * holding an export must be able to check the chain with this definition
 * alone. Each entry's hash covers its own fields and the previous entry's
 * hash (per tenant), so editing, deleting or reordering an entry breaks
 * every link after it.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Every kind of act the log records. */
export const AuditAction = z.enum([
  'approve',
  'reject',
  'override',
  'rollback',
  'continue',
  'promote',
  'halt',
  'acknowledge',
  'approve_notes',
  'policy_change',
  'token_create',
  'token_revoke',
]);
export type AuditAction = z.infer<typeof AuditAction>;

/** The recommendation an entry answers: an assessment, an advisory, a notes version or a policy version. */
export const AuditAnswers = z.object({
  kind: z.enum(['assessment', 'advisory', 'notes', 'policy']),
  /** An evidence id: it opens at `GET /v1/evidence/:id` (`assessment:…`, `advisory:…`; notes: `release:…`). */
  id: z.string(),
  /** Model version of an assessment, sequence of an advisory, version of notes or policy. */
  version: z.string().nullable(),
});
export type AuditAnswers = z.infer<typeof AuditAnswers>;

export const AuditEntry = z.object({
  /** 1, 2, … per tenant, without gaps. */
  seq: z.number().int().positive(),
  id: z.string(),
  tenant: z.string(),
  at: z.string(),
  /** The token's name. */
  actor: z.string(),
  action: AuditAction,
  /** What the act was about: `release:<id>`, `policy:<service>` or `token:<id>`. */
  subject: z.string(),
  /** Human words for the subject ("payments 2.14.0"). */
  subjectLabel: z.string(),
  reason: z.string(),
  answers: AuditAnswers.nullable(),
  /** Facts of the act (decision id, level, policy state, notes version…), flat and small. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** The hash the first entry of a tenant links to. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth: one text for one value, whatever order the keys were built in. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** sha256 over the canonical JSON of every field but `hash` (prevHash included). */
export function auditEntryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, id, tenant, at, actor, action, subject, subjectLabel, reason, answers, details, prevHash } = entry;
  const body = canonicalJson({ seq, id, tenant, at, actor, action, subject, subjectLabel, reason, answers, details, prevHash });
  return createHash('sha256').update(body).digest('hex');
}

export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  /** Pass as `after` for the next page; absent on the last. */
  nextAfter: z.number().int().optional(),
});
export type AuditPage = z.infer<typeof AuditPage>;

export const AuditProblem = z.enum(['edited', 'deleted', 'reordered', 'inserted']);
export type AuditProblem = z.infer<typeof AuditProblem>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  /** Entries read. */
  checked: z.number().int(),
  /** The newest entry's hash: keep it elsewhere to detect a truncated tail later. */
  head: z.string().nullable(),
  firstBroken: z.object({ seq: z.number().int(), id: z.string(), problem: AuditProblem, detail: z.string() }).nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;
