import type { ChunkDraft } from '../types.js';
import { bodyBudget, ChunkList, contextLine, fitPiece, pack, paragraphs, linePieces, type Piece } from './common.js';

export type DiffFileStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'binary';

export interface DiffHunk {
  /** The `@@ -a,b +c,d @@ section` line. */
  header: string;
  /** Hunk body lines with their ' ', '+', '-' or '\' prefix. */
  lines: string[];
}

export interface DiffFile {
  /** Path after the change (before it, for a deleted file). */
  path: string;
  /** Path before the change, for renames and copies. */
  oldPath?: string;
  status: DiffFileStatus;
  additions: number;
  deletions: number;
  hunks: DiffHunk[];
}

const HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Undo git's C-style quoting of unusual paths: "a/t\303\251st" → a/tést. */
function unquote(path: string): string {
  if (!(path.startsWith('"') && path.endsWith('"') && path.length >= 2)) return path;
  const bytes: number[] = [];
  const s = path.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] ?? '';
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const oct = /^[0-7]{3}/.exec(s.slice(i + 1));
    if (oct) {
      bytes.push(parseInt(oct[0], 8));
      i += 3;
    } else {
      const next = s[i + 1] ?? '';
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A `---`/`+++` operand: drop a trailing tab + timestamp (diff -u), unquote. */
function operand(raw: string): string {
  const s = raw.startsWith('"') ? raw : (raw.split('\t')[0] ?? raw);
  return unquote(s.trim());
}

function stripPrefix(path: string, prefix: 'a/' | 'b/'): string {
  return path.startsWith(prefix) ? path.slice(2) : path;
}

/** Paths from `diff --git a/X b/Y`; only used when no ---/+++ or rename lines say better. */
function gitHeaderPaths(rest: string): { oldPath: string; path: string } {
  const quoted = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(rest);
  if (quoted && rest.includes('"')) {
    return { oldPath: stripPrefix(unquote(quoted[1] ?? ''), 'a/'), path: stripPrefix(unquote(quoted[2] ?? ''), 'b/') };
  }
  // Same path on both sides (the usual case) even when it contains spaces.
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ' && rest.slice(2, half) === rest.slice(half + 3)) {
    const p = rest.slice(2, half);
    return { oldPath: p, path: p };
  }
  const cut = rest.indexOf(' b/');
  if (cut > 0) return { oldPath: stripPrefix(rest.slice(0, cut), 'a/'), path: rest.slice(cut + 3) };
  return { oldPath: rest, path: rest };
}

interface Building extends DiffFile {
  sawOperands: boolean;
}

function newFile(path = '', oldPath = ''): Building {
  const f: Building = { path, status: 'modified', additions: 0, deletions: 0, hunks: [], sawOperands: false };
  if (oldPath && oldPath !== path) f.oldPath = oldPath;
  return f;
}

/**
 * Parse unified diff text (git diff / git show / format-patch / diff -u) into
 * files and hunks. Hunk bodies are consumed by the line counts in their `@@`
 * header, so a deleted line that itself starts with "-- " is never mistaken
 * for a new `---` file header. Text outside files and hunks (commit headers,
 * format-patch signatures) is ignored.
 */
export function parseUnifiedDiff(text: string): DiffFile[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const files: Building[] = [];
  let cur: Building | undefined;
  let hunk: DiffHunk | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  let skipBinaryPatch = false;

  const start = (f: Building) => {
    files.push(f);
    cur = f;
    hunk = undefined;
    oldLeft = newLeft = 0;
    skipBinaryPatch = false;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';

    if (hunk && cur && (oldLeft > 0 || newLeft > 0)) {
      const c = line[0];
      if (c === '+') {
        newLeft--;
        cur.additions++;
        hunk.lines.push(line);
        continue;
      }
      if (c === '-') {
        oldLeft--;
        cur.deletions++;
        hunk.lines.push(line);
        continue;
      }
      if (c === ' ' || line === '') {
        // Some tools strip the trailing space of empty context lines.
        oldLeft--;
        newLeft--;
        hunk.lines.push(line);
        continue;
      }
      if (c === '\\') {
        hunk.lines.push(line);
        continue;
      }
      // A truncated hunk: fall through and read the line as a header.
    }
    if (line.startsWith('\\') && hunk) {
      hunk.lines.push(line); // "\ No newline at end of file" after the last line
      continue;
    }

    if (line.startsWith('diff --git ')) {
      const { oldPath, path } = gitHeaderPaths(line.slice('diff --git '.length));
      start(newFile(path, oldPath));
      continue;
    }
    if (line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
      // Merge-commit combined diffs use @@@ hunks we do not model; keep the path.
      const p = unquote(line.replace(/^diff --(?:cc|combined) /, ''));
      start(newFile(p, p));
      continue;
    }
    if (skipBinaryPatch) continue;

    const next = lines[i + 1] ?? '';
    if (line.startsWith('--- ') && next.startsWith('+++ ')) {
      // Plain `diff -u` output has no `diff --git` line: a second ---/+++ pair starts a new file.
      if (!cur || cur.sawOperands || cur.hunks.length > 0) start(newFile());
      const f = cur as Building;
      let oldP = operand(line.slice(4));
      let newP = operand(next.slice(4));
      // Only strip a/ b/ when the pair is git-style, so a real "a/..." path survives `diff -u`.
      const gitStyle = (oldP.startsWith('a/') || oldP === '/dev/null') && (newP.startsWith('b/') || newP === '/dev/null');
      if (gitStyle) {
        oldP = stripPrefix(oldP, 'a/');
        newP = stripPrefix(newP, 'b/');
      }
      f.sawOperands = true;
      if (oldP === '/dev/null') {
        f.status = 'added';
        f.path = newP;
        delete f.oldPath;
      } else if (newP === '/dev/null') {
        f.status = 'deleted';
        f.path = oldP;
        delete f.oldPath;
      } else {
        f.path = newP;
        if (oldP !== newP) {
          f.oldPath = oldP;
          if (f.status === 'modified') f.status = 'renamed';
        }
      }
      i++;
      continue;
    }

    const m = HUNK_RE.exec(line);
    if (m) {
      if (!cur) start(newFile('unknown'));
      const f = cur as Building;
      hunk = { header: line, lines: [] };
      f.hunks.push(hunk);
      oldLeft = m[2] === undefined ? 1 : Number(m[2]);
      newLeft = m[4] === undefined ? 1 : Number(m[4]);
      continue;
    }

    const binary = /^Binary files (.+) and (.+) differ$/.exec(line);
    if (binary) {
      if (!cur || cur.hunks.length > 0 || cur.sawOperands) start(newFile());
      const f = cur as Building;
      const oldP = stripPrefix(unquote(binary[1] ?? ''), 'a/');
      const newP = stripPrefix(unquote(binary[2] ?? ''), 'b/');
      if (!f.path) f.path = newP === '/dev/null' ? oldP : newP;
      f.status = 'binary';
      continue;
    }
    if (line === 'GIT binary patch' && cur) {
      cur.status = 'binary';
      skipBinaryPatch = true; // base85 literal/delta data follows until the next file
      continue;
    }

    if (!cur || cur.hunks.length > 0) continue;
    // Extended git header lines between `diff --git` and the first hunk.
    if (line.startsWith('new file mode')) cur.status = cur.status === 'binary' ? 'binary' : 'added';
    else if (line.startsWith('deleted file mode')) {
      if (cur.status !== 'binary') cur.status = 'deleted';
      if (cur.oldPath) cur.path = cur.oldPath;
      delete cur.oldPath;
    } else if (line.startsWith('rename from ') || line.startsWith('copy from ')) {
      cur.oldPath = unquote(line.replace(/^(?:rename|copy) from /, ''));
      if (cur.status !== 'binary') cur.status = line.startsWith('rename') ? 'renamed' : 'added';
    } else if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
      cur.path = unquote(line.replace(/^(?:rename|copy) to /, ''));
    }
  }

  return files.map(({ sawOperands: _, ...f }) => {
    if (f.oldPath === f.path) delete f.oldPath;
    return f;
  });
}

// ---------------------------------------------------------------------------
// Chunking

/** "@@ -10,7 +10,9 @@ fn()" → "-10,7 +10,9" for locators. */
function hunkRange(header: string): string {
  const m = /^@@ (-\S+ \+\S+) @@/.exec(header);
  return m?.[1] ?? header;
}

function fileLabel(f: DiffFile): string {
  const status = f.status === 'renamed' && f.oldPath ? `renamed from ${f.oldPath}` : f.status;
  const counts = f.status === 'binary' ? '' : ` +${f.additions} -${f.deletions}`;
  return `${f.path} (${status}${counts})`;
}

function noHunkBody(f: DiffFile): string {
  if (f.status === 'binary') return f.oldPath ? `Binary file ${f.oldPath} → ${f.path} differs` : `Binary file ${f.path} differs`;
  if (f.status === 'renamed') return `Renamed ${f.oldPath ?? '?'} → ${f.path} (content unchanged)`;
  if (f.status === 'added') return `Added empty file ${f.path}`;
  if (f.status === 'deleted') return `Deleted empty file ${f.path}`;
  return `Changed ${f.path} (mode or metadata only)`;
}

/** Commit boundaries in `git log -p` / format-patch series. */
const COMMIT_START = /^(?=commit [0-9a-f]{7,40}\b|From [0-9a-f]{40} )/m;

function chunkCommitMessage(chunks: ChunkList, title: string, preamble: string, commitNo: number): void {
  const header = contextLine('diff', title, commitNo > 0 ? `commit message ${commitNo + 1}` : 'commit message');
  for (const p of pack(paragraphs(linePieces(preamble.trim())), bodyBudget(header.length), '\n\n')) {
    chunks.add(header, p.text, 'commit');
  }
}

function chunkFile(chunks: ChunkList, f: DiffFile): void {
  const label = fileLabel(f);
  if (f.hunks.length === 0) {
    chunks.add(contextLine('diff', '', label), noHunkBody(f), f.path);
    return;
  }
  // Reserve room for the longest hunk header plus a "(part 99/99)" note.
  const longestRange = Math.max(...f.hunks.map((h) => hunkRange(h.header).length));
  const widest = contextLine('diff', '', `${label} @@ ${'x'.repeat(longestRange)} @@ (part 99/99)`);
  const budget = bodyBudget(widest.length);

  // Whole hunks small enough are packed together (index of the hunk in `first`/`last`).
  const small: Piece[] = [];
  const flushSmall = () => {
    for (const group of pack(small, budget, '\n')) {
      const only = group.first === group.last ? f.hunks[group.first] : undefined;
      const suffix = only ? `${label} @@ ${hunkRange(only.header)} @@` : label;
      chunks.add(contextLine('diff', '', suffix), group.text, only ? `${f.path}@@${hunkRange(only.header)}` : f.path);
    }
    small.length = 0;
  };
  f.hunks.forEach((h, idx) => {
    const text = [h.header, ...h.lines].join('\n');
    if (text.length <= budget) {
      small.push({ text, first: idx, last: idx });
      return;
    }
    flushSmall();
    // A huge hunk: split its lines, repeating the @@ header so each part reads alone.
    const parts = fitPiece({ text: h.lines.join('\n'), first: 1, last: h.lines.length }, budget - h.header.length - 1);
    parts.forEach((part, k) => {
      const note = parts.length > 1 ? ` (part ${k + 1}/${parts.length})` : '';
      chunks.add(
        contextLine('diff', '', `${label} @@ ${hunkRange(h.header)} @@${note}`),
        `${h.header}\n${part.text}`,
        `${f.path}@@${hunkRange(h.header)}`,
      );
    });
  });
  flushSmall();
}

/**
 * One chunk per file and hunk (small hunks of a file merged, huge ones split),
 * plus the commit message when the diff carries one. Returns [] when the text
 * holds no diff, so the caller can fall back to plain packing.
 */
export function chunkDiff(title: string, body: string): ChunkDraft[] {
  const chunks = new ChunkList();
  let sawFiles = false;
  let commitNo = 0;
  for (const part of body.split(COMMIT_START)) {
    const firstFile = part.search(/^(?:diff --git |diff --cc |--- )/m);
    const preamble = firstFile < 0 ? part : part.slice(0, firstFile);
    const files = parseUnifiedDiff(part);
    if (files.length > 0) sawFiles = true;
    if (preamble.trim() !== '') chunkCommitMessage(chunks, title, preamble, commitNo++);
    for (const f of files) chunkFile(chunks, f);
  }
  return sawFiles ? chunks.drafts() : [];
}
