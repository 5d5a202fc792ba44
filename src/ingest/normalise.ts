import type { DocumentKind } from '../contracts/documents.js';

/**
 * Text normalisation applied to every document body before chunking, so that
 * the same artifact exported from two tools (CRLF vs LF, coloured vs plain
 * terminal output) hashes, chunks and searches the same way.
 */

// CSI (colours, cursor moves), OSC (window titles, hyperlinks) and the
// two-character escapes. Stripped before the control-char pass, which would
// otherwise leave the printable tail ("[31m") behind.
const ANSI_RE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
// C0 controls except \t (\x09) and \n (\x0a), DEL, and C1 controls (never
// meaningful in UTF-8 text; they show up when cp1252 bytes were mis-decoded).
const CONTROL_RE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

function cleanText(text: string): string {
  return text.replace(ANSI_RE, '').replace(CONTROL_RE, '');
}

export function normaliseBody(kind: DocumentKind, body: string): string {
  let text = cleanText(body.replace(/\r\n?/g, '\n'));
  if (kind === 'deploy_log') text = renderJsonLines(text);
  const lines = text.split('\n').map((line) => line.replace(/\s+$/, ''));
  return (
    lines
      .join('\n')
      // A run of 3+ blank lines is 4+ newlines; keep two blank lines.
      .replace(/\n{4,}/g, '\n\n\n')
      .replace(/^\n+/, '')
      .replace(/\n+$/, '')
  );
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

function renderJsonLines(text: string): string {
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
  if (parsed.size === 0 || parsed.size * 2 <= nonBlank) return text;
  return lines
    .map((line, i) => {
      const record = parsed.get(i);
      return record ? cleanText(renderRecord(record)) : line;
    })
    .join('\n');
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
