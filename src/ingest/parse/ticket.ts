import {
  formatTime,
  isRecord,
  parseRecords,
  pickText,
  recordTime,
  textList,
  type DocumentDraft,
  type JsonRecord,
  type ParseInput,
  type ParseResult,
} from './common.js';

/**
 * A ticket record → document. Flat exports ({id|key, title|summary,
 * description|body, status, priority, createdAt|created, labels}) and Jira's
 * REST shape (the same fields under `fields`, status/priority as {name}).
 */
function ticketDraft(raw: JsonRecord, fallback: Date): DocumentDraft | string {
  const rec: JsonRecord = isRecord(raw['fields']) ? { ...raw['fields'], ...raw } : raw;
  const title = pickText(rec, 'title', 'summary');
  if (!title) return 'missing title (or summary)';
  const occurredAt = recordTime(rec, fallback, 'createdAt', 'created', 'created_at');
  if (typeof occurredAt === 'string') return occurredAt;
  const id = pickText(rec, 'key', 'id');
  const lines = [`Ticket${id ? ` ${id}` : ''}: ${title}`];
  for (const [label, keys] of [
    ['Status', ['status']],
    ['Priority', ['priority']],
    ['Type', ['type', 'issuetype', 'issueType']],
  ] as const) {
    const v = pickText(rec, ...keys);
    if (v) lines.push(`${label}: ${v}`);
  }
  const labels = textList(rec['labels']);
  if (labels.length > 0) lines.push(`Labels: ${labels.join(', ')}`);
  lines.push(`Created: ${formatTime(occurredAt)}`);
  const description = pickText(rec, 'description', 'body');
  if (description) lines.push('', description);
  return { title, body: lines.join('\n'), occurredAt, ...(id ? { externalId: id } : {}) };
}

export function parseTickets(input: ParseInput): ParseResult {
  return parseRecords(input, (rec) => ticketDraft(rec, input.fallbackTime));
}
