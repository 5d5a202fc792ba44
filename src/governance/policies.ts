/**
 * Release policies: every change a new version, kept, and written to the
 * audit log with its reason (the store does both in one transaction); the
 * policy a service is governed by (its own, the tenant's default, the
 * built-in one).
 */
import { AppError, ValidationError } from '../contracts/errors.js';
import type { PolicyDocument, PolicyInput, PolicyView } from '../contracts/governance.js';
import { parsePolicyDocument, parsePolicyYaml, policyToYaml } from './policy/parse.js';
import { resolvePolicy } from './policy/evaluate.js';
import type { PolicyStore, StoredPolicy } from './ports.js';

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

export function createPolicyBook(store: PolicyStore, now: () => Date) {
  /** The service's own policy, else the tenant's `default`, else the built-in defaults (version null). */
  async function policyFor(tenantId: string, service: string) {
    const [own, fallback] = await Promise.all([store.latest(tenantId, service), store.latest(tenantId, 'default')]);
    return resolvePolicy(
      service,
      [own, fallback].filter((p): p is StoredPolicy => p !== undefined),
    );
  }

  return {
    policyFor,
    async list(tenantId: string): Promise<PolicyView[]> {
      return (await store.list(tenantId)).map(policyView);
    },
    async history(tenantId: string, service: string): Promise<PolicyView[]> {
      return (await store.history(tenantId, service)).map(policyView);
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
      const current = await store.latest(tenantId, service);
      // Two people editing one policy: the second, made from an older version, must not silently undo the first.
      if (input.basedOn !== undefined && input.basedOn !== (current?.version ?? 0))
        throw new PolicyConflictError(service, current?.version, input.basedOn);
      const stored = await store.put(tenantId, {
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
  };
}

export type PolicyBook = ReturnType<typeof createPolicyBook>;
