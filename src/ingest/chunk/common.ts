import type { DocumentKind } from '../../contracts/documents.js';
import type { ChunkDraft } from '../types.js';

/**
 * Largest chunk text, context line included. ~1.5k chars is ~350-400 tokens:
 * small enough that one chunk is about one thing (a hunk, a log window, a
 * runbook step), large enough to carry its own context.
 */
export const CHUNK_MAX_CHARS = 1500;

/** Context lines are clipped so a long title or path cannot eat the body budget. */
export const MAX_CONTEXT_CHARS = 200;

/** A run of text with the (1-based, inclusive) source lines it came from. */
export interface Piece {
  text: string;
  first: number;
  last: number;
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * `[kind] <title> <suffix>`, on one line and at most MAX_CONTEXT_CHARS long.
 * The title is clipped first so the (more specific) suffix survives.
 */
export function contextLine(kind: DocumentKind, title: string, suffix = ''): string {
  const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
  const head = `[${kind}]`;
  const tail = flat(suffix);
  const room = MAX_CONTEXT_CHARS - head.length - tail.length - 2;
  const t = clip(flat(title), Math.max(20, room));
  return clip([head, t, tail].filter((p) => p !== '').join(' '), MAX_CONTEXT_CHARS);
}

/** Body budget left once `header` and its newline are in the chunk. */
export function bodyBudget(headerLength: number): number {
  return CHUNK_MAX_CHARS - 1 - Math.min(headerLength, MAX_CONTEXT_CHARS);
}

/**
 * Cut a string into pieces of at most `max` chars, preferring to break after
 * whitespace in the second half of a window so words survive where possible.
 */
export function hardSplit(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    else cut += 1;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut);
  }
  if (rest.trim() !== '') out.push(rest);
  return out.filter((p) => p.trim() !== '');
}

/** Lines of a body as pieces, numbered from 1. */
export function linePieces(body: string): Piece[] {
  return body.split('\n').map((text, i) => ({ text, first: i + 1, last: i + 1 }));
}

/** Blank-line separated paragraphs, each keeping its line range. */
export function paragraphs(lines: Piece[]): Piece[] {
  const out: Piece[] = [];
  let cur: Piece[] = [];
  const flush = () => {
    const [head] = cur;
    const tail = cur[cur.length - 1];
    if (head && tail) out.push({ text: cur.map((l) => l.text).join('\n'), first: head.first, last: tail.last });
    cur = [];
  };
  for (const line of lines) {
    if (line.text.trim() === '') flush();
    else cur.push(line);
  }
  flush();
  return out;
}

/**
 * Make a piece fit `budget`: split it by lines and re-pack them; a single
 * line longer than the budget is hard-split.
 */
export function fitPiece(piece: Piece, budget: number): Piece[] {
  if (piece.text.length <= budget) return [piece];
  const lines: Piece[] = [];
  piece.text.split('\n').forEach((text, i) => {
    const n = piece.first + i;
    for (const part of hardSplit(text, budget)) lines.push({ text: part, first: n, last: Math.min(n, piece.last) });
  });
  return pack(lines, budget, '\n');
}

/**
 * Greedy packing: consecutive pieces are joined with `sep` while the result
 * stays within `budget` (and `maxCount` pieces). Oversize pieces are fitted first.
 */
export function pack(pieces: Piece[], budget: number, sep: string, maxCount = Infinity): Piece[] {
  const out: Piece[] = [];
  let cur: Piece | undefined;
  let count = 0;
  for (const raw of pieces) {
    for (const piece of fitPiece(raw, budget)) {
      if (cur && count < maxCount && cur.text.length + sep.length + piece.text.length <= budget) {
        cur = { text: cur.text + sep + piece.text, first: cur.first, last: piece.last };
        count++;
      } else {
        if (cur) out.push(cur);
        cur = { ...piece };
        count = 1;
      }
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** Collects chunks; drops empty ones, enforces the cap and numbers them 0..n-1. */
export class ChunkList {
  private readonly items: ChunkDraft[] = [];

  add(header: string, body: string, locator: string): void {
    if (body.trim() === '') return;
    // Headers are bounded by MAX_CONTEXT_CHARS and bodies by bodyBudget; the
    // clip is a last guard so a caller's arithmetic slip cannot break the cap.
    const text = clip(`${header}\n${body}`, CHUNK_MAX_CHARS);
    this.items.push({ ordinal: this.items.length, text, locator });
  }

  get length(): number {
    return this.items.length;
  }

  drafts(): ChunkDraft[] {
    return this.items;
  }
}
