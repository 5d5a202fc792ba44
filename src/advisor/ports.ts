/**
 * What the advisor reads and writes, in its own terms. `store/` implements
 * the storage interfaces and `connectors/` the outbound HTTP ones (Prometheus,
 * webhooks); `app.ts` hands them in. Nothing in advisor/ knows tables,
 * drivers or sockets.
 */
import type {
  Advisory,
  AdvisorAction,
  DecisionAction,
  RecordedAction,
  MetricConfig,
  MetricGroup,
  PrometheusSource,
  RolloutStrategy,
  TelemetrySample,
  WatchState,
} from '../contracts/advisor.js';
import type { PolicyVerdict } from '../contracts/governance.js';
import type { SearchHit, SearchQuery } from '../contracts/search.js';
import type { Series } from './judge/types.js';

export type { Series } from './judge/types.js';
export type { ReasonWording, WordingInput } from './wording.js';

/** What one Prometheus poll brought: samples, and what was wrong with the answer (never thrown for bad data). */
export interface PolledTelemetry {
  samples: TelemetrySample[];
  /** One line per problem (a query that failed, a value that was not a number, an empty answer). */
  problems: string[];
}

/** A telemetry source polled while a rollout is watched (connectors/prometheus.ts implements it). */
export interface TelemetrySource {
  /** Samples in [from, to] (epoch ms) for every query of the source; throws an AppError `unavailable` when the server cannot be reached at all. */
  poll(source: PrometheusSource, range: { from: number; to: number }): Promise<PolledTelemetry>;
}

/** The answer of an outbound HTTP call (a webhook, the rollback hook): recorded, never thrown. */
export interface OutboundResult {
  ok: boolean;
  /** The HTTP status, or null when there was no answer (refused, timed out). */
  status: number | null;
  /** A short readable account: "200 OK", "timed out after 5000 ms", the first 500 characters of an error body. */
  detail: string;
}

/** Posts JSON to a URL with a timeout (connectors/webhook.ts implements it). */
export interface WebhookSender {
  post(url: string, body: unknown, opts: { timeoutMs: number; headers?: Record<string, string> }): Promise<OutboundResult>;
}

// ---- Storage: store/ implements these ------------------------------------------------------------------------------

/** A release as the advisor sees it. */
export interface AdvisorRelease {
  id: string;
  serviceId: string;
  service: string;
  version: string;
  createdAt: Date;
}

/** A deploy-log line as stored (already redacted). */
export interface StoredLogLine {
  group: 'canary' | 'baseline';
  tsMs: number | null;
  line: string;
}

/** A sample stored before with another value: the re-send conflicts, and nothing of the batch is written. */
export interface SampleConflict {
  metric: string;
  group: MetricGroup;
  tsMs: number;
  stored: number;
  sent: number;
}

export interface TelemetryStore {
  release(tenantId: string, releaseId: string): Promise<AdvisorRelease | undefined>;
  /** The service's release created just before this one (its logs are the "previous release" of log signatures). */
  previousRelease(tenantId: string, release: AdvisorRelease): Promise<AdvisorRelease | undefined>;
  /**
   * Stores the samples in one transaction, keyed by (release, metric, group, time): one already stored with
   * the same value counts as a duplicate; one stored with another value is a conflict, and then nothing is written.
   */
  addSamples(
    tenantId: string,
    releaseId: string,
    samples: ReadonlyArray<{ metric: string; group: MetricGroup; tsMs: number; value: number }>,
    /** replace: a sample stored with another value takes the new one (a source that revises its newest points). */
    opts?: { replace?: boolean },
  ): Promise<{ stored: number; duplicates: number; conflicts: SampleConflict[] }>;
  /** Stores log lines keyed by `key` (a re-sent line counts once); answers how many were new. */
  addLogs(tenantId: string, releaseId: string, lines: ReadonlyArray<StoredLogLine & { key: string }>): Promise<number>;
  /** The release's samples up to `untilMs`, one series per (metric, group), time order; at most `limit` samples in all (the newest). */
  series(tenantId: string, releaseId: string, q: { untilMs: number; limit: number }): Promise<{ series: Series[]; truncated: boolean }>;
  /** The release's newest log lines, at most `perGroup` of the canary's and as many of the baseline's, oldest first. */
  logs(tenantId: string, releaseId: string, perGroup: number): Promise<Omit<StoredLogLine, 'tsMs'>[]>;
}

export interface Rollout {
  releaseId: string;
  tenantId: string;
  /** A new id at every start: advisories of an earlier watch of the release do not carry their memory into it. */
  watchId: string;
  state: WatchState;
  strategy: RolloutStrategy;
  canaryWeight: number | null;
  startedAt: Date;
  stoppedAt: Date | null;
  minDurationSeconds: number;
  watchAfterPromotionSeconds: number;
  metrics: MetricConfig[];
  prometheus: PrometheusSource | null;
}

export interface RolloutStore {
  get(tenantId: string, releaseId: string): Promise<Rollout | undefined>;
  /** Creates or replaces the release's watch. */
  put(r: Rollout): Promise<void>;
  /** The service's rollout being watched (or watched after promotion) that started last: what Argo and Flagger ask about by service. */
  watchedFor(tenantId: string, service: string): Promise<Rollout | undefined>;
  /** Watches with a Prometheus source that are still watched (any tenant): what the poller polls. */
  polled(limit: number): Promise<Rollout[]>;
}

export interface ServiceMetricsStore {
  get(tenantId: string, serviceId: string): Promise<{ metrics: MetricConfig[]; prometheus: unknown; updatedAt: Date } | undefined>;
  put(tenantId: string, serviceId: string, v: { metrics: MetricConfig[]; prometheus: unknown }): Promise<Date>;
  /** The service's id by name, created if new (a configuration may come before the first release). */
  service(tenantId: string, name: string): Promise<string>;
  /** The service's id by name, if it exists. */
  find(tenantId: string, name: string): Promise<string | undefined>;
}

/** What an advisory cites that is not a document: stored with it, opened at /v1/evidence. */
export interface AdvisoryEvidenceRow {
  kind: 'window' | 'logsig';
  title: string;
  text: string;
  occurredAt: Date;
}

export interface StoredAdvisory {
  advisory: Advisory;
  state: Record<string, unknown>;
}

/** A notification job to enqueue with the advisory (through the outbox, in the same transaction). */
export interface NotifyJobRow {
  webhookId: string;
}

export interface AdvisoryLog {
  latest(tenantId: string, releaseId: string): Promise<StoredAdvisory | undefined>;
  get(tenantId: string, advisoryId: string): Promise<StoredAdvisory | undefined>;
  /** The timeline, oldest first, at most `limit` (the newest). */
  history(tenantId: string, releaseId: string, limit: number): Promise<Advisory[]>;
  /**
   * Appends the advisory (its sequence is the next one), stores its evidence rows and gives each the id that
   * `build` then writes into the body, and, when its action differs from the advisory stored just before it,
   * writes the notification jobs to the outbox: in one transaction, one release's appends one at a time.
   */
  append(
    tenantId: string,
    releaseId: string,
    input: {
      createdAt: Date;
      state: Record<string, unknown>;
      evidence: AdvisoryEvidenceRow[];
      build: (ids: { advisoryId: string; sequence: number; evidenceIds: string[] }) => Advisory;
      /** The webhooks to notify if the action changed. */
      notify: NotifyJobRow[];
    },
  ): Promise<{ advisory: Advisory; changed: boolean; previousAction: string | null }>;
  /** The action of the release's advisory just before this sequence (null for the first). */
  actionBefore(tenantId: string, releaseId: string, sequence: number): Promise<AdvisorAction | null>;
  /** Completes a stored advisory with verified LLM wording (its reasons and `reasonsBy` only). */
  setReasons(tenantId: string, advisoryId: string, reasons: Advisory['reasons']): Promise<void>;
}

export interface Decision {
  id: string;
  releaseId: string;
  action: RecordedAction;
  reason: string;
  actor: string;
  advisoryId: string | null;
  /** The assessment an `approve` or `reject` answered (recorded by governance in the same log). */
  assessmentId: string | null;
  advised: AdvisorAction | null;
  overridesAdvice: boolean;
  hook: { status: number | null; ok: boolean; detail: string } | null;
  /** Set on an `approve_notes` decision (recorded by the notes service in the same log). */
  notesVersion: number | null;
  createdAt: Date;
}

export interface DecisionLog {
  add(
    tenantId: string,
    d: Omit<Decision, 'id' | 'hook' | 'notesVersion' | 'action' | 'assessmentId'> & { action: DecisionAction },
  ): Promise<Decision>;
  /** Records the rollback hook's answer on the decision (the only field ever written after the insert). */
  setHook(tenantId: string, decisionId: string, hook: NonNullable<Decision['hook']>): Promise<void>;
  list(tenantId: string, releaseId: string, limit: number): Promise<Decision[]>;
  /** The newest decision that stands for the integrations (an `override` changes no answer), if any. */
  latestStanding(tenantId: string, releaseId: string): Promise<(Decision & { action: DecisionAction }) | undefined>;
}

export interface Webhook {
  id: string;
  serviceId: string | null;
  url: string;
  format: 'slack' | 'json';
  purpose: 'notify' | 'rollback_hook';
}

export interface WebhookRegistry {
  add(tenantId: string, w: Omit<Webhook, 'id'>): Promise<Webhook>;
  remove(tenantId: string, id: string): Promise<boolean>;
  /** The tenant's webhooks of this purpose that apply to the service (its own and the tenant-wide ones). */
  forService(tenantId: string, serviceId: string | null, purpose: Webhook['purpose']): Promise<Webhook[]>;
  list(tenantId: string): Promise<Webhook[]>;
  get(tenantId: string, id: string): Promise<Webhook | undefined>;
}

export interface NotificationLog {
  record(
    tenantId: string,
    n: { webhookId: string; advisoryId: string; state: 'sent' | 'retrying' | 'failed'; attempts: number; result: unknown },
  ): Promise<void>;
  list(tenantId: string, advisoryId: string): Promise<{ webhookId: string; state: string; attempts: number; result: unknown }[]>;
}

/** The release's latest risk level, when it was assessed (context: a high-risk release gets a stricter threshold). */
export interface RiskContext {
  latestLevel(tenantId: string, releaseId: string): Promise<string | undefined>;
}

/** Hybrid retrieval as of a time (retrieval/ implements it): similar past incidents and runbooks. */
export interface SimilarSearch {
  search(tenantId: string, q: SearchQuery): Promise<SearchHit[]>;
}

export interface AdvisorStore {
  telemetry: TelemetryStore;
  rollouts: RolloutStore;
  serviceMetrics: ServiceMetricsStore;
  advisories: AdvisoryLog;
  decisions: DecisionLog;
  webhooks: WebhookRegistry;
  notifications: NotificationLog;
  risk: RiskContext;
}

/**
 * The release policy, as the advisor asks it (governance answers; app.ts
 * wires it): what a release may do now, and a refusal before a promotion or
 * an emergency override the policy does not allow.
 */
export interface ReleasePolicy {
  verdict(tenantId: string, releaseId: string): Promise<PolicyVerdict>;
  /** Throws (409 `policy_unmet`, 403) when the policy does not allow this decision by this person now. */
  beforeDecision(tenantId: string, releaseId: string, actor: string, action: DecisionAction): Promise<void>;
}
