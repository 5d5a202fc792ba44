/**
 * What the notes service reads and writes, in its own terms. `store/`
 * implements the storage interfaces, `retrieval/` the runbook search and
 * `llm/` the wording; `app.ts` hands them in. Nothing in notes/ knows tables.
 */
import type { NotesDraft, NotesSection } from '../contracts/notes.js';
import type { ChangedFile } from '../contracts/risk.js';
import type { SearchHit, SearchQuery } from '../contracts/search.js';

export type { NotesDraft } from '../contracts/notes.js';

// ---- Storage ---------------------------------------------------------------------------------------------------------

/** A release as the notes see it: what it is, and the deployment metadata the operational section reads. */
export interface NotesRelease {
  id: string;
  serviceId: string;
  service: string;
  version: string;
  environment: string;
  strategy: string | null;
  flags: string[];
  commitRange: string | null;
  createdAt: Date;
}

/** A change as stored with a release (its diff when one was sent, the ingested tickets it refers to). */
export interface StoredChange {
  /** Its uuid: the evidence id `change:<id>` opens it. */
  id: string;
  /** The id it was registered with (a commit hash, `pr-101`, …). */
  externalId: string;
  title: string;
  body: string;
  author: string | null;
  createdAt: Date;
  labels: string[];
  files: ChangedFile[];
  patch?: string;
  tickets?: { id: string; title: string }[];
}

/** An earlier release's approved notes, with its changes: what the house style and the selection model learn from. */
export interface ApprovedNotes {
  version: string;
  createdAt: Date;
  changes: StoredChange[];
  draft: NotesDraft;
}

export interface NotesSource {
  release(tenantId: string, releaseId: string): Promise<NotesRelease | undefined>;
  /**
   * The release's changes, oldest first, each with its evidence id, its diff (from the change's `diff`
   * document, when one was sent) and the tickets it refers to that were ingested.
   */
  changes(tenantId: string, releaseId: string): Promise<StoredChange[]>;
  /** The release's latest risk assessment, if it was assessed. */
  assessment(tenantId: string, releaseId: string): Promise<{ id: string; level: string; score: number } | undefined>;
  /** Approved notes of the service's releases created before `before`, newest first, at most `limit`. */
  approvedBefore(tenantId: string, serviceId: string, before: Date, limit: number): Promise<ApprovedNotes[]>;
}

/** One stored version of a release's notes (rows are never updated). */
export interface NotesVersion {
  version: number;
  kind: 'draft' | 'edit';
  draft: NotesDraft;
  summary: string | null;
  markdown: string;
  /** The machine draft this version descends from. */
  baseVersion: number;
  editDistance: number;
  actor: string;
  reason: string | null;
  createdAt: Date;
}

export interface NotesApproval {
  decisionId: string;
  version: number;
  actor: string;
  reason: string;
  createdAt: Date;
}

/** A version as a listing shows it: who made it and when, without its draft. */
export type NotesVersionListing = Pick<NotesVersion, 'version' | 'kind' | 'actor' | 'createdAt' | 'editDistance'>;

export interface NotesLog {
  /** Every version, oldest first, without their drafts. */
  listing(tenantId: string, releaseId: string): Promise<NotesVersionListing[]>;
  /** One version whole: the one named, or the latest when none is. */
  get(tenantId: string, releaseId: string, version?: number): Promise<NotesVersion | undefined>;
  /**
   * Stores `latest + 1`. `expectedLatest` is the version the writer read (0 for none): when another version
   * was stored since, nothing is written and the answer is `{ conflict: <stored latest> }`.
   */
  append(
    tenantId: string,
    releaseId: string,
    expectedLatest: number,
    v: Omit<NotesVersion, 'version'>,
  ): Promise<NotesVersion | { conflict: number }>;
  approvals(tenantId: string, releaseId: string): Promise<NotesApproval[]>;
  /** Records the approval as a decision; a version already approved answers `{ conflict: <its approval> }`. */
  approve(
    tenantId: string,
    releaseId: string,
    a: { version: number; actor: string; reason: string; createdAt: Date },
  ): Promise<NotesApproval | { conflict: NotesApproval }>;
}

export interface NotesStore {
  source: NotesSource;
  log: NotesLog;
}

// ---- Retrieval -------------------------------------------------------------------------------------------------------

/** Hybrid search as of a time (retrieval/ implements it): the runbook that says how to roll this service back. */
export interface RunbookSearch {
  search(tenantId: string, q: SearchQuery): Promise<SearchHit[]>;
}

// ---- LLM wording -----------------------------------------------------------------------------------------------------

/** One draft item as the model sees it: the rules' line and the ids it cites. */
export interface WordingItem {
  section: NotesSection;
  text: string;
  changeIds: string[];
}

/** One cited change as the model sees it: commit text, cut to a bounded size. Untrusted data. */
export interface WordingChange {
  /** The id as the draft's items cite it (`#123` or a commit hash). */
  id: string;
  subject: string;
  body: string;
  files: string[];
}

/** What the wording port gets: built by `wordingInput` (bounded size), never by the adapter. */
export interface NotesWordingInput {
  version: string;
  items: WordingItem[];
  changes: WordingChange[];
  /** Draft items not sent (over the size bound): they keep the rules' words. */
  leftOut: number;
}

/**
 * Rewords a draft's items with an LLM (src/llm/notes-wording.ts implements it).
 * Returns the raw answer: notes/wording.ts validates and verifies every line.
 * An empty `items` list is read as a refusal.
 */
export interface NotesWording {
  promptVersion: string;
  reword(input: NotesWordingInput, signal: AbortSignal): Promise<unknown>;
}
