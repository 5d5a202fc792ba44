import type { Database } from './database.js';
import { documentRepo } from './documents.js';
import { historyRepo } from './history.js';
import { releaseRepo } from './releases.js';
import { riskRepo } from './risk.js';
import { settingsRepo } from './settings.js';
import { serviceRepo, tenantRepo, tokenRepo } from './tenants.js';
import { analyzeChunks, commonLexemes, queryLexemes, textSearch, vectorSearch, websearchQuery } from './chunks.js';
import { sql } from 'drizzle-orm';
import { withDeferredVectorIndex } from './bulk-load.js';

export { openDatabase, dumpPgliteTemplate, type Database, type DatabaseTarget } from './database.js';
export { DataDirLockedError } from './lock.js';
export { EmbedderMismatchError, ensureIndexConfig, reembedAll } from './index-config.js';
export type { ChunkFilter, RankedChunk, VectorMode } from './chunks.js';
export type { NewDocument, DocumentForIndexing, IndexedDocument } from './documents.js';
export type { StoredToken, Tenant } from './tenants.js';
export type { StoredRelease, StoredChange, PastOutcome, PastIncident } from './releases.js';
export type { RiskModelRef, StoredRiskModel } from './risk.js';

/** Every repository over one database: what app.ts hands to the capability folders. */
export function createStore(database: Database) {
  const db = database.db;
  return {
    kind: database.kind,
    tenants: tenantRepo(db),
    services: serviceRepo(db),
    tokens: tokenRepo(db),
    documents: documentRepo(db),
    history: historyRepo(db),
    releases: releaseRepo(db),
    risk: riskRepo(db),
    /** See bulk-load.ts: large embedded loads build the vector index once at the end. */
    bulkLoad: <T>(expectedChunks: number, load: () => Promise<T>) => withDeferredVectorIndex(database, expectedChunks, load),
    settings: settingsRepo(db),
    chunks: {
      vectorSearch: vectorSearch.bind(null, db),
      textSearch: textSearch.bind(null, db),
      queryLexemes: queryLexemes.bind(null, db),
      websearchQuery: websearchQuery.bind(null, db),
      commonLexemes: commonLexemes.bind(null, db),
      analyze: () => analyzeChunks(db),
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
