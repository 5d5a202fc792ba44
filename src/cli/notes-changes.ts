/**
 * Commits of a range as the drafter's changes: one change per pull request
 * (a squash commit `… (#12)`, or a merge `Merge pull request #12` with the
 * commits it brought in that name no pull request of their own), else one
 * per commit. Pure: the commits come from git-notes.ts.
 */
import { breakingFooter, parseSubject } from '../notes/conventional.js';
import type { NoteChange } from '../notes/types.js';
import type { LogCommit } from './git-log-stream.js';

/** Subject as `git log %s` shows it (the first paragraph on one line) and the body after it. */
export function splitMessage(message: string): { subject: string; body: string } {
  const text = message.replace(/\r\n/g, '\n').replace(/^\n+/, '');
  const cut = text.search(/\n[ \t]*\n/);
  const first = cut < 0 ? text : text.slice(0, cut);
  return {
    subject: first
      .split('\n')
      .map((l) => l.trim())
      .join(' ')
      .trim(),
    body: cut < 0 ? '' : text.slice(cut).trim(),
  };
}

/** The pull request a commit names: GitHub's squash and merge subjects, GitLab's "See merge request group/project!12". */
function prOf(c: LogCommit, subject: string): number | null {
  const pr = parseSubject(subject).pr;
  if (pr !== null) return pr;
  if (c.parents.length > 1) {
    const mr = /^See merge request [\w./-]+!(\d{1,10})\s*$/m.exec(c.message);
    if (mr) return Number(mr[1]);
  }
  return null;
}

/** Commits of the range reachable from `starts`, not entering `stop` (a commit outside the range ends a path). */
function reach(starts: readonly string[], inRange: Map<string, LogCommit>, stop: ReadonlySet<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length > 0) {
    const sha = stack.pop()!;
    if (seen.has(sha) || stop.has(sha)) continue;
    const c = inRange.get(sha);
    if (!c) continue;
    seen.add(sha);
    stack.push(...c.parents);
  }
  return seen;
}

/**
 * What each merge of the range brought in: `git rev-list M^1..M^2`, computed
 * on the range's own parent links (a commit of the range reachable from M^1
 * is reachable inside the range), so no git process per merge. Merges on the
 * first-parent line of the newest commit are walked oldest first with what
 * the line already reached: one pass over the range, however many merges.
 * Merges inside a merged branch that `wanted` asks for (rare) each walk their own history.
 */
export function mergedIn(commits: readonly LogCommit[], wanted: (c: LogCommit) => boolean): Map<string, Set<string>> {
  const inRange = new Map(commits.map((c) => [c.sha, c]));
  const line: LogCommit[] = [];
  // git log lists the newest commit (the range's tip, which no commit of the range has as parent) first.
  for (let c = commits[0]; c; c = inRange.get(c.parents[0] ?? '')) line.push(c);
  const out = new Map<string, Set<string>>();
  const reached = new Set<string>(); // everything reachable from the line's commit walked last
  for (const c of line.reverse()) {
    if (c.parents.length > 1) {
      const brought = reach(c.parents.slice(1), inRange, reached);
      out.set(c.sha, brought);
      for (const sha of brought) reached.add(sha);
    }
    reached.add(c.sha);
  }
  for (const c of commits) {
    if (c.parents.length > 1 && !out.has(c.sha) && wanted(c)) {
      const mainline = reach(c.parents.slice(0, 1), inRange, new Set());
      out.set(c.sha, reach(c.parents.slice(1), inRange, mainline));
    }
  }
  return out;
}

interface Group {
  key: string;
  pr: number | null;
  /** Newest first, as git log lists them. */
  commits: { c: LogCommit; subject: string; body: string }[];
  /** The merge of the pull request, when the change came in by one. */
  merge: { c: LogCommit; subject: string; body: string } | null;
}

/** Commits newest first (git log order) → changes oldest first, every commit in exactly one change. */
export function changesOfLog(commits: readonly LogCommit[]): NoteChange[] {
  const parsed = commits.map((c) => ({ c, ...splitMessage(c.message) }));
  const own = new Map(parsed.map((p) => [p.c.sha, prOf(p.c, p.subject)]));

  // A commit without its own PR belongs to the innermost pull-request merge that brought it in.
  const owner = new Map<string, number>();
  const merged = mergedIn(commits, (c) => own.get(c.sha) !== null);
  const prMerges = parsed
    .filter((p) => p.c.parents.length > 1 && own.get(p.c.sha) !== null)
    .map((p) => ({ pr: own.get(p.c.sha)!, brought: merged.get(p.c.sha)! }))
    .sort((a, b) => a.brought.size - b.brought.size);
  for (const m of prMerges) {
    for (const sha of m.brought) if (own.get(sha) === null && !owner.has(sha)) owner.set(sha, m.pr);
  }

  const groups = new Map<string, Group>();
  const order: string[] = [];
  for (const p of parsed) {
    const pr = own.get(p.c.sha) ?? owner.get(p.c.sha) ?? null;
    const key = pr !== null ? `#${pr}` : p.c.sha.toLowerCase();
    let g = groups.get(key);
    if (!g) {
      g = { key, pr, commits: [], merge: null };
      groups.set(key, g);
      order.push(key);
    }
    g.commits.push(p);
    if (p.c.parents.length > 1 && own.get(p.c.sha) === pr && pr !== null && !g.merge) g.merge = p;
  }
  // git log lists newest first; a change lands with its newest commit (the merge, for a merged PR).
  return order.reverse().map((key) => toChange(groups.get(key)!));
}

function toChange(g: Group): NoteChange {
  const members = g.commits.filter((p) => p !== g.merge);
  const work = members.filter((p) => p.c.parents.length < 2);
  const oldest = work.at(-1) ?? members.at(-1) ?? g.commits.at(-1)!;
  const newest = g.commits[0]!;
  let subject = oldest.subject;
  let body = oldest.body;
  if (g.merge && (work.length !== 1 || g.merge.body)) {
    // GitHub writes the pull request's title as the first line of its merge commit's body.
    const described = splitMessage(g.merge.body);
    subject = described.subject || (work.length > 0 ? oldest.subject : g.merge.subject);
    // The branch's subjects and breaking footers, not whole messages: a "This reverts commit …" inside a
    // branch must not make the pull request look like a revert.
    const branch = [...work].reverse();
    const subjects = branch.map((p) => `* ${p.subject}`).join('\n');
    const footers = branch.flatMap((p) => breakingFooter(p.body) ?? []).map((f) => `BREAKING CHANGE: ${f}`);
    body = [described.body, subjects, ...footers].filter(Boolean).join('\n\n');
  }
  const files = new Map<string, { path: string; additions: number; deletions: number }>();
  for (const p of [...g.commits].reverse()) {
    for (const f of p.c.files) {
      const seen = files.get(f.path);
      if (seen) {
        seen.additions += f.additions;
        seen.deletions += f.deletions;
      } else files.set(f.path, { ...f });
    }
  }
  const patch = [...g.commits]
    .reverse()
    .map((p) => p.c.patch)
    .join('');
  return {
    key: g.key,
    pr: g.pr,
    shas: g.commits.map((p) => p.c.sha.toLowerCase()),
    subject,
    body,
    author: oldest.c.author || null,
    date: (g.merge ?? newest).c.date || null,
    labels: [],
    files: [...files.values()],
    // A merge that brought nothing of its own in: its changes are listed on their own (or lie outside the range).
    isMerge: work.length === 0 && g.commits.every((p) => p.c.parents.length > 1),
    ...(patch ? { patch } : {}),
  };
}
