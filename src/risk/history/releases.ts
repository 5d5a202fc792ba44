import { isMerge } from './fixing.js';
import { addDays, DEFAULT_MATURITY_DAYS } from './label-as-of.js';
import type { ChangeLabel, HistoryCommit } from './types.js';

export interface GitTag {
  name: string;
  /** The commit the tag points at. */
  sha: string;
  /** The tag's date (an annotated tag's, else its commit's). */
  at: Date;
}

export interface GroupedRelease {
  version: string;
  /** The tag's commit, or the release's only commit. */
  sha: string;
  at: Date;
  /** Non-merge commits the release brought, oldest first. */
  changes: string[];
  tag: string | null;
}

/**
 * With tags, each tag is a release of the commits it reaches that no earlier
 * tag reached; commits after the newest tag are unreleased. Without tags,
 * each non-merge commit is its own release. `commits` are oldest first.
 */
export function groupReleases(commits: HistoryCommit[], tags: GitTag[]): { releases: GroupedRelease[]; unreleased: string[] } {
  const changes = commits.filter((c) => !isMerge(c));
  if (tags.length === 0) {
    return {
      releases: changes.map((c) => ({ version: c.sha.slice(0, 12), sha: c.sha, at: c.committedAt, changes: [c.sha], tag: null })),
      unreleased: [],
    };
  }
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const order = new Map(commits.map((c, i) => [c.sha, i]));
  const releaseOf = new Map<string, number>();
  const sorted = tags
    .filter((t) => bySha.has(t.sha))
    .sort((a, b) => order.get(a.sha)! - order.get(b.sha)! || a.at.getTime() - b.at.getTime() || a.name.localeCompare(b.name));
  const releases: GroupedRelease[] = [];
  for (const tag of sorted) {
    const reached: string[] = [];
    const stack = [tag.sha];
    while (stack.length > 0) {
      const sha = stack.pop()!;
      const c = bySha.get(sha);
      if (!c || releaseOf.has(sha)) continue;
      releaseOf.set(sha, releases.length);
      reached.push(sha);
      stack.push(...c.parents);
    }
    const own = reached.filter((s) => !isMerge(bySha.get(s)!)).sort((a, b) => order.get(a)! - order.get(b)!);
    // A second tag on a commit already released brings nothing: no empty release.
    if (own.length === 0 && reached.length === 0) continue;
    releases.push({ version: tag.name, sha: tag.sha, at: tag.at, changes: own, tag: tag.name });
  }
  return { releases, unreleased: changes.filter((c) => !releaseOf.has(c.sha)).map((c) => c.sha) };
}

export interface ReleaseOutcome {
  outcome: 'failure' | 'success';
  /** A failure is known when its first bug-inducing change is first fixed; a success once the maturity window has passed. */
  outcomeAt: Date;
  bugInducing: string[];
}

/**
 * A release failed when it shipped a bug-inducing change, as the whole
 * history labels it. A change fixed before the release itself (the fix was
 * released with it or earlier) did not reach users through this release.
 */
export function releaseOutcome(
  release: Pick<GroupedRelease, 'changes' | 'at'>,
  labels: ReadonlyMap<string, ChangeLabel>,
  maturityDays: number = DEFAULT_MATURITY_DAYS,
): ReleaseOutcome {
  const shipped = release.changes
    .map((s) => labels.get(s))
    .filter((l): l is ChangeLabel => Boolean(l?.labelKnownAt && l.labelKnownAt.getTime() > release.at.getTime()));
  if (shipped.length === 0) return { outcome: 'success', outcomeAt: addDays(release.at, maturityDays), bugInducing: [] };
  const first = Math.min(...shipped.map((l) => l.labelKnownAt!.getTime()));
  return { outcome: 'failure', outcomeAt: new Date(first), bugInducing: shipped.map((l) => l.sha) };
}
