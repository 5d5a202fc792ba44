/**
 * Kill test: nothing lost, duplicated or stuck when processes die mid-ingest.
 *
 * Starts shipcheck as child processes, as an operator runs it, and sends
 * documents and releases from several clients at once while it kills the
 * worker and the server with SIGKILL (mid-request, mid-job) and starts them
 * again. A client re-sends a request until it gets an answer, as a careful
 * client does. Once the load is sent it waits for the processes to recover
 * (no document of the tenant queued), stops them, and reads the database
 * directly:
 *
 * - lost: a document the API accepted (it answered with its id), or a change
 *   or diff document of an accepted release, that is missing or not indexed;
 * - duplicated: two documents with one content hash, or two chunks at one
 *   place of a document, or a document whose chunk count is not its chunks;
 * - stuck: a document still queued, or an outbox entry never relayed.
 *
 * Modes: `scaled` (PostgreSQL, BullMQ on Redis, an API node and a separate
 * worker; both are killed), `embedded` (PGlite on disk, in-process jobs:
 * server = worker). Seeded (documents, releases, kill times), bounded in count
 * (--batches, --releases, --kills per run) and in time (--timeout-s for all).
 *
 *   npm run kill-test -- [--mode both|scaled|embedded] [--runs 3] [--seed 1]
 *                        [--batches 30] [--releases 10] [--kills 4] [--timeout-s 1500]
 *
 * Needs PostgreSQL with pgvector (KILL_TEST_DATABASE_URL, else TEST_DATABASE_URL,
 * else postgres://postgres@127.0.0.1:5432/postgres; a database is created and
 * dropped per run) and Redis (REDIS_URL, else redis://127.0.0.1:6379; a queue
 * is created and removed per run) for the scaled mode. Exits 1 when anything
 * was lost, duplicated or stuck.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { docAt } from '../bench/corpus.js';
import { Rng } from '../bench/rng.js';
import { BullMqJobQueue } from '../src/jobs/bullmq.js';
import { openDatabase, queryRows } from '../src/store/database.js';
import { freePort, kill9, type Shipcheck, sleep, startShipcheck, stopGracefully } from './lib/processes.js';

type Mode = 'scaled' | 'embedded';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'both' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    batches: { type: 'string', default: '30' },
    releases: { type: 'string', default: '10' },
    kills: { type: 'string', default: '4' },
    'timeout-s': { type: 'string', default: '1500' },
  },
});
const MODES: Mode[] = values.mode === 'both' ? ['scaled', 'embedded'] : [values.mode as Mode];
const RUNS = Number(values.runs);
const SEED = Number(values.seed);
const BATCHES = Number(values.batches);
const RELEASES = Number(values.releases);
const KILLS = Number(values.kills);
const DEADLINE = Date.now() + Number(values['timeout-s']) * 1000;
if (
  !MODES.every((m) => m === 'scaled' || m === 'embedded') ||
  ![RUNS, BATCHES, RELEASES, KILLS].every((n) => Number.isInteger(n) && n >= 0)
) {
  console.error(
    'usage: npm run kill-test -- [--mode both|scaled|embedded] [--runs N] [--seed N] [--batches N] [--releases N] [--kills N] [--timeout-s S]',
  );
  process.exit(2);
}

const DOCS_PER_BATCH = 10;
const CHANGES_PER_RELEASE = 3;
const CLIENTS = 4;
/** How long the processes get to recover after the load before the run counts what is still queued. */
const RECOVERY_MS = 240_000;
const ADMIN_DB = process.env.KILL_TEST_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

interface Figures {
  mode: Mode;
  run: number;
  requests: number;
  retries: number;
  documents: number;
  releaseDocuments: number;
  kills: { server: number; worker: number };
  recoveryS: number;
  lost: number;
  duplicated: number;
  stuck: number;
  failed: number;
  refused: number;
}

/** One request of the load: a batch of documents or a release. */
type Item = { kind: 'documents'; body: { documents: unknown[] }; wait: boolean } | { kind: 'release'; body: ReturnType<typeof release> };

function release(r: Rng, run: number, n: number) {
  const version = `${run}.${n}.0`;
  return {
    service: r.pick(['checkout', 'payments', 'search']),
    version,
    strategy: 'canary',
    createdAt: new Date(Date.UTC(2026, 4, 1 + n)).toISOString(),
    changes: Array.from({ length: CHANGES_PER_RELEASE }, (_, c) => ({
      id: `kill-${run}-${n}-${c}-${r.hex(6)}`,
      title: `change ${c} of ${version}: ${r.pick(['retry budget', 'cart totals', 'ledger lag', 'feature flag'])} ${r.hex(4)}`,
      author: r.pick(['ana', 'bo', 'chen']),
      files: [{ path: `src/${r.pick(['cart', 'ledger', 'search'])}/${r.hex(4)}.ts`, additions: r.int(1, 200), deletions: r.int(0, 50) }],
      diff: `--- a/src/x.ts\n+++ b/src/x.ts\n@@ -1,2 +1,${c + 3} @@\n+export const v${c} = '${version}-${r.hex(8)}';\n`,
    })),
  };
}

/** The seeded load of one run, in the order the clients take it. */
function workload(mode: Mode, run: number): Item[] {
  const r = new Rng(SEED, `kill:${mode}:${run}`);
  const items: Item[] = [];
  const first = (SEED * 100 + run) * 10_000 + (mode === 'scaled' ? 0 : 5_000);
  for (let b = 0; b < BATCHES; b++) {
    const documents = Array.from({ length: DOCS_PER_BATCH }, (_, i) => docAt(SEED, first + b * DOCS_PER_BATCH + i));
    items.push({ kind: 'documents', body: { documents }, wait: b % 5 === 4 });
  }
  for (let n = 0; n < RELEASES; n++) items.push({ kind: 'release', body: release(r, run, n) });
  return r.sample(items, items.length);
}

class Deployment {
  server?: Shipcheck;
  worker?: Shipcheck;
  readonly kills = { server: 0, worker: 0 };
  private constructor(
    readonly mode: Mode,
    readonly dir: string,
    readonly port: number,
    readonly env: Record<string, string>,
    readonly dropDatabase: () => Promise<void>,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  static async open(mode: Mode, run: number): Promise<Deployment> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `shipcheck-kill-${mode}-`));
    const env: Record<string, string> = {
      SHIPCHECK_DATA_DIR: path.join(dir, 'db'),
      SHIPCHECK_DEMO: '0',
      SHIPCHECK_LOG_LEVEL: 'info',
      DATABASE_URL: '',
      REDIS_URL: '',
    };
    let dropDatabase = async () => {};
    if (mode === 'scaled') {
      const name = `shipcheck_kill_${run}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: ADMIN_DB });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = new URL(ADMIN_DB);
      url.pathname = `/${name}`;
      Object.assign(env, { DATABASE_URL: url.toString(), REDIS_URL: REDIS, SHIPCHECK_QUEUE: `kill-${randomBytes(4).toString('hex')}` });
      dropDatabase = async () => {
        const queue = new BullMqJobQueue({ redisUrl: REDIS, queueName: env.SHIPCHECK_QUEUE! });
        await queue.obliterate().finally(() => queue.close());
        const c = new pg.Client({ connectionString: ADMIN_DB });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      };
    }
    const d = new Deployment(mode, dir, await freePort(), env, dropDatabase);
    await d.startServer();
    if (mode === 'scaled') await d.startWorker();
    return d;
  }

  async startServer(): Promise<void> {
    this.server = await startShipcheck(['serve', '--port', String(this.port)], this.env, {
      ready: /listening on/,
      logFile: path.join(this.dir, 'serve.log'),
      timeoutMs: 120_000,
    });
  }

  async startWorker(): Promise<void> {
    this.worker = await startShipcheck(['worker'], this.env, { ready: /processing jobs/, logFile: path.join(this.dir, 'worker.log') });
  }

  token(): string {
    return fs.readFileSync(path.join(this.dir, 'admin-token'), 'utf8').trim();
  }

  /** SIGKILL one process (the server, or in scaled mode the worker by turns), then start it again. */
  async killAndRestart(target: 'server' | 'worker', downMs: number): Promise<void> {
    const p = this[target];
    if (!p) return;
    await kill9(p);
    this.kills[target]++;
    await sleep(downMs);
    if (target === 'server') await this.startServer();
    else await this.startWorker();
  }

  async stop(): Promise<void> {
    for (const p of [this.server, this.worker]) if (p) await stopGracefully(p);
  }

  /** The logs, for a run that went wrong. */
  logs(): string {
    return ['serve.log', 'worker.log']
      .map((f) => path.join(this.dir, f))
      .filter((f) => fs.existsSync(f))
      .map((f) => `==> ${f}\n${fs.readFileSync(f, 'utf8').split('\n').slice(-40).join('\n')}`)
      .join('\n');
  }

  async close(): Promise<void> {
    await this.dropDatabase();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What the API accepted: ids of documents, and the change/diff document ids of releases. */
interface Accepted {
  documents: Set<string>;
  releaseDocuments: Set<string>;
  requests: number;
  retries: number;
  refused: number;
}

/** Sends one item until the server gives an answer (a crash loses the connection; a 5xx says try again). */
async function send(url: string, token: string, item: Item, acc: Accepted): Promise<void> {
  const path = item.kind === 'release' ? '/v1/releases' : `/v1/documents${item.wait ? '?wait=true' : ''}`;
  for (let attempt = 0; ; attempt++) {
    if (Date.now() > DEADLINE) throw new Error('deadline passed while sending the load');
    if (attempt > 0) {
      acc.retries++;
      await sleep(300);
    }
    acc.requests++;
    const res = await fetch(url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(item.body),
      signal: AbortSignal.timeout(120_000),
    }).catch(() => undefined);
    if (!res || res.status >= 500) continue;
    const body = (await res.json().catch(() => undefined)) as
      | { results?: { status: string; documentId?: string }[]; id?: string }
      | undefined;
    if (!body) continue; // the connection died mid-answer
    if (res.status >= 400) {
      acc.refused++;
      console.error(`  refused ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
      return;
    }
    if (item.kind === 'release') {
      for (const c of item.body.changes) {
        acc.releaseDocuments.add(c.id);
        acc.releaseDocuments.add(`${c.id}:diff`);
      }
    } else {
      for (const r of body.results ?? []) {
        if (r.documentId && r.status !== 'rejected') acc.documents.add(r.documentId);
        else acc.refused++;
      }
    }
    return;
  }
}

/** Whether the tenant has a document still queued, through the API (the embedded database is the server's own). */
async function anyQueued(url: string, token: string): Promise<boolean | undefined> {
  const res = await fetch(`${url}/v1/documents?status=queued&limit=1`, { headers: { authorization: `Bearer ${token}` } }).catch(
    () => undefined,
  );
  if (!res?.ok) return undefined;
  return ((await res.json()) as { documents: unknown[] }).documents.length > 0;
}

async function check(d: Deployment, acc: Accepted): Promise<Pick<Figures, 'lost' | 'duplicated' | 'stuck' | 'failed'>> {
  const database = await openDatabase(
    d.mode === 'scaled' ? { kind: 'postgres', url: d.env.DATABASE_URL! } : { kind: 'pglite', dataDir: d.env.SHIPCHECK_DATA_DIR! },
  );
  try {
    const db = database.db;
    const docs = await queryRows<{ id: string; status: string; kind: string; external_id: string | null }>(
      db,
      sql`select id, status, kind, external_id from documents`,
    );
    const byId = new Map(docs.map((x) => [x.id, x.status]));
    const releaseDocs = new Map(docs.filter((x) => x.kind === 'change' || x.kind === 'diff').map((x) => [x.external_id, x.status]));
    let lost = 0;
    for (const id of acc.documents) if (byId.get(id) !== 'indexed') lost++;
    for (const ext of acc.releaseDocuments) if (releaseDocs.get(ext) !== 'indexed') lost++;
    const [dup] = await queryRows<{ docs: number; chunks: number; counts: number }>(
      db,
      sql`select
        (select count(*) from (select 1 from documents group by tenant_id, content_hash having count(*) > 1) x)::int as docs,
        (select count(*) from (select 1 from chunks group by document_id, ordinal having count(*) > 1) x)::int as chunks,
        (select count(*) from documents d where d.status = 'indexed'
           and d.chunk_count <> (select count(*) from chunks c where c.document_id = d.id))::int as counts`,
    );
    const [left] = await queryRows<{ queued: number; outbox: number; failed: number }>(
      db,
      sql`select (select count(*) from documents where status = 'queued')::int as queued,
                 (select count(*) from outbox)::int as outbox,
                 (select count(*) from documents where status = 'failed')::int as failed`,
    );
    return {
      lost,
      duplicated: dup!.docs + dup!.chunks + dup!.counts,
      stuck: left!.queued + left!.outbox,
      failed: left!.failed,
    };
  } finally {
    await database.close();
  }
}

async function oneRun(mode: Mode, run: number): Promise<Figures> {
  const d = await Deployment.open(mode, run);
  try {
    const token = d.token();
    const items = workload(mode, run);
    const acc: Accepted = { documents: new Set(), releaseDocuments: new Set(), requests: 0, retries: 0, refused: 0 };
    let next = 0;
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (next < items.length) await send(d.url, token, items[next++]!, acc);
    });
    let sending = true;
    const load = Promise.all(clients).finally(() => {
      sending = false;
    });
    // Kills spread over the load, each when the clients have taken its share of the items (plus a seeded
    // 0-500 ms), so every kill lands while requests and jobs are in flight. The embedded server is its own worker.
    const r = new Rng(SEED, `kill-times:${mode}:${run}`);
    for (let k = 0; k < KILLS && sending; k++) {
      while (sending && next < (items.length * (k + 1)) / (KILLS + 1)) await sleep(20);
      await sleep(r.int(0, 500));
      if (!sending) break;
      // Scaled: the worker first, then the server, so no worker restart comes after a server kill to mend what it left.
      const target = mode === 'scaled' && k < KILLS / 2 ? 'worker' : 'server';
      await d.killAndRestart(target, r.int(100, 1000));
    }
    await load;
    // Recovery: nothing of the tenant queued any more (BullMQ hands a killed worker's jobs on after their lock
    // expires, about 30 s; the reconciler catches what no process was told about).
    const recoveryStart = Date.now();
    for (;;) {
      if ((await anyQueued(d.url, token)) === false) break;
      if (Date.now() - recoveryStart > RECOVERY_MS || Date.now() > DEADLINE) break;
      await sleep(500);
    }
    const recoveryS = (Date.now() - recoveryStart) / 1000;
    await d.stop();
    const found = await check(d, acc);
    const figures: Figures = {
      mode,
      run,
      requests: acc.requests,
      retries: acc.retries,
      documents: acc.documents.size,
      releaseDocuments: acc.releaseDocuments.size,
      kills: d.kills,
      recoveryS,
      refused: acc.refused,
      ...found,
    };
    if (found.lost + found.duplicated + found.stuck + found.failed + acc.refused > 0) console.error(d.logs());
    return figures;
  } finally {
    await d.stop().catch(() => {});
    await d.close().catch((err: unknown) => console.error(`cleanup failed: ${String(err)}`));
  }
}

const all: Figures[] = [];
for (const mode of MODES) {
  for (let run = 1; run <= RUNS; run++) {
    if (Date.now() > DEADLINE) {
      console.error(`deadline passed: ${mode} run ${run} and later not run`);
      break;
    }
    const f = await oneRun(mode, run).catch((err: unknown) => {
      console.error(`${mode} run ${run} did not finish: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    if (!f) continue;
    all.push(f);
    console.log(
      `${mode} run ${run}: ${f.documents} documents + ${f.releaseDocuments} release documents accepted over ${f.requests} requests ` +
        `(${f.retries} re-sent); killed server ${f.kills.server}×, worker ${f.kills.worker}×; recovered in ${f.recoveryS.toFixed(1)} s; ` +
        `lost ${f.lost}, duplicated ${f.duplicated}, stuck ${f.stuck}, failed ${f.failed}, refused ${f.refused}`,
    );
  }
}
for (const mode of MODES) {
  const runs = all.filter((f) => f.mode === mode);
  const sum = (k: 'documents' | 'releaseDocuments' | 'lost' | 'duplicated' | 'stuck' | 'failed' | 'refused') =>
    runs.reduce((s, f) => s + f[k], 0);
  const kills = runs.reduce((s, f) => s + f.kills.server + f.kills.worker, 0);
  const worst = Math.max(0, ...runs.map((f) => f.recoveryS));
  console.log(
    `${mode}: ${runs.length} runs, ${sum('documents') + sum('releaseDocuments')} documents accepted, ${kills} kills; ` +
      `lost ${sum('lost')}, duplicated ${sum('duplicated')}, stuck ${sum('stuck')}, failed ${sum('failed')}; slowest recovery ${worst.toFixed(1)} s`,
  );
}
const bad = all.some((f) => f.lost + f.duplicated + f.stuck + f.failed + f.refused > 0) || all.length < MODES.length * RUNS;
process.exit(bad ? 1 : 0);
