/**
 * What the console reads and does, as functions handed in by the HTTP app:
 * the same services the API uses, in-process (the console is another edge,
 * like the API routes). Tests hand in fakes of this shape.
 */
import type { AdvisorService } from '../advisor/service.js';
import type { DecisionInput, DecisionView } from '../contracts/advisor.js';
import type { AuditPage, AuditVerification } from '../contracts/audit.js';
import type { ConsoleActor, ConsoleSessions } from '../contracts/console.js';
import type { DoraDefinitionsInput, DoraReport } from '../contracts/dora.js';
import type { PolicyVerdict, PolicyView } from '../contracts/governance.js';
import type { RiskLevel } from '../contracts/risk.js';
import type { TokenService } from '../governance/tokens.js';
import type { ReleaseIntake } from '../ingest/releases.js';
import type { NotesService } from '../notes/service.js';
import type { EvidenceResolver } from '../retrieval/evidence.js';
import type { RiskService } from '../risk/service.js';

export type { ConsoleActor, ConsoleSession, ConsoleSessions } from '../contracts/console.js';

/** A row of the releases list. */
export interface ReleaseRow {
  id: string;
  service: string;
  version: string;
  environment: string;
  createdAt: string;
  deployedAt: string | null;
  outcome: string | null;
  level: RiskLevel | null;
  score: number | null;
  /** The latest advisory's action, when the rollout was watched. */
  advisor: string | null;
  /** Where the release stands under its policy (null when it has no assessment yet). */
  policy: PolicyVerdict['state'] | null;
}

export interface ConsoleGovernance {
  releaseRows(tenantId: string, q: { limit: number; service?: string }): Promise<ReleaseRow[]>;
  verdict(tenantId: string, releaseId: string): Promise<PolicyVerdict>;
  /** approve/reject go to governance, the rollout actions to the advisor: one route, one audit log. */
  decide(actor: ConsoleActor, releaseId: string, input: DecisionInput): Promise<DecisionView>;
  /** Oldest first, in the order they were recorded. */
  decisions(tenantId: string, releaseId: string): Promise<DecisionView[]>;
  auditPage(tenantId: string, q: { after: number; limit: number }): Promise<AuditPage>;
  verifyAudit(tenantId: string): Promise<AuditVerification>;
  policies(tenantId: string): Promise<PolicyView[]>;
  dora(tenantId: string, q: { service?: string; from: Date; to: Date; definitions?: DoraDefinitionsInput }): Promise<DoraReport>;
}

export interface ConsoleDeps {
  tokens: Pick<TokenService, 'authenticate'>;
  releases: Pick<ReleaseIntake, 'get'>;
  risk: Pick<RiskService, 'latest'>;
  evidence: Pick<EvidenceResolver, 'open'>;
  advisor: Pick<AdvisorService, 'advice'>;
  notes: Pick<NotesService, 'get' | 'edit' | 'approve'>;
  governance: ConsoleGovernance;
  /** Session and form checks (implemented in src/governance/sessions.ts over the SessionStore port). */
  sessions: ConsoleSessions;
  /** Cookies get `Secure` when the public URL is https. */
  secureCookies: boolean;
  clock?: () => number;
  /** Where a failure nobody classified is logged (with the request id the error page shows). */
  logError?: (message: string, fields: Record<string, unknown>) => void;
}
