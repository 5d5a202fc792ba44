/**
 * Ingest figures, per engine:
 *  - the real direct path, createIngestService(...).ingestNow, as shipped
 *    (src may drop the HNSW index for a bulk load and build it at the end),
 *    and with the opposite index handling forced, instrumented to split
 *    prepare+chunk / embed / store / index work;
 *  - the bare batched insert of the same chunk rows through insertChunks,
 *    with the index kept and with it dropped and rebuilt after.
 * Every figure is "until the rows are searchable with the index in place".
 */
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import type { DocumentInput } from '../src/contracts/documents.js';
import type { Embedder } from '../src/contracts/embedder.js';
import { createIngestService } from '../src/ingest/service.js';
import { threadStats } from '../src/ingest/threads/pool.js';
import { createJobQueue } from '../src/jobs/index.js';
import { queryRows } from '../src/store/database.js';
import type { Store } from '../src/store/index.js';
import { BenchDb, VECTOR_INDEX, type EngineName } from './engines.js';
import { bulkInsertChunks, chunkCount, chunkRows, insertDocumentRows, type PreparedDoc } from './load.js';
import type { RssMonitor } from './rss.js';
import { gc } from './stats.js';

export type IndexHandling = 'kept' | 'dropped, built after';

export interface IngestRun {
  engine: EngineName;
  path: 'pipeline' | 'bare';
  /** Whether the HNSW index existed while rows were written. */
  hnsw: IndexHandling;
  /** 'src' = what ingestNow does by itself (as shipped); 'bench' = forced by the bench. */
  by: 'src' | 'bench';
  docs: number;
  chunks: number;
  /** Writing rows (ingestNow or insertChunks), without index work. */
  loadMs: number;
  /** Dropping and building the HNSW index (and the ANALYZE src runs with it), inside ingestNow or after. */
  indexMs: number;
  /** Pipeline split: time in the embedder, in store calls, and the rest (validate, redact, normalise, hash, chunk). */
  embedMs?: number;
  storeMs?: number;
  otherMs?: number;
  /** Chunking and embedding on ingest worker threads (src/ingest/threads): their CPU time, beside the main thread's. */
  threadMs?: number;
  threadDocs?: number;
  /** CPU time of the node main thread during ingestNow (Linux only): in PGlite, where every statement runs on it, about what the total would be without other work on the machine. */
  mainCpuMs?: number;
  peakRss: number;
  startRss: number;
}

export const totalMs = (r: IngestRun) => r.loadMs + r.indexMs;

export interface IngestInput {
  template: Blob | undefined;
  pgUrl: string;
  embedder: Embedder;
  /** Raw documents as the API takes them, and the same documents prepared (for the bare path). */
  raws: readonly DocumentInput[];
  prepared: readonly PreparedDoc[];
  buildMem: string | undefined;
  rss: RssMonitor;
  progress: (msg: string) => void;
  /** `ingestNow` as shipped this many times (the best run is kept: a shared machine's noise only slows runs down), and no comparison rows. */
  shippedOnly?: number;
}

async function fresh(engine: EngineName, input: IngestInput): Promise<BenchDb> {
  return engine === 'pglite' ? BenchDb.pglite(input.template!) : BenchDb.postgres(input.pgUrl);
}

async function ensureServices(store: Store, tenantId: string, names: Iterable<string>): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const n of names) ids.set(n, await store.services.ensure(tenantId, n));
  return ids;
}

/** Wraps every function-valued property so the time spent inside it adds to `acc.ms`. */
function timedObject<T extends object>(obj: T, acc: { ms: number }): T {
  return new Proxy(obj, {
    get(target, p, receiver) {
      const v = Reflect.get(target, p, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        const t = performance.now();
        try {
          return await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          acc.ms += performance.now() - t;
        }
      };
    },
  });
}

/** CPU time (user + system) of this process's main thread, from /proc (Linux); undefined elsewhere. */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the file, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

async function indexExists(b: BenchDb): Promise<boolean> {
  const rows = await queryRows(b.db, sql.raw(`select 1 from pg_indexes where indexname = '${VECTOR_INDEX}'`));
  return rows.length > 0;
}

type BulkLoad = <T>(expectedChunks: number, load: () => Promise<T>) => Promise<T>;

/**
 * ingestNow on a fresh database. `force` replaces src's bulkLoad hook
 * (store.bulkLoad, where src decides whether to defer the index) with
 * "keep the index" or "drop it, build it after"; undefined = as shipped.
 */
async function pipelineRun(engine: EngineName, input: IngestInput, force: IndexHandling | undefined): Promise<IngestRun> {
  gc();
  input.rss.begin(`ingest ${engine} pipeline${force ? `, HNSW ${force} (forced)` : ', as shipped'}`);
  const b = await fresh(engine, input);
  try {
    const store = b.store();
    const { tenant } = await store.tenants.ensure('bench');
    const embedAcc = { ms: 0 };
    const storeAcc = { ms: 0 };
    const indexAcc = { ms: 0 };
    let hnswDuringLoad: boolean | undefined;
    // Inherits from the real embedder (so src sees what it would see, e.g. that it can run on worker
    // threads) and times the calls made in this thread.
    const embedder: Embedder = Object.create(input.embedder, {
      embed: {
        value: async (texts: readonly string[]) => {
          const t = performance.now();
          const v = await input.embedder.embed(texts);
          embedAcc.ms += performance.now() - t;
          return v;
        },
      },
    });
    // src's own hook, as app.ts hands it to the ingest service (a missing hook would silently measure "kept").
    const srcBulkLoad: BulkLoad = (n, load) => store.ingest.bulkLoad(n, load);
    const hooked: BulkLoad = async (n, load) => {
      const outer = performance.now();
      let inner = 0;
      const run = async () => {
        hnswDuringLoad ??= await indexExists(b);
        const t = performance.now();
        try {
          return await load();
        } finally {
          inner += performance.now() - t;
        }
      };
      try {
        if (force === 'kept') return await run();
        if (force === 'dropped, built after') {
          const def = await b.dropVectorIndex();
          try {
            return await run();
          } finally {
            await b.createVectorIndex(def, input.buildMem);
            await b.exec('analyze chunks');
          }
        }
        return await srcBulkLoad(n, run);
      } finally {
        indexAcc.ms += performance.now() - outer - inner;
      }
    };
    const deps = {
      store: { documents: timedObject(store.documents, storeAcc), services: timedObject(store.services, storeAcc), bulkLoad: hooked },
      embedder,
      queue: createJobQueue(),
      log: () => {},
    };
    const service = createIngestService(deps);
    const threadsBefore = { ...threadStats };
    const cpuBefore = mainThreadCpuMs();
    const t = performance.now();
    const results = await service.ingestNow(tenant.id, input.raws);
    const ms = performance.now() - t;
    const cpuAfter = mainThreadCpuMs();
    const threadMs = threadStats.chunkMs + threadStats.embedMs - threadsBefore.chunkMs - threadsBefore.embedMs;
    await deps.queue.close();
    const indexed = results.filter((r) => r.status === 'indexed');
    if (indexed.length !== input.raws.length) {
      const bad = results.find((r) => r.status !== 'indexed');
      throw new Error(`ingestNow indexed ${indexed.length}/${input.raws.length}: ${JSON.stringify(bad)}`);
    }
    if (!(await indexExists(b))) throw new Error('the HNSW index is missing after ingestNow');
    const mem = input.rss.end()!;
    return {
      engine,
      path: 'pipeline',
      hnsw: hnswDuringLoad === false ? 'dropped, built after' : 'kept',
      by: force ? 'bench' : 'src',
      docs: indexed.length,
      chunks: indexed.reduce((s, r) => s + (r.chunks ?? 0), 0),
      loadMs: ms - indexAcc.ms,
      indexMs: indexAcc.ms,
      embedMs: embedAcc.ms,
      storeMs: storeAcc.ms,
      otherMs: ms - indexAcc.ms - embedAcc.ms - storeAcc.ms,
      threadMs,
      threadDocs: threadStats.docs - threadsBefore.docs,
      ...(cpuBefore !== undefined && cpuAfter !== undefined ? { mainCpuMs: cpuAfter - cpuBefore } : {}),
      peakRss: mem.peakRss,
      startRss: mem.startRss,
    };
  } finally {
    input.rss.end();
    await b.close();
    gc();
  }
}

async function bareRun(engine: EngineName, input: IngestInput, handling: IndexHandling): Promise<IngestRun> {
  gc();
  input.rss.begin(`ingest ${engine} bare, HNSW ${handling}`);
  const b = await fresh(engine, input);
  try {
    const store = b.store();
    const { tenant } = await store.tenants.ensure('bench');
    const serviceIds = await ensureServices(store, tenant.id, new Set(input.prepared.map((d) => d.doc.service)));
    const ids = await insertDocumentRows(b.db, tenant.id, serviceIds, input.prepared);
    let indexMs = 0;
    let t = performance.now();
    const def = handling === 'kept' ? undefined : await b.dropVectorIndex();
    indexMs += performance.now() - t;
    // All rows in one slice: insertChunks itself batches 500 rows per statement.
    const loadMs = await bulkInsertChunks(b.db, chunkRows(tenant.id, serviceIds, input.prepared, ids, Number.MAX_SAFE_INTEGER));
    if (def) {
      t = performance.now();
      await b.createVectorIndex(def, input.buildMem);
      await b.exec('analyze chunks');
      indexMs += performance.now() - t;
    }
    const mem = input.rss.end()!;
    return {
      engine,
      path: 'bare',
      hnsw: handling,
      by: 'bench',
      docs: input.prepared.length,
      chunks: chunkCount(input.prepared),
      loadMs,
      indexMs,
      peakRss: mem.peakRss,
      startRss: mem.startRss,
    };
  } finally {
    input.rss.end();
    await b.close();
    gc();
  }
}

export async function runIngest(engine: EngineName, input: IngestInput): Promise<IngestRun[]> {
  const runs: IngestRun[] = [];
  if (input.shippedOnly) {
    let best: IngestRun | undefined;
    for (let i = 1; i <= input.shippedOnly; i++) {
      input.progress(`${engine}: ingestNow ${input.raws.length} docs, as shipped (run ${i} of ${input.shippedOnly})`);
      const run = await pipelineRun(engine, input, undefined);
      input.progress(`${engine}: ${((run.docs * 1000) / totalMs(run)).toFixed(0)} docs/s`);
      if (!best || totalMs(run) < totalMs(best)) best = run;
    }
    return [best!];
  }
  input.progress(`${engine}: ingestNow ${input.raws.length} docs, as shipped`);
  const shipped = await pipelineRun(engine, input, undefined);
  runs.push(shipped);
  const other: IndexHandling = shipped.hnsw === 'kept' ? 'dropped, built after' : 'kept';
  input.progress(`${engine}: ingestNow, HNSW ${other} (forced)`);
  runs.push(await pipelineRun(engine, input, other));
  for (const h of ['kept', 'dropped, built after'] as const) {
    input.progress(`${engine}: bare insertChunks, HNSW ${h}`);
    runs.push(await bareRun(engine, input, h));
  }
  return runs;
}
