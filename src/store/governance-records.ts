import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { PolicyDocument } from '../contracts/governance.js';
import type { RiskLevel } from '../contracts/risk.js';
import type {
  ApprovalLog,
  AssessmentRank,
  GovernedAssessment,
  DecisionLabels,
  DoraSource,
  GovernanceReleases,
  PolicyStore,
  RecordedDecision,
  SessionStore,
  StoredPolicy,
} from '../governance/ports.js';
import { appendAudit, auditDecision } from './audit.js';
import { type Db, queryRows } from './database.js';
import {
  apiTokens,
  assessments,
  changes,
  consoleFormUses,
  consoleSessions,
  decisions,
  incidents,
  policies,
  releaseChanges,
  releases,
  riskModels,
  services,
  tenants,
} from './schema.js';
import { isUuid } from './sql-array.js';
import { isUniqueViolation } from './unique-violation.js';

type PolicyRow = typeof policies.$inferSelect;
const toPolicy = (r: PolicyRow): StoredPolicy => ({
  service: r.service,
  version: r.version,
  document: r.document as PolicyDocument,
  yaml: r.yaml,
  actor: r.actor,
  reason: r.reason,
  createdAt: r.createdAt,
});

export function policyRepo(db: Db): PolicyStore {
  const latest = async (tx: Db, tenantId: string, service: string) => {
    const [r] = await tx
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, tenantId), eq(policies.service, service)))
      .orderBy(desc(policies.version))
      .limit(1);
    return r && toPolicy(r);
  };
  return {
    latest: (tenantId, service) => latest(db, tenantId, service),
    async list(tenantId) {
      const rows = await db
        .selectDistinctOn([policies.service])
        .from(policies)
        .where(eq(policies.tenantId, tenantId))
        .orderBy(policies.service, desc(policies.version));
      return rows.map(toPolicy);
    },
    async history(tenantId, service) {
      const rows = await db
        .select()
        .from(policies)
        .where(and(eq(policies.tenantId, tenantId), eq(policies.service, service)))
        .orderBy(asc(policies.version));
      return rows.map(toPolicy);
    },
    /** The version and its `policy_change` audit entry commit together; the audit lock also orders policy writers. */
    async put(tenantId, p) {
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`policy:${tenantId}:${p.service}`}, 0))`);
        const current = await latest(tx, tenantId, p.service);
        if ((current?.version ?? 0) !== p.expectedVersion) return { conflict: current };
        const [r] = await tx
          .insert(policies)
          .values({
            tenantId,
            service: p.service,
            version: p.expectedVersion + 1,
            document: p.document,
            yaml: p.yaml,
            actor: p.actor,
            reason: p.reason,
            createdAt: p.at,
          })
          .returning();
        await appendAudit(tx, tenantId, {
          at: p.at,
          actor: p.actor,
          action: 'policy_change',
          subject: `policy:${p.service}`,
          subjectLabel: `policy of ${p.service}`,
          reason: p.reason,
          answers: null,
          details: { version: r!.version, previousVersion: current?.version ?? null },
        });
        return toPolicy(r!);
      });
    },
  };
}

type DecisionRow = typeof decisions.$inferSelect;
const toRecorded = (r: DecisionRow, assessmentLevel: string | null = null): RecordedDecision => ({
  id: r.id,
  releaseId: r.releaseId,
  action: r.action,
  actor: r.actor,
  reason: r.reason,
  assessmentId: r.assessmentId,
  assessmentLevel: assessmentLevel as RiskLevel | null,
  advisoryId: r.advisoryId,
  createdAt: r.createdAt,
});

/**
 * The rank an assessment body carries. A body stored before ranks existed has none, and one whose rank is not the
 * contract's shape is not trusted either: both read as null, which the policy shows as a budget it could not judge.
 */
export function rankOf(body: unknown): AssessmentRank | null {
  const rank = (body as { rank?: unknown } | null)?.rank;
  if (rank === null || typeof rank !== 'object') return null;
  const { riskiestShare, among } = rank as { riskiestShare?: unknown; among?: unknown };
  if (typeof riskiestShare !== 'number' || !(riskiestShare >= 0 && riskiestShare <= 1)) return null;
  if (typeof among !== 'number' || !Number.isInteger(among) || among < 1) return null;
  return { riskiestShare, among };
}

/** The rank, or why there is none: a malformed rank is not "stored before ranks" (the budget's reason must be true). */
export function rankFields(body: unknown): { rank: AssessmentRank | null; unranked?: GovernedAssessment['unranked'] } {
  const b = body as { rank?: unknown; model?: { scope?: unknown } } | null;
  const rank = rankOf(body);
  if (rank) return { rank };
  if (b?.model?.scope === 'prior') return { rank: null, unranked: 'prior' };
  if (b?.rank === undefined) return { rank: null, unranked: 'before_ranks' };
  return { rank: null, unranked: 'unreadable' };
}

export function governanceReleasesRepo(db: Db): GovernanceReleases {
  return {
    async release(tenantId, releaseId) {
      if (!isUuid(releaseId)) return undefined;
      const [r] = await db
        .select({
          id: releases.id,
          service: services.name,
          version: releases.version,
          registeredBy: releases.registeredBy,
          deployedAt: releases.deployedAt,
        })
        .from(releases)
        .innerJoin(services, eq(services.id, releases.serviceId))
        .where(and(eq(releases.tenantId, tenantId), eq(releases.id, releaseId)));
      if (!r) return undefined;
      const authors = await db
        .selectDistinct({ author: changes.author })
        .from(releaseChanges)
        .innerJoin(changes, eq(changes.id, releaseChanges.changeId))
        .where(and(eq(releaseChanges.releaseId, releaseId), sql`${changes.author} is not null`));
      return { ...r, authors: authors.map((a) => a.author!) };
    },
    async overview(tenantId, q) {
      const rows = await queryRows<{
        id: string;
        service: string;
        version: string;
        environment: string;
        created_at: string;
        deployed_at: string | null;
        outcome: string | null;
        level: string | null;
        probability: number | null;
        advisor: string | null;
      }>(
        db,
        sql`select r.id, s.name as service, r.version, r.environment, r.created_at, r.deployed_at, r.outcome,
                   a.level, a.probability, v.action as advisor
            from releases r
            join services s on s.id = r.service_id
            left join lateral (select level, probability from assessments x where x.release_id = r.id
                               order by x.created_at desc, x.id desc limit 1) a on true
            left join lateral (select action from advisories y where y.release_id = r.id
                               order by y.sequence desc limit 1) v on true
            where r.tenant_id = ${tenantId} ${q.service ? sql`and s.name = ${q.service}` : sql``}
            order by r.created_at desc, r.id desc
            limit ${q.limit}`,
      );
      return rows.map((r) => ({
        id: r.id,
        service: r.service,
        version: r.version,
        environment: r.environment,
        createdAt: new Date(r.created_at),
        deployedAt: r.deployed_at ? new Date(r.deployed_at) : null,
        outcome: r.outcome,
        level: r.level as RiskLevel | null,
        probability: r.probability,
        advisor: r.advisor,
      }));
    },
    async latestAssessment(tenantId, releaseId) {
      if (!isUuid(releaseId)) return undefined;
      const [a] = await db
        .select({
          id: assessments.id,
          level: assessments.level,
          probability: assessments.probability,
          body: assessments.body,
          modelVersion: riskModels.version,
          assessedAt: assessments.createdAt,
        })
        .from(assessments)
        .leftJoin(riskModels, eq(riskModels.id, assessments.modelId))
        .where(and(eq(assessments.tenantId, tenantId), eq(assessments.releaseId, releaseId)))
        .orderBy(desc(assessments.createdAt), desc(assessments.id))
        .limit(1);
      if (!a) return undefined;
      const model = (a.body as { model?: { version?: string } }).model?.version;
      return {
        id: a.id,
        level: a.level as RiskLevel,
        probability: a.probability,
        modelVersion: model ?? (a.modelVersion !== null ? String(a.modelVersion) : 'prior'),
        assessedAt: a.assessedAt,
        ...rankFields(a.body),
      };
    },
    async decisions(tenantId, releaseId) {
      if (!isUuid(releaseId)) return [];
      const rows = await db
        .select({ d: decisions, level: assessments.level })
        .from(decisions)
        .leftJoin(assessments, eq(assessments.id, decisions.assessmentId))
        .where(and(eq(decisions.tenantId, tenantId), eq(decisions.releaseId, releaseId)))
        .orderBy(asc(decisions.seq));
      return rows.map((r) => toRecorded(r.d, r.level));
    },
  };
}

export function approvalRepo(db: Db): ApprovalLog {
  return {
    /** The decision and its audit entry commit together; a second approval of one assessment by one person is a conflict. */
    async add(tenantId, d) {
      try {
        return await db.transaction(async (tx) => {
          const [r] = await tx
            .insert(decisions)
            .values({
              tenantId,
              releaseId: d.releaseId,
              action: d.action,
              reason: d.reason,
              actor: d.actor,
              assessmentId: d.assessmentId,
              overridesAdvice: false,
              createdAt: d.createdAt,
            })
            .returning();
          await auditDecision(tx, r!, d.details);
          return toRecorded(r!);
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const [first] = await db
          .select()
          .from(decisions)
          .where(
            and(
              eq(decisions.tenantId, tenantId),
              eq(decisions.releaseId, d.releaseId),
              eq(decisions.assessmentId, d.assessmentId),
              eq(decisions.actor, d.actor),
              eq(decisions.action, 'approve'),
            ),
          );
        return { conflict: toRecorded(first!) };
      }
    },
  };
}

/** How far before the window deploys are read: `last_deploy` attribution of an incident early in the window needs them. */
const ATTRIBUTION_LOOKBACK_MS = 90 * 86_400_000;

export function doraSourceRepo(db: Db): DoraSource {
  return {
    async window(tenantId, q) {
      const serviceFilter = q.service ? eq(services.name, q.service) : undefined;
      const rows = await db
        .select({
          releaseId: releases.id,
          service: services.name,
          version: releases.version,
          deployedAt: releases.deployedAt,
          outcome: releases.outcome,
        })
        .from(releases)
        .innerJoin(services, eq(services.id, releases.serviceId))
        .where(
          and(
            eq(releases.tenantId, tenantId),
            gte(releases.deployedAt, new Date(q.from.getTime() - ATTRIBUTION_LOOKBACK_MS)),
            lt(releases.deployedAt, q.to),
            eq(releases.environment, q.environment),
            serviceFilter,
          ),
        )
        .orderBy(asc(releases.deployedAt));
      const ids = rows.filter((r) => r.deployedAt! >= q.from).map((r) => r.releaseId);
      const changeRows =
        ids.length === 0
          ? []
          : await db
              .select({ releaseId: releaseChanges.releaseId, createdAt: changes.createdAt, firstCommitAt: changes.firstCommitAt })
              .from(releaseChanges)
              .innerJoin(changes, eq(changes.id, releaseChanges.changeId))
              .where(inArray(releaseChanges.releaseId, ids));
      const byRelease = new Map<string, { createdAt: Date; firstCommitAt: Date | null }[]>();
      for (const c of changeRows) {
        const list = byRelease.get(c.releaseId) ?? [];
        list.push({ createdAt: c.createdAt, firstCommitAt: c.firstCommitAt });
        byRelease.set(c.releaseId, list);
      }
      const incidentRows = await db
        .select({
          id: incidents.id,
          service: services.name,
          title: incidents.title,
          startedAt: incidents.startedAt,
          resolvedAt: incidents.resolvedAt,
          causedByReleaseId: incidents.causedByReleaseId,
        })
        .from(incidents)
        .innerJoin(services, eq(services.id, incidents.serviceId))
        .where(and(eq(incidents.tenantId, tenantId), gte(incidents.startedAt, q.from), lt(incidents.startedAt, q.to), serviceFilter))
        .orderBy(asc(incidents.startedAt));
      return {
        deploys: rows.map((r) => ({ ...r, deployedAt: r.deployedAt!, changes: byRelease.get(r.releaseId) ?? [] })),
        incidents: incidentRows.map((i) => ({ ...i, id: `incident:${i.id}` })),
      };
    },
  };
}

export function sessionRepo(db: Db): SessionStore {
  return {
    async create(s) {
      await db.insert(consoleSessions).values(s);
    },
    async find(idHash, now) {
      const [r] = await db
        .select({
          id: consoleSessions.idHash,
          tokenId: apiTokens.id,
          tenantId: apiTokens.tenantId,
          tenantSlug: tenants.slug,
          tokenName: apiTokens.name,
          scopes: apiTokens.scopes,
          csrfSecret: consoleSessions.csrfSecret,
          expiresAt: consoleSessions.expiresAt,
        })
        .from(consoleSessions)
        .innerJoin(apiTokens, eq(apiTokens.id, consoleSessions.tokenId))
        .innerJoin(tenants, eq(tenants.id, apiTokens.tenantId))
        // A revoked token ends its sessions at once.
        .where(and(eq(consoleSessions.idHash, idHash), gt(consoleSessions.expiresAt, now), isNull(apiTokens.revokedAt)));
      return r;
    },
    async remove(idHash) {
      await db.delete(consoleSessions).where(eq(consoleSessions.idHash, idHash));
    },
    async useForm(sessionIdHash, nonce, at) {
      const r = await db.insert(consoleFormUses).values({ sessionIdHash, nonce, usedAt: at }).onConflictDoNothing().returning();
      return r.length === 1;
    },
  };
}

export function decisionLabelRepo(db: Db): DecisionLabels {
  return {
    async labels(tenantId) {
      const rows = await db
        .select({
          releaseId: decisions.releaseId,
          service: services.name,
          version: releases.version,
          decisionId: decisions.id,
          actor: decisions.actor,
          at: decisions.createdAt,
          assessed: assessments.recommendation,
          advised: decisions.advised,
          decided: decisions.action,
          outcome: releases.outcome,
        })
        .from(decisions)
        .innerJoin(releases, eq(releases.id, decisions.releaseId))
        .innerJoin(services, eq(services.id, releases.serviceId))
        .leftJoin(assessments, eq(assessments.id, decisions.assessmentId))
        .where(and(eq(decisions.tenantId, tenantId), sql`${decisions.action} <> 'approve_notes'`))
        .orderBy(asc(decisions.seq));
      return rows.map(({ assessed, advised, ...r }) => ({ ...r, recommended: assessed ?? advised }));
    },
  };
}
