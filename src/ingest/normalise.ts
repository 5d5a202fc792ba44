import type { DocumentKind } from '../contracts/documents.js';
import { ANSI_SOURCE, CONTROL_CLASS } from './text-controls.js';

/**
 * Text normalisation applied to every document body before chunking, so that
 * the same artifact exported from two tools (CRLF vs LF, coloured vs plain
 * terminal output) hashes, chunks and searches the same way.
 */

// Terminal escapes first: the control-char pass would otherwise leave the
// printable tail ("[31m") behind. A lone \r left in a rendered JSON record goes too.
const ANSI_RE = new RegExp(ANSI_SOURCE, 'g');
const CONTROL_RE = new RegExp(`[${CONTROL_CLASS}\\r]`, 'g');

function cleanText(text: string): string {
  return text.replace(ANSI_RE, '').replace(CONTROL_RE, '');
}

export function normaliseBody(kind: DocumentKind, body: string): string {
  return normalise(kind, body).text;
}

/**
 * The normalised body, and whether it was rendered: a JSON-lines deploy log
 * is parsed and written out again (escapes decoded, keys reordered), so its
 * text is new text rather than the input cleaned.
 */
export function normalise(kind: DocumentKind, body: string): { text: string; rendered: boolean } {
  let text = cleanText(body.replace(/\r\n?/g, '\n'));
  let rendered = false;
  if (kind === 'deploy_log') {
    const json = renderJsonLines(text);
    text = json.text;
    rendered = json.rendered;
  }
  const lines = text.split('\n').map((line) => line.replace(/\s+$/, ''));
  const normalised = lines
    .join('\n')
    // A run of 3+ blank lines is 4+ newlines; keep two blank lines.
    .replace(/\n{4,}/g, '\n\n\n')
    .replace(/^\n+/, '')
    .replace(/\n+$/, '');
  return { text: normalised, rendered };
}

/** Share of sampled characters that must be garbage before a body is called binary. */
const BINARY_RATIO = 0.1;
const BINARY_SAMPLE_CHARS = 64 * 1024;

/**
 * True for bytes that were never text (images, archives, UTF-16 read as
 * UTF-8): many U+FFFD replacement chars or control chars. ESC is not counted:
 * colourised terminal logs are full of it and are still text.
 */
export function looksBinary(body: string): boolean {
  const sample = body.slice(0, BINARY_SAMPLE_CHARS);
  if (sample.length === 0) return false;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x1b) || c === 0x7f) bad++;
  }
  return bad / sample.length > BINARY_RATIO;
}

// ---------------------------------------------------------------------------
// JSON-lines deploy logs (pino, bunyan, zap, logstash …) → readable lines.
// Embedding `{"level":30,"time":…}` wastes the chunk budget on punctuation and
// keys; `2024-… INFO message key=value` searches and reads far better.

const TIME_KEYS = ['ts', 'time', 'timestamp', '@timestamp'];
const LEVEL_KEYS = ['level', 'severity', 'lvl'];
const MESSAGE_KEYS = ['msg', 'message'];
// pino / bunyan numeric levels.
const NUMERIC_LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

function renderJsonLines(text: string): { text: string; rendered: boolean } {
  const lines = text.split('\n');
  let nonBlank = 0;
  const parsed = new Map<number, Record<string, unknown>>();
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t === '') return;
    nonBlank++;
    if (!t.startsWith('{')) return;
    try {
      const value: unknown = JSON.parse(t);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        parsed.set(i, value as Record<string, unknown>);
      }
    } catch {
      // not JSON: left as it is
    }
  });
  // Only reformat logs that really are JSON lines; a plain log with the odd
  // JSON payload line keeps that line verbatim.
  if (parsed.size === 0 || parsed.size * 2 <= nonBlank) return { text, rendered: false };
  const rendered = lines.map((line, i) => {
    const record = parsed.get(i);
    return record ? cleanText(renderRecord(record)) : line;
  });
  return { text: rendered.join('\n'), rendered: true };
}

function takeFirst(record: Record<string, unknown>, keys: string[], used: Set<string>): unknown {
  for (const key of keys) {
    if (key in record && record[key] !== undefined && record[key] !== null && record[key] !== '') {
      used.add(key);
      return record[key];
    }
  }
  return undefined;
}

function renderTime(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Epoch seconds (< year 5138 in ms terms) vs milliseconds.
    const ms = value < 1e11 ? value * 1000 : value;
    const d = new Date(ms);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  return oneLine(typeof value === 'string' ? value : JSON.stringify(value));
}

function renderLevel(value: unknown): string {
  if (typeof value === 'number') return NUMERIC_LEVELS[value] ?? String(value);
  return oneLine(typeof value === 'string' ? value : JSON.stringify(value)).toUpperCase();
}

/** Embedded newlines (stack traces) would break the one-record-per-line shape. */
function oneLine(s: string): string {
  return s.replace(/\r?\n/g, '\\n');
}

function renderValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return JSON.stringify(value);
}

function renderRecord(record: Record<string, unknown>): string {
  const used = new Set<string>();
  const time = takeFirst(record, TIME_KEYS, used);
  const level = takeFirst(record, LEVEL_KEYS, used);
  const message = takeFirst(record, MESSAGE_KEYS, used);
  const parts: string[] = [];
  if (time !== undefined) parts.push(renderTime(time));
  if (level !== undefined) parts.push(renderLevel(level));
  if (message !== undefined) parts.push(oneLine(typeof message === 'string' ? message : JSON.stringify(message)));
  for (const [key, value] of Object.entries(record)) {
    if (used.has(key) || value === undefined) continue;
    parts.push(`${key}=${renderValue(value)}`);
  }
  return parts.join(' ');
}
