import { parseUnifiedDiff } from '../chunk/diff.js';
import { baseName, finishDocument, parseTime, type ParseInput, type ParseResult } from './common.js';

export interface CommitHeader {
  sha?: string;
  subject?: string;
  date?: Date;
}

/**
 * Read the commit header that `git show`, `git log -p` and `git format-patch`
 * put before the diff. Only the text before the first file diff is looked at,
 * so a "Subject:" inside changed code cannot be taken for the title.
 */
export function commitHeader(text: string): CommitHeader {
  const end = text.search(/^diff --git |^--- \S/m);
  const head = (end < 0 ? text : text.slice(0, end)).split('\n');
  const out: CommitHeader = {};
  for (let i = 0; i < head.length; i++) {
    const line = head[i] ?? '';
    const sha = /^(?:commit|From) ([0-9a-f]{7,40})\b/.exec(line)?.[1];
    if (sha && !out.sha) out.sha = sha;
    const date = /^(?:Date|AuthorDate):\s+(.+)$/.exec(line)?.[1];
    if (date && !out.date) out.date = parseTime(date);
    if (/^Subject:\s/.test(line) && !out.subject) {
      // RFC 2822 folding: continuation lines start with whitespace.
      let subject = line.replace(/^Subject:\s*/, '');
      while (/^[ \t]/.test(head[i + 1] ?? '')) subject += ` ${(head[++i] ?? '').trim()}`;
      out.subject = subject.replace(/^\[[^\]]*\]\s*/, '').trim();
    }
    // git show / git log: the message is indented by 4 spaces after a blank line.
    if (!out.subject && line === '' && out.sha && /^ {4}\S/.test(head[i + 1] ?? '')) {
      out.subject = (head[i + 1] ?? '').trim();
    }
  }
  return out;
}

/** A diff file (one or many files, optionally with commit headers) is one document. */
export function parseDiff(input: ParseInput): ParseResult {
  if (input.content.trim() === '') return { documents: [], errors: [{ message: 'empty file' }] };
  if (parseUnifiedDiff(input.content).length === 0) {
    return { documents: [], errors: [{ message: 'no unified diff found (expected "diff --git" or "---"/"+++"/"@@" lines)' }] };
  }
  const header = commitHeader(input.content);
  const doc = finishDocument(input, {
    title: header.subject || baseName(input.fileName),
    body: input.content,
    occurredAt: header.date ?? input.fallbackTime,
    ...(header.sha ? { externalId: header.sha } : {}),
  });
  return typeof doc === 'string' ? { documents: [], errors: [{ message: doc }] } : { documents: [doc], errors: [] };
}
