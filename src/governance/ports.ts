import type { AuditEntry } from '../contracts/audit.js';
import type { PolicyDocument } from '../contracts/governance.js';
import type { RiskLevel } from '../contracts/risk.js';
/** What governance reads and writes, in its own terms; `store/` implements it. */
export interface Tenant {
  id: string;
  slug: string;
}

export interface StoredToken {
  id: string;
  tenantId: string;
  tenantSlug: string;
  name: string;
  scopes: string[];
}

export interface TokenListing {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface TenantStore {
  ensure(slug: string): Promise<{ tenant: Tenant; created: boolean }>;
  bySlug(slug: string): Promise<Tenant | undefined>;
  count(): Promise<number>;
}

/**
 * Tokens. A token's name is who it acts as (decisions and audit entries carry it), so creating and revoking
 * one are audit entries, and two active tokens of a tenant never share a name (`conflict`: nothing written).
 */
export interface TokenStore {
  insert(row: {
    tenantId: string;
    name: string;
    tokenHash: string;
    prefix: string;
    scopes: string[];
    actor: string;
  }): Promise<string | { conflict: string }>;
  findActiveByHash(tokenHash: string): Promise<StoredToken | undefined>;
  touch(id: string): Promise<void>;
  list(tenantId: string): Promise<TokenListing[]>;
  revoke(tenantId: string, id: string, actor: string): Promise<boolean>;
  count(): Promise<number>;
}

// ---- Policy, approvals, audit, DORA, console sessions ----------------------------------------------------------------

export interface StoredPolicy {
  service: string;
  version: number;
  document: PolicyDocument;
  yaml: string;
  actor: string;
  reason: string;
  createdAt: Date;
}

/** Versioned policies; `put` appends a `policy_change` entry to the audit log in the same transaction. */
export interface PolicyStore {
  /** The newest version of the service's own policy (`default` for the tenant-wide one). */
  latest(tenantId: string, service: string): Promise<StoredPolicy | undefined>;
  /** The newest version of every policy of the tenant. */
  list(tenantId: string): Promise<StoredPolicy[]>;
  history(tenantId: string, service: string): Promise<StoredPolicy[]>;
  /** Writes version `expectedVersion + 1`; when another version was written meanwhile, answers the newest (nothing written). */
  put(
    tenantId: string,
    p: { service: string; document: PolicyDocument; yaml: string; actor: string; reason: string; expectedVersion: number; at: Date },
  ): Promise<StoredPolicy | { conflict: StoredPolicy | undefined }>;
}

/** What the policy needs to know of a release. */
export interface GovernedRelease {
  id: string;
  service: string;
  version: string;
  /** The token that registered it through the API, when known. */
  registeredBy: string | null;
  /** Its changes' authors, as stored. */
  authors: string[];
  deployedAt: Date | null;
}

/** Where an assessment's probability ranks among the newest releases its model was trained on (scored by that model). */
export interface AssessmentRank {
  /** The share of them that scored this probability or higher: 0.07 = among the riskiest 7%. */
  riskiestShare: number;
  /** How many releases it was ranked among. */
  among: number;
}

export interface GovernedAssessment {
  id: string;
  level: RiskLevel;
  probability: number;
  modelVersion: string;
  assessedAt: Date;
  /** Null when the assessment has none; `unranked` says why. */
  rank: AssessmentRank | null;
  /** Why there is no rank: the prior model scored it (no releases of its own), it was stored before ranks were, or its rank cannot be read. */
  unranked?: 'prior' | 'before_ranks' | 'unreadable';
}

/** A person's recorded decision, as governance reads it (every action, rollout and approval alike). */
export interface RecordedDecision {
  id: string;
  releaseId: string;
  action: string;
  actor: string;
  reason: string;
  /** The assessment an approve/reject answered, and its level. */
  assessmentId: string | null;
  assessmentLevel: RiskLevel | null;
  advisoryId: string | null;
  createdAt: Date;
}

/** A release in an overview: newest first, with its latest assessment and advisory. */
export interface ReleaseOverview {
  id: string;
  service: string;
  version: string;
  environment: string;
  createdAt: Date;
  deployedAt: Date | null;
  outcome: string | null;
  level: RiskLevel | null;
  probability: number | null;
  advisor: string | null;
}

export interface GovernanceReleases {
  release(tenantId: string, releaseId: string): Promise<GovernedRelease | undefined>;
  overview(tenantId: string, q: { limit: number; service?: string }): Promise<ReleaseOverview[]>;
  latestAssessment(tenantId: string, releaseId: string): Promise<GovernedAssessment | undefined>;
  decisions(tenantId: string, releaseId: string): Promise<RecordedDecision[]>;
}

/**
 * Approvals and rejections, written with their audit entry in one transaction.
 * One approval per (release, assessment, actor): a second answers `conflict` with the first (nothing written).
 */
export interface ApprovalLog {
  add(
    tenantId: string,
    d: {
      releaseId: string;
      action: 'approve' | 'reject';
      actor: string;
      reason: string;
      assessmentId: string;
      createdAt: Date;
      /** Facts kept in the audit entry (level, policy state at the time). */
      details: AuditEntry['details'];
    },
  ): Promise<RecordedDecision | { conflict: RecordedDecision }>;
}

export interface AuditReader {
  /** Entries with seq > after, oldest first, at most `limit`. */
  page(tenantId: string, q: { after: number; limit: number }): Promise<AuditEntry[]>;
  tenantSlug(tenantId: string): Promise<string>;
}

/** A deploy as DORA reads it. */
export interface DoraDeploy {
  releaseId: string;
  service: string;
  version: string;
  deployedAt: Date;
  outcome: string | null;
  /** Each change's start times: `createdAt` (PR opened, or the commit) and its first commit when known. */
  changes: { createdAt: Date; firstCommitAt: Date | null }[];
}

export interface DoraIncident {
  id: string;
  service: string;
  title: string;
  startedAt: Date;
  resolvedAt: Date | null;
  /** The release recorded as its root cause. */
  causedByReleaseId: string | null;
}

export interface DoraSource {
  /** Deploys with `deployedAt` in [from, to), and incidents that started in [from, to), of one service or all. */
  window(
    tenantId: string,
    q: { service?: string; environment: string; from: Date; to: Date },
  ): Promise<{ deploys: DoraDeploy[]; incidents: DoraIncident[] }>;
}

/** Console sessions: a token exchanged for a cookie. Only hashes of the session id are stored. */
export interface StoredSession {
  id: string;
  tokenId: string;
  tenantId: string;
  tenantSlug: string;
  tokenName: string;
  scopes: string[];
  /** The secret CSRF tokens of this session's forms are derived from. */
  csrfSecret: string;
  expiresAt: Date;
}

export interface SessionStore {
  create(s: { idHash: string; tokenId: string; csrfSecret: string; expiresAt: Date }): Promise<void>;
  /** The live session with this id hash whose token is not revoked. */
  find(idHash: string, now: Date): Promise<StoredSession | undefined>;
  remove(idHash: string): Promise<void>;
  /** Records a form's one-time nonce; false when it was used before (a replayed form). */
  useForm(sessionIdHash: string, nonce: string, at: Date): Promise<boolean>;
}

/** A person's decision beside what shipcheck recommended and how the release ended: a label for the evals. */
export interface DecisionLabel {
  releaseId: string;
  service: string;
  version: string;
  decisionId: string;
  actor: string;
  at: Date;
  /** The assessment's recommendation (approve/reject) or the advisory's action (rollout decisions) it answered. */
  recommended: string | null;
  decided: string;
  outcome: string | null;
}

export interface DecisionLabels {
  /** Every approval, rejection and rollout decision of the tenant (not notes approvals), oldest first. */
  labels(tenantId: string): Promise<DecisionLabel[]>;
}

/** Every port governance reads and writes through, handed in by app.ts. */
export interface GovernanceStore {
  labels: DecisionLabels;
  policies: PolicyStore;
  releases: GovernanceReleases;
  approvals: ApprovalLog;
  audit: AuditReader;
  dora: DoraSource;
}
