import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createStore, type Store } from '../../src/store/index.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { TEMPLATE } from './global-setup.js';

/** An in-memory PGlite with pgvector, migrated (from the run's template). */
export async function pgliteForTests(): Promise<Database> {
  const database = await openDatabase({ kind: 'pglite', loadDataDir: new Blob([fs.readFileSync(TEMPLATE)]) });
  await database.migrate();
  return database;
}

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The real server path: in CI (CI=true) PostgreSQL with pgvector must be
 * there, so a missing one fails the run; locally the tests that need it skip
 * with a message when it is not reachable.
 */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    const r = await client.query(`select 1 from pg_available_extensions where name = 'vector'`);
    if (r.rowCount === 0) throw new Error('pgvector is not installed in this PostgreSQL (run scripts/install-pgvector.sh)');
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`CI needs PostgreSQL with pgvector at ${ADMIN_URL}: ${(err as Error).message}`);
    console.warn(`skipping PostgreSQL tests: ${(err as Error).message}`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh database on the real server, dropped by `drop()`. */
export async function postgresForTests(): Promise<{ database: Database; url: string; drop(): Promise<void> }> {
  const name = `shipcheck_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 });
  await database.migrate();
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close().catch(() => {});
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** The engines every store contract test runs on. */
export const ENGINES = [
  { name: 'pglite', available: async () => true, open: async () => ({ database: await pgliteForTests(), drop: async () => {} }) },
  { name: 'postgres', available: postgresAvailable, open: postgresForTests },
] as const;

/**
 * A store over a fresh database of one engine for the enclosing describe
 * block: opened before its tests, closed and dropped after. Read `store`
 * and `database` inside tests (they exist once beforeAll has run).
 */
export function useStore(engine: (typeof ENGINES)[number]) {
  const ctx = {} as { store: Store; database: Database; drop: () => Promise<void> };
  beforeAll(async () => {
    const opened = await engine.open();
    ctx.database = opened.database;
    ctx.drop = opened.drop;
    ctx.store = createStore(opened.database);
  });
  afterAll(async () => {
    await ctx.database?.close().catch(() => {});
    await ctx.drop?.();
  });
  return {
    get store() {
      return ctx.store;
    },
    get database() {
      return ctx.database;
    },
    /** The tenant's id, created on first mention. */
    tenant: async (slug: string) => (await ctx.store.tenants.ensure(slug)).tenant.id,
  };
}
