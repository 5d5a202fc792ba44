/**
 * Parses the output of one `git log --numstat -p -U0` as it streams, so a
 * range of thousands of commits is read by one git process in bounded memory:
 * each commit keeps its message, its numstat and only the patch lines that
 * are evidence (see notes/breaking-diff.ts `evidenceClass`).
 */
import { type EvidenceClass, EXPORT_LINE, evidenceClass, unquote } from '../notes/breaking-diff.js';

/** Each commit starts with START and its message ends with END: a commit message cannot hold a NUL byte. */
export const LOG_FORMAT = '--format=%x00%x1e%H%x1f%P%x1f%an%x1f%aI%x1f%B%x00%x1d';
const START = Buffer.from('\x00\x1e');
const END = Buffer.from('\x00\x1d');

export interface LogCommit {
  sha: string;
  parents: string[];
  author: string;
  date: string;
  /** The full message, decoded as UTF-8 (invalid bytes replaced). */
  message: string;
  /** The message or author name held bytes that are not UTF-8 (git had no encoding header to convert from). */
  invalidUtf8: boolean;
  files: { path: string; additions: number; deletions: number }[];
  /** Evidence lines of the patch only, as a unified diff; '' when none. */
  patch: string;
  /** Evidence lines were dropped because a limit was reached. */
  patchTruncated: boolean;
}

export interface LogLimits {
  /** Characters of evidence patch kept per commit. */
  perCommitChars: number;
  /** Characters of evidence patch kept over the whole range. */
  totalChars: number;
  /** Lines kept per configuration file (a regenerated schema can be thousands). */
  perFileLines: number;
}

const NUMSTAT = /^(\d+|-)\t(\d+|-)\t(.*)$/;
const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8', { fatal: false });

function decode(bytes: Uint8Array): { text: string; invalid: boolean } {
  try {
    return { text: strict.decode(bytes), invalid: false };
  } catch {
    return { text: lenient.decode(bytes), invalid: true };
  }
}

/** The path numstat prints, renames resolved to the new name: `a => b`, `dir/{old => new}/f`. */
export function numstatPath(raw: string): string {
  const quoted = raw.startsWith('"') && raw.endsWith('"') ? unquote(raw.slice(1, -1)) : raw;
  const brace = /^(.*)\{(.*) => (.*)\}(.*)$/.exec(quoted);
  if (brace) return `${brace[1]}${brace[3]}${brace[4]}`.replace(/\/\/+/g, '/');
  const arrow = quoted.indexOf(' => ');
  return arrow >= 0 ? quoted.slice(arrow + 4) : quoted;
}

interface FileState {
  header: string[];
  path: string | null;
  cls: EvidenceClass | null | undefined;
  hunk: string | null;
  kept: number;
}

export function createLogParser(limits: LogLimits, onCommit: (c: LogCommit) => void) {
  let rest: Buffer = Buffer.alloc(0);
  let header: Buffer[] | null = null;
  let commit: LogCommit | null = null;
  let patch: string[] = [];
  let patchChars = 0;
  let totalChars = 0;
  let file: FileState | null = null;

  const keep = (line: string) => {
    if (!commit) return false;
    if (patchChars + line.length + 1 > limits.perCommitChars || totalChars + line.length + 1 > limits.totalChars) {
      commit.patchTruncated = true;
      return false;
    }
    patch.push(line);
    patchChars += line.length + 1;
    totalChars += line.length + 1;
    return true;
  };

  /** Decides whether a file is evidence once its path is known (at its first hunk or at the next file). */
  const classify = (f: FileState) => {
    if (f.cls !== undefined) return;
    f.cls = f.path ? evidenceClass(f.path) : null;
    if (f.cls) for (const h of f.header) keep(h);
  };

  const finishCommit = () => {
    if (file) classify(file);
    file = null;
    if (commit) {
      commit.patch = patch.length > 0 ? `${patch.join('\n')}\n` : '';
      onCommit(commit);
    }
    commit = null;
    patch = [];
    patchChars = 0;
  };

  const startCommit = (bytes: Buffer) => {
    const { text, invalid } = decode(bytes);
    const [sha = '', parents = '', author = '', date = '', ...message] = text.split('\x1f');
    commit = {
      sha: sha.trim(),
      parents: parents.split(' ').filter(Boolean),
      author,
      date: date.trim(),
      message: message.join('\x1f'),
      invalidUtf8: invalid,
      files: [],
      patch: '',
      patchTruncated: false,
    };
  };

  const diffLine = (bytes: Buffer) => {
    if (!commit) return;
    // Content lines are the bulk: look at the first byte before decoding anything.
    const first = bytes[0];
    if (file && file.cls !== undefined && (first === 0x2b || first === 0x2d)) {
      if (!file.cls || file.cls === 'migration') return;
      const line = lenient.decode(bytes);
      if (file.cls === 'source' && !EXPORT_LINE.test(line.slice(1))) return;
      if (file.cls === 'config' && file.kept >= limits.perFileLines) {
        commit.patchTruncated = true;
        return;
      }
      if (file.hunk !== null) {
        keep(file.hunk);
        file.hunk = null;
      }
      if (keep(line)) file.kept++;
      return;
    }
    const line = lenient.decode(bytes);
    if (line.startsWith('diff --git ')) {
      if (file) classify(file);
      const same = /^diff --git a\/(.+) b\/(.+)$/.exec(line);
      file = { header: [line], path: same && same[1] === same[2] ? same[1]! : null, cls: undefined, hunk: null, kept: 0 };
      return;
    }
    if (!file) {
      const m = NUMSTAT.exec(line);
      // Binary files count "-": no lines.
      if (m) commit.files.push({ path: numstatPath(m[3]!), additions: Number(m[1]) || 0, deletions: Number(m[2]) || 0 });
      return;
    }
    if (line.startsWith('@@')) {
      classify(file);
      file.hunk = line;
      return;
    }
    if (file.cls !== undefined) return;
    if (/^(new file mode|deleted file mode|rename from |rename to |--- |\+\+\+ )/.test(line)) {
      file.header.push(line);
      const named = /^(?:rename to |\+\+\+ b\/|--- a\/)(.*)$/.exec(line);
      if (named && !line.startsWith('--- ')) file.path = named[1]!.startsWith('"') ? unquote(named[1]!.slice(1, -1)) : named[1]!;
      else if (named && file.path === null) file.path = named[1]!;
    }
  };

  const line = (bytes: Buffer) => {
    if (header) {
      const end = bytes.indexOf(END);
      if (end < 0) {
        header.push(bytes, Buffer.from('\n'));
        return;
      }
      header.push(bytes.subarray(0, end));
      startCommit(Buffer.concat(header));
      header = null;
      return;
    }
    if (bytes.length >= 2 && bytes[0] === START[0] && bytes[1] === START[1]) {
      finishCommit();
      const body = bytes.subarray(2);
      const end = body.indexOf(END);
      if (end >= 0) startCommit(body.subarray(0, end));
      else header = [body, Buffer.from('\n')];
      return;
    }
    diffLine(bytes);
  };

  return {
    push(chunk: Buffer) {
      const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let from = 0;
      for (let nl = buf.indexOf(0x0a, from); nl >= 0; nl = buf.indexOf(0x0a, from)) {
        line(buf.subarray(from, nl));
        from = nl + 1;
      }
      rest = Buffer.from(buf.subarray(from));
    },
    end() {
      if (rest.length > 0) line(rest);
      rest = Buffer.alloc(0);
      finishCommit();
    },
  };
}
