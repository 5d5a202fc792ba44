/**
 * What a commit subject says about itself: a conventional-commit header
 * (`type(scope)!: description`), the pull request it closes (`… (#123)`),
 * a revert, a `BREAKING CHANGE` footer. Plain sentences ("Fix `rule` false
 * positives (#6646)") parse too: their first word is what they do.
 */

export interface ParsedSubject {
  /** Lower-case conventional type (`feat`, `fix`, …), or null for a plain sentence. */
  type: string | null;
  scope: string | null;
  /** `!` after the type or scope. */
  bang: boolean;
  /** The subject without the conventional header and without the trailing `(#123)`. */
  description: string;
  /** The PR number a trailing `(#123)` names (GitHub's squash-merge subject), or null. */
  pr: number | null;
  /** Lower-case first word of the description ("fix", "add", "bump"). */
  firstWord: string;
}

const HEADER = /^([a-z][a-z0-9-]{0,20})(?:\(([^()\n]{1,80})\))?(!)?:\s+(.*)$/i;
const TRAILING_PR = /\s*\(#(\d{1,10})\)\s*$/;
const MERGE_PR = /^Merge pull request #(\d{1,10})\b/;

export function parseSubject(subject: string): ParsedSubject {
  let rest = subject.trim();
  let pr: number | null = null;
  const merge = MERGE_PR.exec(rest);
  if (merge) pr = Number(merge[1]);
  const trailing = TRAILING_PR.exec(rest);
  if (trailing) {
    pr = Number(trailing[1]);
    rest = rest.slice(0, trailing.index).trim();
  }
  const header = HEADER.exec(rest);
  const description = header ? header[4]!.trim() : rest;
  const firstWord = (/^[\p{L}\p{N}]+/u.exec(description.replace(/^[^\p{L}\p{N}]+/u, ''))?.[0] ?? '').toLowerCase();
  return {
    type: header ? header[1]!.toLowerCase() : null,
    scope: header?.[2]?.trim() ?? null,
    bang: Boolean(header?.[3]),
    description,
    pr,
    firstWord,
  };
}

/** `BREAKING CHANGE:` / `BREAKING-CHANGE:` footers (Conventional Commits 1.0), case as written. */
export function breakingFooter(body: string): string | null {
  const m = /^BREAKING[ -]CHANGES?:\s*(.+)$/m.exec(body);
  return m ? m[1]!.trim() : null;
}

/**
 * What a revert commit reverts: the hash in git's "This reverts commit <sha>."
 * and/or the quoted subject of `Revert "<subject>"`.
 */
export function revertTarget(subject: string, body: string): { sha: string | null; subject: string | null } | null {
  const quoted =
    /^(?:revert:?\s*)?Revert\s+"(.+)"\s*(?:\(#\d+\))?$/i.exec(subject.trim()) ?? /^revert:\s+(.+?)(?:\s*\(#\d+\))?$/i.exec(subject.trim());
  const sha = /This reverts commit ([0-9a-f]{7,40})/i.exec(body)?.[1]?.toLowerCase() ?? null;
  if (!quoted && !sha) return null;
  return { sha, subject: quoted ? quoted[1]!.trim() : null };
}

/** `(cherry picked from commit <sha>)`: the original of a cherry-pick or backport. */
export function cherryPickOf(body: string): string | null {
  return /\(cherry picked from commit ([0-9a-f]{7,40})\)/i.exec(body)?.[1]?.toLowerCase() ?? null;
}

/** Issue numbers a message closes ("close #11928", "Fixes #12", "Closes #6620."). */
export function closedIssues(text: string): number[] {
  const out = new Set<number>();
  for (const m of text.matchAll(/\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s+#(\d{1,10})\b/gi)) out.add(Number(m[1]));
  return [...out];
}
