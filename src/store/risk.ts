import { and, asc, desc, eq, getTableColumns, isNull, or, sql } from 'drizzle-orm';
import { queryRows, type Db } from './database.js';
import { assessments, riskModels } from './schema.js';

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
}

export interface StoredRiskModel extends NewRiskModel {
  id: string;
  version: number;
}

/** A model's row without its artifact (which only needs reading once per model). */
export type RiskModelRef = Omit<StoredRiskModel, 'artifact'>;

export interface NewAssessment {
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

/** Versioned model artifacts and stored assessments. */
export function riskRepo(db: Db) {
  return {
    /** Versions count up per tenant; a concurrent trainer retries on the unique index. */
    async saveModel(m: NewRiskModel): Promise<StoredRiskModel> {
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
          return { ...m, ...saved! };
        } catch (err) {
          if (attempt >= 3) throw err;
        }
      }
    },

    /** The newest model for the service, else the newest tenant-wide one; without the artifact. */
    async latestModel(tenantId: string, service: string): Promise<RiskModelRef | undefined> {
      const { artifact: _artifact, ...columns } = getTableColumns(riskModels);
      const [row] = await db
        .select(columns)
        .from(riskModels)
        .where(and(eq(riskModels.tenantId, tenantId), or(eq(riskModels.service, service), isNull(riskModels.service))))
        // A service's own model first (nulls sort last in ascending order), then the newest.
        .orderBy(asc(riskModels.service), desc(riskModels.version))
        .limit(1);
      return row as RiskModelRef | undefined;
    },

    async modelArtifact(tenantId: string, id: string): Promise<unknown> {
      const [row] = await db
        .select({ artifact: riskModels.artifact })
        .from(riskModels)
        .where(and(eq(riskModels.tenantId, tenantId), eq(riskModels.id, id)));
      return row?.artifact;
    },

    async listModels(tenantId: string, limit = 20): Promise<StoredRiskModel[]> {
      const rows = await db
        .select()
        .from(riskModels)
        .where(eq(riskModels.tenantId, tenantId))
        .orderBy(desc(riskModels.version))
        .limit(limit);
      return rows as StoredRiskModel[];
    },

    async saveAssessment(a: NewAssessment): Promise<void> {
      await db.insert(assessments).values(a);
    },

    async latestAssessment(tenantId: string, releaseId: string): Promise<unknown | undefined> {
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
