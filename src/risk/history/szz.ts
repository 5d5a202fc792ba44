import { isFixingCommit, isMerge, isOversized } from './fixing.js';
import { isMeaningfulLine } from './lines.js';
import { type BlamedLine, type ChangeLabel, DEFAULT_SZZ_OPTIONS, type HistoryCommit, type SzzOptions } from './types.js';

/**
 * SZZ: a change is bug-inducing when a later fixing commit deleted or changed
 * a line it wrote. `blames` holds, per fixing commit, the lines it touched as
 * `git blame` names them in its parent. Every non-merge commit gets a label;
 * a blame that names an unknown commit (outside the history read) is ignored.
 */
export function labelChanges(
  commits: HistoryCommit[],
  blames: ReadonlyMap<string, BlamedLine[]>,
  opts: SzzOptions = DEFAULT_SZZ_OPTIONS,
): ChangeLabel[] {
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const fixesOf = new Map<string, HistoryCommit[]>();
  for (const fix of commits) {
    if (!isFixingCommit(fix, opts)) continue;
    const blamed = new Set<string>();
    for (const line of blames.get(fix.sha) ?? []) {
      if (blamed.has(line.sha) || !isMeaningfulLine(line.text)) continue;
      const change = bySha.get(line.sha);
      if (!change || !mayBlame(change, fix, opts)) continue;
      blamed.add(line.sha);
      fixesOf.set(line.sha, [...(fixesOf.get(line.sha) ?? []), fix]);
    }
  }
  return commits
    .filter((c) => !isMerge(c))
    .map((c) => {
      const fixes = (fixesOf.get(c.sha) ?? []).sort((a, b) => a.committedAt.getTime() - b.committedAt.getTime());
      return {
        sha: c.sha,
        at: c.committedAt,
        bugInducing: fixes.length > 0,
        fixedBy: fixes.map((f) => f.sha),
        labelKnownAt: fixes[0]?.committedAt ?? null,
      };
    });
}

/** A change is blamed only by a later fix, never by itself, and never when it is itself a mass edit. */
function mayBlame(change: HistoryCommit, fix: HistoryCommit, opts: SzzOptions): boolean {
  if (change.sha === fix.sha || isMerge(change) || isOversized(change, opts)) return false;
  return change.committedAt.getTime() <= fix.committedAt.getTime();
}
