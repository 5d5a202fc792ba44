/**
 * Search figures at one corpus size on one engine: bulk load (HNSW dropped,
 * built after and timed), then per filter (none / service / kind / asOf) and
 * per HNSW setting: latency of the full hybrid retrieval.search, the bare
 * vectorSearch (index and exact), textSearch alone, and recall of the index
 * against the exact scan.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { SearchQuery } from '../src/contracts/search.js';
import type { Embedder } from '../src/contracts/embedder.js';
import { createRetrieval, type Retrieval } from '../src/retrieval/search.js';
import type { ChunkHit as RankedChunk } from '../src/contracts/search.js';
import type { ChunkFilter, VectorMode } from '../src/retrieval/ports.js';
import { analyzeChunks, vectorSearch } from '../src/store/chunks.js';
import { queryRows, type Db } from '../src/store/database.js';
import type { Store } from '../src/store/index.js';
import type { BenchQuery } from './corpus.js';
import { AS_SHIPPED, BenchDb, type EngineName, type VectorSettings } from './engines.js';
import { bulkInsertChunks, chunkCount, chunkRows, insertDocumentRows, type PreparedDoc } from './load.js';
import type { PhaseMemory, RssMonitor } from './rss.js';
import { gc, mean, summarize, type Summary } from './stats.js';

export const FILTERS = ['none', 'service', 'kind', 'asOf'] as const;
export type FilterName = (typeof FILTERS)[number];

/** k of the user-facing search, and the vector candidates hybrid search asks for (CANDIDATES in src/retrieval). */
const K = 10;
const N_CANDIDATES = 50;
const WARMUP = 5;

export interface SettingFigures {
  label: string;
  /** What SHOW reported while measuring. */
  inForce: string;
  /** vectorSearch(index, k=10) alone: the bare vector query. */
  vector: Summary;
  /** vectorSearch(index, k=50) as hybrid search calls it. */
  vector50: Summary;
  /** Hybrid search; live for the as-shipped settings, else (vector half live) + (text half of the same query from the live run). */
  hybrid: Summary;
  hybridLive: boolean;
  /** Mean and worst recall@10 of vectorSearch(index, k=10) against the exact scan. */
  recall10: number;
  recall10Min: number;
  /** Rows the k=50 index query returned, as a share of what the exact scan returned (HNSW can return fewer). */
  fill50: number;
  recall50: number;
  /** Share of hybrid's top 10 that equals the top 10 of hybrid with an exact vector scan. */
  hybridAgree10: number;
}

export interface FilterFigures {
  filter: FilterName;
  /** Mean share of the tenant's chunks the filter keeps. */
  selectivity: number;
  plan: { index: string; exact: string };
  settings: SettingFigures[];
  /** vectorSearch(exact, k=50) inside hybrid (an exact scan costs the same for k=10), and hybrid with it (text half reused). */
  exact: { vector50: Summary; hybrid: Summary };
  /** textSearch(k=50) inside the live hybrid search. */
  text: Summary;
}

export interface SearchRun {
  engine: EngineName;
  size: number;
  docs: number;
  chunks: number;
  queriesPerFilter: number;
  loadDocsMs: number;
  loadChunksMs: number;
  analyzeMs: number;
  hnswBuildMs: number;
  /** maintenance_work_mem during the build. */
  hnswBuildMem: string;
  /** The index definition the migrations made (re-created as is after the load). */
  indexDef: string;
  /** Rows the tsquery hybrid builds matches (before any cap, ranking and LIMIT), first few unfiltered queries: mean share of all chunks. */
  textMatchShare: number;
  memory: { load: PhaseMemory; build: PhaseMemory; queries: PhaseMemory };
  filters: FilterFigures[];
}

export interface SearchInput {
  engine: EngineName;
  size: number;
  template: Blob | undefined;
  pgUrl: string;
  embedder: Embedder;
  docs: readonly PreparedDoc[];
  queries: readonly BenchQuery[];
  variants: readonly VectorSettings[];
  /** maintenance_work_mem for the HNSW build (SET LOCAL around CREATE INDEX); undefined = the engine's default (an experiment). */
  buildMem: string | undefined;
  rss: RssMonitor;
  progress: (msg: string) => void;
  /** Runs on the loaded database after the search figures, before it closes (the risk section). */
  then?: (b: BenchDb, tenantSlug: string) => Promise<void>;
}

interface Capture {
  vector: RankedChunk[];
  vectorMs: number;
  /** The textSearch call of one search (all words, then any word when too few), by its broadest tsquery. */
  text: Map<string, RankedChunk[]>;
  /** Time in textSearch calls of one search, summed. */
  textMs: number;
  /** When set, textSearch answers from it instead of querying (the text half does not depend on vector settings). */
  memoText: Map<string, RankedChunk[]> | undefined;
}

function instrumented(store: Store, embedder: Embedder): { retrieval: Retrieval; cap: Capture } {
  const cap: Capture = { vector: [], vectorMs: 0, text: new Map(), textMs: 0, memoText: undefined };
  const chunks: Store['chunks'] = {
    ...store.chunks,
    vectorSearch: async (...args) => {
      const t = performance.now();
      const r = await store.chunks.vectorSearch(...args);
      cap.vectorMs = performance.now() - t;
      cap.vector = r;
      return r;
    },
    textSearch: async (...args) => {
      // Keyed by the broadest tsquery of the call (the OR fallback when there is one).
      const key = args[1].any ?? args[1].all;
      const memo = cap.memoText?.get(key);
      if (memo) {
        cap.text.set(key, memo);
        return memo;
      }
      const t = performance.now();
      const r = await store.chunks.textSearch(...args);
      cap.textMs += performance.now() - t;
      cap.text.set(key, r);
      return r;
    },
  };
  return { retrieval: createRetrieval({ chunks, services: store.services, embedder }), cap };
}

/** Tie-aware recall@k: an index hit counts if it scores at least the exact k-th score (equal vectors tie). */
export function recallAt(k: number, index: readonly RankedChunk[], exact: readonly RankedChunk[]): number {
  const truth = exact.slice(0, k);
  if (truth.length === 0) return index.length === 0 ? 1 : 0;
  const threshold = truth[truth.length - 1]!.score - 1e-6;
  const hits = index.slice(0, k).filter((h) => h.score >= threshold).length;
  return Math.min(1, hits / truth.length);
}

/** The scan nodes on `chunks` in an EXPLAIN, e.g. "Index Scan using chunks_embedding_hnsw". */
function planSummary(lines: string[]): string {
  const found = new Set<string>();
  for (const l of lines) {
    const m =
      /(Parallel Seq Scan on chunks|Seq Scan on chunks|Index Scan using \w+ on chunks|Index Only Scan using \w+ on chunks|Bitmap Index Scan on \w+)/.exec(
        l,
      );
    if (m) found.add(m[1]!.replace(/ on chunks$/, ''));
  }
  return [...found].join(' + ') || '?';
}

/** A db handle that runs `explain <options>` of each query it is given and collects the plan lines. */
function explaining(db: Db, options: string, lines: string[]): Db {
  return new Proxy(db, {
    get(target, p, receiver) {
      if (p !== 'execute') return Reflect.get(target, p, receiver) as unknown;
      return async (q: SQL) => {
        const r = (await target.execute(sql`explain (${sql.raw(options)}) ${q}`)) as unknown as { rows: Record<string, string>[] };
        for (const row of r.rows) lines.push(Object.values(row)[0] ?? '');
        return { rows: [] };
      };
    },
  });
}

/** Plan of exactly the SQL vectorSearch sends. */
async function explainVector(db: Db, f: ChunkFilter, embedding: number[], mode: VectorMode): Promise<string> {
  const lines: string[] = [];
  await vectorSearch(explaining(db, 'costs off', lines), f, embedding, K, mode);
  return planSummary(lines);
}

/** Rows a tsquery matches in the tenant, before ranking (what a text query has to look at). */
async function tsqueryMatches(db: Db, tenantId: string, tsquery: string): Promise<number> {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from chunks c where c.tenant_id = ${tenantId} and c.tsv @@ ${tsquery}::tsquery`,
  );
  return r?.n ?? 0;
}

function chunkFilter(tenantId: string, serviceIds: ReadonlyMap<string, string>, q: BenchQuery, f: FilterName): ChunkFilter {
  switch (f) {
    case 'none':
      return { tenantId };
    case 'service':
      return { tenantId, serviceId: serviceIds.get(q.service)! };
    case 'kind':
      return { tenantId, kind: q.kind };
    case 'asOf':
      return { tenantId, asOf: new Date(q.asOf) };
  }
}

function searchQuery(q: BenchQuery, f: FilterName): SearchQuery {
  const base = { q: q.q, k: K };
  switch (f) {
    case 'none':
      return base;
    case 'service':
      return { ...base, service: q.service };
    case 'kind':
      return { ...base, kind: q.kind };
    case 'asOf':
      return { ...base, asOf: q.asOf };
  }
}

function selectivity(docs: readonly PreparedDoc[], queries: readonly BenchQuery[], f: FilterName): number {
  const total = chunkCount(docs);
  const keep = (q: BenchQuery) => (d: PreparedDoc) =>
    f === 'none' ||
    (f === 'service' && d.doc.service === q.service) ||
    (f === 'kind' && d.doc.kind === q.kind) ||
    (f === 'asOf' && d.doc.occurredAt.getTime() <= Date.parse(q.asOf));
  return mean(queries.map((q) => docs.filter(keep(q)).reduce((s, d) => s + d.chunks.length, 0) / total));
}

/** Runs `fn` once per query, after `warmup` untimed calls, and returns the per-call times. */
async function timedLoop<T>(
  n: number,
  warmup: number,
  fn: (i: number) => Promise<T>,
  onResult: (i: number, r: T) => void,
): Promise<number[]> {
  for (let i = 0; i < Math.min(warmup, n); i++) await fn(i);
  gc();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await fn(i);
    times.push(performance.now() - t);
    onResult(i, r);
  }
  return times;
}

const overlap = (a: readonly string[], truth: readonly string[]) => {
  const t = new Set(truth);
  return t.size === 0 ? 1 : a.filter((id) => t.has(id)).length / t.size;
};

export async function runSearch(input: SearchInput): Promise<SearchRun> {
  const { engine, rss, docs, queries, embedder } = input;
  const tag = `${engine} ${input.size}${input.buildMem ? ` (build mem ${input.buildMem})` : ''}`;
  gc();
  rss.begin(`search ${tag}: open + load`);
  const b = engine === 'pglite' ? await BenchDb.pglite(input.template!) : await BenchDb.postgres(input.pgUrl);
  try {
    let store = b.store();
    const { tenant } = await store.tenants.ensure('bench');
    const serviceIds = new Map<string, string>();
    for (const name of new Set(docs.map((d) => d.doc.service))) serviceIds.set(name, await store.services.ensure(tenant.id, name));
    const indexDef = await b.dropVectorIndex();

    // Load: documents, then chunks through insertChunks, without the HNSW index.
    input.progress(`${tag}: bulk load ${docs.length} docs / ${chunkCount(docs)} chunks`);
    let t = performance.now();
    const ids = await insertDocumentRows(b.db, tenant.id, serviceIds, docs);
    const loadDocsMs = performance.now() - t;
    const loadChunksMs = await bulkInsertChunks(b.db, chunkRows(tenant.id, serviceIds, docs, ids));
    t = performance.now();
    // What src does after a bulk load (withDeferredVectorIndex): merge the full-text index's pending
    // list and analyze. PostgreSQL's autovacuum would do both soon after; PGlite has no autovacuum.
    await analyzeChunks(b.db);
    await b.exec('analyze documents');
    const analyzeMs = performance.now() - t;
    const loadMem = rss.end()!;

    input.progress(`${tag}: CREATE INDEX hnsw`);
    rss.begin(`search ${tag}: hnsw build`);
    t = performance.now();
    await b.createVectorIndex(indexDef, input.buildMem);
    const hnswBuildMs = performance.now() - t;
    const buildMemInForce = input.buildMem ?? (await b.show('maintenance_work_mem'));
    const buildMem = rss.end()!;

    const n = queries.length;
    const embeddings = await embedder.embed(queries.map((q) => q.q));
    const filters: FilterFigures[] = [];
    rss.begin(`search ${tag}: queries`);
    const tsqueries: string[] = [];

    for (const f of FILTERS) {
      input.progress(`${tag}: ${n} queries, filter ${f}`);
      const cf = (i: number) => chunkFilter(tenant.id, serviceIds, queries[i]!, f);
      const sq = (i: number) => searchQuery(queries[i]!, f);
      await b.applySettings(AS_SHIPPED);
      store = b.store();
      const defaultInForce = await b.vectorSettings();
      const plan = {
        index: await explainVector(b.db, cf(0), embeddings[0]!, 'index'),
        exact: await explainVector(b.db, cf(0), embeddings[0]!, 'exact'),
      };

      // A. Hybrid search as shipped, live. Its text half is kept for the other modes.
      const live = instrumented(store, embedder);
      const textMs: number[] = [];
      const textOf: Map<string, RankedChunk[]>[] = [];
      const liveVec50: RankedChunk[][] = [];
      const liveVecMs: number[] = [];
      const liveTop: string[][] = [];
      const liveTimes = await timedLoop(
        n,
        1,
        (i) => hybridCall(live, i, undefined),
        (i, r) => {
          // The broadest tsquery of the search (the any-word one when hybrid fell back to it).
          const used = [...live.cap.text.keys()];
          if (f === 'none' && tsqueries.length < 5 && used.length) tsqueries.push(used[used.length - 1]!);
          textMs[i] = live.cap.textMs;
          textOf[i] = live.cap.text;
          liveVec50[i] = live.cap.vector;
          liveVecMs[i] = live.cap.vectorMs;
          liveTop[i] = r.map((h) => h.chunkId);
        },
      );

      // B. Hybrid with an exact vector scan: the ground truth (top 50, so top 10 is its prefix).
      const ex = instrumented(store, embedder);
      const truth50: RankedChunk[][] = [];
      const exactVecMs: number[] = [];
      const exactTop: string[][] = [];
      const exactTimes = await timedLoop(
        n,
        1,
        (i) => hybridCall(ex, i, 'exact'),
        (i, r) => {
          truth50[i] = ex.cap.vector;
          exactVecMs[i] = ex.cap.vectorMs;
          exactTop[i] = r.map((h) => h.chunkId);
        },
      );

      // C. Each HNSW setting: the bare k=10 query, and hybrid's k=50 call (text half reused).
      const settings: SettingFigures[] = [];
      for (const s of input.variants) {
        if (s !== AS_SHIPPED && b.sameAsShipped(s)) continue;
        await b.applySettings(s);
        store = b.store();
        const inForce = await b.vectorSettings();
        const idx10: RankedChunk[][] = [];
        const vector = await timedLoop(
          n,
          WARMUP,
          (i) => vectorSearch(b.db, cf(i), embeddings[i]!, K, 'index'),
          (i, r) => (idx10[i] = r),
        );
        const isDefault = s === AS_SHIPPED;
        let vec50 = liveVec50;
        let vec50Ms = liveVecMs;
        let top = liveTop;
        let hybridTimes = liveTimes;
        if (!isDefault) {
          const hy = instrumented(store, embedder);
          vec50 = [];
          vec50Ms = [];
          top = [];
          const times = await timedLoop(
            n,
            WARMUP,
            (i) => hybridCall(hy, i, undefined),
            (i, r) => {
              vec50[i] = hy.cap.vector;
              vec50Ms[i] = hy.cap.vectorMs;
              top[i] = r.map((h) => h.chunkId);
            },
          );
          hybridTimes = times.map((ms, i) => ms + textMs[i]!);
        }
        const r10 = idx10.map((r, i) => recallAt(K, r, truth50[i]!));
        settings.push({
          label: isDefault ? `as shipped (${defaultInForce})` : s.label,
          inForce: isDefault ? defaultInForce : inForce,
          vector: summarize(vector),
          vector50: summarize(vec50Ms),
          hybrid: summarize(hybridTimes),
          hybridLive: isDefault,
          recall10: mean(r10),
          recall10Min: Math.min(...r10),
          fill50: mean(vec50.map((r, i) => (truth50[i]!.length ? r.length / truth50[i]!.length : 1))),
          recall50: mean(vec50.map((r, i) => recallAt(N_CANDIDATES, r, truth50[i]!))),
          hybridAgree10: mean(top.map((ids, i) => overlap(ids, exactTop[i]!))),
        });
      }
      filters.push({
        filter: f,
        selectivity: selectivity(docs, queries, f),
        plan,
        settings,
        exact: { vector50: summarize(exactVecMs), hybrid: summarize(exactTimes.map((ms, i) => ms + textMs[i]!)) },
        text: summarize(textMs),
      });

      async function hybridCall(x: { retrieval: Retrieval; cap: Capture }, i: number, mode: VectorMode | undefined) {
        // Warm-up calls (before textOf is filled) and the live run query the text half for real.
        Object.assign(x.cap, { vector: [], vectorMs: 0, text: new Map(), textMs: 0 });
        x.cap.memoText = x === live ? undefined : textOf[i];
        return x.retrieval.search(tenant.id, sq(i), mode ? { vectorMode: mode } : {});
      }
    }
    await b.applySettings(AS_SHIPPED);
    const matched: number[] = [];
    for (const q of tsqueries) matched.push(await tsqueryMatches(b.db, tenant.id, q));
    const textMatchShare = matched.length ? mean(matched) / chunkCount(docs) : Number.NaN;
    const queriesMem = rss.end()!;
    if (input.then) {
      rss.begin(`risk ${tag}`);
      await input.then(b, 'bench');
      rss.end();
    }
    return {
      engine,
      size: input.size,
      docs: docs.length,
      chunks: chunkCount(docs),
      queriesPerFilter: n,
      loadDocsMs,
      loadChunksMs,
      analyzeMs,
      hnswBuildMs,
      hnswBuildMem: buildMemInForce,
      indexDef,
      textMatchShare,
      memory: { load: loadMem, build: buildMem, queries: queriesMem },
      filters,
    };
  } finally {
    rss.end();
    await b.close();
    gc();
  }
}
