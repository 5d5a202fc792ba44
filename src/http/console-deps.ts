import type { App } from '../app.js';
import type { Decision } from '../advisor/ports.js';
import type { ConsoleDeps } from '../console/deps.js';
import type { DecisionView } from '../contracts/advisor.js';

const decisionView = (d: Decision): DecisionView => ({ ...d, createdAt: d.createdAt.toISOString() });
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The console's view of an App: the same services the API routes use, in-process. */
export function consoleDepsOf(app: App): ConsoleDeps {
  const g = app.governance;
  return {
    tokens: app.tokens,
    releases: app.releases,
    risk: app.risk,
    evidence: app.evidence,
    advisor: app.advisor,
    notes: app.notes,
    sessions: app.sessions,
    secureCookies: app.config.publicUrl.startsWith('https:'),
    logError: (message, fields) => app.logger.error(message, fields),
    ...(app.clock ? { clock: app.clock } : {}),
    governance: {
      async releaseRows(tenantId, q) {
        return (await g.overview(tenantId, q)).map((r) => ({
          ...r,
          createdAt: r.createdAt.toISOString(),
          deployedAt: iso(r.deployedAt),
          score: r.probability === null ? null : Math.round(r.probability * 100),
        }));
      },
      verdict: (tenantId, releaseId) => g.verdict(tenantId, releaseId),
      decide: async (actor, releaseId, input) => decisionView(await app.decide(actor, releaseId, input)),
      decisions: async (tenantId, releaseId) => (await app.advisor.decisions(tenantId, releaseId)).map(decisionView),
      auditPage: (tenantId, q) => g.audit.page(tenantId, q),
      verifyAudit: (tenantId) => g.audit.verify(tenantId),
      policies: (tenantId) => g.policies.list(tenantId),
      dora: (tenantId, q) => g.dora(tenantId, q),
    },
  };
}
