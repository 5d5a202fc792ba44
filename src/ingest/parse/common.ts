import { DocumentInput, type DocumentKind } from '../../contracts/documents.js';

export interface ParseInput {
  kind: DocumentKind;
  /** From the CLI / request; wins over a record's own `service` field. */
  service?: string;
  fileName: string;
  content: string;
  /** occurredAt for artifacts that carry no time of their own. */
  fallbackTime: Date;
}

export interface ParseError {
  /** 1-based line in the file where the bad record starts, when known. */
  line?: number;
  message: string;
}

export interface ParseResult {
  documents: DocumentInput[];
  errors: ParseError[];
}

/** What a per-kind parser builds before validation. */
export interface DocumentDraft {
  title: string;
  body: string;
  occurredAt: Date;
  service?: string;
  externalId?: string;
}

export type JsonRecord = Record<string, unknown>;

export function isRecord(v: unknown): v is JsonRecord {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() || fileName;
}

// ---------------------------------------------------------------------------
// JSON object / array / JSON-lines reading with line numbers

export interface LocatedRecord {
  value: unknown;
  line?: number;
}

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * Offsets of the top-level elements of a JSON array, found by a small
 * string-aware bracket scanner. Each element is then parsed on its own, so
 * one broken element is reported by line and its neighbours still load.
 */
function arrayElementSpans(text: string, open: number): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      if (depth === 0 && start < 0) start = i;
    } else if (ch === '{' || ch === '[') {
      if (depth === 0 && start < 0) start = i;
      depth++;
    } else if (ch === '}' || ch === ']') {
      if (depth === 0) {
        if (start >= 0) spans.push({ start, end: i });
        return spans;
      }
      depth--;
    } else if (ch === ',' && depth === 0) {
      if (start >= 0) spans.push({ start, end: i });
      start = -1;
    } else if (depth === 0 && start < 0 && ch !== undefined && !/\s/.test(ch)) {
      start = i;
    }
  }
  if (start >= 0) spans.push({ start, end: text.length });
  return spans;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Wrapper objects many exports use: `{"incidents": [...]}`, `{"issues": [...]}`, `{"items": [...]}`. */
const WRAPPER_KEYS = ['incidents', 'issues', 'items', 'pulls', 'pull_requests', 'changes', 'tickets', 'records', 'data'];

/** `{"<id>": {...}, "<id>": {...}}`: records keyed by id (no scalar field at the top). */
function isIdMap(value: unknown): value is JsonRecord {
  if (!isRecord(value)) return false;
  const items = Object.values(value);
  return items.length > 0 && items.every(isRecord);
}

/**
 * Records from a JSON object, a JSON array, a wrapper object around an array,
 * or JSON lines. Unparseable records become errors carrying their line.
 */
export function readJsonRecords(content: string): { records: LocatedRecord[]; errors: ParseError[] } {
  const records: LocatedRecord[] = [];
  const errors: ParseError[] = [];
  const open = content.search(/\S/);
  if (open < 0) return { records, errors: [{ message: 'empty file' }] };

  if (content[open] === '[') {
    for (const { start, end } of arrayElementSpans(content, open)) {
      const line = lineAt(content, start);
      try {
        records.push({ value: JSON.parse(content.slice(start, end)), line });
      } catch (e) {
        errors.push({ line, message: `invalid JSON: ${(e as Error).message}` });
      }
    }
    return { records, errors };
  }

  if (content[open] === '{') {
    let whole: Error | undefined;
    try {
      const value: unknown = JSON.parse(content);
      const wrapped = isRecord(value) ? WRAPPER_KEYS.map((k) => value[k]).find(Array.isArray) : undefined;
      if (wrapped) for (const item of wrapped) records.push({ value: item });
      else if (isIdMap(value)) {
        for (const [id, item] of Object.entries(value)) {
          records.push({ value: isRecord(item) && item['id'] === undefined ? { id, ...item } : item });
        }
      } else records.push({ value, line: lineAt(content, open) });
      return { records, errors };
    } catch (e) {
      whole = e as Error;
    }
    // Not one JSON document. JSON lines, if most "{" lines parse on their own;
    // otherwise a single broken (pretty-printed) document: one error, not one per line.
    const objectLines = content
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('{'));
    const good = objectLines.filter(parsesAsJson).length;
    if (good * 2 <= objectLines.length) {
      const pos = /position (\d+)/.exec(whole?.message ?? '');
      const message = `invalid JSON: ${whole?.message ?? 'unparseable'}`;
      return { records, errors: [pos ? { line: lineAt(content, Number(pos[1])), message } : { message }] };
    }
  }

  content.split('\n').forEach((raw, i) => {
    const text = raw.trim();
    if (text === '') return;
    try {
      records.push({ value: JSON.parse(text), line: i + 1 });
    } catch (e) {
      errors.push({ line: i + 1, message: `invalid JSON: ${(e as Error).message}` });
    }
  });
  return { records, errors };
}

// ---------------------------------------------------------------------------
// Field access: exports name the same thing differently (startedAt / started_at).

export function pick(rec: JsonRecord, ...keys: string[]): unknown {
  for (const key of keys) {
    let v: unknown = rec;
    for (const part of key.split('.')) v = isRecord(v) ? v[part] : undefined;
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

/** A scalar as text; objects with a `name` (Jira status, GitHub label) give the name. */
export function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isRecord(v)) return text(v['name'] ?? v['login'] ?? v['value']);
  return undefined;
}

export function pickText(rec: JsonRecord, ...keys: string[]): string | undefined {
  return text(pick(rec, ...keys));
}

/** A list of names from an array of strings or `{name}` objects, or a comma list. */
export function textList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(text).filter((s): s is string => s !== undefined);
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return [];
}

// ---------------------------------------------------------------------------
// Time

const LOCAL_ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?$/;

/**
 * Parse a time from a record or log. Times without an offset are read as UTC
 * (never the host's zone, which would make ingestion machine-dependent);
 * numbers are epoch seconds or milliseconds.
 */
export function parseTime(v: unknown): Date | undefined {
  let d: Date | undefined;
  if (typeof v === 'number' && Number.isFinite(v)) d = new Date(v < 1e11 ? v * 1000 : v);
  else if (typeof v === 'string') {
    let s = v.trim().replace(/^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}),(\d+)/, '$1.$2');
    if (LOCAL_ISO.test(s)) s = `${s.replace(' ', 'T')}${s.length > 10 ? 'Z' : 'T00:00:00Z'}`;
    // "+0000" → "+00:00" (Jira, some log formats).
    s = s.replace(/([T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s?([+-]\d{2})(\d{2})$/, '$1$2:$3');
    d = new Date(s);
  } else if (v instanceof Date) d = v;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

/** "2023-10-05T14:18:13Z": second precision reads better than toISOString's millis. */
export function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d}d` : '', h ? `${h}h` : '', m || (!d && !h) ? `${m}m` : ''].filter(Boolean).join(' ');
}

/**
 * A record's time field: absent → fallback; present but unreadable → error
 * (silently filing a record under "now" would corrupt release timelines).
 */
export function recordTime(rec: JsonRecord, fallback: Date, ...keys: string[]): Date | string {
  const raw = pick(rec, ...keys);
  if (raw === undefined) return fallback;
  return parseTime(raw) ?? `unreadable time ${JSON.stringify(raw)} in ${keys[0]}`;
}

// ---------------------------------------------------------------------------
// Finishing a document

export function resolveService(input: ParseInput, recordService?: unknown): string | undefined {
  return input.service ?? text(recordService);
}

/** Attach service/kind/source and validate against the ingest contract. */
export function finishDocument(input: ParseInput, draft: DocumentDraft): DocumentInput | string {
  const service = draft.service ?? input.service;
  if (!service) return 'no service: pass --service';
  const candidate = {
    kind: input.kind,
    service,
    title: draft.title.replace(/\s+/g, ' ').trim().slice(0, 500),
    body: draft.body,
    occurredAt: draft.occurredAt.toISOString(),
    source: input.fileName.slice(0, 1000),
    ...(draft.externalId !== undefined ? { externalId: draft.externalId.slice(0, 200) } : {}),
  };
  const parsed = DocumentInput.safeParse(candidate);
  if (parsed.success) return parsed.data;
  return parsed.error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`).join('; ');
}

/** Shared loop for record-based kinds (incident, change, ticket). */
export function parseRecords(input: ParseInput, toDraft: (rec: JsonRecord) => DocumentDraft | string): ParseResult {
  const { records, errors } = readJsonRecords(input.content);
  const documents: DocumentInput[] = [];
  records.forEach(({ value, line }, i) => {
    const fail = (problem: string) => {
      const id = isRecord(value) ? text(pick(value, 'id', 'key', 'number')) : undefined;
      const message = `record ${id !== undefined ? JSON.stringify(id) : i + 1}: ${problem}`;
      errors.push(line === undefined ? { message } : { line, message });
    };
    if (!isRecord(value)) return fail('not a JSON object');
    const draft = toDraft(value);
    if (typeof draft === 'string') return fail(draft);
    const service = resolveService(input, value['service']);
    const doc = finishDocument(input, { ...draft, ...(service ? { service } : {}) });
    if (typeof doc === 'string') return fail(doc);
    documents.push(doc);
  });
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { documents, errors };
}
