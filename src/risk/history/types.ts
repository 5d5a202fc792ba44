/** One commit of the history, as `git log --numstat` gives it. */
export interface HistoryCommit {
  sha: string;
  parents: string[];
  author: string;
  authoredAt: Date;
  committedAt: Date;
  message: string;
  files: { path: string; additions: number; deletions: number }[];
  /** The pull request a squash or merge commit names (`(#N)`, `Merge pull request #N`), when it does. */
  pr: number | null;
}

/** A line a fixing commit deleted or changed, and the commit that last touched it before the fix. */
export interface BlamedLine {
  /** The commit `git blame` names for the line in the fix's parent. */
  sha: string;
  /** The line's text in the fix's parent (to leave out blank, comment-only and punctuation-only lines). */
  text: string;
}

export interface SzzOptions {
  /** A commit touching more files than this is a mass edit (reformat, vendoring): never a fix, never blamed. */
  maxFiles: number;
  /** Same, in changed lines (additions + deletions). */
  maxLines: number;
}

export const DEFAULT_SZZ_OPTIONS: SzzOptions = { maxFiles: 100, maxLines: 2000 };

/** What SZZ says about one change, as of the whole history it was given. */
export interface ChangeLabel {
  sha: string;
  /** When the change was committed. */
  at: Date;
  bugInducing: boolean;
  /** The fixing commits that blamed it, oldest first. */
  fixedBy: string[];
  /** When the earliest fix was committed: before that, nobody could know the change was bug-inducing. */
  labelKnownAt: Date | null;
}
