import { saysFix } from '../features/fix-words.js';
import type { HistoryCommit, SzzOptions } from './types.js';

/** `#123`: a GitHub issue or PR (not an HTML entity `&#123`). */
const HASH_REF = /(^|[^\w&])#\d+\b/;
/** `JIRA-123`: an upper-case project key and a number. */
const KEY_REF = /\b([A-Z][A-Z0-9]+)-\d+\b/g;
/** Names of standards that look like issue keys: `UTF-8`, `SHA-256`, `ISO-8601`, `RFC-7231`. */
const NOT_ISSUE_KEYS = new Set([
  'UTF',
  'UCS',
  'SHA',
  'MD',
  'ISO',
  'IEC',
  'RFC',
  'HTTP',
  'TLS',
  'SSL',
  'AES',
  'RSA',
  'UTC',
  'GMT',
  'ES',
  'ECMA',
  'HS',
  'RS',
  'PS',
]);
/** What a squash merge (`title (#12)`) or a merge commit (`Merge pull request #12`) says about its PR. */
const PR_REF = /\(#(\d+)\)\s*$|^Merge pull request #(\d+)\b/m;

/**
 * A fixing commit says so (the words of features/fix-words.ts, which the `fix` feature uses too), or it
 * references an issue. A PR number alone, as squash merges append it, is no
 * issue: `Add retries (#12)` is not a fix.
 */
export function isFixingMessage(message: string): boolean {
  if (saysFix(message)) return true;
  const withoutPr = message.replace(/\(#\d+\)\s*$/m, '').replace(/^Merge pull request #\d+\b/m, '');
  if (HASH_REF.test(withoutPr)) return true;
  return [...withoutPr.matchAll(KEY_REF)].some((m) => !NOT_ISSUE_KEYS.has(m[1]!));
}

/** The PR a commit's message names the way GitHub writes squash and merge commits; null otherwise. */
export function pullRequestOf(message: string): number | null {
  const m = PR_REF.exec(message.split('\n')[0] ?? '');
  const n = m ? Number(m[1] ?? m[2]) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

export function changedLines(c: Pick<HistoryCommit, 'files'>): number {
  return c.files.reduce((s, f) => s + f.additions + f.deletions, 0);
}

/** Over the cap: a reformat, a vendoring or a generated file is neither a fix nor a cause. */
export function isOversized(c: Pick<HistoryCommit, 'files'>, opts: SzzOptions): boolean {
  return c.files.length > opts.maxFiles || changedLines(c) > opts.maxLines;
}

/** Merges carry no change of their own here (their numstat is empty); the commits they bring are the changes. */
export function isMerge(c: Pick<HistoryCommit, 'parents'>): boolean {
  return c.parents.length > 1;
}

/** A fix SZZ follows: says it fixes, is no merge, and is within the size cap. */
export function isFixingCommit(c: HistoryCommit, opts: SzzOptions): boolean {
  return !isMerge(c) && isFixingMessage(c.message) && !isOversized(c, opts);
}
