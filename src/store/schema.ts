import { sql, type SQL } from 'drizzle-orm';
import type { ChangedFile } from '../contracts/risk.js';
import {
  customType,
  doublePrecision,
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  vector,
} from 'drizzle-orm/pg-core';

/**
 * The dimension the first migration creates. A different configured
 * dimension is applied to an empty index at first start, or by
 * `shipcheck reembed` (see store/index-config.ts), never silently mixed.
 */
export const DEFAULT_EMBED_DIM = 384;
export const HNSW_M = 16;
/**
 * A wider build search is what the hashing embedder's spread-out vectors need:
 * at 100k chunks and ef_search 400, ef_construction 128 left 1 query in 10–20
 * with none of its true top 10 (the search could not reach their part of the
 * graph); 512 cut that to 1 in 70–100. m 24–48 cost more per query for less.
 * The price: builds take 2–5× as long, and each insert into a built index
 * about 2–3× (bench/README.md).
 */
export const HNSW_EF_CONSTRUCTION = 512;

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const id = () => uuid('id').primaryKey().defaultRandom();
const tenantRef = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' });

export const tenants = pgTable('tenants', {
  id: id(),
  slug: text('slug').notNull().unique(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const services = pgTable(
  'services',
  {
    id: id(),
    tenantId: tenantRef(),
    name: text('name').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('services_tenant_name').on(t.tenantId, t.name)],
);

export const releases = pgTable(
  'releases',
  {
    id: id(),
    tenantId: tenantRef(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    version: text('version').notNull(),
    environment: text('environment').notNull().default('production'),
    strategy: text('strategy'),
    commitRange: text('commit_range'),
    externalId: text('external_id'),
    flags: jsonb('flags').$type<string[]>().notNull().default([]),
    /** Precomputed change metrics when imported from history (the 14 JIT metrics). */
    metrics: jsonb('metrics').$type<Record<string, number>>(),
    createdAt: ts('created_at').notNull(),
    deployedAt: ts('deployed_at'),
    outcome: text('outcome'),
    outcomeAt: ts('outcome_at'),
    /** The token that registered the release through the API (a policy may forbid it to approve). */
    registeredBy: text('registered_by'),
  },
  (t) => [
    uniqueIndex('releases_tenant_service_version').on(t.tenantId, t.serviceId, t.version),
    index('releases_tenant_created').on(t.tenantId, t.createdAt),
  ],
);

/**
 * A change (commit or PR) is stored once per tenant, by its external id, and
 * linked to every release that ships it (release_changes): a change shipped
 * again, e.g. re-landed after a rollback, belongs to both releases.
 */
export const changes = pgTable(
  'changes',
  {
    id: id(),
    tenantId: tenantRef(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    author: text('author'),
    labels: jsonb('labels').$type<string[]>().notNull().default([]),
    /** A PR's first commit, when known (DORA lead time from the first commit). */
    firstCommitAt: ts('first_commit_at'),
    files: jsonb('files').$type<ChangedFile[]>().notNull().default([]),
    /** The files' paths, indexed: the file history of a release reads only changes that touched its files. */
    paths: text('paths').array().notNull().default(sql`'{}'::text[]`),
    /** sha256 of the diff sent with the change, if any: a re-send with another diff is a conflict, not a second diff. */
    diffHash: text('diff_hash'),
    additions: integer('additions').notNull().default(0),
    deletions: integer('deletions').notNull().default(0),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('changes_tenant_external').on(t.tenantId, t.externalId),
    // The feature builder reads a service's earlier changes as of a release time: by file, and by author.
    index('changes_service_created').on(t.serviceId, t.createdAt),
    index('changes_paths').using('gin', t.paths),
    index('changes_tenant_author_created').on(t.tenantId, t.author, t.createdAt),
  ],
);

/** Which releases ship which changes (many-to-many). */
export const releaseChanges = pgTable(
  'release_changes',
  {
    releaseId: uuid('release_id')
      .notNull()
      .references(() => releases.id, { onDelete: 'cascade' }),
    changeId: uuid('change_id')
      .notNull()
      .references(() => changes.id, { onDelete: 'cascade' }),
    tenantId: tenantRef(),
  },
  (t) => [primaryKey({ columns: [t.releaseId, t.changeId] }), index('release_changes_change').on(t.changeId)],
);

export const documents = pgTable(
  'documents',
  {
    id: id(),
    tenantId: tenantRef(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    source: text('source'),
    externalId: text('external_id'),
    occurredAt: ts('occurred_at').notNull(),
    /** sha256 of kind, service and normalised redacted body: one copy per tenant. */
    contentHash: text('content_hash').notNull(),
    /** Redacted and normalised: the raw body is never stored. */
    body: text('body').notNull(),
    redactions: integer('redactions').notNull().default(0),
    status: text('status').notNull().default('queued'),
    error: text('error'),
    chunkCount: integer('chunk_count').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    indexedAt: ts('indexed_at'),
  },
  (t) => [
    uniqueIndex('documents_tenant_hash').on(t.tenantId, t.contentHash),
    index('documents_tenant_kind_time').on(t.tenantId, t.kind, t.occurredAt),
    // Evidence finds an incident's or a change's own document by its external id.
    index('documents_tenant_kind_external').on(t.tenantId, t.kind, t.externalId),
  ],
);

export const chunks = pgTable(
  'chunks',
  {
    id: id(),
    tenantId: tenantRef(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    serviceId: uuid('service_id').notNull(),
    kind: text('kind').notNull(),
    ordinal: integer('ordinal').notNull(),
    title: text('title').notNull(),
    text: text('text').notNull(),
    locator: text('locator'),
    occurredAt: ts('occurred_at').notNull(),
    embedding: vector('embedding', { dimensions: DEFAULT_EMBED_DIM }),
    tsv: tsvector('tsv')
      .notNull()
      .generatedAlwaysAs((): SQL => sql`to_tsvector('english'::regconfig, coalesce(${chunks.title}, '') || ' ' || ${chunks.text})`),
  },
  (t) => [
    index('chunks_embedding_hnsw')
      .using('hnsw', t.embedding.op('vector_cosine_ops'))
      .with({ m: HNSW_M, ef_construction: HNSW_EF_CONSTRUCTION }),
    index('chunks_tsv_gin').using('gin', t.tsv),
    index('chunks_tenant_time').on(t.tenantId, t.occurredAt),
    // With these, a vector query filtered to a small partition (a service's incidents, a kind
    // before a date) can read just that partition: the planner then scores its rows exactly,
    // recall 1.0, instead of walking the HNSW graph (it does so below about 1–3k rows).
    index('chunks_tenant_service_time').on(t.tenantId, t.serviceId, t.occurredAt),
    index('chunks_tenant_kind_time').on(t.tenantId, t.kind, t.occurredAt),
    index('chunks_document').on(t.documentId),
  ],
);

export const incidents = pgTable(
  'incidents',
  {
    id: id(),
    tenantId: tenantRef(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    title: text('title').notNull(),
    severity: text('severity'),
    startedAt: ts('started_at').notNull(),
    resolvedAt: ts('resolved_at'),
    causedByReleaseId: uuid('caused_by_release_id').references(() => releases.id, { onDelete: 'set null' }),
    documentId: uuid('document_id').references(() => documents.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('incidents_tenant_external').on(t.tenantId, t.externalId),
    index('incidents_tenant_started').on(t.tenantId, t.startedAt),
  ],
);

export const apiTokens = pgTable('api_tokens', {
  id: id(),
  tenantId: tenantRef(),
  name: text('name').notNull(),
  /** sha256 of the token; the token itself is shown once and never stored. */
  tokenHash: text('token_hash').notNull().unique(),
  /** First characters, to tell tokens apart in listings. */
  prefix: text('prefix').notNull(),
  scopes: jsonb('scopes').$type<string[]>().notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  lastUsedAt: ts('last_used_at'),
  revokedAt: ts('revoked_at'),
});

/** Installation-wide settings, such as the embedder the vectors were made with. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * Versioned risk models: one row per training run, never overwritten, so an
 * assessment can always name the exact model that scored it. `service` null =
 * the tenant-wide model; a per-service model is trained where data allows.
 */
export const riskModels = pgTable(
  'risk_models',
  {
    id: id(),
    tenantId: tenantRef(),
    service: text('service'),
    version: integer('version').notNull(),
    algorithm: text('algorithm').notNull(),
    trainedAt: ts('trained_at').notNull(),
    /** Outcomes known up to this time were used. */
    dataUntil: ts('data_until').notNull(),
    n: integer('n').notNull(),
    failures: integer('failures').notNull(),
    artifact: jsonb('artifact').notNull(),
    /** Held-out figures measured at training time (time-ordered split). */
    metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull().default({}),
    /**
     * `serving`: it may serve (the newest serving one of its scope does); `rejected`: the retrain failed
     * validation and is kept for people to look at, while the previous model keeps serving.
     */
    status: text('status').notNull().default('serving'),
    /** Why it was rejected (null while serving). */
    statusReason: text('status_reason'),
  },
  (t) => [
    uniqueIndex('risk_models_tenant_version').on(t.tenantId, t.version),
    index('risk_models_tenant_service_trained').on(t.tenantId, t.service, t.trainedAt),
    check('risk_models_status', sql`${t.status} in ('serving', 'rejected')`),
  ],
);

/** Every risk assessment as returned, kept for audit and for "GET the latest". */
export const assessments = pgTable(
  'assessments',
  {
    id: id(),
    tenantId: tenantRef(),
    releaseId: uuid('release_id')
      .notNull()
      .references(() => releases.id, { onDelete: 'cascade' }),
    modelId: uuid('model_id').references(() => riskModels.id, { onDelete: 'set null' }),
    probability: doublePrecision('probability').notNull(),
    level: text('level').notNull(),
    recommendation: text('recommendation').notNull(),
    body: jsonb('body').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('assessments_release_created').on(t.releaseId, t.createdAt)],
);

/**
 * Jobs to run after a write commits, written in the same transaction as the
 * write (the transactional outbox): a crash between the commit and the
 * enqueue loses nothing, because a relay enqueues every row here, at start,
 * after each write and on a timer, and deletes it once enqueued. Job ids
 * make a second enqueue of the same row harmless.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: id(),
    tenantId: tenantRef(),
    job: text('job').notNull(),
    jobId: text('job_id').notNull(),
    payload: jsonb('payload').notNull(),
    attempts: integer('attempts').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  // A relayed row is deleted, so every row here is pending: the relay reads them oldest first.
  (t) => [index('outbox_created').on(t.createdAt)],
);

// ---- The rollback advisor ------------------------------------------------------------------------------------------

const releaseRef = () =>
  uuid('release_id')
    .notNull()
    .references(() => releases.id, { onDelete: 'cascade' });

/**
 * Telemetry samples, one per (release, metric, group, time): a re-sent sample
 * counts once. Times are epoch milliseconds (bigint-safe doubles), so a
 * sample's key is exactly what was sent.
 */
export const telemetrySamples = pgTable(
  'telemetry_samples',
  {
    tenantId: tenantRef(),
    releaseId: releaseRef(),
    metric: text('metric').notNull(),
    grp: text('grp').notNull(),
    tsMs: doublePrecision('ts_ms').notNull(),
    value: doublePrecision('value').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.releaseId, t.metric, t.grp, t.tsMs] }),
    // A look reads the newest samples of a release.
    index('telemetry_samples_release_time').on(t.releaseId, t.tsMs),
  ],
);

/**
 * Deploy-log lines posted with telemetry (already redacted). `key` makes a
 * re-sent batch count once: a digest of the group, time, line and its
 * occurrence among identical lines of the same request.
 */
export const telemetryLogs = pgTable(
  'telemetry_logs',
  {
    tenantId: tenantRef(),
    releaseId: releaseRef(),
    key: text('key').notNull(),
    grp: text('grp').notNull(),
    tsMs: doublePrecision('ts_ms'),
    line: text('line').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.releaseId, t.key] }),
    // A look reads the newest lines of each group.
    index('telemetry_logs_release_group_received').on(t.releaseId, t.grp, t.receivedAt),
  ],
);

/** Per-service metric configuration (the defaults apply where there is none). */
export const serviceMetrics = pgTable('service_metrics', {
  serviceId: uuid('service_id')
    .primaryKey()
    .references(() => services.id, { onDelete: 'cascade' }),
  tenantId: tenantRef(),
  metrics: jsonb('metrics').notNull(),
  prometheus: jsonb('prometheus'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** A release's rollout watch: one per release, started and stopped through the API. */
export const rollouts = pgTable(
  'rollouts',
  {
    releaseId: uuid('release_id')
      .primaryKey()
      .references(() => releases.id, { onDelete: 'cascade' }),
    tenantId: tenantRef(),
    watchId: uuid('watch_id').notNull(),
    state: text('state').notNull(),
    strategy: text('strategy').notNull(),
    canaryWeight: doublePrecision('canary_weight'),
    startedAt: ts('started_at').notNull(),
    stoppedAt: ts('stopped_at'),
    minDurationSeconds: integer('min_duration_seconds').notNull(),
    watchAfterPromotionSeconds: integer('watch_after_promotion_seconds').notNull(),
    metrics: jsonb('metrics').notNull(),
    prometheus: jsonb('prometheus'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('rollouts_state').on(t.state)],
);

/** The advisory timeline: every re-evaluation appended, never overwritten. */
export const advisories = pgTable(
  'advisories',
  {
    id: id(),
    tenantId: tenantRef(),
    releaseId: releaseRef(),
    sequence: integer('sequence').notNull(),
    action: text('action').notNull(),
    body: jsonb('body').notNull(),
    /** The judge's bookkeeping between looks (sequential method, detector state). */
    judgeState: jsonb('judge_state').notNull().default({}),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('advisories_release_sequence').on(t.releaseId, t.sequence)],
);

/** What an advisory cites that is not a stored document: metric windows and log templates (open at /v1/evidence). */
export const advisoryEvidence = pgTable(
  'advisory_evidence',
  {
    id: id(),
    tenantId: tenantRef(),
    advisoryId: uuid('advisory_id')
      .notNull()
      .references(() => advisories.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    text: text('text').notNull(),
    occurredAt: ts('occurred_at').notNull(),
  },
  (t) => [index('advisory_evidence_advisory').on(t.advisoryId)],
);

/** People's decisions on a release, append-only: who, what, why, against which advisory. */
export const decisions = pgTable(
  'decisions',
  {
    id: id(),
    tenantId: tenantRef(),
    releaseId: releaseRef(),
    action: text('action').notNull(),
    reason: text('reason').notNull(),
    actor: text('actor').notNull(),
    advisoryId: uuid('advisory_id').references(() => advisories.id, { onDelete: 'set null' }),
    /** The assessment an `approve` or `reject` answered. */
    assessmentId: uuid('assessment_id').references(() => assessments.id, { onDelete: 'set null' }),
    advised: text('advised'),
    overridesAdvice: boolean('overrides_advice').notNull(),
    hook: jsonb('hook'),
    /** The release-notes version an `approve_notes` decision approved. */
    notesVersion: integer('notes_version'),
    createdAt: ts('created_at').notNull(),
    /** Insertion order: decisions made in the same millisecond still list in the order they were recorded. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
  },
  (t) => [
    index('decisions_release_seq').on(t.releaseId, t.seq),
    // A notes version is approved once: a second approval (two clicks, two tabs) is a conflict, not a second row.
    uniqueIndex('decisions_notes_approved_once').on(t.releaseId, t.notesVersion).where(sql`action = 'approve_notes'`),
    // A person approves an assessment once.
    uniqueIndex('decisions_approved_once').on(t.releaseId, t.assessmentId, t.actor).where(sql`action = 'approve'`),
  ],
);

/** Webhooks per tenant (service null) or service: notifications, and the rollback hook called after a human decision. */
export const webhooks = pgTable('webhooks', {
  id: id(),
  tenantId: tenantRef(),
  serviceId: uuid('service_id').references(() => services.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  format: text('format').notNull(),
  purpose: text('purpose').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** One row per (webhook, advisory) notification: its delivery as the job queue reports it. */
export const notifications = pgTable(
  'notifications',
  {
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    advisoryId: uuid('advisory_id')
      .notNull()
      .references(() => advisories.id, { onDelete: 'cascade' }),
    tenantId: tenantRef(),
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    result: jsonb('result'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.webhookId, t.advisoryId] })],
);

/**
 * Release notes, one row per version: the machine draft (kind `draft`) and
 * each person's edit (kind `edit`). Rows are never updated: every stored
 * version is kept, and an approval is a decision naming its version.
 */
export const releaseNotes = pgTable(
  'release_notes',
  {
    id: id(),
    tenantId: tenantRef(),
    releaseId: releaseRef(),
    version: integer('version').notNull(),
    kind: text('kind').notNull(),
    /** The NotesDraft as JSON (items, omitted, operational, headings, selection). */
    draft: jsonb('draft').notNull(),
    summary: text('summary'),
    markdown: text('markdown').notNull(),
    /** The machine draft this version descends from (itself for a draft). */
    baseVersion: integer('base_version').notNull(),
    editDistance: integer('edit_distance').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('release_notes_release_version').on(t.releaseId, t.version)],
);

/**
 * The audit log: append-only, one chain per tenant. Each entry's hash covers
 * its fields and the previous entry's hash (see contracts/audit.ts), so an
 * edit, a deletion or a reordering shows at `shipcheck audit verify`.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    tenantId: tenantRef(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: ts('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    subjectLabel: text('subject_label').notNull(),
    reason: text('reason').notNull(),
    answers: jsonb('answers'),
    details: jsonb('details').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [uniqueIndex('audit_log_tenant_seq').on(t.tenantId, t.seq)],
);

/** Release policies per service (`default` for the tenant), one row per version, never updated. */
export const policies = pgTable(
  'policies',
  {
    id: id(),
    tenantId: tenantRef(),
    service: text('service').notNull(),
    version: integer('version').notNull(),
    document: jsonb('document').notNull(),
    yaml: text('yaml').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('policies_tenant_service_version').on(t.tenantId, t.service, t.version)],
);

/** Console sessions: a token exchanged for a cookie; only the cookie's sha256 is stored. */
export const consoleSessions = pgTable('console_sessions', {
  idHash: text('id_hash').primaryKey(),
  tokenId: uuid('token_id')
    .notNull()
    .references(() => apiTokens.id, { onDelete: 'cascade' }),
  csrfSecret: text('csrf_secret').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
});

/** One-time form tokens already used in a session: a replayed form is refused. */
export const consoleFormUses = pgTable(
  'console_form_uses',
  {
    sessionIdHash: text('session_id_hash')
      .notNull()
      .references(() => consoleSessions.idHash, { onDelete: 'cascade' }),
    nonce: text('nonce').notNull(),
    usedAt: ts('used_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionIdHash, t.nonce] })],
);
