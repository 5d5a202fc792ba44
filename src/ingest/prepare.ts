import { createHash } from 'node:crypto';
import { DocumentInput } from '../contracts/documents.js';
import { looksBinary, normalise } from './normalise.js';
import { redact } from './redact/index.js';
import { secretInName } from './redact-fields.js';
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
 * validate → redact → normalise → (redact again) → hash. Redaction runs first
 * so that nothing downstream (the hash, the store, the embedder, a log line)
 * ever sees a secret. Normalising drops terminal escapes and control
 * characters and, for a JSON-lines log, decodes escapes (`\/`, `\u0041`) and
 * rewrites each record: any of these could put together a secret that was in
 * pieces. The first pass already reads through the same escapes and
 * characters (redact/view.ts), and a rendered log, being new text, is redacted
 * again. Every free-text field is redacted; the service name, which is stored
 * and shown as it is, must not look like a secret at all.
 */
export function prepareDocument(raw: unknown): Prepared {
  const parsed = DocumentInput.safeParse(raw);
  if (!parsed.success) return { ok: false, error: describeIssues(parsed.error.issues) };
  const input = parsed.data;
  if (looksBinary(input.body)) {
    return { ok: false, error: 'body: looks like binary data, not text (send text artifacts only)' };
  }
  const serviceProblem = secretInName('service', input.service);
  if (serviceProblem) return { ok: false, error: serviceProblem };
  const first = redact(input.body);
  const normalised = normalise(input.kind, first.text);
  // Cleaning (line ends, terminal escapes, control characters) cannot rebuild what the first pass read through
  // (it reads past the same characters); a rendered JSON-lines log is new text, so it is read again.
  const body = normalised.rendered ? redact(normalised.text) : { text: normalised.text, count: 0 };
  if (body.text.trim() === '') return { ok: false, error: 'body: empty after normalisation' };
  const title = redact(input.title);
  const source = input.source === undefined ? undefined : redact(input.source);
  const externalId = input.externalId ? redact(input.externalId) : undefined;
  const doc: CleanDocument = {
    kind: input.kind,
    service: input.service,
    title: title.text,
    body: body.text,
    occurredAt: new Date(input.occurredAt),
    ...(source ? { source: source.text } : {}),
    ...(externalId ? { externalId: externalId.text } : {}),
    redactions: first.count + body.count + title.count + (source?.count ?? 0) + (externalId?.count ?? 0),
  };
  return { ok: true, doc, contentHash: contentHash(doc) };
}

/** Same kind, service and (normalised, redacted) body = same document, whatever its title. */
export function contentHash(doc: Pick<CleanDocument, 'kind' | 'service' | 'body'>): string {
  return createHash('sha256').update(doc.kind).update('\0').update(doc.service).update('\0').update(doc.body).digest('hex');
}
