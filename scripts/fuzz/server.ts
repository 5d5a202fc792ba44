/**
 * The real server for a fuzz run, on a fresh database of one engine:
 * in-memory PGlite, or a scratch database created next to DATABASE_URL and
 * dropped afterwards (the database DATABASE_URL names is never written).
 * Jobs run in-process. Server log lines other than the per-request line are
 * kept, so a run can show what the server said about a failure.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type App, createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { startServer } from '../../src/http/serve.js';
import { createLogger } from '../../src/log.js';
import { type Database, openDatabase } from '../../src/store/database.js';
import type { Credentials } from './requests.js';

export type Engine = 'pglite' | 'postgres';

export interface FuzzServer {
  url: string;
  app: App;
  credentials: Credentials;
  /** Server log lines (level warn and above, and any error line), newest last. */
  logLines: string[];
  close(): Promise<void>;
}

/** Tokens of tenant A (every kind the requests use) and tenant B's admin. */
export async function credentialsFor(app: App, prefix = 'fuzz'): Promise<Credentials> {
  // Each token its own name: two active tokens of a tenant never share one.
  let n = 0;
  const make = async (tenant: string, scopes: string[]) =>
    app.tokens.create({ tenant: `${prefix}-${tenant}`, name: `fuzz ${scopes.join(',')} ${++n}`, scopes: scopes as never });
  const admin = await make('a', ['admin']);
  const revoked = await make('a', ['admin']);
  await app.tokens.revoke(revoked.tenant.id, revoked.id);
  return {
    admin: admin.token,
    reader: (await make('a', ['read'])).token,
    ingester: (await make('a', ['ingest'])).token,
    revoked: revoked.token,
    foreign: (await make('b', ['admin'])).token,
  };
}

async function scratchPostgres(adminUrl: string): Promise<{ database: Database; drop(): Promise<void> }> {
  const name = `shipcheck_fuzz_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  return {
    database,
    async drop() {
      await database.close().catch(() => {});
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function startFuzzServer(engine: Engine, databaseUrl?: string): Promise<FuzzServer> {
  if (engine === 'postgres' && !databaseUrl) throw new Error('the postgres engine needs DATABASE_URL');
  const scratch = engine === 'postgres' ? await scratchPostgres(databaseUrl!) : undefined;
  const database = scratch?.database ?? (await openDatabase({ kind: 'pglite' }));
  const logLines: string[] = [];
  const logger = createLogger('info', (line) => {
    // The per-request line is the one line per request: thousands of them say nothing here.
    if (line.includes('"msg":"request"') && !/"status":5\d\d/.test(line)) return;
    logLines.push(line);
    if (logLines.length > 200) logLines.shift();
  });
  const app = await createApp(parseConfig({ SHIPCHECK_DEMO: '0' }), {
    startWorker: true,
    database,
    logger,
    queueName: `fuzz-${randomBytes(4).toString('hex')}`,
  });
  const server = await startServer(app, { port: 0, host: '127.0.0.1' });
  return {
    url: server.url,
    app,
    credentials: await credentialsFor(app),
    logLines,
    async close() {
      await server.close();
      await app.close();
      await scratch?.drop();
    },
  };
}
