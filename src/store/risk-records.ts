import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { FAILED_OUTCOMES, type ReleaseOutcome } from '../contracts/risk.js';
import { AppError } from '../contracts/errors.js';
import type { AssessmentLog, ModelRegistry, OutcomeLog } from '../risk/ports.js';
import { type Db, queryRows } from './database.js';
import { assessments, incidents, releases, riskModels } from './schema.js';
import { isUuid } from './sql-array.js';

/** The columns of a RiskModelRef (the row without its artifact). */
const MODEL_REF = {
  id: riskModels.id,
  version: riskModels.version,
  service: riskModels.service,
  algorithm: riskModels.algorithm,
  trainedAt: riskModels.trainedAt,
  n: riskModels.n,
};

/** Versioned model artifacts: one row per training run, never overwritten. */
export function modelRepo(db: Db): ModelRegistry {
  return {
    /** Versions count up per tenant; a concurrent trainer retries on the unique index. */
    async save(m) {
      for (let attempt = 0; ; attempt++) {
        const [row] = await queryRows<{ v: number }>(
          db,
          sql`select coalesce(max(version), 0)::int + 1 as v from risk_models where tenant_id = ${m.tenantId}`,
        );
        try {
          const [saved] = await db
            .insert(riskModels)
            .values({ ...m, version: row!.v })
            .returning({ id: riskModels.id, version: riskModels.version });
          return saved!;
        } catch (err) {
          if (attempt >= 3) throw err;
        }
      }
    },

    async latest(tenantId, service) {
      const [row] = await db
        .select(MODEL_REF)
        .from(riskModels)
        .where(
          and(
            eq(riskModels.tenantId, tenantId),
            eq(riskModels.status, 'serving'),
            or(eq(riskModels.service, service), isNull(riskModels.service)),
          ),
        )
        // A service's own model first (nulls sort last in ascending order), then the newest.
        .orderBy(asc(riskModels.service), desc(riskModels.version))
        .limit(1);
      return row;
    },

    async artifact(tenantId, id) {
      const [row] = await db
        .select({ artifact: riskModels.artifact })
        .from(riskModels)
        .where(and(eq(riskModels.tenantId, tenantId), eq(riskModels.id, id)));
      return row?.artifact;
    },

    async count(tenantId) {
      // Models that may serve: a rejected retrain is no model to answer with.
      return db.$count(riskModels, and(eq(riskModels.tenantId, tenantId), eq(riskModels.status, 'serving')));
    },

    async trainedOn(tenantId) {
      const [row] = await db
        .select({ n: riskModels.n })
        .from(riskModels)
        .where(and(eq(riskModels.tenantId, tenantId), isNull(riskModels.service)))
        .orderBy(desc(riskModels.version))
        .limit(1);
      return row?.n ?? 0;
    },

    async scoredOutcomes(tenantId, modelId, q) {
      if (!isUuid(modelId)) return [];
      const rows = await queryRows<{ probability: number; shift: number | null; outcome: string; outcome_at: Date }>(
        db,
        sql`select * from (
              select distinct on (a.release_id) a.probability, (a.body #>> '{model,selection,baseRate,shift}')::float8 as shift,
                     r.outcome, r.outcome_at
                from assessments a join releases r on r.id = a.release_id and r.tenant_id = a.tenant_id
               where a.tenant_id = ${tenantId} and a.model_id = ${modelId} and r.outcome is not null
                 and r.outcome_at >= ${q.since} and r.outcome_at < ${q.before}
               order by a.release_id, a.created_at desc) latest
            order by outcome_at desc limit ${q.limit}`,
      );
      return rows.map((r) => ({
        probability: Number(r.probability),
        shift: r.shift === null ? 0 : Number(r.shift),
        failed: FAILED_OUTCOMES.has(r.outcome as ReleaseOutcome),
        knownAt: new Date(r.outcome_at),
      }));
    },

    async list(tenantId, limit) {
      const rows = await db
        .select({
          ...MODEL_REF,
          dataUntil: riskModels.dataUntil,
          failures: riskModels.failures,
          status: riskModels.status,
          statusReason: riskModels.statusReason,
          // Only the report out of the artifact: a tree model's artifact is far larger than its report.
          selection: sql<unknown>`${riskModels.artifact} -> 'selection'`,
        })
        .from(riskModels)
        .where(eq(riskModels.tenantId, tenantId))
        .orderBy(desc(riskModels.version))
        .limit(limit);
      return rows.map((r) => {
        if (r.status !== 'serving' && r.status !== 'rejected')
          throw new AppError(
            'stored_record_unreadable',
            `risk model v${r.version} has status "${r.status}", neither serving nor rejected; set one of them, or restore it from a backup`,
            { retryable: false },
          );
        return { ...r, status: r.status, selection: r.selection ?? undefined };
      });
    },
  };
}

export function assessmentRepo(db: Db): AssessmentLog {
  return {
    async save(a) {
      await db.insert(assessments).values(a);
    },
    async latest(tenantId, releaseId) {
      if (!isUuid(releaseId)) return undefined;
      const [row] = await db
        .select({ body: assessments.body })
        .from(assessments)
        .where(and(eq(assessments.tenantId, tenantId), eq(assessments.releaseId, releaseId)))
        .orderBy(desc(assessments.createdAt))
        .limit(1);
      return row?.body;
    },
  };
}

export function outcomeRepo(db: Db): OutcomeLog {
  return {
    /** Features read outcome_at, so a late correction never reaches releases assessed before it. */
    async record(tenantId, releaseId, o) {
      if (!isUuid(releaseId)) return undefined;
      return db.transaction(async (t) => {
        const tx = t as unknown as Db;
        const updated = await tx
          .update(releases)
          .set({ outcome: o.outcome, outcomeAt: o.at })
          .where(and(eq(releases.tenantId, tenantId), eq(releases.id, releaseId)))
          .returning({ id: releases.id });
        if (updated.length === 0) return undefined;
        if (o.incidentIds.length === 0) return { linkedIncidents: 0 };
        const linked = await tx
          .update(incidents)
          .set({ causedByReleaseId: releaseId })
          .where(and(eq(incidents.tenantId, tenantId), inArray(incidents.externalId, o.incidentIds)))
          .returning({ id: incidents.id });
        return { linkedIncidents: linked.length };
      });
    },
    async count(tenantId) {
      const [row] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from releases where tenant_id = ${tenantId} and outcome is not null`,
      );
      return row?.n ?? 0;
    },
  };
}
