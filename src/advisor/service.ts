/**
 * The rollback advisor: telemetry in, a look at every batch and poll, the
 * advisory timeline, notifications when the recommended action changes, and
 * the decisions people record. It never acts on a release by itself: the
 * rollback hook is called only after a person decided to roll back.
 */
import { randomUUID } from 'node:crypto';
import {
  type Advisory,
  type DecisionAction,
  type DecisionInput,
  DEFAULT_METRICS,
  MetricConfig,
  type PrometheusSource,
  type RolloutRequest,
  RolloutStart,
  RolloutStop,
  type RolloutView,
  type TelemetrySample,
  type WebhookInput,
} from '../contracts/advisor.js';
import { AppError, NotFoundError, ValidationError } from '../contracts/errors.js';
import { type NotifyJob, POLL_JOB, type PollJob, pollJobId } from '../contracts/jobs.js';
import { RiskLevel } from '../contracts/risk.js';
import type { SearchHit } from '../contracts/search.js';
import type { JobQueue } from '../jobs/port.js';
import { overridesAdvice } from './decide.js';
import { RolloutStateError, TelemetryConflictError } from './errors.js';
import { buildAdvisory, evidenceRows, look, similarityQuery } from './evaluate.js';
import { prepareBatch } from './intake.js';
import { jsonPayload, slackPayload } from './notify.js';
import type {
  AdvisorRelease,
  AdvisorStore,
  ReasonWording,
  ReleasePolicy,
  Rollout,
  SimilarSearch,
  TelemetrySource,
  WebhookSender,
} from './ports.js';
import { verifyWording } from './wording.js';

/** Samples one look reads at most (the newest): 50 metrics × 2 groups × 2,000 points. */
export const MAX_LOOK_SAMPLES = 200_000;
/** Log lines one look reads at most per group (canary, baseline), the newest: templates are found in recent behaviour. */
export const MAX_LOOK_LOG_LINES = 5000;
/** Advisories `?history=true` returns at most (the newest). */
export const MAX_HISTORY = 1000;

export interface AdvisorDeps {
  store: AdvisorStore;
  similar: SimilarSearch;
  source?: TelemetrySource;
  sender: WebhookSender;
  queue?: JobQueue;
  /** Redacts secrets from free text (log lines) before anything is stored. */
  redact: (text: string) => string;
  /** The service's public address, for the links in notifications. */
  baseUrl: string;
  /** Refuses a name that looks like a secret (a service name is stored and shown as sent). */
  checkName?: (field: string, name: string) => string | undefined;
  /** How long a webhook may take to answer (default 5 s). */
  webhookTimeoutMs?: number;
  /** After a write that added outbox rows (notification jobs): hand them to the queue now. */
  afterCommit?: () => void;
  /** An LLM that words the reasons when the action changes (verified; the action never changes). */
  wording?: ReasonWording;
  llmTimeoutMs?: number;
  /** The release policy: a promotion or an override it does not allow is refused; advice says where the release stands. */
  policy?: ReleasePolicy;
  clock?: () => number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export function createAdvisorService(deps: AdvisorDeps) {
  const now = deps.clock ?? (() => Date.now());
  const { store } = deps;

  function nameIsPlain(service: string) {
    const problem = deps.checkName?.('service', service);
    if (problem) throw new ValidationError(problem);
  }

  async function releaseOf(tenantId: string, releaseId: string): Promise<AdvisorRelease> {
    const release = await store.telemetry.release(tenantId, releaseId);
    if (!release) throw new NotFoundError(`no release ${releaseId}`);
    return release;
  }

  /** The service's metric configuration, or the defaults. */
  async function metricsOf(tenantId: string, release: AdvisorRelease) {
    const configured = await store.serviceMetrics.get(tenantId, release.serviceId);
    return configured
      ? {
          metrics: configured.metrics,
          prometheus: (configured.prometheus as PrometheusSource | null) ?? null,
          defaults: false,
          updatedAt: configured.updatedAt,
        }
      : { metrics: DEFAULT_METRICS.map((m) => MetricConfig.parse(m)), prometheus: null, defaults: true, updatedAt: null };
  }

  async function similarTo(tenantId: string, release: AdvisorRelease, query: string | undefined, at: Date, procedure: string) {
    const none = { incidents: [] as SearchHit[], runbooks: [] as SearchHit[] };
    if (!query) return none;
    const asOf = at.toISOString();
    try {
      // The service's own incidents first (the same failure on the same service is the likeliest match), then the
      // tenant's; runbooks are often written for the platform, not one service, so they are searched tenant-wide.
      const [own, anywhere, runbooks] = await Promise.all([
        deps.similar.search(tenantId, { q: query, k: 2, kind: 'incident', service: release.service, asOf }),
        deps.similar.search(tenantId, { q: query, k: 3, kind: 'incident', asOf }),
        // A runbook is found by what to do (roll back a canary) as much as by the symptom.
        deps.similar.search(tenantId, { q: procedure, k: 8, kind: 'runbook', asOf }),
      ]);
      const incidents = [...own, ...anywhere.filter((h) => !own.some((o) => o.documentId === h.documentId))].slice(0, 3);
      return { incidents, runbooks: stepsOf(runbooks, 2) };
    } catch (err) {
      // Retrieval is context, not the verdict: the advisory stands without it, and says nothing it cannot cite.
      deps.log?.('similar-incident search failed; advisory made without it', { release: release.id, error: String(err) });
      return none;
    }
  }

  /** One look at the release's rollout, appended to its timeline; undefined when no watch is running. */
  async function evaluate(tenantId: string, releaseId: string): Promise<Advisory | undefined> {
    const release = await releaseOf(tenantId, releaseId);
    let rollout = await store.rollouts.get(tenantId, releaseId);
    if (!rollout || rollout.state === 'stopped') return undefined;
    const nowMs = now();
    if (rollout.state === 'promoted_watch' && nowMs > (rollout.stoppedAt?.getTime() ?? 0) + rollout.watchAfterPromotionSeconds * 1000) {
      rollout = { ...rollout, state: 'stopped' };
      await store.rollouts.put(rollout);
      return undefined;
    }
    const [{ series, truncated }, logs, previous, level, last] = await Promise.all([
      store.telemetry.series(tenantId, releaseId, { untilMs: nowMs, limit: MAX_LOOK_SAMPLES }),
      store.telemetry.logs(tenantId, releaseId, MAX_LOOK_LOG_LINES),
      store.telemetry.previousRelease(tenantId, release),
      store.risk.latestLevel(tenantId, releaseId),
      store.advisories.latest(tenantId, releaseId),
    ]);
    const previousLogs = previous ? await store.telemetry.logs(tenantId, previous.id, MAX_LOOK_LOG_LINES) : [];
    const riskLevel = RiskLevel.safeParse(level).data ?? null;
    // The judge's memory belongs to one watch and one phase: a watch started again (after an abort) starts afresh.
    const samePhase =
      last &&
      last.state.watch === rollout.watchId &&
      last.advisory.phase === (rollout.state === 'promoted_watch' ? 'after_promotion' : 'rollout');
    const result = look({
      rollout,
      nowMs,
      series,
      logs,
      previousLogs: previousLogs.length > 0 ? previousLogs : null,
      riskLevel,
      state: samePhase ? withoutWatch(last.state) : undefined,
      truncated,
    });
    const at = new Date(nowMs);
    // The runbook query names what to do (roll back a canary deployment): symptoms find runbooks for other failures
    // that share a word (a "latency" runbook for a cache stampede), while the procedure is what on-call needs now.
    const procedure = `${result.action === 'rollback' ? 'rollback procedure' : 'halt and mitigate'} ${rollout.strategy.replace('_', ' ')} deployments`;
    const similar = await similarTo(tenantId, release, similarityQuery(result, release.service), at, procedure);
    // Whether the action changed is decided by the store, under its per-release lock; the webhooks are the candidates.
    const hooks = await store.webhooks.forService(tenantId, release.serviceId, 'notify');
    const { advisory, changed } = await store.advisories.append(tenantId, releaseId, {
      createdAt: at,
      state: { ...result.state, watch: rollout.watchId },
      evidence: evidenceRows(result, at),
      build: ({ advisoryId, sequence, evidenceIds }) =>
        buildAdvisory({ id: advisoryId, sequence, releaseId, result, evidenceIds, similar, riskLevel, createdAt: at }),
      notify: hooks.map((h) => ({ webhookId: h.id })),
    });
    // Words matter when the action changes (that is what people are notified of): only then is an LLM asked.
    const worded = changed ? await word(tenantId, release, advisory) : advisory;
    if (changed && hooks.length > 0) deps.afterCommit?.();
    return worded;
  }

  async function word(tenantId: string, release: AdvisorRelease, advisory: Advisory): Promise<Advisory> {
    if (!deps.wording) return advisory;
    const input = {
      release: { service: release.service, version: release.version },
      action: advisory.action,
      confidence: advisory.confidence,
      reasons: advisory.reasons,
      evidence: advisory.evidence,
    };
    try {
      const raw = await deps.wording.word(input, AbortSignal.timeout(deps.llmTimeoutMs ?? 8000));
      const verified = verifyWording(raw, input);
      if (verified.dropped.length > 0)
        deps.log?.('advisor wording: claims dropped', { advisory: advisory.id, dropped: verified.dropped.map((d) => d.why) });
      if (verified.kept === 0) return advisory;
      await store.advisories.setReasons(tenantId, advisory.id, verified.reasons);
      return { ...advisory, reasons: verified.reasons, reasonsBy: 'llm' };
    } catch (err) {
      // No LLM, a slow one or a refusal: the deterministic reasons stand (they were stored with the advisory).
      deps.log?.('advisor wording failed; deterministic reasons kept', { advisory: advisory.id, error: String(err) });
      return advisory;
    }
  }

  return {
    evaluate,

    async ingest(
      tenantId: string,
      releaseId: string,
      body: { samples: TelemetrySample[]; logs: { group: 'canary' | 'baseline'; ts?: number | undefined; line: string }[] },
    ) {
      await releaseOf(tenantId, releaseId);
      const batch = prepareBatch(body, { nowMs: now(), redact: deps.redact });
      const saved = await store.telemetry.addSamples(tenantId, releaseId, batch.samples);
      if (saved.conflicts.length > 0) {
        const c = saved.conflicts[0]!;
        throw new TelemetryConflictError(
          `${saved.conflicts.length} sample(s) were stored before with another value, e.g. ${c.metric}/${c.group} at ${new Date(c.tsMs).toISOString()}: stored ${c.stored}, sent ${c.sent}; nothing of this batch was stored`,
          { conflicts: saved.conflicts.slice(0, 20).map((x) => ({ ...x, ts: new Date(x.tsMs).toISOString() })) },
        );
      }
      const logLines = await store.telemetry.addLogs(tenantId, releaseId, batch.logs);
      const advisory = (await evaluate(tenantId, releaseId)) ?? null;
      return { stored: saved.stored, duplicates: saved.duplicates + batch.repeatedInBatch, logLines, advisory };
    },

    async rollout(tenantId: string, releaseId: string, input: RolloutRequest): Promise<RolloutView> {
      const release = await releaseOf(tenantId, releaseId);
      const current = await store.rollouts.get(tenantId, releaseId);
      if (input.action === 'stop') {
        const stop = RolloutStop.parse(input);
        if (!current || current.state === 'stopped') throw new RolloutStateError(`release ${releaseId} has no running watch to stop`);
        const stoppedAt = new Date(now());
        const next: Rollout = {
          ...current,
          stoppedAt,
          state:
            stop.result === 'promoted' && current.state === 'watching' && current.watchAfterPromotionSeconds > 0
              ? 'promoted_watch'
              : 'stopped',
        };
        await store.rollouts.put(next);
        return view(next);
      }
      const start = RolloutStart.parse(input);
      const configured = await metricsOf(tenantId, release);
      const next: Rollout = {
        releaseId,
        tenantId,
        watchId: randomUUID(),
        state: 'watching',
        strategy: start.strategy,
        canaryWeight: start.canaryWeight ?? null,
        startedAt: start.startedAt ? new Date(start.startedAt) : new Date(now()),
        stoppedAt: null,
        minDurationSeconds: start.minDurationSeconds,
        watchAfterPromotionSeconds: start.watchAfterPromotionSeconds,
        metrics: start.metrics ?? configured.metrics,
        prometheus: start.prometheus ?? configured.prometheus,
      };
      checkMetrics(next.metrics);
      await store.rollouts.put(next);
      return view(next);
    },

    async advice(tenantId: string, releaseId: string, history: boolean) {
      await releaseOf(tenantId, releaseId);
      const [rollout, latest, policy] = await Promise.all([
        store.rollouts.get(tenantId, releaseId),
        store.advisories.latest(tenantId, releaseId),
        deps.policy?.verdict(tenantId, releaseId),
      ]);
      return {
        ...(policy ? { policy } : {}),
        rollout: rollout ? view(rollout) : null,
        latest: latest?.advisory ?? null,
        ...(history ? { history: await store.advisories.history(tenantId, releaseId, MAX_HISTORY) } : {}),
      };
    },

    async decide(
      tenantId: string,
      releaseId: string,
      actor: string,
      input: DecisionInput & { action: DecisionAction; advisoryId?: string | undefined },
    ) {
      const release = await releaseOf(tenantId, releaseId);
      const answered = input.advisoryId
        ? await store.advisories.get(tenantId, input.advisoryId)
        : await store.advisories.latest(tenantId, releaseId);
      if (input.advisoryId && (!answered || answered.advisory.releaseId !== releaseId))
        throw new NotFoundError(`no advisory ${input.advisoryId} for release ${releaseId}`);
      await deps.policy?.beforeDecision(tenantId, releaseId, actor, input.action);
      const advised = answered?.advisory.action ?? null;
      const decision = await store.decisions.add(tenantId, {
        releaseId,
        action: input.action,
        reason: deps.redact(input.reason),
        actor,
        advisoryId: answered?.advisory.id ?? null,
        advised,
        overridesAdvice: overridesAdvice(advised, input.action),
        createdAt: new Date(now()),
      });
      if (input.action !== 'rollback') return decision;
      // The rollback hook runs only here: after a person's recorded decision, never on the advice alone.
      const hooks = await store.webhooks.forService(tenantId, release.serviceId, 'rollback_hook');
      // The service's own hook before a tenant-wide one; among equals, the newest.
      const hook = hooks.filter((h) => h.serviceId !== null).at(-1) ?? hooks.at(-1);
      if (!hook) return decision;
      const answer = await deps.sender.post(
        hook.url,
        {
          event: 'rollback.decided',
          release: { id: release.id, service: release.service, version: release.version },
          decision: { id: decision.id, actor, reason: decision.reason, advisoryId: decision.advisoryId },
        },
        { timeoutMs: deps.webhookTimeoutMs ?? 5000 },
      );
      await store.decisions.setHook(tenantId, decision.id, answer);
      return { ...decision, hook: answer };
    },

    async decisions(tenantId: string, releaseId: string) {
      await releaseOf(tenantId, releaseId);
      return store.decisions.list(tenantId, releaseId, 1000);
    },

    async serviceMetrics(tenantId: string, service: string) {
      // Reading creates nothing: an unknown service has the defaults.
      const serviceId = (await store.serviceMetrics.find(tenantId, service)) ?? '00000000-0000-0000-0000-000000000000';
      const m = await metricsOf(tenantId, { id: '', serviceId, service, version: '', createdAt: new Date(0) });
      return {
        service,
        defaults: m.defaults,
        metrics: m.metrics,
        prometheus: masked(m.prometheus),
        updatedAt: m.updatedAt?.toISOString() ?? null,
      };
    },

    async setServiceMetrics(
      tenantId: string,
      service: string,
      input: { metrics: MetricConfig[]; prometheus?: PrometheusSource | undefined },
    ) {
      checkMetrics(input.metrics);
      nameIsPlain(service);
      const serviceId = await store.serviceMetrics.service(tenantId, service);
      const updatedAt = await store.serviceMetrics.put(tenantId, serviceId, {
        metrics: input.metrics,
        prometheus: input.prometheus ?? null,
      });
      return {
        service,
        defaults: false,
        metrics: input.metrics,
        prometheus: masked(input.prometheus ?? null),
        updatedAt: updatedAt.toISOString(),
      };
    },

    async addWebhook(
      tenantId: string,
      input: Required<Pick<WebhookInput, 'url'>> & {
        format: 'slack' | 'json';
        purpose: 'notify' | 'rollback_hook';
        service?: string | undefined;
      },
    ) {
      if (input.service) nameIsPlain(input.service);
      const serviceId = input.service ? await store.serviceMetrics.service(tenantId, input.service) : null;
      return store.webhooks.add(tenantId, { serviceId, url: input.url, format: input.format, purpose: input.purpose });
    },
    listWebhooks: (tenantId: string) => store.webhooks.list(tenantId),
    removeWebhook: (tenantId: string, id: string) => store.webhooks.remove(tenantId, id),

    /** The notification job: one advisory to one webhook; a failed delivery throws so the queue retries it with backoff. */
    async notify(job: NotifyJob, ctx: { attempt: number }) {
      const [hook, stored] = await Promise.all([
        store.webhooks.get(job.tenantId, job.webhookId),
        store.advisories.get(job.tenantId, job.advisoryId),
      ]);
      if (!hook || !stored) return { skipped: !hook ? 'webhook removed' : 'advisory gone' };
      const release = await releaseOf(job.tenantId, stored.advisory.releaseId);
      const previousAction = await store.advisories.actionBefore(job.tenantId, release.id, stored.advisory.sequence);
      const input = { release, advisory: stored.advisory, previousAction, baseUrl: deps.baseUrl };
      const answer = await deps.sender.post(hook.url, hook.format === 'slack' ? slackPayload(input) : jsonPayload(input), {
        timeoutMs: deps.webhookTimeoutMs ?? 5000,
      });
      await store.notifications.record(job.tenantId, {
        webhookId: hook.id,
        advisoryId: stored.advisory.id,
        state: answer.ok ? 'sent' : 'retrying',
        attempts: ctx.attempt,
        result: answer,
      });
      if (!answer.ok) {
        throw new AppError('unavailable', `webhook ${hook.id} answered ${answer.detail}`);
      }
      return answer;
    },

    async notifyFailed(job: NotifyJob, failure: { message: string }) {
      await store.notifications.record(job.tenantId, {
        webhookId: job.webhookId,
        advisoryId: job.advisoryId,
        state: 'failed',
        attempts: -1,
        result: { detail: failure.message },
      });
    },

    /** The poll job: the rollout's Prometheus source since the watch began, stored, then a look. */
    async poll(job: PollJob) {
      const rollout = await store.rollouts.get(job.tenantId, job.releaseId);
      if (!rollout || rollout.state === 'stopped' || !rollout.prometheus || !deps.source) return { polled: false };
      const to = now();
      // Rolling and blue/green compare with before the deploy: read an equal stretch before it.
      const from = rollout.startedAt.getTime() - (rollout.strategy === 'canary' ? 0 : Math.max(to - rollout.startedAt.getTime(), 600_000));
      let polled: { samples: TelemetrySample[]; problems: string[] };
      try {
        polled = await deps.source.poll(rollout.prometheus, { from, to });
      } catch (err) {
        // A Prometheus that is down brings no samples: the look still runs, and the judge reports the data as
        // stale (insufficient_data or needs_human), never as a pass.
        polled = { samples: [], problems: [`prometheus unreachable: ${(err as Error).message}`] };
      }
      const batch = prepareBatch({ samples: polled.samples.filter((x) => x.ts <= to), logs: [] }, { nowMs: to, redact: deps.redact });
      // Prometheus revises its newest steps (a rate over a window still filling): a re-polled point replaces the stored one.
      const saved = await store.telemetry.addSamples(job.tenantId, job.releaseId, batch.samples, { replace: true });
      if (polled.problems.length > 0)
        deps.log?.('prometheus poll problems', { release: job.releaseId, problems: polled.problems.slice(0, 10) });
      const advisory = await evaluate(job.tenantId, job.releaseId);
      return {
        polled: true,
        stored: saved.stored,
        conflicts: saved.conflicts.length,
        problems: polled.problems.length,
        action: advisory?.action ?? null,
      };
    },

    /** Enqueues a poll for every watched rollout with a source whose period has come (called by a timer). */
    async pollDue() {
      if (!deps.queue) return 0;
      let n = 0;
      for (const r of await store.rollouts.polled(1000)) {
        const period = (r.prometheus?.stepSeconds ?? 30) * 1000;
        const bucket = Math.floor(now() / period) * period;
        await deps.queue.enqueue<PollJob>(
          POLL_JOB,
          { tenantId: r.tenantId, releaseId: r.releaseId },
          { jobId: pollJobId(r.releaseId, bucket), attempts: 1 },
        );
        n++;
      }
      return n;
    },

    /**
     * What Argo Rollouts and Flagger read: the latest advisory and the latest decision of a release, named by id
     * or as the service's watched rollout (none yet: no advisory, which the integrations answer as `none`).
     */
    async integrationState(tenantId: string, q: { release?: string | undefined; service?: string | undefined }) {
      let releaseId = q.release;
      if (!releaseId) {
        const watched = await store.rollouts.watchedFor(tenantId, q.service ?? '');
        if (!watched) return { releaseId: null, advisory: null, decision: null, policy: null };
        releaseId = watched.releaseId;
      }
      await releaseOf(tenantId, releaseId);
      // A controller asking is a look: advice computed before the data stopped coming must not stand as a pass,
      // so a watched rollout is judged again now (stale data makes it insufficient_data).
      const fresh = await evaluate(tenantId, releaseId);
      const [latest, last, verdict] = await Promise.all([
        fresh ? undefined : store.advisories.latest(tenantId, releaseId),
        store.decisions.latestStanding(tenantId, releaseId),
        deps.policy?.verdict(tenantId, releaseId),
      ]);
      return {
        releaseId,
        advisory: fresh ?? latest?.advisory ?? null,
        decision: last ? { action: last.action, advised: last.advised } : null,
        policy: verdict ? { allows: verdict.state === 'allowed' || verdict.state === 'overridden', missing: verdict.missing } : null,
      };
    },
  };
}

/** A chunk that holds a runbook's steps: a Steps/Procedure section, or a numbered list. */
const STEPS = /(^|>\s*|\n)\s*(steps|procedure|mitigation|how to roll ?back)\b|(^|\n|\s)1\.\s/i;

/**
 * The runbooks found (chunk hits, best first), one hit per document, at most `n`: for each, its chunk with the
 * steps when the search found one, else its best chunk. On-call needs what to do, not the runbook's links.
 */
export function stepsOf(hits: readonly SearchHit[], n: number): SearchHit[] {
  const docs = [...new Set(hits.map((h) => h.documentId))].slice(0, n);
  return docs.map((d) => {
    const mine = hits.filter((h) => h.documentId === d);
    return mine.find((h) => STEPS.test(h.snippet)) ?? mine[0]!;
  });
}

/** A count's denominator must be configured too (the rate test needs it): said at configuration time, not at the first look. */
function checkMetrics(metrics: readonly MetricConfig[]) {
  const names = new Set(metrics.map((m) => m.name));
  if (names.size !== metrics.length) throw new ValidationError('metrics: each metric name may appear once');
  for (const m of metrics) {
    if (m.denominator && m.denominator === m.name) throw new ValidationError(`metrics.${m.name}: a metric cannot be its own denominator`);
  }
}

/** The judge's own state, without the watch id the service keeps beside it. */
function withoutWatch(state: Record<string, unknown>): Record<string, unknown> {
  const { watch: _watch, ...rest } = state;
  return rest;
}

function view(r: Rollout): RolloutView {
  return {
    releaseId: r.releaseId,
    state: r.state,
    strategy: r.strategy,
    canaryWeight: r.canaryWeight,
    startedAt: r.startedAt.toISOString(),
    stoppedAt: r.stoppedAt?.toISOString() ?? null,
    minDurationSeconds: r.minDurationSeconds,
    watchAfterPromotionSeconds: r.watchAfterPromotionSeconds,
    metrics: r.metrics,
    prometheus: masked(r.prometheus),
  };
}

/** A source as views show it: a password (or token) in the URL is never sent back. */
function masked(p: PrometheusSource | null): PrometheusSource | null {
  if (!p) return null;
  try {
    const u = new URL(p.url);
    if (!u.username && !u.password) return p;
    u.username = u.username ? '***' : '';
    u.password = u.password ? '***' : '';
    return { ...p, url: u.toString() };
  } catch {
    return p;
  }
}

export type AdvisorService = ReturnType<typeof createAdvisorService>;
