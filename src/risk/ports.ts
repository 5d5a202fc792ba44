/**
 * What the risk capability reads and writes, in its own terms. `store/`
 * implements these interfaces and `app.ts` hands them in; nothing in risk/
 * knows tables, drivers or the store's row types. Tests hand in fakes for
 * the pure parts and the real store for the contract.
 */
import type { ChangeRecord, ChangedFile, ReleaseOutcome } from '../contracts/risk.js';
import type { ChunkHit, SearchHit, SearchQuery } from '../contracts/search.js';

// The reason-writer port (an LLM adapter implements it) and the refusal it may raise.
export type { ReasonInput, ReasonWriter } from './reasons/types.js';

/** A release as risk scoring sees it. */
export interface RiskRelease {
  id: string;
  serviceId: string;
  service: string;
  version: string;
  strategy: string | null;
  flags: string[];
  /** Precomputed change metrics (imported history); null when they come from the changes. */
  metrics: Record<string, number> | null;
  createdAt: Date;
  outcome: ReleaseOutcome | null;
  /** When the outcome became known: features as of t only see outcomes known before t. */
  outcomeAt: Date | null;
}

/** A change (commit or PR) shipped by a release, with its stored id. */
export interface RiskChange extends ChangeRecord {
  id: string;
}

/** A change and one release that ships it (a change shipped twice appears once per release). */
export type ShippedChange = RiskChange & { releaseId: string };

/** An earlier change of a service: the file and author history of a release. */
export interface EarlierChange {
  id: string;
  title: string;
  author: string | null;
  createdAt: Date;
  files: ChangedFile[];
  /** The first release of the service that shipped it (created before the time asked; ties by id): whose outcome it carries. */
  releaseId: string;
  releasedAt: Date;
  /** That release's outcome when it was recorded before the time asked, else null: a later outcome must not leak into the past. */
  outcome: ReleaseOutcome | null;
}

/** A past release's outcome, with when it became known. */
export interface PastOutcome {
  releaseId: string;
  serviceId: string;
  createdAt: Date;
  outcome: ReleaseOutcome;
  outcomeAt: Date;
}

export interface PastIncident {
  id: string;
  externalId: string;
  title: string;
  severity: string | null;
  startedAt: Date;
  causedByReleaseId: string | null;
  /** The first chunk of the incident's own document, when one was ingested and occurred by then (evidence a person can open). */
  document?: IncidentChunk;
}

export interface IncidentChunk {
  chunkId: string;
  documentId: string;
  text: string;
  occurredAt: Date;
}

/**
 * What the outcome history says as of a time, read as aggregates: never the
 * tenant's whole history. Only releases created and with an outcome known
 * before `before` count, and never the release being assessed.
 */
export interface OutcomeWindow {
  /** Across the tenant: outcomes known, and how many were failures (the smoothing prior). */
  tenant: { known: number; failed: number };
  /** The service's latest known outcomes, oldest first (at most `recent`). */
  recent: PastOutcome[];
}

export interface OutcomeWindowQuery {
  before: Date;
  serviceId: string;
  recent: number;
  excludeReleaseId: string;
}

/** A release that ships the change a document describes, with its outcome if it was known by then. */
export interface DocumentRelease {
  releaseId: string;
  /** Whether the release was created before the time asked. */
  earlier: boolean;
  /** Its outcome, when it was known before the time asked (else null). */
  outcome: ReleaseOutcome | null;
}

export interface EarlierChangesQuery {
  /** Changes a release of this service shipped (a change shipped by two services is history for both). */
  serviceId: string;
  before: Date;
  /** Changes that touched one of these paths, */
  paths: string[];
  /** or were made by one of these authors; */
  authors: string[];
  /** never the release's own changes; */
  excludeChangeIds: string[];
  /** the newest this many (a hot file or a bot author must not read years of history). */
  limit: number;
}

/**
 * The reads of one assessment, each bounded to one release: its changes,
 * the history of the files and authors it touches, an outcome window,
 * incidents, and the links from documents back to releases.
 */
export interface ReleaseHistory {
  release(tenantId: string, releaseId: string): Promise<RiskRelease | undefined>;
  releases(tenantId: string, releaseIds: string[]): Promise<RiskRelease[]>;
  /** The changes of these releases, oldest first. */
  changesOf(tenantId: string, releaseIds: string[]): Promise<ShippedChange[]>;
  /**
   * Changes shipped by a release of the service created before `before`, made before it, touching the paths or by the authors; newest first.
   * Each carries the first such release and its outcome as known before `before`.
   */
  earlierChanges(tenantId: string, q: EarlierChangesQuery): Promise<EarlierChange[]>;
  outcomeWindow(tenantId: string, q: OutcomeWindowQuery): Promise<OutcomeWindow>;
  /**
   * The releases each change or diff document belongs to (a re-landed change: several), each with its
   * outcome when it was known before `before` (created and outcome recorded before it).
   */
  documentReleases(tenantId: string, documentIds: string[], before: Date): Promise<Map<string, DocumentRelease[]>>;
  /** Incidents on the service that started in [since, before), newest first, with their document as of `before`. */
  incidents(tenantId: string, q: { serviceId: string; since: Date; before: Date }): Promise<PastIncident[]>;
  /** Incidents these releases caused that had started before `before`, with their document as of then. */
  incidentsCausedBy(tenantId: string, releaseIds: string[], before: Date): Promise<PastIncident[]>;
}

/**
 * The tenant's whole history up to a time (every release; training keeps
 * those with an outcome), read once: the context of every release is then
 * cut from it in memory by the same filters the per-release reads apply
 * (snapshot.ts), instead of querying again per release.
 */
export interface HistorySnapshot {
  releases: RiskRelease[];
  /** Every change once per release that ships it (`serviceId`: that release's service). */
  changes: (ShippedChange & { serviceId: string })[];
  incidents: (PastIncident & { serviceId: string })[];
}

export interface TrainingHistory {
  /** Every release created up to `until`, oldest first, with its changes and the tenant's incidents. */
  snapshot(tenantId: string, until: Date): Promise<HistorySnapshot>;
}

/** Nearest chunks by vector, as of a time: the one similarity search an assessment makes. */
export interface ChunkNeighbours {
  /** `breadth`: how many candidates the vector index examines (HNSW ef_search); fewer is faster and less exact. */
  nearest(q: { tenantId: string; asOf: Date; breadth: number }, vector: number[], k: number): Promise<ChunkHit[]>;
}

/** Hybrid retrieval that reuses vector candidates already found (retrieval/ implements it). */
export interface EvidenceSearch {
  search(tenantId: string, q: SearchQuery, opts: { vectorHits: readonly ChunkHit[]; serviceId: string }): Promise<SearchHit[]>;
}

export interface NewRiskModel {
  tenantId: string;
  service: string | null;
  algorithm: string;
  trainedAt: Date;
  dataUntil: Date;
  n: number;
  failures: number;
  artifact: unknown;
  metrics: Record<string, unknown>;
  /** `rejected`: it failed validation; it is kept, flagged, and never serves. */
  status: 'serving' | 'rejected';
  statusReason: string | null;
}

export interface ScoredOutcome {
  probability: number;
  /** The base-rate shift in that answer (0 when none was applied). */
  shift: number;
  failed: boolean;
  knownAt: Date;
}

/** A stored model as listed: its row, and the validation report out of its artifact (undefined when it has none). */
export interface StoredModelSummary extends RiskModelRef {
  dataUntil: Date;
  failures: number;
  status: 'serving' | 'rejected';
  statusReason: string | null;
  selection: unknown;
}

/** A stored model without its artifact (read once per model, then cached). */
export interface RiskModelRef {
  id: string;
  version: number;
  service: string | null;
  algorithm: string;
  trainedAt: Date;
  n: number;
}

/** Versioned model artifacts: one row per training run, never overwritten. */
export interface ModelRegistry {
  save(m: NewRiskModel): Promise<{ id: string; version: number }>;
  /** The newest serving model for the service, else the newest serving tenant-wide one (a rejected retrain never serves). */
  latest(tenantId: string, service: string): Promise<RiskModelRef | undefined>;
  /** The tenant's models, newest first. */
  list(tenantId: string, limit: number): Promise<StoredModelSummary[]>;
  /**
   * Outcomes of releases this model assessed that became known in [since, before), newest first, at most
   * `limit`: each with the probability the model gave and the base-rate shift it applied then (its latest
   * assessment of the release). What moves the model's base-rate layer between retrains.
   */
  scoredOutcomes(tenantId: string, modelId: string, q: { since: Date; before: Date; limit: number }): Promise<ScoredOutcome[]>;
  artifact(tenantId: string, modelId: string): Promise<unknown>;
  count(tenantId: string): Promise<number>;
  /** How many labelled releases the newest tenant-wide model was trained on (0 without one). */
  trainedOn(tenantId: string): Promise<number>;
}

export interface StoredAssessmentRow {
  id: string;
  createdAt: Date;
  tenantId: string;
  releaseId: string;
  modelId: string | null;
  probability: number;
  level: string;
  recommendation: string;
  body: unknown;
}

/** Every assessment as returned, kept for audit and for "the latest". Bodies are versioned JSON. */
export interface AssessmentLog {
  save(a: StoredAssessmentRow): Promise<void>;
  latest(tenantId: string, releaseId: string): Promise<unknown | undefined>;
}

/** Outcomes are the labels the model learns from. */
export interface OutcomeLog {
  /** Records (or corrects) the outcome and links the incidents it caused, in one transaction; undefined if no such release. */
  record(
    tenantId: string,
    releaseId: string,
    o: { outcome: ReleaseOutcome; at: Date; incidentIds: string[] },
  ): Promise<{ linkedIncidents: number } | undefined>;
  count(tenantId: string): Promise<number>;
}

/** Everything risk/ needs from storage, in one object app.ts builds from the store. */
export interface RiskStore {
  history: ReleaseHistory;
  training: TrainingHistory;
  chunks: ChunkNeighbours;
  models: ModelRegistry;
  assessments: AssessmentLog;
  outcomes: OutcomeLog;
}
