/**
 * Fresh, migrated databases for each benchmark step: in-memory PGlite booted
 * from a template dump (as test/support/db.ts does), or a scratch database on
 * the PostgreSQL server that is dropped afterwards. Both are opened through
 * src's openDatabase + migrate, so they carry whatever settings src applies.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { dumpPgliteTemplate, openDatabase, queryRows, type Database, type Db } from '../src/store/database.js';
import { createStore, type Store } from '../src/store/index.js';
import * as schema from '../src/store/schema.js';

export type EngineName = 'pglite' | 'postgres';

export const DEFAULT_PG_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const VECTOR_INDEX = 'chunks_embedding_hnsw';

/** HNSW query-time settings (pgvector 0.8). `asShipped` = whatever src sets when it opens a database. */
export interface VectorSettings {
  label: string;
  asShipped?: boolean;
  efSearch?: number;
  iterativeScan?: 'off' | 'relaxed_order' | 'strict_order';
}

export const AS_SHIPPED: VectorSettings = { label: 'as shipped', asShipped: true };

/** Null when reachable with pgvector available; otherwise the reason. */
export async function postgresProblem(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    const r = await client.query(`select 1 from pg_available_extensions where name = 'vector'`);
    return r.rowCount === 0 ? 'pgvector is not installed in that PostgreSQL' : null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

export class BenchDb {
  /** The HNSW settings src left in force, e.g. "ef_search=40 iterative_scan=off". */
  shipped = '';
  private shippedValues: { efSearch: string; iterativeScan: string } = { efSearch: '', iterativeScan: '' };
  private current: VectorSettings = AS_SHIPPED;

  private constructor(
    readonly engine: EngineName,
    public database: Database,
    private readonly url: string | undefined,
    private readonly drop: () => Promise<void>,
  ) {}

  get db(): Db {
    return this.database.db;
  }

  /** A fresh store over the current connection(s); re-read after `applySettings`. */
  store(): Store {
    return createStore(this.database);
  }

  static async pglite(template: Blob): Promise<BenchDb> {
    const database = await openDatabase({ kind: 'pglite', loadDataDir: template });
    await database.migrate();
    const b = new BenchDb('pglite', database, undefined, async () => {});
    await b.recordShipped();
    return b;
  }

  /**
   * A scratch database, dropped on close unless `keep` (then its name is in `name` for `--reuse-db`).
   * With `reuse`, an existing scratch database that an earlier `--keep-db` run loaded is opened instead.
   */
  static async postgres(adminUrl: string, opts: { keep?: boolean; reuse?: string } = {}): Promise<BenchDb> {
    const name = opts.reuse ?? `shipcheck_bench_${randomBytes(5).toString('hex')}`;
    if (!/^shipcheck_bench_[a-z0-9]+$/.test(name)) throw new Error(`--reuse-db takes a shipcheck_bench_… database, not ${name}`);
    if (!opts.reuse) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      if (!opts.keep) liveDatabases.add({ adminUrl, name });
    }
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ kind: 'postgres', url: url.toString() });
    await database.migrate();
    const keep = opts.keep || opts.reuse !== undefined;
    const b = new BenchDb('postgres', database, url.toString(), keep ? async () => {} : () => dropDatabase(adminUrl, name));
    b.name = name;
    await b.recordShipped();
    return b;
  }

  /** The scratch database's name (PostgreSQL). */
  name = '';

  async exec(statement: string): Promise<void> {
    await this.db.execute(sql.raw(statement));
  }

  async show(setting: string): Promise<string> {
    const [r] = await queryRows<Record<string, string>>(this.db, sql.raw(`show ${setting}`));
    return Object.values(r ?? {})[0] ?? '?';
  }

  /** The HNSW settings in force (a vector operation first loads the extension, which defines them). */
  async vectorSettings(): Promise<string> {
    await this.exec(`select '[1,0]'::vector <=> '[0,1]'::vector`);
    return `ef_search=${await this.show('hnsw.ef_search')} iterative_scan=${await this.show('hnsw.iterative_scan')}`;
  }

  private async recordShipped(): Promise<void> {
    this.shipped = await this.vectorSettings();
    this.shippedValues = { efSearch: await this.show('hnsw.ef_search'), iterativeScan: await this.show('hnsw.iterative_scan') };
  }

  /** True when `s` asks for exactly what src ships (so measuring it again would repeat the as-shipped run). */
  sameAsShipped(s: VectorSettings): boolean {
    return (
      s.asShipped === true ||
      (String(s.efSearch ?? 40) === this.shippedValues.efSearch && (s.iterativeScan ?? 'off') === this.shippedValues.iterativeScan)
    );
  }

  /**
   * Applies HNSW settings the way the app could: PGlite has one session, so a
   * SET on it holds for every later query. On PostgreSQL a SET would reach
   * only one pooled connection, so a variant gets its own pool whose
   * connections start with `-c hnsw.…` options (as src's own pool does);
   * `as shipped` is src's openDatabase pool.
   */
  async applySettings(s: VectorSettings): Promise<void> {
    if (s === this.current) return;
    const ef = s.asShipped ? this.shippedValues.efSearch : String(s.efSearch ?? 40);
    const it = s.asShipped ? this.shippedValues.iterativeScan : (s.iterativeScan ?? 'off');
    if (this.engine === 'pglite') {
      await this.exec(`set hnsw.ef_search = ${ef}`);
      await this.exec(`set hnsw.iterative_scan = ${it}`);
    } else {
      await this.database.close();
      this.database = s.asShipped ? await openDatabase({ kind: 'postgres', url: this.url! }) : openVariantPool(this.url!, ef, it);
    }
    this.current = s;
  }

  /** Drops the HNSW index and returns its definition (as the migrations made it) for `createVectorIndex`. */
  async dropVectorIndex(): Promise<string> {
    const [r] = await queryRows<{ def: string }>(this.db, sql.raw(`select pg_get_indexdef('${VECTOR_INDEX}'::regclass) as def`));
    if (!r?.def) throw new Error(`no ${VECTOR_INDEX} index to drop`);
    await this.exec(`drop index ${VECTOR_INDEX}`);
    return r.def;
  }

  /** The HNSW index's size on disk, in bytes. */
  async vectorIndexBytes(): Promise<number> {
    const [r] = await queryRows<{ n: string }>(this.db, sql.raw(`select pg_relation_size('${VECTOR_INDEX}'::regclass) as n`));
    return Number(r?.n ?? Number.NaN);
  }

  /** Re-creates the index from its definition; `buildMem` sets maintenance_work_mem for the build only. */
  async createVectorIndex(def: string, buildMem?: string): Promise<void> {
    if (!buildMem) return this.exec(def);
    await this.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local maintenance_work_mem = '${buildMem.replace(/'/g, '')}'`));
      await tx.execute(sql.raw(def));
    });
  }

  async close(): Promise<void> {
    await this.database.close().catch(() => {});
    await this.drop();
  }
}

/** A pool like src's, with the given HNSW settings on every connection. */
function openVariantPool(url: string, efSearch: string, iterativeScan: string): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    options: `-c hnsw.ef_search=${efSearch} -c hnsw.iterative_scan=${iterativeScan}`,
  });
  pool.on('error', () => {});
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    async migrate() {
      throw new Error('variant pools are for queries only');
    },
    async close() {
      await pool.end();
    },
  };
}

const liveDatabases = new Set<{ adminUrl: string; name: string }>();

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.end();
  for (const d of liveDatabases) if (d.name === name) liveDatabases.delete(d);
}

/** Drops scratch databases left by an interrupted run (called on SIGINT and on errors). */
export async function dropLeftovers(): Promise<void> {
  for (const d of [...liveDatabases]) await dropDatabase(d.adminUrl, d.name).catch(() => {});
}

export async function pgliteTemplate(): Promise<Blob> {
  return dumpPgliteTemplate();
}

/** Server settings that shape the PostgreSQL figures. */
export async function postgresServerInfo(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const names = [
      'server_version',
      'shared_buffers',
      'work_mem',
      'maintenance_work_mem',
      'max_parallel_workers_per_gather',
      'max_parallel_maintenance_workers',
    ];
    const parts: string[] = [];
    for (const n of names) parts.push(`${n}=${(await c.query(`show ${n}`)).rows[0]?.[n] ?? '?'}`);
    const v = await c.query(`select default_version from pg_available_extensions where name = 'vector'`);
    parts.push(`pgvector=${v.rows[0]?.default_version ?? '?'}`);
    return parts.join(' ');
  } finally {
    await c.end();
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Hashes of src/ and migrations/: the bench loads src once at start but
 * reads migrations whenever it opens a database, so a migration added during
 * a run (other people work in this tree) would mix two schemas in one report.
 */
export function sourceFingerprint(): { src: string; migrations: string } {
  const hash = (dir: string) => {
    const h = createHash('sha256');
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else {
          h.update(path.relative(ROOT, p));
          h.update(fs.readFileSync(p));
        }
      }
    };
    walk(path.join(ROOT, dir));
    return h.digest('hex').slice(0, 10);
  };
  return { src: hash('src'), migrations: hash('migrations') };
}
