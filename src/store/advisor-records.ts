import { auditDecision } from './audit.js';
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import {
  type Advisory,
  type AdvisorAction,
  DecisionAction,
  type RecordedAction,
  type MetricConfig,
  type PrometheusSource,
  type RolloutStrategy,
  type WatchState,
} from '../contracts/advisor.js';
import { NOTIFY_ATTEMPTS, NOTIFY_JOB, notifyJobId } from '../contracts/jobs.js';
import type {
  AdvisoryLog,
  Decision,
  DecisionLog,
  NotificationLog,
  RiskContext,
  Rollout,
  RolloutStore,
  ServiceMetricsStore,
  Webhook,
  WebhookRegistry,
} from '../advisor/ports.js';
import { type Db, queryRows } from './database.js';
import { addToOutbox } from './outbox.js';
import {
  advisories,
  advisoryEvidence,
  assessments,
  decisions,
  notifications,
  releases,
  rollouts,
  serviceMetrics,
  services,
  webhooks,
} from './schema.js';
import { isUuid } from './sql-array.js';
import { ensureService } from './tenants.js';

type RolloutRow = typeof rollouts.$inferSelect;
const toRollout = (r: RolloutRow): Rollout => ({
  releaseId: r.releaseId,
  tenantId: r.tenantId,
  watchId: r.watchId,
  state: r.state as WatchState,
  strategy: r.strategy as RolloutStrategy,
  canaryWeight: r.canaryWeight,
  startedAt: r.startedAt,
  stoppedAt: r.stoppedAt,
  minDurationSeconds: r.minDurationSeconds,
  watchAfterPromotionSeconds: r.watchAfterPromotionSeconds,
  metrics: r.metrics as MetricConfig[],
  prometheus: (r.prometheus as PrometheusSource | null) ?? null,
});

export function rolloutRepo(db: Db): RolloutStore {
  return {
    async get(tenantId, releaseId) {
      if (!isUuid(releaseId)) return undefined;
      const [r] = await db
        .select()
        .from(rollouts)
        .where(and(eq(rollouts.tenantId, tenantId), eq(rollouts.releaseId, releaseId)));
      return r && toRollout(r);
    },
    async put(r) {
      const values = { ...r, updatedAt: new Date() };
      await db.insert(rollouts).values(values).onConflictDoUpdate({ target: rollouts.releaseId, set: values });
    },
    async watchedFor(tenantId, service) {
      const [r] = await db
        .select({ r: rollouts })
        .from(rollouts)
        .innerJoin(releases, eq(releases.id, rollouts.releaseId))
        .innerJoin(services, eq(services.id, releases.serviceId))
        .where(and(eq(rollouts.tenantId, tenantId), eq(services.name, service), sql`${rollouts.state} <> 'stopped'`))
        .orderBy(desc(rollouts.startedAt))
        .limit(1);
      return r && toRollout(r.r);
    },
    async polled(limit) {
      const rows = await db
        .select()
        .from(rollouts)
        .where(and(sql`${rollouts.prometheus} is not null`, sql`${rollouts.state} <> 'stopped'`))
        .orderBy(asc(rollouts.updatedAt))
        .limit(limit);
      return rows.map(toRollout);
    },
  };
}

export function serviceMetricsRepo(db: Db): ServiceMetricsStore {
  return {
    async get(tenantId, serviceId) {
      const [r] = await db
        .select()
        .from(serviceMetrics)
        .where(and(eq(serviceMetrics.tenantId, tenantId), eq(serviceMetrics.serviceId, serviceId)));
      return r && { metrics: r.metrics as MetricConfig[], prometheus: r.prometheus, updatedAt: r.updatedAt };
    },
    async put(tenantId, serviceId, v) {
      const updatedAt = new Date();
      const values = { tenantId, serviceId, metrics: v.metrics, prometheus: v.prometheus ?? null, updatedAt };
      await db.insert(serviceMetrics).values(values).onConflictDoUpdate({ target: serviceMetrics.serviceId, set: values });
      return updatedAt;
    },
    service: (tenantId, name) => ensureService(db, tenantId, name),
    async find(tenantId, name) {
      const [r] = await db
        .select({ id: services.id })
        .from(services)
        .where(and(eq(services.tenantId, tenantId), eq(services.name, name)));
      return r?.id;
    },
  };
}

type AdvisoryRow = { body: unknown; judge_state: unknown };

export function advisoryRepo(db: Db): AdvisoryLog {
  return {
    async latest(tenantId, releaseId) {
      if (!isUuid(releaseId)) return undefined;
      const [r] = await queryRows<AdvisoryRow>(
        db,
        sql`select body, judge_state from advisories where tenant_id = ${tenantId} and release_id = ${releaseId}
            order by sequence desc limit 1`,
      );
      return r && { advisory: r.body as Advisory, state: r.judge_state as Record<string, unknown> };
    },
    async get(tenantId, advisoryId) {
      if (!isUuid(advisoryId)) return undefined;
      const [r] = await queryRows<AdvisoryRow>(
        db,
        sql`select body, judge_state from advisories where tenant_id = ${tenantId} and id = ${advisoryId}`,
      );
      return r && { advisory: r.body as Advisory, state: r.judge_state as Record<string, unknown> };
    },
    async history(tenantId, releaseId, limit) {
      if (!isUuid(releaseId)) return [];
      const rows = await queryRows<{ body: unknown }>(
        db,
        sql`select body from (select body, sequence from advisories where tenant_id = ${tenantId} and release_id = ${releaseId}
            order by sequence desc limit ${limit}) t order by sequence`,
      );
      return rows.map((r) => r.body as Advisory);
    },
    async actionBefore(tenantId, releaseId, sequence) {
      const [r] = await queryRows<{ action: AdvisorAction }>(
        db,
        sql`select action from advisories where tenant_id = ${tenantId} and release_id = ${releaseId} and sequence < ${sequence}
            order by sequence desc limit 1`,
      );
      return r?.action ?? null;
    },
    async setReasons(tenantId, advisoryId, reasons) {
      await db.execute(
        sql`update advisories set body = jsonb_set(jsonb_set(body, '{reasons}', ${JSON.stringify(reasons)}::jsonb), '{reasonsBy}', '"llm"'::jsonb)
            where tenant_id = ${tenantId} and id = ${advisoryId}`,
      );
    },
    async append(tenantId, releaseId, input) {
      return db.transaction(async (t) => {
        const tx = t as unknown as Db;
        // One look of a release at a time (a batch and a poll, or two API nodes): the lock orders them, so each
        // takes the next sequence and sees the action of the one before it when deciding whether to notify.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`advisory:${releaseId}`}))`);
        const [prev] = await queryRows<{ next: number; action: string | null }>(
          tx,
          sql`select coalesce(max(sequence), 0)::int + 1 as next,
                     (select action from advisories where release_id = ${releaseId} order by sequence desc limit 1) as action
              from advisories where release_id = ${releaseId}`,
        );
        const sequence = prev!.next;
        const [row] = await tx
          .insert(advisories)
          .values({ tenantId, releaseId, sequence, action: 'pending', body: {}, judgeState: input.state, createdAt: input.createdAt })
          .returning({ id: advisories.id });
        const advisoryId = row!.id;
        const evidenceIds: string[] = [];
        for (const e of input.evidence) {
          const [ev] = await tx
            .insert(advisoryEvidence)
            .values({ tenantId, advisoryId, ...e })
            .returning({ id: advisoryEvidence.id });
          evidenceIds.push(ev!.id);
        }
        const advisory = input.build({ advisoryId, sequence, evidenceIds });
        await tx.update(advisories).set({ action: advisory.action, body: advisory }).where(eq(advisories.id, advisoryId));
        const changed = prev!.action !== advisory.action;
        // Notified only when the action changed from the one stored just before, decided under the lock.
        if (changed)
          await addToOutbox(
            tx,
            input.notify.map((n) => ({
              tenantId,
              job: NOTIFY_JOB,
              jobId: notifyJobId(n.webhookId, advisoryId),
              payload: { tenantId, webhookId: n.webhookId, advisoryId },
              attempts: NOTIFY_ATTEMPTS,
            })),
          );
        return { advisory, changed, previousAction: prev!.action };
      });
    },
  };
}

type DecisionRow = Omit<typeof decisions.$inferSelect, 'seq'>;
/**
 * The rollout decisions the integrations follow: an `override` or an `acknowledge` changes no answer; an approval
 * (of a release or its notes) is not about the rollout.
 */
const STANDING = DecisionAction.options.filter((a) => a !== 'override' && a !== 'acknowledge');
const toDecision = (r: DecisionRow): Decision => ({
  id: r.id,
  releaseId: r.releaseId,
  action: r.action as RecordedAction,
  reason: r.reason,
  actor: r.actor,
  advisoryId: r.advisoryId,
  assessmentId: r.assessmentId,
  advised: r.advised as AdvisorAction | null,
  overridesAdvice: r.overridesAdvice,
  hook: (r.hook as Decision['hook']) ?? null,
  notesVersion: r.notesVersion,
  createdAt: r.createdAt,
});

export function decisionRepo(db: Db): DecisionLog {
  return {
    /** The decision and its audit entry commit together. */
    async add(tenantId, d) {
      return db.transaction(async (tx) => {
        const [r] = await tx
          .insert(decisions)
          .values({ tenantId, ...d })
          .returning();
        await auditDecision(tx, r!);
        return toDecision(r!);
      });
    },
    async setHook(tenantId, decisionId, hook) {
      await db
        .update(decisions)
        .set({ hook })
        .where(and(eq(decisions.tenantId, tenantId), eq(decisions.id, decisionId)));
    },
    async latestStanding(tenantId, releaseId) {
      if (!isUuid(releaseId)) return undefined;
      const [r] = await db
        .select()
        .from(decisions)
        .where(and(eq(decisions.tenantId, tenantId), eq(decisions.releaseId, releaseId), inArray(decisions.action, STANDING)))
        .orderBy(desc(decisions.seq))
        .limit(1);
      return r && (toDecision(r) as Decision & { action: DecisionAction });
    },
    async list(tenantId, releaseId, limit) {
      if (!isUuid(releaseId)) return [];
      const rows = await db
        .select()
        .from(decisions)
        .where(and(eq(decisions.tenantId, tenantId), eq(decisions.releaseId, releaseId)))
        .orderBy(asc(decisions.seq))
        .limit(limit);
      return rows.map(toDecision);
    },
  };
}

type WebhookRow = typeof webhooks.$inferSelect;
const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id,
  serviceId: r.serviceId,
  url: r.url,
  format: r.format as Webhook['format'],
  purpose: r.purpose as Webhook['purpose'],
});

export function webhookRepo(db: Db): WebhookRegistry {
  return {
    async add(tenantId, w) {
      const [r] = await db
        .insert(webhooks)
        .values({ tenantId, ...w })
        .returning();
      return toWebhook(r!);
    },
    async remove(tenantId, id) {
      if (!isUuid(id)) return false;
      const rows = await db
        .delete(webhooks)
        .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, id)))
        .returning({ id: webhooks.id });
      return rows.length > 0;
    },
    async forService(tenantId, serviceId, purpose) {
      const rows = await db
        .select()
        .from(webhooks)
        .where(
          and(
            eq(webhooks.tenantId, tenantId),
            eq(webhooks.purpose, purpose),
            serviceId ? or(isNull(webhooks.serviceId), eq(webhooks.serviceId, serviceId)) : isNull(webhooks.serviceId),
          ),
        )
        .orderBy(asc(webhooks.createdAt), asc(webhooks.id));
      return rows.map(toWebhook);
    },
    async list(tenantId) {
      const rows = await db.select().from(webhooks).where(eq(webhooks.tenantId, tenantId)).orderBy(asc(webhooks.createdAt));
      return rows.map(toWebhook);
    },
    async get(tenantId, id) {
      if (!isUuid(id)) return undefined;
      const [r] = await db
        .select()
        .from(webhooks)
        .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, id)));
      return r && toWebhook(r);
    },
  };
}

export function notificationRepo(db: Db): NotificationLog {
  return {
    async record(tenantId, n) {
      const values = { tenantId, ...n, updatedAt: new Date() };
      await db
        .insert(notifications)
        .values(values)
        .onConflictDoUpdate({ target: [notifications.webhookId, notifications.advisoryId], set: values });
    },
    async list(tenantId, advisoryId) {
      if (!isUuid(advisoryId)) return [];
      return db
        .select({
          webhookId: notifications.webhookId,
          state: notifications.state,
          attempts: notifications.attempts,
          result: notifications.result,
        })
        .from(notifications)
        .where(and(eq(notifications.tenantId, tenantId), eq(notifications.advisoryId, advisoryId)));
    },
  };
}

export function riskContextRepo(db: Db): RiskContext {
  return {
    async latestLevel(tenantId, releaseId) {
      if (!isUuid(releaseId)) return undefined;
      const [r] = await db
        .select({ level: assessments.level })
        .from(assessments)
        .where(and(eq(assessments.tenantId, tenantId), eq(assessments.releaseId, releaseId)))
        .orderBy(desc(assessments.createdAt))
        .limit(1);
      return r?.level;
    },
  };
}
