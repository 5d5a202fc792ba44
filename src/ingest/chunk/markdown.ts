import type { ChunkDraft } from '../types.js';
import { bodyBudget, ChunkList, contextLine, fitPiece, linePieces, pack, type Piece } from './common.js';

const HEADING_RE = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE_RE = /^ {0,3}(`{3,}|~{3,})/;

interface Section {
  trail: string[];
  lines: Piece[];
}

/** Is `line` the closing fence for an opener like "```" or "~~~~"? */
function closesFence(line: string, opener: string): boolean {
  const m = FENCE_RE.exec(line);
  const run = m?.[1];
  return run !== undefined && run[0] === opener[0] && run.length >= opener.length && line.trim() === run;
}

/** Split at ATX headings (never inside code fences), tracking the heading trail. */
function sections(title: string, body: string): Section[] {
  const out: Section[] = [];
  const stack: (string | undefined)[] = [];
  let cur: Section = { trail: [title], lines: [] };
  let fence: string | undefined;
  let titleHeadingSeen = false;
  for (const line of linePieces(body)) {
    if (fence) {
      if (closesFence(line.text, fence)) fence = undefined;
      cur.lines.push(line);
      continue;
    }
    const f = FENCE_RE.exec(line.text);
    if (f?.[1]) {
      fence = f[1];
      cur.lines.push(line);
      continue;
    }
    const h = HEADING_RE.exec(line.text);
    if (!h?.[1]) {
      cur.lines.push(line);
      continue;
    }
    out.push(cur);
    const level = h[1].length;
    const text = (h[2] ?? '').trim();
    stack.length = level - 1;
    stack[level - 1] = text;
    // The first "# Title" usually *is* the document title: don't repeat it in every trail.
    const isTitle = level === 1 && !titleHeadingSeen && text === title;
    if (level === 1) titleHeadingSeen = true;
    if (isTitle) stack[0] = undefined;
    cur = { trail: [title, ...stack.filter((s): s is string => s !== undefined && s !== '')], lines: [] };
  }
  out.push(cur);
  return out.filter((s) => s.lines.some((l) => l.text.trim() !== ''));
}

/**
 * Blocks of a section: paragraphs, with a code fence (blank lines and all)
 * kept as one block so packing never cuts it unless it alone is too big.
 */
function blocks(lines: Piece[]): (Piece & { fence?: string })[] {
  const out: (Piece & { fence?: string })[] = [];
  let cur: Piece[] = [];
  let fence: string | undefined;
  const flush = (fenceOpener?: string) => {
    const [head] = cur;
    const tail = cur[cur.length - 1];
    if (head && tail) {
      const block: Piece & { fence?: string } = { text: cur.map((l) => l.text).join('\n'), first: head.first, last: tail.last };
      if (fenceOpener) block.fence = fenceOpener;
      out.push(block);
    }
    cur = [];
  };
  for (const line of lines) {
    if (fence) {
      cur.push(line);
      if (closesFence(line.text, fence)) {
        flush(fence);
        fence = undefined;
      }
      continue;
    }
    const f = FENCE_RE.exec(line.text);
    if (f?.[1]) {
      flush();
      fence = f[1];
      cur.push(line);
      continue;
    }
    if (line.text.trim() === '') flush();
    else cur.push(line);
  }
  flush(fence); // an unclosed fence runs to the end of the section
  return out;
}

/**
 * An oversize fenced block split by lines; each part is re-wrapped in the
 * original opener/closer so it still renders (and reads) as code.
 */
function splitFence(block: Piece & { fence?: string }, budget: number): Piece[] {
  const lines = block.text.split('\n');
  const opener = lines[0] ?? '```';
  const closer = lines.length > 1 && closesFence(lines[lines.length - 1] ?? '', block.fence ?? '```') ? lines.pop() : undefined;
  const inner = lines.slice(1).join('\n');
  const fenceEnd = closer ?? block.fence ?? '```';
  const parts = fitPiece({ text: inner, first: block.first + 1, last: block.last }, budget - opener.length - fenceEnd.length - 2);
  return parts.map((p) => ({ text: `${opener}\n${p.text}\n${fenceEnd}`, first: p.first, last: p.last }));
}

/** Runbooks: one or more chunks per heading section, each headed by its heading trail. */
export function chunkMarkdown(title: string, body: string): ChunkDraft[] {
  const chunks = new ChunkList();
  for (const section of sections(title, body)) {
    const trail = section.trail.join(' > ');
    const header = contextLine('runbook', trail);
    const budget = bodyBudget(header.length);
    const pieces = blocks(section.lines).flatMap((b) => (b.fence && b.text.length > budget ? splitFence(b, budget) : [b]));
    for (const p of pack(pieces, budget, '\n\n')) chunks.add(header, p.text, trail);
  }
  return chunks.drafts();
}
