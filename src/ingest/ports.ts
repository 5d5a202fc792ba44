/**
 * What ingestion reads and writes, in its own terms; `store/` implements it
 * and `app.ts` hands it in.
 */
import type { DocumentKind, DocumentStatus, DocumentView } from '../contracts/documents.js';
import type { Page, PageKey } from '../contracts/paging.js';
import type { Embedding } from '../contracts/vectors.js';
import type { ChangeRecord, ReleaseDetail, ReleaseOutcome, ReleaseView } from '../contracts/risk.js';

/** A document ready to store: validated, redacted, normalised and hashed (never the raw body). */
export interface NewDocument {
  tenantId: string;
  serviceId: string;
  kind: DocumentKind;
  title: string;
  body: string;
  occurredAt: Date;
  source?: string | null;
  externalId?: string | null;
  contentHash: string;
  redactions: number;
}

/** A chunk ready to store, with its vector (see `Embedding`: the embedder's numbers, or float4 values as stored). */
export interface ChunkDraftRow {
  ordinal: number;
  text: string;
  locator?: string | null;
  embedding: Embedding;
}

export interface IndexedDocument {
  doc: NewDocument;
  chunks: ChunkDraftRow[];
}

/** A stored document as its index job reads it. */
export type DocumentForIndexing = Pick<NewDocument, 'tenantId' | 'serviceId' | 'kind' | 'title' | 'body' | 'occurredAt'> & {
  id: string;
  status: DocumentStatus;
};

export interface DocumentFilter {
  kind?: DocumentKind;
  service?: string;
  status?: DocumentStatus;
  limit: number;
}

/** A document waiting for its index job. */
export interface QueuedDocument {
  id: string;
  tenantId: string;
}

export interface DocumentStore {
  existingByHash(tenantId: string, hashes: string[]): Promise<Map<string, { id: string; status: string }>>;
  /**
   * Records a document to be indexed, with its index job in the outbox, in one transaction; the (tenant, hash)
   * unique index makes a second copy impossible. A copy stored before and not indexed (queued or failed) is
   * queued again with a new job: `duplicate: true, status: 'queued'`; an indexed one is left alone:
   * `status: 'indexed'`. Throws an AppError with a 4xx code, writing nothing, when the database refuses the row.
   */
  insertQueued(doc: NewDocument): Promise<{ id: string; duplicate: boolean; status: DocumentStatus }>;
  /** Documents and their chunks in one transaction, already indexed; rows whose hash is taken are duplicates. */
  insertIndexed(items: IndexedDocument[]): Promise<{ hash: string; id: string; duplicate: boolean }[]>;
  forIndexing(id: string): Promise<DocumentForIndexing | undefined>;
  /** Replaces a queued document's chunks and marks it indexed, atomically; false when it was deleted meanwhile. */
  commitChunks(doc: DocumentForIndexing, rows: ChunkDraftRow[]): Promise<boolean>;
  /** Marks a queued document failed with a message for callers; an indexed one is left indexed. */
  markFailed(id: string, error: string): Promise<void>;
  get(tenantId: string, id: string, opts?: { withBody?: boolean }): Promise<DocumentView | undefined>;
  list(tenantId: string, f: DocumentFilter): Promise<DocumentView[]>;
  /** Newest first by occurrence (then id); `after` is where the page before ended. */
  page(tenantId: string, f: DocumentFilter & { after?: PageKey }): Promise<Page<DocumentView>>;
  delete(tenantId: string, id: string): Promise<boolean>;
  stats(tenantId: string): Promise<{ documents: number; chunks: number; queued: number; failed: number }>;
  /** Queued documents of every tenant, by id, after `afterId` (the reconciler pages through them). */
  queued(limit: number, afterId?: string): Promise<QueuedDocument[]>;
}

export interface ServiceRegistry {
  /** Services appear on first mention; the id is stable per (tenant, name). */
  ensure(tenantId: string, name: string): Promise<string>;
  find(tenantId: string, name: string): Promise<string | undefined>;
}

export interface ReleaseFilter {
  service?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

/** A change as intake stores it. */
export interface IntakeChange extends ChangeRecord {
  /** Whether the caller stated the time (else it is the release's): only a stated time can conflict. */
  createdAtGiven: boolean;
  /** The content hash of its diff document, when a diff came with it: another diff is a conflict. */
  diffHash: string | null;
}

export interface IntakeRelease {
  service: string;
  version: string;
  environment: string;
  strategy: string | null;
  flags: string[];
  externalId: string | null;
  commitRange: string | null;
  createdAt: Date;
  createdAtGiven: boolean;
  /** The token that registered it (kept from the first registration; not part of the content compared on a re-send). */
  registeredBy: string | null;
  changes: IntakeChange[];
  /** The change and diff documents, prepared; stored `queued` with their index jobs in the outbox. */
  documents: Omit<NewDocument, 'tenantId' | 'serviceId'>[];
}

/** What is stored already under the same service and version and change ids: what a re-send is compared with. */
export interface StoredIntake {
  release?: Pick<IntakeRelease, 'environment' | 'strategy' | 'flags' | 'externalId' | 'commitRange' | 'createdAt'> & {
    id: string;
    changeIds: string[];
  };
  changes: Map<string, Omit<IntakeChange, 'externalId' | 'createdAtGiven'>>;
}

/** The fields that differ, by record: what a 409 names. */
export interface IntakeDifference {
  release: string[];
  changes: { id: string; fields: string[] }[];
}

export interface IntakeOutcome {
  releaseId: string;
  created: boolean;
  /** Documents now waiting for their index job (new, failed before, or never indexed). */
  queuedDocuments: number;
}

/** A past release with its outcome (history import and the demo). */
export interface HistoryRelease {
  service: string;
  version: string;
  environment?: string;
  strategy?: string | null;
  externalId?: string | null;
  flags?: string[];
  metrics?: Record<string, number> | null;
  createdAt: Date;
  deployedAt?: Date | null;
  outcome: ReleaseOutcome;
  outcomeAt: Date;
  changes?: Omit<IntakeChange, 'createdAtGiven' | 'diffHash'>[];
}

export interface HistoryIncident {
  service: string;
  externalId: string;
  title: string;
  severity?: string | null;
  startedAt: Date;
  resolvedAt?: Date | null;
  /** The external id of the release that caused it (a history release's `externalId`). */
  causedByRelease?: string | null;
}

export interface ReleaseIntakeStore {
  /**
   * One transaction: the service, the release, its changes and their links,
   * the change documents (queued) and their index jobs (outbox). `differs`
   * is asked inside the transaction with what was stored before; when it
   * names a difference nothing is written and the difference is returned.
   * A release stored before with the same content gets its missing or failed
   * documents queued again: a retry repairs what an earlier attempt left.
   */
  intake(
    tenantId: string,
    r: IntakeRelease,
    differs: (stored: StoredIntake) => IntakeDifference | undefined,
  ): Promise<IntakeOutcome | { conflict: IntakeDifference }>;
  view(tenantId: string, releaseId: string): Promise<ReleaseDetail | undefined>;
  list(tenantId: string, q: ReleaseFilter): Promise<ReleaseView[]>;
  /** Newest first by creation (then id); `after` is where the page before ended. */
  page(tenantId: string, q: ReleaseFilter & { after?: PageKey }): Promise<Page<ReleaseView>>;
  /** Idempotent on (tenant, service, version); returns how many releases were new. */
  importHistory(tenantId: string, releases: HistoryRelease[]): Promise<number>;
  /** Idempotent on (tenant, external id); returns how many were new. */
  importIncidents(tenantId: string, incidents: HistoryIncident[]): Promise<number>;
  /** Sets when the release reached its environment, unless known already; false when there is no such release. */
  markDeployed(tenantId: string, releaseId: string, at: Date): Promise<boolean>;
}

export interface IngestStore {
  documents: DocumentStore;
  services: ServiceRegistry;
  releases: ReleaseIntakeStore;
  /** Large embedded loads build the vector index once at the end (see store/bulk-load.ts). */
  bulkLoad<T>(expectedChunks: number, load: () => Promise<T>): Promise<T>;
}
