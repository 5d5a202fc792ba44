/**
 * Governance over its own ports: release policies (versioned, every change
 * in the audit log), the verdict a policy gives on a release, approvals and
 * rejections, the audit chain (pages, verification, export) and DORA.
 * People decide; this service records who decided what and says what is
 * still missing. It never approves anything by itself.
 */
import type { AuditEntry, AuditVerification } from '../contracts/audit.js';
import type { DoraDefinitionsInput, DoraReport } from '../contracts/dora.js';
import { DoraDefinitions } from '../contracts/dora.js';
import { AppError, NotFoundError, ValidationError } from '../contracts/errors.js';
import type { ApprovalAction, PolicyDocument, PolicyInput, PolicyVerdict, PolicyView } from '../contracts/governance.js';
import { auditCsv, auditJsonLines } from './audit-export.js';
import { verifyChain } from './audit-chain.js';
import { computeDora } from './dora/compute.js';
import { parsePolicyDocument, parsePolicyYaml, policyToYaml } from './policy/parse.js';
import { checkApproval, evaluatePolicy, mayOverride, resolvePolicy } from './policy/evaluate.js';
import type { GovernanceStore, RecordedDecision, StoredPolicy } from './ports.js';

const STATE_WORDS: Record<PolicyVerdict['state'], string> = {
  allowed: 'allowed',
  needs_approval: 'it needs approval',
  held: 'it is held',
  rejected: 'it was rejected',
  overridden: 'overridden',
};

/** Entries read per query when verifying or exporting the whole chain. */
const AUDIT_BATCH = 1000;
export const MAX_AUDIT_PAGE = 1000;

export class PolicyConflictError extends AppError {
  constructor(service: string, version: number | undefined, basedOn?: number) {
    super(
      'conflict',
      `the policy of ${service} is at version ${version ?? 0}${basedOn !== undefined ? `, not ${basedOn} as this change assumed` : ' (written meanwhile)'}; read it again and re-apply your change`,
      { details: { service, version: version ?? 0, ...(basedOn !== undefined ? { basedOn } : {}) } },
    );
  }
}

const policyView = (p: StoredPolicy): PolicyView => ({
  service: p.service,
  version: p.version,
  document: p.document,
  yaml: p.yaml,
  actor: p.actor,
  reason: p.reason,
  createdAt: p.createdAt.toISOString(),
});

export interface GovernanceDeps {
  store: GovernanceStore;
  clock?: () => number;
}

export function createGovernanceService(deps: GovernanceDeps) {
  const { store } = deps;
  const now = () => new Date(deps.clock ? deps.clock() : Date.now());

  async function releaseOf(tenantId: string, releaseId: string) {
    const release = await store.releases.release(tenantId, releaseId);
    if (!release) throw new NotFoundError(`no release ${releaseId}`);
    return release;
  }

  /** The service's own policy, else the tenant's `default`, else the built-in defaults (version null). */
  async function policyFor(tenantId: string, service: string) {
    const [own, fallback] = await Promise.all([store.policies.latest(tenantId, service), store.policies.latest(tenantId, 'default')]);
    return resolvePolicy(
      service,
      [own, fallback].filter((p): p is StoredPolicy => p !== undefined),
    );
  }

  /** Everything the policy rules read about one release, read once. */
  async function situation(tenantId: string, releaseId: string) {
    const release = await releaseOf(tenantId, releaseId);
    const [policy, assessment, decisions] = await Promise.all([
      policyFor(tenantId, release.service),
      store.releases.latestAssessment(tenantId, releaseId),
      store.releases.decisions(tenantId, releaseId),
    ]);
    return { release, policy, assessment, decisions, now: now() };
  }

  async function* batches(tenantId: string): AsyncIterable<AuditEntry[]> {
    for (let after = 0; ; ) {
      const batch = await store.audit.page(tenantId, { after, limit: AUDIT_BATCH });
      if (batch.length === 0) return;
      yield batch;
      after = batch.at(-1)!.seq;
      if (batch.length < AUDIT_BATCH) return;
    }
  }

  return {
    async verdict(tenantId: string, releaseId: string): Promise<PolicyVerdict> {
      return evaluatePolicy(await situation(tenantId, releaseId));
    },

    /**
     * Records an approval or a rejection of the release's latest assessment.
     * Refused (nothing written): no assessment (409 `no_assessment`), an older
     * assessment named (409), the approver registered or authored the release
     * and the policy forbids it (403 `self_approval`), approving twice (409).
     */
    async approve(
      tenantId: string,
      releaseId: string,
      actor: string,
      input: { action: ApprovalAction; reason: string; assessmentId?: string | undefined },
    ): Promise<RecordedDecision> {
      const s = await situation(tenantId, releaseId);
      const check = checkApproval({ ...s, actor, ...(input.assessmentId ? { assessmentId: input.assessmentId } : {}) });
      // Anyone with the scope may reject (stopping is always safe): of the approval's conditions, only an assessment
      // to answer (the latest) applies to a rejection.
      const applies =
        input.action === 'approve' || (!check.ok && (check.code === 'no_assessment' || check.code === 'not_latest_assessment'));
      if (!check.ok && applies) {
        const code = check.code === 'self_approval' ? 'self_approval' : check.code === 'no_assessment' ? 'no_assessment' : 'conflict';
        throw new AppError(code, check.message);
      }
      const before = evaluatePolicy(s);
      const recorded = await store.approvals.add(tenantId, {
        releaseId,
        action: input.action,
        actor,
        reason: input.reason,
        assessmentId: s.assessment!.id,
        createdAt: s.now,
        details: { level: s.assessment!.level, probability: s.assessment!.probability, policyStateBefore: before.state },
      });
      if ('conflict' in recorded)
        throw new AppError('conflict', `${actor} approved assessment ${s.assessment!.id} already (decision ${recorded.conflict.id})`, {
          details: { decisionId: recorded.conflict.id },
        });
      return recorded;
    },

    /** Before a promotion is recorded: refused with what is missing unless the policy allows it (or it was overridden). */
    async checkPromotion(tenantId: string, releaseId: string): Promise<PolicyVerdict> {
      const verdict = evaluatePolicy(await situation(tenantId, releaseId));
      if (verdict.state === 'allowed' || verdict.state === 'overridden') return verdict;
      throw new AppError(
        'policy_unmet',
        `the release policy does not allow promotion yet (${STATE_WORDS[verdict.state]}: ${verdict.rule.says}); missing: ${verdict.missing.join('; ')}`,
        {
          details: { state: verdict.state, rule: verdict.rule.id, missing: verdict.missing },
        },
      );
    },

    /** Before an emergency override is recorded: only the people the policy names (any approver when it names none). */
    async checkOverride(tenantId: string, releaseId: string, actor: string): Promise<void> {
      const release = await releaseOf(tenantId, releaseId);
      const policy = await policyFor(tenantId, release.service);
      if (!mayOverride(actor, policy.document))
        throw new AppError(
          'forbidden',
          `the policy of ${release.service} lets only ${policy.document.override.allowed.join(', ')} use the emergency override`,
        );
    },

    policies: {
      async list(tenantId: string): Promise<PolicyView[]> {
        return (await store.policies.list(tenantId)).map(policyView);
      },
      async get(tenantId: string, service: string): Promise<PolicyView> {
        const p = await store.policies.latest(tenantId, service);
        if (!p)
          throw new NotFoundError(
            `no policy for ${service}; the ${service === 'default' ? 'built-in defaults apply' : 'default policy applies'}`,
          );
        return policyView(p);
      },
      async history(tenantId: string, service: string): Promise<PolicyView[]> {
        return (await store.policies.history(tenantId, service)).map(policyView);
      },
      /** The policy the service is governed by now (its own, the tenant's default, or the built-in one). */
      async effective(tenantId: string, service: string): Promise<{ service: string; version: number | null; document: PolicyDocument }> {
        const p = await policyFor(tenantId, service);
        return { service: p.document.service, ...p };
      },
      /** A new version of the service's policy (YAML or JSON), recorded in the audit log with the reason. */
      async put(tenantId: string, service: string, actor: string, input: PolicyInput): Promise<PolicyView> {
        const document = input.yaml !== undefined ? parsePolicyYaml(input.yaml) : parsePolicyDocument(input.document);
        if (document.service !== service)
          throw new ValidationError(`the policy names service "${document.service}" but was sent for "${service}"`);
        const yaml = input.yaml ?? policyToYaml(document);
        const current = await store.policies.latest(tenantId, service);
        // Two people editing one policy: the second, made from an older version, must not silently undo the first.
        if (input.basedOn !== undefined && input.basedOn !== (current?.version ?? 0))
          throw new PolicyConflictError(service, current?.version, input.basedOn);
        const stored = await store.policies.put(tenantId, {
          service,
          document,
          yaml,
          actor,
          reason: input.reason,
          expectedVersion: current?.version ?? 0,
          at: now(),
        });
        if ('conflict' in stored) throw new PolicyConflictError(service, stored.conflict?.version);
        return policyView(stored);
      },
    },

    audit: {
      async page(tenantId: string, q: { after: number; limit: number }) {
        const limit = Math.min(Math.max(1, q.limit), MAX_AUDIT_PAGE);
        const entries = await store.audit.page(tenantId, { after: q.after, limit: limit + 1 });
        const more = entries.length > limit;
        const shown = entries.slice(0, limit);
        return { entries: shown, ...(more ? { nextAfter: shown.at(-1)!.seq } : {}) };
      },
      /** `expectedHead`: a head hash kept from an earlier check; gone from the log, it names a cut tail. */
      verify(tenantId: string, opts: { expectedHead?: string | undefined } = {}): Promise<AuditVerification> {
        return verifyChain(batches(tenantId), opts.expectedHead ? { expectedHead: opts.expectedHead } : {});
      },
      /** The whole chain as JSON lines or CSV, a batch at a time (a long log is never held whole). */
      async *export(tenantId: string, format: 'jsonl' | 'csv'): AsyncIterable<string> {
        let first = true;
        for await (const entries of batches(tenantId)) {
          yield format === 'csv' ? auditCsv(entries, first) : auditJsonLines(entries);
          first = false;
        }
        if (first && format === 'csv') yield auditCsv([], true);
      },
    },

    /** The newest releases with their risk, advisor action and where each stands under its policy (the console's list). */
    async overview(tenantId: string, q: { limit: number; service?: string | undefined }) {
      const rows = await store.releases.overview(tenantId, { limit: q.limit, ...(q.service ? { service: q.service } : {}) });
      // Only releases not yet deployed are waiting on their policy; for the others the verdict is history.
      const states = await Promise.all(
        rows.map(async (r) =>
          r.level !== null && r.deployedAt === null ? (await evaluatePolicy(await situation(tenantId, r.id))).state : null,
        ),
      );
      return rows.map((r, i) => ({ ...r, policy: states[i] ?? null }));
    },

    /** People's decisions beside the recommendation they answered and the outcome: labels for the evals. */
    decisionLabels(tenantId: string) {
      return store.labels.labels(tenantId);
    },

    async dora(
      tenantId: string,
      q: { service?: string | undefined; from: Date; to: Date; definitions?: DoraDefinitionsInput | undefined },
    ): Promise<DoraReport> {
      if (!(q.from < q.to)) throw new ValidationError('"from" must be before "to"');
      const definitions = DoraDefinitions.parse(q.definitions ?? {});
      const { deploys, incidents } = await store.dora.window(tenantId, {
        ...(q.service ? { service: q.service } : {}),
        environment: definitions.environment,
        from: q.from,
        to: q.to,
      });
      return computeDora({ deploys, incidents, from: q.from, to: q.to, service: q.service ?? null, definitions });
    },
  };
}

export type GovernanceService = ReturnType<typeof createGovernanceService>;
