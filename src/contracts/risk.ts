import { z } from 'zod';
import { ServiceName } from './documents.js';
import { cursorParam } from './paging.js';
import { Instant, Text } from './text.js';

/** How a release reaches users; part of the risk context (a canary limits blast radius). */
export const Strategy = z.enum(['blue_green', 'canary', 'rolling', 'flag']);
export type Strategy = z.infer<typeof Strategy>;

export const ReleaseOutcome = z.enum(['success', 'failure', 'rolled_back']);
export type ReleaseOutcome = z.infer<typeof ReleaseOutcome>;
/** The outcomes that count as a failed release (the label the risk model learns). */
export const FAILED_OUTCOMES: ReadonlySet<string> = new Set<ReleaseOutcome>(['failure', 'rolled_back']);

/** How an outcome reads in a title ("checkout 2.4.0 (rolled back)") and in a clause ("a release that was rolled back"). */
export const OUTCOME_WORDS: Record<ReleaseOutcome, { state: string; clause: string }> = {
  success: { state: 'succeeded', clause: 'succeeded' },
  failure: { state: 'failed', clause: 'failed' },
  rolled_back: { state: 'rolled back', clause: 'was rolled back' },
};

export const ChangedFileInput = z.object({
  path: Text.trim().min(1).max(1000),
  additions: z.number().int().min(0).max(10_000_000),
  deletions: z.number().int().min(0).max(10_000_000),
});
/** A file a change touched, with its line counts: the one shape for changed files everywhere. */
export type ChangedFile = z.infer<typeof ChangedFileInput>;

/** "src/a.ts (+3 -1)": a changed file as every text shows it (change documents, evidence, the CLI). */
export const fileLine = (f: ChangedFile) => `${f.path} (+${f.additions} -${f.deletions})`;

/** A change (commit or PR) as stored: what intake writes and risk scoring reads. */
export interface ChangeRecord {
  /** The commit sha or PR id the change was registered with. */
  externalId: string;
  title: string;
  body: string;
  author: string | null;
  labels: string[];
  files: ChangedFile[];
  createdAt: Date;
  /** When work on it began (a PR's first commit), when known; `createdAt` is when it was opened or committed. */
  firstCommitAt?: Date | null;
}

/** Largest diff kept with a change (characters); it is ingested as a `diff` document. */
export const MAX_CHANGE_DIFF_CHARS = 500_000;

export const ChangeInput = z.object({
  id: Text.trim().min(1).max(200),
  title: Text.trim().min(1).max(500),
  body: Text.max(100_000).optional(),
  author: Text.trim().max(200).optional(),
  labels: z.array(Text.max(100)).max(50).optional(),
  /** When the change was opened (a PR) or committed; the release's time when absent. */
  createdAt: Instant.optional(),
  /** A PR's first commit, when known: DORA's lead time can start there (`leadTimeStart=first_commit`). */
  firstCommitAt: Instant.optional(),
  files: z.array(ChangedFileInput).max(10_000).default([]),
  diff: Text.max(MAX_CHANGE_DIFF_CHARS).optional(),
});
export type ChangeInput = z.infer<typeof ChangeInput>;

/** POST /v1/releases: idempotent on (tenant, service, version). */
export const ReleaseInput = z.object({
  service: ServiceName,
  version: Text.trim().min(1).max(200),
  environment: Text.trim().min(1).max(100).default('production'),
  strategy: Strategy.optional(),
  flags: z.array(Text.max(200)).max(200).default([]),
  createdAt: Instant.optional(),
  commitRange: Text.max(500).optional(),
  externalId: Text.max(200).optional(),
  changes: z
    .array(ChangeInput)
    .max(2000)
    .default([])
    .refine((list) => new Set(list.map((c) => c.id)).size === list.length, {
      message: 'each change id may appear once in a release (a change listed twice would be stored once)',
    }),
});
export type ReleaseInput = z.input<typeof ReleaseInput>;
export type ParsedReleaseInput = z.output<typeof ReleaseInput>;

export const OutcomeInput = z.object({
  outcome: ReleaseOutcome,
  incidentIds: z.array(Text.max(200)).max(100).default([]),
  at: Instant.optional(),
});
export type OutcomeInput = z.input<typeof OutcomeInput>;

export const ReleaseView = z.object({
  id: z.string(),
  service: z.string(),
  version: z.string(),
  environment: z.string(),
  strategy: z.string().nullable(),
  flags: z.array(z.string()),
  createdAt: z.string(),
  deployedAt: z.string().nullable(),
  outcome: ReleaseOutcome.nullable(),
  outcomeAt: z.string().nullable(),
  changes: z.number().int(),
  externalId: z.string().nullable(),
});
export type ReleaseView = z.infer<typeof ReleaseView>;

/** GET /v1/releases/:id: the release, its changes, and how far their documents are indexed. */
export const ReleaseDetail = ReleaseView.extend({
  commitRange: z.string().nullable(),
  changeList: z.array(
    z.object({
      id: z.string(),
      externalId: z.string(),
      title: z.string(),
      author: z.string().nullable(),
      labels: z.array(z.string()),
      files: z.array(ChangedFileInput),
      createdAt: z.string(),
    }),
  ),
  /** The change and diff documents of this release's changes, by status. */
  documents: z.object({ indexed: z.number().int(), queued: z.number().int(), failed: z.number().int() }),
});
export type ReleaseDetail = z.infer<typeof ReleaseDetail>;

export const ReleaseCreated = ReleaseView.extend({
  created: z.boolean(),
  /** Change and diff documents waiting for their index job after this request. */
  queuedDocuments: z.number().int(),
});
export type ReleaseCreated = z.infer<typeof ReleaseCreated>;

export const ReleaseListQuery = z.object({
  service: ServiceName.optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: cursorParam('releases').optional(),
});

export const RiskLevel = z.enum(['low', 'medium', 'high', 'critical']);
export type RiskLevel = z.infer<typeof RiskLevel>;

export const Recommendation = z.enum(['promote', 'promote_with_approval', 'hold']);
export type Recommendation = z.infer<typeof Recommendation>;

/** One model input with its share of the score (log-odds relative to an average release). */
export const Factor = z.object({
  /** The model input (stable, for machines). */
  name: z.string(),
  /** What it means, in words. */
  label: z.string(),
  value: z.number(),
  contribution: z.number(),
  /** Evidence ids (see Evidence.id) that back this factor. */
  evidence: z.array(z.string()),
});
export type Factor = z.infer<typeof Factor>;

/**
 * A stored record the assessment points at. Every `id` opens at
 * `GET /v1/evidence/{id}`: a chunk id for retrieved documents, or
 * `release:<id>`, `change:<id>`, `incident:<id>` (see contracts/evidence.ts).
 */
export const Evidence = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  snippet: z.string(),
  occurredAt: z.string(),
  why: z.string(),
  documentId: z.string().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const Reason = z.object({
  text: z.string(),
  citations: z.array(z.string()),
  source: z.enum(['model', 'llm']).optional(),
});
export type Reason = z.infer<typeof Reason>;

/** One candidate's rolling-origin validation figures (recalibrated as serving would have answered). */
export const CandidateFigures = z.object({
  candidate: z.string(),
  /** Validation slices scored with both outcomes present. */
  folds: z.number().int(),
  auc: z.number().nullable(),
  logLoss: z.number().nullable(),
  brier: z.number().nullable(),
  rows: z.number().int(),
});
export type CandidateFigures = z.infer<typeof CandidateFigures>;

/** The validation a retrain ran and what it chose: stored with the model, shown by GET /v1/risk/models. */
export const ModelSelection = z.object({
  /** `la`, `lr`, `stacked-lr`, `gbdt` or `blend` (docs/risk-model.md). */
  chosen: z.string(),
  why: z.string(),
  folds: z.array(z.object({ origin: z.string(), trainRows: z.number().int(), scoredRows: z.number().int() })),
  candidates: z.array(CandidateFigures),
  /** The chosen model's validation figures as served (after its base-rate layer); Brier skill against each slice's training base rate. */
  served: z.object({
    auc: z.number().nullable(),
    brier: z.number().nullable(),
    brierSkill: z.number().nullable(),
    ece: z.number().nullable(),
    rows: z.number().int(),
  }),
  /** The base-rate layer: how fast it forgets the old failure rate (days; null never; `off` not used), and what it did on validation. */
  recalibration: z.object({
    halfLifeDays: z.union([z.number(), z.null(), z.literal('off')]),
    logLossBefore: z.number(),
    logLossAfter: z.number(),
  }),
  /**
   * Whether shipcheck's release context (risky paths, recent failures, similar releases, file and author
   * failure history…) paid: the chosen candidate validated with and without it. Null when the history carries none.
   */
  context: z
    .object({ used: z.boolean(), inputs: z.array(z.string()), aucWith: z.number().nullable(), aucWithout: z.number().nullable() })
    .nullable()
    .optional(),
  /** Why this retrain failed validation (the previous model kept serving), or null. */
  failed: z.string().nullable(),
});
export type ModelSelection = z.infer<typeof ModelSelection>;

/** What an assessment says about the model behind it. */
export const AssessmentModelSelection = z.object({
  chosen: z.string(),
  why: z.string(),
  validation: z.object({
    auc: z.number().nullable(),
    /** The lines-added floor's validation AUC beside it. */
    floorAuc: z.number().nullable(),
    brierSkill: z.number().nullable(),
    ece: z.number().nullable(),
    rows: z.number().int(),
  }),
  /** The base-rate layer's log-odds shift applied to this answer (0 when off). */
  baseRate: z.object({ halfLifeDays: z.union([z.number(), z.null(), z.literal('off')]), shift: z.number() }),
});
export type AssessmentModelSelection = z.infer<typeof AssessmentModelSelection>;

/** A stored model version as GET /v1/risk/models lists it. */
export const RiskModelView = z.object({
  id: z.string(),
  /** Counts up per tenant with every training run. */
  version: z.number().int(),
  /** The service it serves, or null: tenant-wide. */
  service: z.string().nullable(),
  /** The chosen candidate's model, e.g. `gbdt-1`. */
  algorithm: z.string(),
  trainedAt: z.string(),
  dataUntil: z.string(),
  n: z.number().int(),
  failures: z.number().int(),
  /** `serving`: answering now for its scope; `superseded`: a newer one serves; `rejected`: failed validation, never served. */
  status: z.enum(['serving', 'superseded', 'rejected']),
  statusReason: z.string().nullable(),
  /** Null for models trained before selection existed (a single stacked model), or when the stored report cannot be read. */
  selection: ModelSelection.nullable(),
  /** Why the stored report cannot be read (null when it can, or when there is none). */
  selectionError: z.string().nullable(),
});
export type RiskModelView = z.infer<typeof RiskModelView>;

export const RiskAssessment = z.object({
  id: z.string(),
  releaseId: z.string(),
  service: z.string(),
  version: z.string(),
  assessedAt: z.string(),
  probability: z.number(),
  /** probability × 100, rounded: the number people quote. */
  score: z.number().int(),
  level: RiskLevel,
  recommendation: Recommendation,
  requiresApproval: z.boolean(),
  thresholds: z.object({ medium: z.number(), high: z.number(), critical: z.number(), approvalAt: RiskLevel }),
  factors: z.array(Factor),
  evidence: z.array(Evidence),
  reasons: z.array(Reason),
  model: z.object({
    /** The chosen candidate's model and the stored model's number, e.g. `gbdt-1@v7`; `prior-1` before a tenant has one. */
    version: z.string(),
    trainedAt: z.string().nullable(),
    n: z.number().int(),
    scope: z.string(),
    /** Which candidate the tenant's history chose and how it did in validation (absent for the prior and older models). */
    selection: AssessmentModelSelection.optional(),
  }),
  /**
   * Where the probability ranks among the newest releases (up to 1,000) the model
   * was trained on, scored by the same model: `riskiestShare` 0.07 = only 7% of
   * them scored this high or higher. A policy's gate budget ("hold the riskiest
   * 10%") reads it. Null with the prior model (no releases of its own); absent in
   * answers stored before it existed.
   */
  rank: z
    .object({ riskiestShare: z.number().min(0).max(1), among: z.number().int() })
    .nullable()
    .optional(),
  /** Why this answer is less than the full one: `prior_model`, `llm_unavailable`, `llm_timeout`, … */
  degraded: z.array(z.string()),
  llm: z.object({ used: z.boolean(), promptVersion: z.string().nullable(), droppedClaims: z.number().int() }),
});
export type RiskAssessment = z.infer<typeof RiskAssessment>;
