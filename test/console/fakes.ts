/**
 * In-memory stand-ins for everything the console reads and does: two
 * tenants, a release with a full risk assessment, a watched rollout, notes
 * and decisions in one of them, and a release of the other tenant that the
 * first must never reach. Sessions are the real session service over an
 * in-memory store.
 */
import type { Advisory, DecisionInput, DecisionView, MetricVerdict } from '../../src/contracts/advisor.js';
import { type AuditEntry, auditEntryHash, GENESIS_HASH } from '../../src/contracts/audit.js';
import type { ConsoleActor } from '../../src/contracts/console.js';
import type { DoraFigure, DoraReport } from '../../src/contracts/dora.js';
import { AppError, NotFoundError } from '../../src/contracts/errors.js';
import type { EvidenceView } from '../../src/contracts/evidence.js';
import type { PolicyVerdict, PolicyView } from '../../src/contracts/governance.js';
import type { NotesItem, NotesView } from '../../src/contracts/notes.js';
import type { ReleaseDetail, RiskAssessment } from '../../src/contracts/risk.js';
import type { ConsoleDeps, ReleaseRow } from '../../src/console/deps.js';
import type { SessionStore, StoredSession, StoredToken } from '../../src/governance/ports.js';
import { createSessionService } from '../../src/governance/sessions.js';

export const NOW = Date.parse('2026-12-07T10:00:00Z');
const iso = (hoursAgo: number) => new Date(NOW - hoursAgo * 3_600_000).toISOString();

export const ACME = { id: '0a000000-0000-4000-8000-000000000001', slug: 'acme' };
export const OTHER = { id: '0b000000-0000-4000-8000-000000000002', slug: 'globex' };

export const RELEASE = '11111111-1111-4111-8111-111111111111';
export const QUIET_RELEASE = '33333333-3333-4333-8333-333333333333';
export const OTHER_RELEASE = '22222222-2222-4222-8222-222222222222';
export const ASSESSMENT = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const CHANGE = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
export const CHANGE_2 = 'cccccccc-cccc-4ccc-8ccc-cccccccccccd';
export const CHUNK = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
export const INCIDENT = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';
export const WINDOW = 'ffffffff-ffff-4fff-8fff-ffffffffffff';

/** What the intake stored for a title that held a token: the placeholder, never the token. */
export const REDACTED_TITLE = 'Rotate the deploy key [REDACTED:github-token:9f3a] in CI';
/** A title with markup: it must reach the page as text. */
export const MARKUP_TITLE = 'Escape <script>alert(1)</script> in "names" & labels';

export const TOKENS: Record<string, StoredToken> = {
  sc_alice_full_access_token: { id: 'tok-a', tenantId: ACME.id, tenantSlug: ACME.slug, name: 'alice', scopes: ['read', 'approve'] },
  sc_bob_read_only_token_x: { id: 'tok-b', tenantId: ACME.id, tenantSlug: ACME.slug, name: 'bob', scopes: ['read'] },
  sc_carol_ingest_only_tok: { id: 'tok-c', tenantId: ACME.id, tenantSlug: ACME.slug, name: 'carol', scopes: ['ingest'] },
  sc_ci_registers_releases: { id: 'tok-ci', tenantId: ACME.id, tenantSlug: ACME.slug, name: 'ci', scopes: ['admin'] },
  sc_dave_of_other_tenant: { id: 'tok-d', tenantId: OTHER.id, tenantSlug: OTHER.slug, name: 'dave', scopes: ['read', 'approve'] },
};
export const ALICE = 'sc_alice_full_access_token';
export const BOB = 'sc_bob_read_only_token_x';
export const CAROL = 'sc_carol_ingest_only_tok';
export const CI = 'sc_ci_registers_releases';
export const DAVE = 'sc_dave_of_other_tenant';

function release(id: string, service: string, version: string, changes: ReleaseDetail['changeList']): ReleaseDetail {
  return {
    id,
    service,
    version,
    environment: 'production',
    strategy: 'canary',
    flags: [],
    createdAt: iso(30),
    deployedAt: iso(3),
    outcome: null,
    outcomeAt: null,
    changes: changes.length,
    externalId: null,
    commitRange: 'v2.13.0..v2.14.0',
    changeList: changes,
    documents: { indexed: changes.length * 2, queued: 0, failed: 0 },
  };
}

const change = (id: string, externalId: string, title: string, author: string) => ({
  id,
  externalId,
  title,
  author,
  labels: ['payments'],
  files: [{ path: 'src/charge.ts', additions: 120, deletions: 14 }],
  createdAt: iso(40),
});

function assessment(): RiskAssessment {
  return {
    id: ASSESSMENT,
    releaseId: RELEASE,
    service: 'payments',
    version: '2.14.0',
    assessedAt: iso(4),
    probability: 0.72,
    score: 72,
    level: 'high',
    recommendation: 'promote_with_approval',
    requiresApproval: true,
    thresholds: { medium: 0.3, high: 0.6, critical: 0.85, approvalAt: 'high' },
    factors: [
      { name: 'lines_changed', label: 'Lines changed', value: 1340, contribution: 0.9, evidence: [`change:${CHANGE}`] },
      {
        name: 'recent_incidents',
        label: 'Incidents in the last 30 days',
        value: 2,
        contribution: 0.55,
        evidence: [`incident:${INCIDENT}`],
      },
      { name: 'tests_touched', label: 'Share of changes with tests', value: 0.8, contribution: -0.3, evidence: [] },
    ],
    evidence: [
      {
        id: `change:${CHANGE}`,
        kind: 'change',
        title: REDACTED_TITLE,
        snippet: 'src/charge.ts (+120 -14)',
        occurredAt: iso(40),
        why: 'the largest change of the release',
      },
      {
        id: `incident:${INCIDENT}`,
        kind: 'incident',
        title: 'Checkout errors after payments 2.12.0',
        snippet: 'Card charges failed for 14 minutes.',
        occurredAt: iso(24 * 12),
        why: 'a recent incident of this service',
      },
      {
        id: CHUNK,
        kind: 'runbook',
        title: 'Payments rollback runbook',
        snippet: 'Scale the canary to 0 …',
        occurredAt: iso(24 * 60),
        why: 'how to undo it',
      },
    ],
    reasons: [
      { text: 'A large change to the charge path.', citations: [`change:${CHANGE}`] },
      { text: 'The service had an incident 12 days ago.', citations: [`incident:${INCIDENT}`, CHUNK] },
    ],
    model: { version: 'risk-model-7', trainedAt: iso(24 * 7), n: 812, scope: 'tenant' },
    degraded: [],
    llm: { used: false, promptVersion: null, droppedClaims: 0 },
  };
}

function metric(name: string, verdict: MetricVerdict['verdict'], canary: number, baseline: number, critical = true): MetricVerdict {
  return {
    name,
    role: 'guardrail',
    critical,
    verdict,
    n: { canary: 40, baseline: 400 },
    medians: { canary, baseline },
    shift: canary - baseline,
    interval: [canary - baseline - 0.01, canary - baseline + 0.01],
    effect: baseline ? (canary - baseline) / baseline : null,
    pValue: 0.2,
    rule: 'Mann-Whitney U, always-valid',
    window: { from: iso(3), to: iso(1) },
    evidenceId: `window:${WINDOW}`,
  };
}

function advisories(): Advisory[] {
  const steps: [Advisory['action'], MetricVerdict[]][] = [
    ['insufficient_data', [metric('errors', 'no_data', 0.01, 0.01), metric('latency_p99_ms', 'no_data', 180, 178)]],
    ['continue', [metric('errors', 'inconclusive', 0.012, 0.01), metric('latency_p99_ms', 'pass', 182, 180)]],
    ['continue', [metric('errors', 'inconclusive', 0.015, 0.01), metric('latency_p99_ms', 'pass', 181, 180)]],
    ['halt', [metric('errors', 'fail', 0.024, 0.01), metric('latency_p99_ms', 'inconclusive', 210, 181)]],
  ];
  return steps.map(([action, metrics], i) => ({
    id: `9999999${i}-9999-4999-8999-999999999999`,
    releaseId: RELEASE,
    sequence: i + 1,
    action,
    confidence: 0.6 + i * 0.1,
    metrics,
    integrity: [],
    logSignatures: [],
    evidence: [{ id: `window:${WINDOW}`, kind: 'metric_window', title: 'errors, canary vs baseline', snippet: '40 vs 400 samples' }],
    reasons: [{ text: `Look ${i + 1}: the error rate of the canary against the baseline.`, citations: [`window:${WINDOW}`] }],
    requiresAcknowledgement: action === 'halt',
    reasonsBy: 'deterministic',
    riskLevel: 'high',
    phase: 'rollout',
    createdAt: iso(3 - i * 0.5),
  }));
}

const item = (section: NotesItem['section'], text: string, changeId: string, evidence: string): NotesItem => ({
  section,
  text,
  changeIds: [changeId],
  evidence: [evidence],
  origin: 'rules',
});

function notesView(
  version: number,
  items: NotesItem[],
  summary: string | null,
  status: 'draft' | 'approved',
  approvedBy: string | null,
): NotesView {
  return {
    releaseId: RELEASE,
    service: 'payments',
    release: '2.14.0',
    version,
    status,
    summary,
    draft: {
      version: '2.14.0',
      items,
      omitted: [],
      operational: null,
      headings: { features: 'Features', fixes: 'Bug Fixes' },
      selection: { kind: 'rules', detail: 'conventional commits' },
      llm: { used: false, promptVersion: null, rejected: 0 },
      counts: { changes: 2, items: items.length, omitted: 2 - items.length },
      warnings: [],
    },
    markdown: items.map((i) => `- ${i.text}`).join('\n'),
    editDistance: version === 1 ? 0 : 12,
    approvedBy,
    approvedAt: approvedBy ? new Date(NOW).toISOString() : null,
    decisionId: null,
    versions: [],
  };
}

function figure(value: number | null, unit: string, n: number, releases: string[], incidents: string[] = []): DoraFigure {
  return {
    value,
    unit,
    n,
    lowConfidence: n < 10,
    tier: value === null ? null : { tier: 'high', report: 'DORA 2024' },
    definition: `Defined over ${n} events in the window.`,
    releases,
    incidents,
  };
}

function doraReport(tenantId: string, q: { service?: string; from: Date; to: Date }): DoraReport {
  const mine = tenantId === ACME.id;
  const weekly = Array.from({ length: 13 }, (_, i) => ({
    weekStart: new Date(q.from.getTime() + i * 7 * 86_400_000).toISOString(),
    deploys: mine ? (i * 3) % 7 : 0,
    failed: mine && i % 4 === 3 ? 1 : 0,
    leadTimeHours: mine && i % 5 !== 2 ? 10 + ((i * 7) % 30) : null,
  }));
  return {
    service: q.service ?? null,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    definitions: {
      leadTimeStart: 'first_commit',
      incidentAttribution: 'root_cause',
      failureOutcomes: ['failure', 'rolled_back'],
      reworkWindowHours: 24,
      environment: 'production',
    },
    deploymentFrequency: figure(mine ? 0.41 : null, 'deploys/day', mine ? 37 : 0, mine ? [RELEASE] : []),
    leadTime: figure(mine ? 19.5 : null, 'hours', mine ? 37 : 0, mine ? [RELEASE] : []),
    changeFailureRate: figure(mine ? 0.081 : null, 'ratio', mine ? 3 : 0, mine ? [RELEASE] : [], mine ? [INCIDENT] : []),
    recoveryTime: figure(mine ? 1.5 : null, 'hours', mine ? 2 : 0, [], mine ? [INCIDENT] : []),
    reworkRate: figure(mine ? 0.027 : null, 'ratio', mine ? 1 : 0, mine ? [RELEASE] : []),
    weekly,
    deploys: mine
      ? [
          {
            releaseId: RELEASE,
            service: 'payments',
            version: '2.14.0',
            deployedAt: iso(3),
            outcome: 'failure',
            failed: true,
            rework: false,
            leadTimeHours: 27,
            incidents: [INCIDENT],
          },
        ]
      : [],
    incidents: mine
      ? [
          {
            id: INCIDENT,
            service: 'payments',
            title: 'Checkout errors after payments 2.14.0',
            startedAt: iso(2),
            resolvedAt: iso(0.5),
            attributedTo: RELEASE,
            recoveryHours: 1.5,
          },
        ]
      : [],
  };
}

function fakeSessionStore(): SessionStore & { revoke(tokenId: string): void } {
  const rows = new Map<string, { tokenId: string; csrfSecret: string; expiresAt: Date }>();
  const used = new Set<string>();
  const revoked = new Set<string>();
  return {
    async create(s) {
      rows.set(s.idHash, { tokenId: s.tokenId, csrfSecret: s.csrfSecret, expiresAt: s.expiresAt });
    },
    async find(idHash, now): Promise<StoredSession | undefined> {
      const r = rows.get(idHash);
      const token = r && Object.values(TOKENS).find((t) => t.id === r.tokenId);
      if (!r || !token || r.expiresAt <= now || revoked.has(r.tokenId)) return undefined;
      return { id: idHash, tenantId: token.tenantId, tenantSlug: token.tenantSlug, tokenName: token.name, scopes: token.scopes, ...r };
    },
    async remove(idHash) {
      rows.delete(idHash);
    },
    async useForm(idHash, nonce) {
      const key = `${idHash}/${nonce}`;
      if (used.has(key)) return false;
      used.add(key);
      return true;
    },
    revoke(tokenId) {
      revoked.add(tokenId);
    },
  };
}

export interface Fakes {
  deps: ConsoleDeps;
  decisions: DecisionView[];
  audit: AuditEntry[];
  notesVersions: NotesView[];
  /** Make the audit check report a broken chain. */
  breakAudit(): void;
  revoke(token: string): void;
  /** Calls the deps received (method and tenant), to check tenant isolation. */
  calls: { method: string; tenantId: string }[];
}

/** The fake deps, fresh for each test (decisions and notes versions are recorded in memory). */
export function fakeDeps(overrides: Partial<ConsoleDeps> = {}): Fakes {
  const calls: Fakes['calls'] = [];
  const seen = (method: string, tenantId: string) => calls.push({ method, tenantId });
  const releases = new Map<string, { tenantId: string; detail: ReleaseDetail; registeredBy: string }>([
    [
      RELEASE,
      {
        tenantId: ACME.id,
        registeredBy: 'ci',
        detail: release(RELEASE, 'payments', '2.14.0', [
          change(CHANGE, '#482', REDACTED_TITLE, 'erin'),
          change(CHANGE_2, '#483', MARKUP_TITLE, 'frank'),
        ]),
      },
    ],
    [QUIET_RELEASE, { tenantId: ACME.id, registeredBy: 'alice', detail: release(QUIET_RELEASE, 'search', '0.9.1', []) }],
    [OTHER_RELEASE, { tenantId: OTHER.id, registeredBy: 'ci', detail: release(OTHER_RELEASE, 'ledger', '5.0.0', []) }],
  ]);
  const releaseOf = (tenantId: string, id: string) => {
    const r = releases.get(id);
    if (!r || r.tenantId !== tenantId) throw new NotFoundError(`no release ${id}`);
    return r;
  };
  const decisions: DecisionView[] = [];
  const audit: AuditEntry[] = [];
  let auditBroken = false;
  const history = advisories();
  const notesVersions: NotesView[] = [
    notesView(
      1,
      [
        item('features', 'Card payments retry once on a network error.', '#482', `change:${CHANGE}`),
        item('fixes', 'Names with quotes are escaped on receipts.', '#483', `change:${CHANGE_2}`),
      ],
      null,
      'draft',
      null,
    ),
  ];

  const appendAudit = (tenantId: string, e: Pick<AuditEntry, 'actor' | 'action' | 'subject' | 'subjectLabel' | 'reason' | 'answers'>) => {
    const prev = audit.filter((a) => a.tenant === tenantId).at(-1);
    const body = {
      ...e,
      seq: (prev?.seq ?? 0) + 1,
      id: `${String(audit.length + 1).padStart(8, '0')}-0000-4000-8000-000000000000`,
      tenant: tenantId,
      at: new Date(NOW).toISOString(),
      details: {},
      prevHash: prev?.hash ?? GENESIS_HASH,
    };
    audit.push({ ...body, hash: auditEntryHash(body) });
  };

  const verdict = (tenantId: string, id: string): PolicyVerdict => {
    const r = releaseOf(tenantId, id);
    const hasAssessment = id === RELEASE;
    const approvals = decisions.filter((d) => d.releaseId === id && d.action === 'approve');
    const rejected = decisions.some((d) => d.releaseId === id && d.action === 'reject');
    const state = !hasAssessment ? 'allowed' : rejected ? 'rejected' : approvals.length >= 1 ? 'allowed' : 'needs_approval';
    return {
      state,
      rule: { id: 'risk.high', says: 'A high-risk release needs one approval before promotion.', effect: 'one' },
      rules: [{ id: 'risk.high', says: 'A high-risk release needs one approval before promotion.', effect: 'one' }],
      missing: state === 'needs_approval' ? ['needs 1 more approval'] : [],
      approvals: {
        required: 1,
        ownerRequired: false,
        counted: approvals.map((d) => ({ actor: d.actor, at: d.createdAt, owner: false, decisionId: d.id })),
        notCounted: [{ actor: 'zoe', at: iso(20), owner: false, decisionId: 'old', why: 'approved an earlier assessment' }],
      },
      level: hasAssessment ? 'high' : null,
      assessmentId: hasAssessment ? ASSESSMENT : null,
      policy: { service: r.detail.service, version: 3 },
      evaluatedAt: new Date(NOW).toISOString(),
    };
  };

  const decide = async (actor: ConsoleActor, id: string, input: DecisionInput): Promise<DecisionView> => {
    seen('decide', actor.tenantId);
    const r = releaseOf(actor.tenantId, id);
    const approval = input.action === 'approve' || input.action === 'reject';
    if (approval) {
      if (id !== RELEASE) throw new AppError('conflict', `release ${r.detail.version} has no assessment to approve yet`);
      if (actor.tokenName === r.registeredBy)
        throw new AppError('forbidden', `${actor.tokenName} registered this release; the policy forbids approving your own release`);
      if (
        decisions.some(
          (d) => d.releaseId === id && d.action === input.action && d.actor === actor.tokenName && d.assessmentId === ASSESSMENT,
        )
      )
        throw new AppError('conflict', `${actor.tokenName} already answered assessment ${ASSESSMENT} with ${input.action}`);
    }
    const latest = id === RELEASE ? history.at(-1)! : undefined;
    const d: DecisionView = {
      id: `dec-${decisions.length + 1}`,
      releaseId: id,
      action: input.action,
      reason: input.reason,
      actor: actor.tokenName,
      advisoryId: approval ? null : (latest?.id ?? null),
      assessmentId: approval ? ASSESSMENT : null,
      advised: approval ? null : (latest?.action ?? null),
      overridesAdvice: !approval && latest?.action === 'halt' && input.action === 'promote',
      hook: null,
      notesVersion: null,
      createdAt: new Date(NOW + decisions.length * 1000).toISOString(),
    };
    decisions.push(d);
    appendAudit(actor.tenantId, {
      actor: actor.tokenName,
      action: input.action,
      subject: `release:${id}`,
      subjectLabel: `${r.detail.service} ${r.detail.version}`,
      reason: input.reason,
      answers: approval ? { kind: 'assessment', id: `assessment:${ASSESSMENT}`, version: 'risk-model-7' } : null,
    });
    return d;
  };

  const evidence: Record<string, EvidenceView> = {
    [`change:${CHANGE}`]: {
      id: `change:${CHANGE}`,
      kind: 'change',
      title: REDACTED_TITLE,
      text: `${REDACTED_TITLE}\n\nsrc/charge.ts (+120 -14)`,
      occurredAt: iso(40),
      service: 'payments',
      document: { id: 'doc-1', kind: 'change', title: '#482', source: 'github', externalId: '#482' },
      link: '/v1/documents/doc-1?body=true',
    },
    [`change:${CHANGE_2}`]: {
      id: `change:${CHANGE_2}`,
      kind: 'change',
      title: MARKUP_TITLE,
      text: MARKUP_TITLE,
      occurredAt: iso(40),
      service: 'payments',
      document: null,
      link: `/v1/evidence/change:${CHANGE_2}`,
    },
    [`incident:${INCIDENT}`]: {
      id: `incident:${INCIDENT}`,
      kind: 'incident',
      title: 'Checkout errors after payments 2.12.0',
      text: 'Card charges failed for 14 minutes after the 2.12.0 canary reached 50%.',
      occurredAt: iso(24 * 12),
      service: 'payments',
      document: null,
      link: `/v1/evidence/incident:${INCIDENT}`,
    },
    [CHUNK]: {
      id: CHUNK,
      kind: 'chunk',
      title: 'Payments rollback runbook',
      text: '1. Scale the canary to 0.\n2. Re-run the smoke test.',
      occurredAt: iso(24 * 60),
      service: 'payments',
      document: { id: 'doc-2', kind: 'runbook', title: 'Payments rollback runbook', source: 'confluence', externalId: null },
      link: '/v1/documents/doc-2?body=true',
    },
    [`window:${WINDOW}`]: {
      id: `window:${WINDOW}`,
      kind: 'window',
      title: 'errors, canary vs baseline',
      text: 'canary 40 samples, baseline 400 samples',
      occurredAt: iso(1),
      service: 'payments',
      document: null,
      link: `/v1/evidence/window:${WINDOW}`,
    },
  };

  const policies: PolicyView[] = [
    {
      service: 'default',
      version: 1,
      document: {} as PolicyView['document'],
      yaml: 'service: default\napprovals:\n  high: one\n  critical: hold\n',
      actor: 'alice',
      reason: 'first policy',
      createdAt: iso(24 * 30),
    },
    {
      service: 'payments',
      version: 3,
      document: {} as PolicyView['document'],
      yaml: 'service: payments\nowners: [alice]\napprovals:\n  medium: one\n  high: two_with_owner\nfreezes:\n  - name: year-end\n    from: 2026-12-20T00:00:00Z\n    to: 2027-01-04T00:00:00Z\n',
      actor: 'alice',
      reason: 'year-end freeze',
      createdAt: iso(24 * 3),
    },
  ];

  const store = fakeSessionStore();
  const deps: ConsoleDeps = {
    tokens: { authenticate: async (t) => TOKENS[t] },
    releases: {
      get: async (tenantId, id) => (seen('release', tenantId), releaseOf(tenantId, id).detail),
    },
    risk: {
      latest: async (tenantId, id) => (seen('risk', tenantId), releaseOf(tenantId, id), id === RELEASE ? assessment() : undefined),
    },
    evidence: {
      open: async (tenantId, id) => {
        seen('evidence', tenantId);
        const e = tenantId === ACME.id ? evidence[id] : undefined;
        if (!e) throw new NotFoundError(`no evidence ${id}`);
        return e;
      },
    },
    advisor: {
      advice: async (tenantId, id, withHistory) => {
        seen('advice', tenantId);
        releaseOf(tenantId, id);
        if (id !== RELEASE) return { rollout: null, latest: null, ...(withHistory ? { history: [] } : {}) };
        return {
          rollout: {
            releaseId: RELEASE,
            state: 'watching',
            strategy: 'canary',
            canaryWeight: 0.1,
            startedAt: iso(3),
            stoppedAt: null,
            minDurationSeconds: 600,
            watchAfterPromotionSeconds: 3600,
            metrics: [],
            prometheus: null,
          },
          latest: history.at(-1)!,
          ...(withHistory ? { history } : {}),
        };
      },
    },
    notes: {
      get: async (tenantId, id, version) => {
        seen('notes', tenantId);
        releaseOf(tenantId, id);
        if (id !== RELEASE) throw new NotFoundError('release has no notes yet');
        const v = version === undefined ? notesVersions.at(-1) : notesVersions.find((n) => n.version === version);
        if (!v) throw new NotFoundError(`no notes version ${version}`);
        return v;
      },
      edit: async (tenantId, id, actor, input) => {
        seen('notes.edit', tenantId);
        releaseOf(tenantId, id);
        const latest = notesVersions.at(-1)!;
        if (input.basedOn !== latest.version)
          throw new AppError(
            'conflict',
            `this edit is based on version ${input.basedOn}, but version ${latest.version} is the latest; read it and re-apply the edit`,
          );
        const items = input.items.map((i) => ({ ...i, evidence: i.evidence ?? [], origin: 'person' as const }));
        const next = notesView(latest.version + 1, items, input.summary?.trim() || null, 'draft', null);
        next.markdown = `${actor}: ${next.markdown}`;
        notesVersions.push(next);
        return next;
      },
      approve: async (tenantId, id, actor, input) => {
        seen('notes.approve', tenantId);
        releaseOf(tenantId, id);
        const latest = notesVersions.at(-1)!;
        if ((input.version ?? latest.version) !== latest.version)
          throw new AppError('conflict', `version ${input.version} is not the latest (${latest.version})`);
        if (latest.status === 'approved')
          throw new AppError('conflict', `version ${latest.version} was already approved by ${latest.approvedBy}`);
        Object.assign(latest, { status: 'approved', approvedBy: actor, approvedAt: new Date(NOW).toISOString() });
        return latest;
      },
    },
    governance: {
      releaseRows: async (tenantId, q) => {
        seen('releaseRows', tenantId);
        return [...releases.values()]
          .filter((r) => r.tenantId === tenantId && (!q.service || r.detail.service === q.service))
          .map(
            (r): ReleaseRow => ({
              id: r.detail.id,
              service: r.detail.service,
              version: r.detail.version,
              environment: r.detail.environment,
              createdAt: r.detail.createdAt,
              deployedAt: r.detail.deployedAt,
              outcome: r.detail.outcome,
              level: r.detail.id === RELEASE ? 'high' : null,
              score: r.detail.id === RELEASE ? 72 : null,
              advisor: r.detail.id === RELEASE ? 'halt' : null,
              policy: r.detail.id === RELEASE ? verdict(tenantId, r.detail.id).state : null,
            }),
          )
          .slice(0, q.limit);
      },
      verdict: async (tenantId, id) => (seen('verdict', tenantId), verdict(tenantId, id)),
      decide,
      decisions: async (tenantId, id) => (
        seen('decisions', tenantId), releaseOf(tenantId, id), decisions.filter((d) => d.releaseId === id)
      ),
      auditPage: async (tenantId, q) => {
        seen('auditPage', tenantId);
        const mine = audit.filter((a) => a.tenant === tenantId && a.seq > q.after);
        const entries = mine.slice(0, q.limit);
        return { entries, ...(mine.length > q.limit ? { nextAfter: entries.at(-1)!.seq } : {}) };
      },
      verifyAudit: async (tenantId) => {
        seen('verifyAudit', tenantId);
        const mine = audit.filter((a) => a.tenant === tenantId);
        if (auditBroken)
          return {
            ok: false,
            checked: mine.length,
            head: mine.at(-1)?.hash ?? null,
            firstBroken: { seq: 17, id: 'x', problem: 'edited', detail: 'its hash does not match its fields' },
          };
        return { ok: true, checked: mine.length, head: mine.at(-1)?.hash ?? null, firstBroken: null };
      },
      policies: async (tenantId) => (seen('policies', tenantId), tenantId === ACME.id ? policies : []),
      dora: async (tenantId, q) => (seen('dora', tenantId), doraReport(tenantId, q)),
    },
    sessions: createSessionService({ store, tokens: { authenticate: async (t) => TOKENS[t] } }),
    secureCookies: false,
    clock: () => NOW,
    ...overrides,
  };
  return {
    deps,
    decisions,
    audit,
    notesVersions,
    calls,
    breakAudit: () => void (auditBroken = true),
    revoke: (token) => store.revoke(TOKENS[token]!.id),
  };
}

/** Audit entries for paging: `n` policy changes in the tenant. */
export function seedAudit(f: Fakes, n: number): void {
  for (let i = 0; i < n; i++) {
    const prev = f.audit.at(-1);
    const body = {
      seq: (prev?.seq ?? 0) + 1,
      id: `${String(i).padStart(8, '0')}-1111-4111-8111-111111111111`,
      tenant: ACME.id,
      at: new Date(NOW - (n - i) * 60_000).toISOString(),
      actor: 'alice',
      action: 'policy_change' as const,
      subject: 'policy:payments',
      subjectLabel: 'policy of payments',
      reason: `tightening ${i + 1}`,
      answers: { kind: 'policy' as const, id: 'payments', version: String(i + 1) },
      details: {},
      prevHash: prev?.hash ?? GENESIS_HASH,
    };
    f.audit.push({ ...body, hash: auditEntryHash(body) });
  }
}
