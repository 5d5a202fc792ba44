import { createHash } from 'node:crypto';
import { createAdvisorService } from './advisor/service.js';
import type { Config } from './config.js';
import { createPrometheusSource } from './connectors/prometheus.js';
import { createWebhookSender } from './connectors/webhook.js';
import type { Embedder } from './contracts/embedder.js';
import {
  INDEX_JOB,
  type IndexJob,
  NOTIFY_JOB,
  type NotifyJob,
  POLL_JOB,
  type PollJob,
  TRAIN_JOB,
  type TrainJob,
} from './contracts/jobs.js';
import { createGovernanceService } from './governance/service.js';
import { createSessionService } from './governance/sessions.js';
import { createTokenService } from './governance/tokens.js';
import type { DecisionInput } from './contracts/advisor.js';
import { HashingEmbedder } from './ingest/embed/hashing.js';
import { redactText, secretInName, storedIdentifier } from './ingest/redact-fields.js';
import { createReleaseIntake } from './ingest/releases.js';
import { createIngestService } from './ingest/service.js';
import { createJobQueue } from './jobs/index.js';
import { createOutboxRelay } from './jobs/outbox.js';
import { type Repeating, repeat } from './jobs/repeat.js';
import type { JobQueue } from './jobs/port.js';
import { createOpenAIEmbedder } from './llm/embeddings.js';
import { createLlmAdvisorWording } from './llm/advisor-reasons.js';
import { createLlmNotesWording } from './llm/notes-wording.js';
import { createLlmReasonWriter } from './llm/risk-reasons.js';
import { createLogger, type Logger } from './log.js';
import { createEvidenceResolver } from './retrieval/evidence.js';
import { createRetrieval } from './retrieval/search.js';
import { notesLearning } from './notes/learning.js';
import { createNotesService } from './notes/service.js';
import { rewordingWith } from './notes/wording.js';
import { createRiskService } from './risk/service.js';
import {
  createStore,
  type Database,
  type DatabaseTarget,
  ensureIndexConfig,
  openDatabase,
  type ReembedProgress,
  reembedAll,
} from './store/index.js';

/** How often a process with a queue hands outbox entries to it (besides right after each write). */
const OUTBOX_EVERY_MS = 5000;
/** How often a worker compares queued documents with the job queue (besides at start). */
const RECONCILE_EVERY_MS = 60_000;
/** How often a worker looks for watched rollouts whose Prometheus poll is due (each polls at its own step). */
const POLL_CHECK_EVERY_MS = 5000;

export interface AppOptions {
  /** Process indexing jobs in this process (serve when embedded, worker). */
  startWorker: boolean;
  /** Tests hand in a prepared database (e.g. a PGlite template) instead of the configured one. */
  database?: Database;
  queueName?: string;
  logger?: Logger;
  /** Tests hand in an embedder of their own (e.g. one that fails on cue) instead of the configured one. */
  embedder?: Embedder;
  /** Tests shorten the outbox relay's and the reconciler's periods (ms). */
  sweep?: { outboxEveryMs?: number; reconcileEveryMs?: number; pollCheckEveryMs?: number };
  /** Tests set the advisor's clock (epoch ms). */
  clock?: () => number;
}

export function buildEmbedder(config: Config): Embedder {
  if (config.embedder.provider === 'openai') {
    return createOpenAIEmbedder({
      ...(config.llm.baseURL ? { baseURL: config.llm.baseURL } : {}),
      ...(config.llm.apiKey ? { apiKey: config.llm.apiKey } : {}),
      model: config.embedder.model,
      dimension: config.embedder.dimension,
    });
  }
  return new HashingEmbedder({ dimension: config.embedder.dimension });
}

function databaseTarget(config: Config): DatabaseTarget {
  return config.database.kind === 'pglite'
    ? { kind: 'pglite', dataDir: config.database.dataDir }
    : { kind: 'postgres', url: config.database.url };
}

/**
 * Wires the parts together: the only place that knows every folder. The
 * capability folders get small interfaces (store, embedder, queue) from here.
 */
export async function createApp(config: Config, opts: AppOptions) {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const database = opts.database ?? (await openDatabase(databaseTarget(config)));
  let queue: JobQueue | undefined;
  try {
    await database.migrate();
    const embedder = opts.embedder ?? buildEmbedder(config);
    await ensureIndexConfig(database.db, { embedder: embedder.id, dimension: embedder.dimension });
    const store = createStore(database);
    queue = createJobQueue({
      ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
      queueName: opts.queueName ?? config.queueName,
      log: (msg, fields) => logger.info(msg, fields as Record<string, unknown>),
    });
    const relay = createOutboxRelay({
      source: store.outbox,
      queue,
      log: (msg, fields) => logger.warn(msg, fields as Record<string, unknown>),
    });
    // An in-process queue runs jobs only where a worker runs; elsewhere (one-shot CLI commands) entries stay in
    // the outbox for the next process that has one, instead of vanishing with this process's memory.
    const relays = opts.startWorker || queue.kind === 'bullmq';
    const ingest = createIngestService({
      store: store.ingest,
      embedder,
      queue,
      log: logger.warn,
      ...(relays ? { handOver: () => relay.drain() } : {}),
    });
    const releases = createReleaseIntake({
      store: store.releases,
      // Not awaited: the release is committed whatever the queue does now; a failed hand-over is retried by the timer.
      afterCommit: () => {
        if (relays) relay.drain().catch((err: unknown) => logger.warn('outbox relay failed; will retry', { error: String(err) }));
      },
    });
    const retrieval = createRetrieval({ chunks: store.chunks, services: store.services, embedder });
    const evidence = createEvidenceResolver(store.evidence);
    const tokens = createTokenService(store);
    const risk = createRiskService({
      store: store.risk,
      embedder,
      evidenceSearch: retrieval,
      policy: config.riskPolicy,
      reasonWriter: config.llm.enabled
        ? createLlmReasonWriter({
            ...(config.llm.baseURL ? { baseURL: config.llm.baseURL } : {}),
            ...(config.llm.apiKey ? { apiKey: config.llm.apiKey } : {}),
            model: config.llm.chatModel,
            timeoutMs: config.llm.timeoutMs,
          })
        : undefined,
      llmTimeoutMs: config.llm.timeoutMs,
      queue,
      storedIdentifier,
    });
    const governance = createGovernanceService({ store: store.governance, ...(opts.clock ? { clock: opts.clock } : {}) });
    const advisor = createAdvisorService({
      store: store.advisor,
      similar: retrieval,
      source: createPrometheusSource(),
      sender: createWebhookSender(),
      queue,
      redact: redactText,
      checkName: secretInName,
      baseUrl: config.publicUrl,
      webhookTimeoutMs: config.webhookTimeoutMs,
      afterCommit: () => {
        if (relays) relay.drain().catch((err: unknown) => logger.warn('outbox relay failed; will retry', { error: String(err) }));
      },
      ...(config.llm.enabled
        ? {
            wording: createLlmAdvisorWording({
              ...(config.llm.baseURL ? { baseURL: config.llm.baseURL } : {}),
              ...(config.llm.apiKey ? { apiKey: config.llm.apiKey } : {}),
              model: config.llm.chatModel,
              timeoutMs: config.llm.timeoutMs,
            }),
            llmTimeoutMs: config.llm.timeoutMs,
          }
        : {}),
      // The release policy: a promotion it does not allow, or an override by someone it does not name, is refused.
      policy: {
        verdict: (tenantId, releaseId) => governance.verdict(tenantId, releaseId),
        async beforeDecision(tenantId, releaseId, actor, action) {
          if (action === 'promote') await governance.checkPromotion(tenantId, releaseId);
          if (action === 'override') await governance.checkOverride(tenantId, releaseId, actor);
        },
      },
      ...(opts.clock ? { clock: opts.clock } : {}),
      log: (msg, fields) => logger.warn(msg, fields ?? {}),
    });
    /**
     * One way to record what a person decided on a release, for the API and
     * the console alike: approvals and rejections are governance's, rollout
     * decisions the advisor's; both land in one decision log and one audit
     * chain. A rollback decision on a release without an outcome records it
     * as rolled back (the label the risk model and the evals learn from).
     */
    async function decide(auth: { tenantId: string; tokenName: string }, releaseId: string, input: DecisionInput) {
      const { tenantId, tokenName } = auth;
      if (input.action === 'approve' || input.action === 'reject') {
        const { assessmentLevel: _level, ...recorded } = await governance.approve(tenantId, releaseId, tokenName, {
          ...input,
          action: input.action,
        });
        return {
          ...recorded,
          action: input.action,
          advised: null,
          overridesAdvice: false,
          hook: null,
          notesVersion: null,
        };
      }
      const decision = await advisor.decide(tenantId, releaseId, tokenName, { ...input, action: input.action });
      // The labels a decision implies, written after it (the decision stands whatever happens to them; a failure is
      // logged with the decision's id, and the label can be recorded by hand: POST /v1/releases/:id/outcome).
      try {
        if (input.action === 'rollback') {
          const release = await releases.get(tenantId, releaseId);
          // Never before the release was created (an outcome cannot precede its release; clocks may disagree).
          const at = new Date(Math.max(decision.createdAt.getTime(), Date.parse(release.createdAt)));
          if (release.outcome === null) await risk.recordOutcome(tenantId, releaseId, { outcome: 'rolled_back', at: at.toISOString() });
        }
        // A promotion a person recorded is the deploy DORA counts (a release imported with its deploy time keeps it).
        if (input.action === 'promote') await releases.markDeployed(tenantId, releaseId, decision.createdAt);
      } catch (err) {
        logger.error('recording what a decision implies failed; the decision stands', {
          decisionId: decision.id,
          action: input.action,
          error: String(err),
        });
      }
      return decision;
    }
    const sessions = createSessionService({ store: store.sessions, tokens });
    const notes = createNotesService({
      store: store.notes,
      runbooks: retrieval,
      learning: notesLearning({ fingerprint: (text) => createHash('sha256').update(text).digest('hex') }),
      ...(config.llm.enabled
        ? {
            reword: rewordingWith(
              createLlmNotesWording({
                ...(config.llm.baseURL ? { baseURL: config.llm.baseURL } : {}),
                ...(config.llm.apiKey ? { apiKey: config.llm.apiKey } : {}),
                model: config.llm.chatModel,
                timeoutMs: config.llm.timeoutMs,
              }),
              { timeoutMs: config.llm.timeoutMs, log: (m, f) => logger.warn(m, f ?? {}) },
            ),
          }
        : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
      log: (msg, fields) => logger.warn(msg, fields ?? {}),
    });
    queue.register<IndexJob, unknown>(INDEX_JOB, (payload, ctx) => ingest.indexDocument(payload, ctx), {
      onFailed: (payload, failure) => ingest.indexFailed(payload, failure),
    });
    queue.register<TrainJob, unknown>(TRAIN_JOB, async ({ tenantId }) => {
      const summary = await risk.train(tenantId);
      return { trained: summary.trained.map((t) => ({ service: t.service, version: t.version, n: t.n })) };
    });
    queue.register<NotifyJob, unknown>(NOTIFY_JOB, (payload, ctx) => advisor.notify(payload, ctx), {
      onFailed: (payload, failure) => advisor.notifyFailed(payload, failure),
    });
    queue.register<PollJob, unknown>(POLL_JOB, (payload) => advisor.poll(payload));
    // Every process with a queue relays the outbox (API nodes and workers, BullMQ or in-process): jobs written
    // with a commit reach the queue even if the writer crashed before handing them over.
    if (relays) relay.start(opts.sweep?.outboxEveryMs ?? OUTBOX_EVERY_MS);
    let reconciler: Repeating | undefined;
    let poller: Repeating | undefined;
    if (opts.startWorker) {
      await queue.startWorker({ concurrency: config.workerConcurrency });
      // Queued documents whose job was lost (an in-process queue dies with its process) or failed without
      // telling the document (the process died in between) get their job again: at start, and then on a timer.
      reconciler = repeat(
        opts.sweep?.reconcileEveryMs ?? RECONCILE_EVERY_MS,
        () => ingest.reconcile(),
        (err) => logger.warn('reconciling queued documents failed; will retry', { error: String(err) }),
      );
      await reconciler.first;
      // Watched rollouts with a Prometheus source are polled by jobs: a timer enqueues one per rollout and period.
      poller = repeat(
        opts.sweep?.pollCheckEveryMs ?? POLL_CHECK_EVERY_MS,
        () => advisor.pollDue(),
        (err) => logger.warn('enqueueing telemetry polls failed; will retry', { error: String(err) }),
      );
    }
    const q = queue;
    return {
      config,
      logger,
      database,
      store,
      embedder,
      queue: q,
      ingest,
      retrieval,
      evidence,
      tokens,
      releases,
      risk,
      advisor,
      notes,
      governance,
      decide,
      sessions,
      /** The clock tests set (epoch ms); absent: the system clock. */
      clock: opts.clock,
      relay,
      /** Graceful: the relay and the reconciler stop, in-flight jobs finish, then the database closes. */
      async close() {
        await poller?.stop();
        await reconciler?.stop();
        await relay.stop();
        await q.close();
        await database.close();
      },
    };
  } catch (err) {
    await queue?.close().catch(() => {});
    await database.close().catch(() => {});
    throw err;
  }
}

export type App = Awaited<ReturnType<typeof createApp>>;

/**
 * `shipcheck reembed`: rebuilds every chunk's vector with the configured
 * embedder and records it. The database is opened without the embedder
 * check that createApp makes: changing the embedder is the point.
 */
export async function reembed(config: Config, onProgress: (p: ReembedProgress) => void) {
  const database = await openDatabase(databaseTarget(config));
  try {
    await database.migrate();
    const embedder = buildEmbedder(config);
    const chunks = await reembedAll(database.db, embedder, onProgress);
    return { embedder, chunks };
  } finally {
    await database.close();
  }
}
