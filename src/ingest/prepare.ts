import { createHash } from 'node:crypto';
import { DocumentInput } from '../contracts/documents.js';
import { looksBinary, normaliseBody } from './normalise.js';
import { redact } from './redact/index.js';
import type { CleanDocument } from './types.js';

export type Prepared = { ok: true; doc: CleanDocument; contentHash: string } | { ok: false; error: string };

/** One line a problem, naming the field: what a person needs to fix the input. */
export function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(document)'}: ${i.message}`)
    .join('; ');
}

/**
 * validate → redact → normalise → hash. Redaction runs first so that nothing
 * downstream (the hash, the store, the embedder, a log line) ever sees a secret.
 */
export function prepareDocument(raw: unknown): Prepared {
  const parsed = DocumentInput.safeParse(raw);
  if (!parsed.success) return { ok: false, error: describeIssues(parsed.error.issues) };
  const input = parsed.data;
  if (looksBinary(input.body)) {
    return { ok: false, error: 'body: looks like binary data, not text (send text artifacts only)' };
  }
  const body = redact(input.body);
  const title = redact(input.title);
  const source = input.source === undefined ? undefined : redact(input.source);
  const normalised = normaliseBody(input.kind, body.text);
  if (normalised.trim() === '') return { ok: false, error: 'body: empty after normalisation' };
  const doc: CleanDocument = {
    kind: input.kind,
    service: input.service,
    title: title.text,
    body: normalised,
    occurredAt: new Date(input.occurredAt),
    ...(source ? { source: source.text } : {}),
    ...(input.externalId ? { externalId: input.externalId } : {}),
    redactions: body.count + title.count + (source?.count ?? 0),
  };
  return { ok: true, doc, contentHash: contentHash(doc) };
}

/** Same kind, service and (normalised, redacted) body = same document, whatever its title. */
export function contentHash(doc: Pick<CleanDocument, 'kind' | 'service' | 'body'>): string {
  return createHash('sha256').update(doc.kind).update('\0').update(doc.service).update('\0').update(doc.body).digest('hex');
}
