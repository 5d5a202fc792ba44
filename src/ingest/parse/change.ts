import {
  formatTime,
  isRecord,
  parseRecords,
  pick,
  pickText,
  recordTime,
  text,
  textList,
  type DocumentDraft,
  type JsonRecord,
  type ParseInput,
  type ParseResult,
} from './common.js';

interface ChangedFile {
  path: string;
  additions?: number;
  deletions?: number;
}

function changedFiles(v: unknown): ChangedFile[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((f): ChangedFile[] => {
    if (typeof f === 'string') return [{ path: f }];
    if (!isRecord(f)) return [];
    const path = pickText(f, 'path', 'filename', 'file', 'name');
    if (!path) return [];
    const add = pick(f, 'additions', 'added', 'insertions');
    const del = pick(f, 'deletions', 'deleted', 'removed');
    return [
      {
        path,
        ...(typeof add === 'number' ? { additions: add } : {}),
        ...(typeof del === 'number' ? { deletions: del } : {}),
      },
    ];
  });
}

/**
 * A PR / change record → document. The GitHub API shape (number, user.login,
 * merged_at, labels[{name}], files[{filename}]) and a flat generic one are
 * both read.
 */
function changeDraft(rec: JsonRecord, fallback: Date): DocumentDraft | string {
  const title = pickText(rec, 'title', 'subject');
  if (!title) return 'missing title';
  const occurredAt = recordTime(rec, fallback, 'mergedAt', 'merged_at', 'createdAt', 'created_at');
  if (typeof occurredAt === 'string') return occurredAt;
  // GitHub PRs carry both: `number` is what people cite (#123), `id` is a database id.
  const id = text(pick(rec, 'number', 'id', 'key'));
  const author = pickText(rec, 'author', 'user.login', 'user');
  const labels = textList(rec['labels']);
  const files = changedFiles(rec['files']);
  const description = pickText(rec, 'body', 'description');

  const lines = [`Change${id !== undefined ? ` ${/^\d+$/.test(id) ? `#${id}` : id}` : ''}: ${title}`];
  if (labels.length > 0) lines.push(`Labels: ${labels.join(', ')}`);
  if (author) lines.push(`Author: ${author}`);
  const merged = pick(rec, 'mergedAt', 'merged_at');
  lines.push(`${merged !== undefined ? 'Merged' : 'Created'}: ${formatTime(occurredAt)}`);
  if (files.length > 0) {
    const sum = (k: 'additions' | 'deletions') => files.reduce((n, f) => n + (f[k] ?? 0), 0);
    lines.push(`Files (${files.length}, +${sum('additions')} -${sum('deletions')}):`);
    for (const f of files) {
      const counts = f.additions !== undefined || f.deletions !== undefined ? ` +${f.additions ?? 0} -${f.deletions ?? 0}` : '';
      lines.push(`  ${f.path}${counts}`);
    }
  }
  if (description) lines.push('', description);
  return { title, body: lines.join('\n'), occurredAt, ...(id !== undefined ? { externalId: id } : {}) };
}

export function parseChanges(input: ParseInput): ParseResult {
  return parseRecords(input, (rec) => changeDraft(rec, input.fallbackTime));
}
