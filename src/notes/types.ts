/**
 * The notes drafter's own terms. Everything in notes/ is pure: it gets the
 * changes of one range (from a stored release or a git range) and answers a
 * draft; reading git, the store or an LLM happens at the edges.
 */
import type { ChangedFile } from '../contracts/risk.js';
import type { NotesDraft, NotesSection, OmitReason, OperationalSection } from '../contracts/notes.js';

export type { NotesDraft, NotesItem, NotesSection, OmitReason, OmittedChange, OperationalSection } from '../contracts/notes.js';

/**
 * One change of a range: the unit that is selected and cited. A squash-merged
 * or merged pull request is one change keyed `#<PR>`; a commit without a PR
 * is keyed by its full hash.
 */
export interface NoteChange {
  /** `#123` for a pull request, else the commit's full hash: the id items cite. */
  key: string;
  pr: number | null;
  /** The commits of this change (one for a squash merge), newest first as git lists them. */
  shas: string[];
  subject: string;
  /** The commit message after the subject (may be only its first line). */
  body: string;
  author: string | null;
  /** ISO 8601 author date, when known. */
  date: string | null;
  labels: string[];
  /** Files touched, when known (datasets of commit subjects have none). */
  files: ChangedFile[];
  isMerge: boolean;
  /** The diff, when known: the evidence for breaking changes, migrations and configuration changes. */
  patch?: string;
  /** The id the change was registered with, when it is not its key (`pr-101` for the change `#101`): it resolves too. */
  registeredId?: string;
  /** `change:<uuid>` when the change is stored: each item citing it also lists this evidence id. */
  evidenceId?: string;
  /** Tickets the change refers to, when they were ingested (title only: what a reader needs). */
  tickets?: { id: string; title: string }[];
}

/** What the rules make of one change before selection. */
export interface Classified {
  change: NoteChange;
  section: NotesSection;
  /** Set when the rules leave the change out. */
  omit?: OmitReason;
  /** Why (e.g. the revert that cancels it, or the export a breaking change removes). */
  detail?: string;
  /** Conventional-commit type when the subject has one (`feat`, `fix`, …). */
  type: string | null;
  scope: string | null;
  breaking: boolean;
}

/**
 * Decides which classified changes become items. The rules keep what they did
 * not omit; a learned model (trained on earlier releases' notes) replaces
 * that choice only where it beat the rules on a time-ordered split.
 */
export interface Selector {
  kind: 'rules' | 'learned';
  /** One line for the draft's `selection.detail` ("learned on 60 releases: F1 0.91 vs rules 0.88"). */
  detail: string;
  /** Probability that maintainers put this change in the notes; `include` is the decision at the model's threshold. */
  decide(c: Classified): { include: boolean; p: number };
}

/**
 * How a project writes its notes, learned from its earlier notes (or the
 * default): the heading of each section and what one line carries.
 */
export interface HouseStyle {
  headings: Partial<Record<NotesSection, string>>;
  /** "Fixed: " before each line (stylelint), or nothing (Vue: the heading says it). */
  linePrefix: Partial<Record<NotesSection, string>>;
  /** Bold the conventional scope ("**compiler-sfc:** …"). */
  boldScope: boolean;
  /** Link forms: "([#123](…/pull/123))", "([abc1234](…/commit/…))", "([@handle](…))". */
  cite: { pr: boolean; commit: boolean; author: boolean; closes: boolean };
  /** Repository web address for links, e.g. https://github.com/org/repo; links are plain ids without it. */
  repoUrl: string | null;
  /** Author name → handle, from earlier notes (e.g. "Romain Menke" → "romainmenke"). */
  handles: Record<string, string>;
  /** Path a pull request's link takes under `repoUrl` ("issues" in conventional-changelog's notes); "pull" when absent. */
  prLink?: 'pull' | 'issues';
  /** What ends each line ("." in stylelint's notes); nothing when absent. */
  lineEnd?: string;
}

/** What the operational section is made from, besides the changes (the service gathers these). */
export interface OperationalInput {
  flags: { name: string; source: string }[];
  rollback: { text: string; evidence: string[] } | null;
  risk: OperationalSection['risk'];
}

export interface DraftInput {
  version: string;
  /** Every change of the range, oldest first; merges included (they are listed as omitted). */
  changes: NoteChange[];
  selector?: Selector;
  style?: HouseStyle;
  /** Absent: no operational section (a bare range from the eval datasets). */
  operational?: OperationalInput;
  /** Problems of the input already found at the edge (non-UTF-8 messages replaced, …). */
  warnings?: string[];
  /** Breaking changes a diff reader finds in a change (removed exports, renamed options); consulted when given. */
  breakingFindings?: (change: NoteChange) => string[];
}

export type DraftFn = (input: DraftInput) => NotesDraft;

/** An earlier release's approved notes with its changes, in the drafter's terms. */
export interface EarlierNotes {
  version: string;
  createdAt: Date;
  changes: NoteChange[];
  draft: NotesDraft;
}

/** How the notes service learns from a tenant's approved notes; absent: the rules and the default style. */
export interface NotesLearning {
  prepare(earlier: EarlierNotes[]): Pick<DraftInput, 'selector' | 'style'>;
}

/** Rewords a draft's items (LLM) and verifies them; absent: the deterministic words stand. */
export type NotesRewording = (draft: NotesDraft, changes: NoteChange[]) => Promise<NotesDraft>;
