import { sql } from 'drizzle-orm';
import { analyzeChunks } from './chunks.js';
import { queryRows, type Database } from './database.js';
import { createVectorIndex, dropVectorIndex } from './index-config.js';

/** Below this many new chunks, building the index again costs more than it saves. */
export const BULK_MIN_ROWS = 1000;

/**
 * Runs a large load with the HNSW index dropped and builds it once at the
 * end: inserting into HNSW in PGlite is 2–2.4× slower than loading and then
 * indexing (bench/README.md). Only for the embedded engine, whose
 * data dir is locked to this process, so nobody searches without the index
 * meanwhile; a shared PostgreSQL keeps its index. Worth it only when the new
 * rows are at least as many as the existing ones. A crash in between leaves
 * the index missing until the next start re-creates it (ensureIndexConfig).
 */
export async function withDeferredVectorIndex<T>(database: Database, expectedRows: number, load: () => Promise<T>): Promise<T> {
  if (database.kind !== 'pglite' || expectedRows < BULK_MIN_ROWS) return load();
  const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from chunks`);
  if ((row?.n ?? 0) > expectedRows) return load();
  await dropVectorIndex(database.db);
  try {
    return await load();
  } finally {
    await createVectorIndex(database.db);
    await analyzeChunks(database.db);
  }
}
