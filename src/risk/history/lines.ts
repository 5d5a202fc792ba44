/**
 * Which lines a fix's blame counts. A fix that only re-indents, edits a
 * comment or moves a brace did not remove the bug from that line: blaming
 * its author is SZZ's best-known false positive.
 */

const COMMENT_ONLY = /^(\/\/|#|\/\*|\*|--)/;
/** Brackets and punctuation only: `}`, `});`, `]`, `,`. */
const PUNCTUATION_ONLY = /^[\s{}()[\];,.:<>]*$/;

export function isMeaningfulLine(text: string): boolean {
  const t = text.trim();
  if (t === '') return false;
  if (COMMENT_ONLY.test(t)) return false;
  return !PUNCTUATION_ONLY.test(t);
}

const squash = (s: string) => s.replace(/\s+/g, '');

export interface DiffHunk {
  /** First line in the parent (1-based) and how many lines the fix deleted or changed there. */
  oldStart: number;
  oldCount: number;
  deleted: string[];
  added: string[];
}

export interface FileHunks {
  /** The path in the fix's parent (the blamed file). */
  path: string;
  hunks: DiffHunk[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/;

/** Parses `git diff -U0 PARENT FIX` into the parent's changed line ranges per file; new files have none. */
export function parseZeroContextDiff(diff: string): FileHunks[] {
  const files: FileHunks[] = [];
  let file: FileHunks | null = null;
  let hunk: DiffHunk | null = null;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      file = null;
      hunk = null;
      continue;
    }
    if (line.startsWith('--- ')) {
      const p = line.slice(4);
      file = p === '/dev/null' ? null : { path: unquotePath(p).replace(/^a\//, ''), hunks: [] };
      if (file) files.push(file);
      continue;
    }
    if (line.startsWith('+++ ')) continue;
    const h = HUNK.exec(line);
    if (h) {
      hunk = { oldStart: Number(h[1]), oldCount: h[2] === undefined ? 1 : Number(h[2]), deleted: [], added: [] };
      if (file && hunk.oldCount > 0) file.hunks.push(hunk);
      continue;
    }
    if (!hunk) continue;
    if (line.startsWith('-')) hunk.deleted.push(line.slice(1));
    else if (line.startsWith('+')) hunk.added.push(line.slice(1));
  }
  return files.filter((f) => f.hunks.length > 0);
}

const ESCAPES: Record<string, number> = { t: 9, n: 10, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };

/** git quotes a path with C escapes, octal for each byte of a non-ASCII character. */
function unquotePath(p: string): string {
  if (!p.startsWith('"') || !p.endsWith('"')) return p;
  const bytes: number[] = [];
  const s = p.slice(1, -1);
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\') {
      bytes.push(...new TextEncoder().encode(s[i]!));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(s.slice(i + 1));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(ESCAPES[s[i + 1]!] ?? s.charCodeAt(i + 1));
      i += 1;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/**
 * The parent's line numbers worth blaming in one file: lines the fix deleted
 * or changed, less blank, comment-only and punctuation-only lines, and less
 * lines the fix wrote back differing only in whitespace.
 */
export function linesToBlame(file: FileHunks): number[] {
  const out: number[] = [];
  for (const h of file.hunks) {
    const rewritten = new Set(h.added.map(squash));
    h.deleted.forEach((text, i) => {
      if (isMeaningfulLine(text) && !rewritten.has(squash(text))) out.push(h.oldStart + i);
    });
  }
  return out;
}

/** Line numbers as the fewest `-L a,b` ranges. */
export function toRanges(lines: number[]): [number, number][] {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const n of sorted) {
    const last = ranges.at(-1);
    if (last && n === last[1] + 1) last[1] = n;
    else ranges.push([n, n]);
  }
  return ranges;
}
