import { sql } from 'drizzle-orm';
import type { AdvisorStore } from '../advisor/ports.js';
import type { GovernanceStore, SessionStore } from '../governance/ports.js';
import type { IngestStore } from '../ingest/ports.js';
import type { NotesStore } from '../notes/ports.js';
import type { ChunkIndex, EvidenceStore } from '../retrieval/ports.js';
import type { RiskStore } from '../risk/ports.js';
import {
  advisoryRepo,
  decisionRepo,
  notificationRepo,
  riskContextRepo,
  rolloutRepo,
  serviceMetricsRepo,
  webhookRepo,
} from './advisor-records.js';
import { telemetryRepo } from './advisor-telemetry.js';
import { withDeferredVectorIndex } from './bulk-load.js';
import { analyzeChunks, lexemeShares, nearestWithBreadth, queryLexemes, textSearch, vectorSearch, websearchQuery } from './chunks.js';
import type { Database } from './database.js';
import { auditReaderRepo } from './audit.js';
import { documentRepo } from './documents.js';
import { approvalRepo, decisionLabelRepo, doraSourceRepo, governanceReleasesRepo, policyRepo, sessionRepo } from './governance-records.js';
import { evidenceRepo } from './evidence.js';
import { intakeRepo } from './intake.js';
import { notesLogRepo, notesSourceRepo } from './notes-records.js';
import { outboxRepo } from './outbox.js';
import { riskHistoryRepo } from './risk-history.js';
import { assessmentRepo, modelRepo, outcomeRepo } from './risk-records.js';
import { settingsRepo } from './settings.js';
import { serviceRepo, tenantRepo, tokenRepo } from './tenants.js';

export { openDatabase, dumpPgliteTemplate, type Database, type DatabaseTarget } from './database.js';
export { DataDirLockedError } from './lock.js';
export { EmbedderMismatchError, ensureIndexConfig, type ReembedProgress, reembedAll } from './index-config.js';

/**
 * Every repository over one database. Each capability gets the port it
 * declared (ingest/ports.ts, retrieval/ports.ts, risk/ports.ts,
 * governance/ports.ts), built here from these repositories by app.ts.
 */
export function createStore(database: Database) {
  const db = database.db;
  const documents = documentRepo(db);
  const services = serviceRepo(db);
  const chunks: ChunkIndex & { analyze(): Promise<void> } = {
    vectorSearch: (f, e, limit, mode) => vectorSearch(db, f, e, limit, mode),
    textSearch: (f, q, limit) => textSearch(db, f, q, limit),
    queryLexemes: (text) => queryLexemes(db, text),
    websearchQuery: (text) => websearchQuery(db, text),
    lexemeShares: () => lexemeShares(db),
    analyze: () => analyzeChunks(db),
  };
  const releases = intakeRepo(db);
  const models = modelRepo(db);
  const history = riskHistoryRepo(db);
  const risk: RiskStore = {
    history,
    training: history,
    chunks: { nearest: (q, vector, k) => nearestWithBreadth(db, q, vector, k) },
    models,
    assessments: assessmentRepo(db),
    outcomes: outcomeRepo(db),
  };
  const ingest: IngestStore = {
    documents,
    services,
    releases,
    bulkLoad: (expectedChunks, load) => withDeferredVectorIndex(database, expectedChunks, load),
  };
  const evidence: EvidenceStore = evidenceRepo(db);
  const advisor: AdvisorStore = {
    telemetry: telemetryRepo(db),
    rollouts: rolloutRepo(db),
    serviceMetrics: serviceMetricsRepo(db),
    advisories: advisoryRepo(db),
    decisions: decisionRepo(db),
    webhooks: webhookRepo(db),
    notifications: notificationRepo(db),
    risk: riskContextRepo(db),
  };
  const notes: NotesStore = { source: notesSourceRepo(db), log: notesLogRepo(db) };
  const governance: GovernanceStore = {
    policies: policyRepo(db),
    releases: governanceReleasesRepo(db),
    approvals: approvalRepo(db),
    audit: auditReaderRepo(db),
    dora: doraSourceRepo(db),
    labels: decisionLabelRepo(db),
  };
  const sessions: SessionStore = sessionRepo(db);
  return {
    kind: database.kind,
    tenants: tenantRepo(db),
    tokens: tokenRepo(db),
    services,
    documents,
    chunks,
    releases,
    models,
    risk,
    ingest,
    evidence,
    advisor,
    notes,
    governance,
    sessions,
    outbox: outboxRepo(db),
    settings: settingsRepo(db),
    /** Row counts of a tenant's history (the demo's and the CLI's summaries). */
    async counts(tenantId: string): Promise<{ releases: number; changes: number; incidents: number }> {
      const result = (await db.execute(sql`
        select (select count(*) from releases where tenant_id = ${tenantId})::int as releases,
               (select count(*) from changes where tenant_id = ${tenantId})::int as changes,
               (select count(*) from incidents where tenant_id = ${tenantId})::int as incidents`)) as unknown as {
        rows: { releases: number; changes: number; incidents: number }[];
      };
      return result.rows[0]!;
    },
    async ping(): Promise<boolean> {
      try {
        await db.execute(sql`select 1`);
        return true;
      } catch {
        return false;
      }
    },
  };
}

export type Store = ReturnType<typeof createStore>;
