/**
 * Governance over its own ports: release policies (versioned, every change
 * in the audit log), the verdict a policy gives on a release, approvals and
 * rejections, the audit chain (pages, verification, export) and DORA.
 * People decide; this service records who decided what and says what is
 * still missing. It never approves anything by itself.
 */
import type { DoraDefinitionsInput, DoraReport } from '../contracts/dora.js';
import { DoraDefinitions } from '../contracts/dora.js';
import { AppError, NotFoundError, ValidationError } from '../contracts/errors.js';
import type { ApprovalAction, PolicyVerdict } from '../contracts/governance.js';
import { createAuditLog } from './audit-log.js';
import { computeDora } from './dora/compute.js';
import { checkApproval, evaluatePolicy, mayOverride } from './policy/evaluate.js';
import { createPolicyBook } from './policies.js';
import type { GovernanceStore, RecordedDecision } from './ports.js';

export { MAX_AUDIT_PAGE } from './audit-log.js';
export { PolicyConflictError } from './policies.js';

const STATE_WORDS: Record<PolicyVerdict['state'], string> = {
  allowed: 'allowed',
  needs_approval: 'it needs approval',
  held: 'it is held',
  rejected: 'it was rejected',
  overridden: 'overridden',
};

export interface GovernanceDeps {
  store: GovernanceStore;
  clock?: () => number;
}

export function createGovernanceService(deps: GovernanceDeps) {
  const { store } = deps;
  const now = () => new Date(deps.clock ? deps.clock() : Date.now());
  const book = createPolicyBook(store.policies, now);

  async function releaseOf(tenantId: string, releaseId: string) {
    const release = await store.releases.release(tenantId, releaseId);
    if (!release) throw new NotFoundError(`no release ${releaseId}`);
    return release;
  }

  /** Everything the policy rules read about one release, read once. */
  async function situation(tenantId: string, releaseId: string) {
    const release = await releaseOf(tenantId, releaseId);
    const [policy, assessment, decisions] = await Promise.all([
      book.policyFor(tenantId, release.service),
      store.releases.latestAssessment(tenantId, releaseId),
      store.releases.decisions(tenantId, releaseId),
    ]);
    return { release, policy, assessment, decisions, now: now() };
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
      const policy = await book.policyFor(tenantId, release.service);
      if (!mayOverride(actor, policy.document))
        throw new AppError(
          'forbidden',
          `the policy of ${release.service} lets only ${policy.document.override.allowed.join(', ')} use the emergency override`,
        );
    },

    policies: book,

    audit: createAuditLog(store.audit),

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
