import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { SQL } from 'drizzle-orm';
import * as schema from './schema.js';
import { lockDataDir, type DirLock } from './lock.js';

export type Schema = typeof schema;
/** The drizzle handle both engines share: the same SQL serves PGlite and PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/**
 * Per-connection HNSW search settings. On the graph schema.ts builds
 * (ef_construction 512), ef_search 400 gives recall@10 ≥ 0.95 on hashing
 * vectors at 100k chunks (200 gave 0.90–0.95 depending on the build, and 40,
 * the default, 0.7–0.9: bench/README.md); relaxed_order iterative scans keep
 * filtered queries (tenant, service, kind, asOf) from returning fewer rows
 * than asked (pgvector 0.8).
 */
export const HNSW_SEARCH_SETTINGS = { 'hnsw.ef_search': '400', 'hnsw.iterative_scan': 'relaxed_order' } as const;

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Applies the committed migrations; safe to call on every start. */
  migrate(): Promise<void>;
  /** PGlite only: the whole database as a tarball (test and bench templates). */
  dump?(): Promise<Blob>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob }
  | { kind: 'postgres'; url: string; poolSize?: number };

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'pglite' ? openPglite(target) : openPostgres(target);
}

async function openPglite(target: { dataDir?: string; loadDataDir?: Blob }): Promise<Database> {
  // In-memory databases (tests) need no lock; a data dir does.
  const lock: DirLock | undefined = target.dataDir ? lockDataDir(target.dataDir) : undefined;
  let client: PGlite;
  try {
    client = await PGlite.create({
      ...(target.dataDir ? { dataDir: target.dataDir } : {}),
      ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
      extensions: { vector },
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    async migrate() {
      await migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR });
      // One connection: session settings hold for every later query.
      for (const [k, v] of Object.entries(HNSW_SEARCH_SETTINGS)) await client.exec(`set ${k} = '${v}'`);
    },
    dump: () => client.dumpDataDir('none'),
    async close() {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

async function openPostgres(target: { url: string; poolSize?: number }): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    // Set at connect, so no query can race a 'connect' handler that would SET them afterwards.
    options: Object.entries(HNSW_SEARCH_SETTINGS)
      .map(([k, v]) => `-c ${k}=${v}`)
      .join(' '),
  });
  // A pool error on an idle client must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    async migrate() {
      await migratePg(db as never, { migrationsFolder: MIGRATIONS_DIR });
    },
    async close() {
      await pool.end();
    },
  };
}

/** Exposed for tests and the benchmark: a PGlite template dump of a migrated database. */
export async function dumpPgliteTemplate(): Promise<Blob> {
  const client = await PGlite.create({ extensions: { vector } });
  const db = drizzlePglite({ client, schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS_DIR });
  const dump = await client.dumpDataDir('none');
  await client.close();
  return dump;
}

/** Raw SQL with typed rows; both drivers answer `{ rows }`. */
/** A timestamp as the driver gave it: a Date from a column, a string from json_agg or a raw row. */
export const asDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
