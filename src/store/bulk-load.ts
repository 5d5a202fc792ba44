import { sql } from 'drizzle-orm';
import { analyzeChunks } from './chunks.js';
import { queryRows, type Database, type Db } from './database.js';
import { createVectorIndex, dropVectorIndex } from './index-config.js';

/** Below this many new chunks, building the index again costs more than it saves. */
export const BULK_MIN_ROWS = 1000;

/** How long a bulk load waits for the lock to drop the index before it loads with the index kept. */
const DROP_LOCK_TIMEOUT = '2s';

const loading = new WeakMap<Db, number>();

/** Whether a bulk load with the vector index dropped is running on this handle (its end flushes and analyzes once). */
export function inBulkLoad(db: Db): boolean {
  return (loading.get(db) ?? 0) > 0;
}

/**
 * Runs a large load with the HNSW index dropped and builds it once at the
 * end: inserting into HNSW is 2.4–3.7× slower than loading and then indexing, in
 * PGlite and in PostgreSQL alike (bench/README.md). Worth it only
 * when the new rows are at least as many as the existing ones, which also
 * bounds what the index's absence costs others on a shared PostgreSQL: while
 * it loads, searches of every tenant scan the table exactly (same results,
 * slower, over at most twice the load), and the final CREATE INDEX holds
 * writes to chunks until it is built (seconds for tens of thousands of rows).
 * The drop waits at most DROP_LOCK_TIMEOUT for running queries; if it cannot
 * have the lock, the load keeps the index. Two loads at once: the first to
 * finish builds the index (the other's later writes go through it), and the
 * other's end finds it there. A crash in between leaves the index missing
 * until the next start re-creates it (ensureIndexConfig).
 *
 * Meanwhile the per-write upkeep is skipped (insertIndexed: merging the
 * full-text index's pending list, ANALYZE every tenth of growth); the end
 * does both once.
 */
export async function withDeferredVectorIndex<T>(database: Database, expectedRows: number, load: () => Promise<T>): Promise<T> {
  if (expectedRows < BULK_MIN_ROWS) return load();
  // Counts no further than needed: on a large table a full count(*) alone would take a while.
  const [row] = await queryRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from (select 1 from chunks limit ${expectedRows + 1}) c`,
  );
  if ((row?.n ?? 0) > expectedRows) return load();
  if (!(await tryDropVectorIndex(database.db))) return load();
  loading.set(database.db, (loading.get(database.db) ?? 0) + 1);
  try {
    return await load();
  } finally {
    loading.set(database.db, (loading.get(database.db) ?? 1) - 1);
    await rebuildVectorIndex(database.db);
    await analyzeChunks(database.db);
  }
}

/**
 * Builds the index unless another load's end did. CREATE INDEX IF NOT EXISTS
 * is not safe against a concurrent one (both pass the check, the second fails
 * on the catalog's unique key), so the builds take turns on an advisory lock.
 */
async function rebuildVectorIndex(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('shipcheck:chunks_embedding_hnsw'))`);
    await createVectorIndex(tx as unknown as Db);
  });
}

async function tryDropVectorIndex(db: Db): Promise<boolean> {
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local lock_timeout = '${DROP_LOCK_TIMEOUT}'`));
      await dropVectorIndex(tx as unknown as Db);
    });
    return true;
  } catch (err) {
    // lock_not_available; drizzle wraps the driver's error, whose code sits on a cause.
    for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
      if ((e as { code?: string }).code === '55P03') return false;
    }
    throw err;
  }
}
