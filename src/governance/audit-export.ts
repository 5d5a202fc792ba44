/**
 * The audit log as files people keep: CSV for a spreadsheet, JSON Lines for
 * checking the chain.
 *
 * CSV follows RFC 4180 (CRLF line ends; a field with a comma, quote or line
 * break is quoted, quotes doubled). A text field that starts with `=`, `+`,
 * `-`, `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet
 * shows it instead of running it as a formula (an actor or a reason is
 * typed by a person). That makes the CSV a record to read, not to verify:
 * check the hash chain from the JSON Lines export, which keeps every value
 * as it was hashed.
 */
import { type AuditEntry, canonicalJson } from '../contracts/audit.js';
import { csvQuote } from '../contracts/text.js';

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'id',
  'at',
  'tenant',
  'actor',
  'action',
  'subject',
  'subject_label',
  'reason',
  'answers_kind',
  'answers_id',
  'answers_version',
  'details',
  'prev_hash',
  'hash',
] as const;

/** A leading character a spreadsheet reads as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return csvQuote(text);
}

function row(e: AuditEntry): (string | number | null)[] {
  return [
    e.seq,
    e.id,
    e.at,
    e.tenant,
    e.actor,
    e.action,
    e.subject,
    e.subjectLabel,
    e.reason,
    e.answers?.kind ?? null,
    e.answers?.id ?? null,
    e.answers?.version ?? null,
    canonicalJson(e.details),
    e.prevHash,
    e.hash,
  ];
}

/** Entries as CSV, one row each (with the header row unless `header` is false: for pages after the first). */
export function auditCsv(entries: AuditEntry[], header = true): string {
  const lines = entries.map((e) => row(e).map(csvField).join(','));
  if (header) lines.unshift(AUDIT_CSV_COLUMNS.join(','));
  return lines.map((l) => `${l}\r\n`).join('');
}

/** Entries as JSON Lines: one entry per line, every field as stored, each line ending in `\n`. */
export function auditJsonLines(entries: AuditEntry[]): string {
  return entries.map((e) => `${JSON.stringify(e)}\n`).join('');
}
