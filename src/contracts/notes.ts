import { z } from 'zod';
import { Text } from './text.js';

/**
 * Release notes: what the API, the CLI and the evals exchange. A draft's
 * every item cites the changes it comes from; what was left out is listed
 * with a reason; people edit and approve, and every version is kept.
 */

/** Canonical sections, in the order a draft shows them. Headings are words of the house style (see `headings`). */
export const NOTES_SECTIONS = [
  'breaking',
  'security',
  'features',
  'fixes',
  'performance',
  'deprecations',
  'removals',
  'changes',
  'reverts', // a revert of a change released earlier (a change and its revert in one range cancel out)
  'dependencies',
] as const;
export const NotesSection = z.enum(NOTES_SECTIONS);
export type NotesSection = z.infer<typeof NotesSection>;

/** Why a change of the range is not an item. */
export const OMIT_REASONS = [
  'internal', // refactor, build, style: nothing a user sees
  'tests', // touches tests only
  'chore',
  'ci',
  'docs',
  'reverted', // it and its revert are both in the range
  'duplicate', // a cherry-pick or backport of another change in the range
  'merge', // a merge commit: its changes are listed on their own
  'release', // the release commit itself (version bump, changelog)
  'dependencies', // a dependency bump the readers do not need
  'not_selected', // the learned selection model left it out (its probability is in `detail`)
  'edited_out', // a person removed its item while editing
] as const;
export const OmitReason = z.enum(OMIT_REASONS);
export type OmitReason = z.infer<typeof OmitReason>;

/**
 * A change id as a draft cites it: `#123` for a pull request, the commit hash
 * (7–40 hex digits), or, for a change registered under another id
 * (`checkout-pr-453`, `PAY 123`), that id: whatever a release's change may be
 * registered with (1–200 characters, no control characters).
 */
export const ChangeId = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'a change id is "#<PR number>", a commit hash, or the id the change was registered with');

export const NotesItem = z.object({
  section: NotesSection,
  /** One line of Markdown, as readers see it. */
  text: Text.trim().min(1).max(2000),
  /** Every change this line comes from; never empty. */
  changeIds: z.array(ChangeId).min(1).max(200),
  /**
   * Evidence ids (`change:<uuid>`) of the cited changes when the release is stored:
   * each opens at `GET /v1/evidence/:id`. Empty for a draft of a bare git range.
   */
  evidence: z.array(z.string().max(200)).max(200).default([]),
  /** Who wrote the words: the rules, the LLM (verified), or a person editing. */
  origin: z.enum(['rules', 'llm', 'person']).default('rules'),
  /** Why the item is in its section, when that is not the commit's own word (e.g. "removes export `foo`"). */
  why: z.string().max(2000).optional(),
});
export type NotesItem = z.infer<typeof NotesItem>;

export const OmittedChange = z.object({
  changeId: ChangeId,
  reason: OmitReason,
  /** Detail: the revert that cancels it, the change it duplicates, the model's probability. */
  detail: z.string().optional(),
});
export type OmittedChange = z.infer<typeof OmittedChange>;

/** What a release asks of operators: found in the diff, the release, the runbooks and the risk assessment. */
export const OperationalSection = z.object({
  migrations: z.array(z.object({ path: z.string(), changeIds: z.array(z.string()) })),
  configuration: z.array(z.object({ path: z.string(), detail: z.string(), changeIds: z.array(z.string()) })),
  flags: z.array(z.object({ name: z.string(), source: z.string() })),
  /** The rollback plan: runbook steps with the chunk ids they come from. */
  rollback: z.object({ text: z.string(), evidence: z.array(z.string()) }).nullable(),
  risk: z.object({ level: z.string(), score: z.number().int(), assessmentId: z.string(), link: z.string() }).nullable(),
});
export type OperationalSection = z.infer<typeof OperationalSection>;

/** A draft as the drafter makes it (before anyone edits it). */
export const NotesDraft = z.object({
  version: z.string(),
  items: z.array(NotesItem),
  omitted: z.array(OmittedChange),
  operational: OperationalSection.nullable(),
  /** Heading per section, in the house style of earlier notes ("Bug Fixes", "Fixed"). */
  headings: z.record(z.string(), z.string()),
  /** How changes were chosen: the rules, or a learned model that beat them on earlier releases. */
  selection: z.object({ kind: z.enum(['rules', 'learned']), detail: z.string() }),
  /** Whether an LLM reworded items, and how many of its lines the verifier refused. */
  llm: z.object({ used: z.boolean(), promptVersion: z.string().nullable(), rejected: z.number().int() }),
  /** Counts that say the draft accounts for every change of the range. */
  counts: z.object({ changes: z.number().int(), items: z.number().int(), omitted: z.number().int() }),
  /** Anything a reader must know about the input (a range of merges only, messages that were not UTF-8). */
  warnings: z.array(z.string()).default([]),
});
export type NotesDraft = z.infer<typeof NotesDraft>;

export const NotesFormat = z.enum(['md', 'json']);
export type NotesFormat = z.infer<typeof NotesFormat>;

/** POST /v1/releases/:id/notes: make a draft (a new version when one exists). */
export const NotesDraftRequest = z
  .object({
    /** Reword items with the configured LLM (verified); default: when one is configured. */
    llm: z.boolean().optional(),
    /**
     * A new machine draft over notes a person edited or approved is refused (409) unless this is true:
     * a CI job re-run must not replace a release manager's work silently.
     */
    replace: z.boolean().default(false),
  })
  .strict();

/** PUT /v1/releases/:id/notes: a person's edit, based on the version they saw. */
export const NotesEditInput = z.strictObject({
  /** The version this edit starts from; a newer stored version makes the edit a 409. */
  basedOn: z.number().int().min(1),
  items: z.array(NotesItem).max(2000),
  /** Free text above the items ("This release fixes 4 bugs."). */
  summary: Text.max(5000).optional(),
  reason: Text.max(2000).optional(),
});
export type NotesEditInput = z.input<typeof NotesEditInput>;

/** POST /v1/releases/:id/notes/approve. */
export const NotesApproveInput = z
  .object({
    /** The version the approver read; the latest when absent. Approving a version that is not the latest is a 409. */
    version: z.number().int().min(1).optional(),
    reason: Text.trim().min(1, 'a reason may be left out, not empty').max(2000).default('release notes approved'),
  })
  .strict();

export const NotesVersionSummary = z.object({
  version: z.number().int(),
  kind: z.enum(['draft', 'edit']),
  actor: z.string(),
  createdAt: z.string(),
  /** Characters changed from the machine draft this version descends from (Levenshtein over the Markdown). */
  editDistance: z.number().int(),
});

/** GET /v1/releases/:id/notes (format=json). */
export const NotesView = z.object({
  releaseId: z.string(),
  service: z.string(),
  release: z.string(),
  version: z.number().int(),
  status: z.enum(['draft', 'approved']),
  summary: z.string().nullable(),
  draft: NotesDraft,
  markdown: z.string(),
  editDistance: z.number().int(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  /** The decision that approved it (listed at GET /v1/releases/:id/decisions). */
  decisionId: z.string().nullable(),
  versions: z.array(NotesVersionSummary),
});
export type NotesView = z.infer<typeof NotesView>;
