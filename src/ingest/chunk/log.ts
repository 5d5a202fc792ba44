import type { ChunkDraft } from '../types.js';
import { bodyBudget, ChunkList, contextLine, pack, type Piece } from './common.js';

/** Most lines per log window: keeps a chunk about one moment of the deploy. */
export const LOG_WINDOW_LINES = 40;

// Order matters: whole tokens (timestamps, UUIDs, IPs) are masked before the
// generic number rule would shred them into `<*>-<*>-<*>`.
const MASKS: RegExp[] = [
  /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, // timestamps
  /\b\d{4}-\d{2}-\d{2}\b|\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, // bare dates / times
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, // UUIDs
  /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, // IPv4[:port]
  /\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b/gi, // IPv6 (full-ish forms)
  /"(?:[^"\\]|\\.)*"/g, // double-quoted strings
  /(?<![\w])'[^'\n]*'/g, // single-quoted strings, not apostrophes inside words
  /\b0x[0-9a-f]+\b/gi, // hex literals
  /\b(?=[0-9a-f]*\d)[0-9a-f]{6,}\b/gi, // hex ids / SHAs (must contain a digit, so words like "facade" survive)
  /\b\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|kb|mb|gb|b|%)?\b/gi, // numbers, durations, sizes
];

// HTTP 4xx/5xx status codes are deliberately left unmasked: folding
// "GET /pay 500" into "GET /pay 200 (×900)" would hide exactly the signal a
// release-risk reader is looking for. Only numbers in a status position count
// (after "METHOD /path", "status", "code", "HTTP/1.1"), so "batch 401" still folds.
const ERROR_STATUS = /^[45]\d\d$/;
const STATUS_CONTEXT = /(?:\b(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+\S+|\bstatus(?:[_ ]?code)?|\bcode|HTTP\/[\d.]+"?)[\s=:"]*$/i;
const NUMBERS = MASKS[MASKS.length - 1];

function isErrorStatus(m: string, offset: number, line: string): boolean {
  return ERROR_STATUS.test(m) && STATUS_CONTEXT.test(line.slice(Math.max(0, offset - 60), offset));
}

/**
 * The shape of a log line with its variable parts (numbers, ids, UUIDs, IPs,
 * durations, quoted strings) masked as `<*>`. Lines sharing a template are
 * repeats of one event.
 */
export function logTemplate(line: string): string {
  let t = line.trim();
  for (const re of MASKS) {
    t = t.replace(re, (m: string, offset: number, all: string) => (re === NUMBERS && isErrorStatus(m, offset, all) ? m : '<*>'));
  }
  // "<*> <*>" and "<*>:<*>" runs carry no extra information.
  return t.replace(/<\*>(?:[\s:.,/-]*<\*>)+/g, '<*>');
}

interface KeptLine {
  text: string;
  line: number;
  count: number;
}

/**
 * Collapse repeats across the whole log: the first concrete instance of each
 * template is kept in place, later ones only bump its count. A 100k-line log
 * of health checks and progress ticks shrinks to its distinct events.
 */
export function collapseLogLines(body: string): KeptLine[] {
  const kept: KeptLine[] = [];
  const byTemplate = new Map<string, KeptLine>();
  body.split('\n').forEach((text, i) => {
    if (text.trim() === '') return;
    const template = logTemplate(text);
    const seen = byTemplate.get(template);
    if (seen) {
      seen.count++;
      return;
    }
    const entry = { text, line: i + 1, count: 1 };
    byTemplate.set(template, entry);
    kept.push(entry);
  });
  return kept;
}

export function chunkLog(title: string, body: string): ChunkDraft[] {
  const kept = collapseLogLines(body);
  const last = kept[kept.length - 1];
  if (!last) return [];
  // Reserve room for the widest possible "lines A-B" suffix.
  const digits = String(last.line).length;
  const widest = contextLine('deploy_log', title, `lines ${'9'.repeat(digits)}-${'9'.repeat(digits)}`);
  const budget = bodyBudget(widest.length);
  const pieces: Piece[] = kept.map((k) => ({
    text: k.count > 1 ? `${k.text} (×${k.count})` : k.text,
    first: k.line,
    last: k.line,
  }));
  const chunks = new ChunkList();
  for (const window of pack(pieces, budget, '\n', LOG_WINDOW_LINES)) {
    const range = `lines ${window.first}-${window.last}`;
    chunks.add(contextLine('deploy_log', title, range), window.text, range);
  }
  return chunks.drafts();
}
