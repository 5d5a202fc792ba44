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
import { AS_SHIPPED, BenchDb, VECTOR_INDEX, type EngineName, type VectorSettings } from './engines.js';
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
  /** Size of the built HNSW index, bytes. */
  hnswBytes: number;
  /** maintenance_work_mem during the build. */
  hnswBuildMem: string;
  /** The index definition built (the migrations' one unless `--hnsw` asked for other m / ef_construction). */
  indexDef: string;
  /** Rows kept vs exact and index k=50 latency, per partition (`--crossover`); measured once, after the last index. */
  crossover?: CrossoverRow[];
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
  /** HNSW graphs to build in turn on the same loaded rows; undefined = as the migrations define it. Default [undefined]. */
  indexVariants?: readonly (IndexVariant | undefined)[];
  /** PostgreSQL: keep the scratch database (`--keep-db`), or use one an earlier run kept (`--reuse-db`, no load). */
  keepDb?: boolean;
  reuseDb?: string;
  /** Also measure exact vs index latency against rows kept, per service × kind partition (`--crossover`). */
  crossover?: boolean;
  /** SQL run after the migrations, before the load (`--sql`: e.g. a proposed migration's indexes). */
  extraSql?: string;
  rss: RssMonitor;
  progress: (msg: string) => void;
  /** Runs on the loaded database after the search figures, before it closes (the risk section). */
  then?: (b: BenchDb, tenantSlug: string) => Promise<void>;
}

export interface IndexVariant {
  m: number;
  efConstruction: number;
}

/** `def` (as pg_get_indexdef prints it) with another m / ef_construction. */
export function withGraph(def: string, v: IndexVariant | undefined): string {
  if (!v) return def;
  const params = `WITH (m='${v.m}', ef_construction='${v.efConstruction}')`;
  return /WITH \([^)]*\)/.test(def) ? def.replace(/WITH \([^)]*\)/, params) : `${def} ${params}`;
}

export interface CrossoverRow {
  /** e.g. "service", "service+kind". */
  partition: string;
  /** Rows the filter keeps (count), per query. */
  rows: number;
  exactMs: number;
  indexMs: number;
  /** recall@10 of the index query with this filter (k=10 against the exact top 10). */
  recall10: number;
  /** Whether the planner used the HNSW index for the index-mode query (else it chose an exact scan itself). */
  hnswPlan: boolean;
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

/** Ground truth per filter (exact scans inside hybrid search): it does not depend on the index, so it is measured once. */
interface Truth {
  truth50: RankedChunk[][];
  exactVecMs: number[];
  exactTop: string[][];
  exactTimes: number[];
}

/**
 * Loads the corpus once (or reuses a kept PostgreSQL database), then for each
 * index variant builds the HNSW index and measures; one SearchRun per variant.
 */
export async function runSearch(input: SearchInput): Promise<SearchRun[]> {
  const { engine, rss, docs } = input;
  const tag = `${engine} ${input.size}${input.buildMem ? ` (build mem ${input.buildMem})` : ''}`;
  gc();
  rss.begin(`search ${tag}: open + load`);
  const b =
    engine === 'pglite'
      ? await BenchDb.pglite(input.template!)
      : await BenchDb.postgres(input.pgUrl, { keep: input.keepDb, reuse: input.reuseDb });
  const runs: SearchRun[] = [];
  try {
    // One statement at a time: PGlite's extended protocol takes one per call.
    for (const st of (input.extraSql ?? '').split(';').map((x) => x.trim())) if (st) await b.exec(st);
    const store = b.store();
    const { tenant } = await store.tenants.ensure('bench');
    const serviceIds = new Map<string, string>();
    for (const name of new Set(docs.map((d) => d.doc.service))) serviceIds.set(name, await store.services.ensure(tenant.id, name));
    let loadDocsMs = Number.NaN;
    let loadChunksMs = Number.NaN;
    let analyzeMs = Number.NaN;
    let indexDef: string;
    if (input.reuseDb) {
      const [r] = await queryRows<{ n: number }>(b.db, sql`select count(*)::int as n from chunks where tenant_id = ${tenant.id}`);
      if (r?.n !== chunkCount(docs)) throw new Error(`--reuse-db ${input.reuseDb} holds ${r?.n} chunks, not ${chunkCount(docs)}`);
      indexDef = await b.dropVectorIndex();
      input.progress(`${tag}: reusing ${input.reuseDb} (${r.n} chunks, loaded by an earlier run)`);
    } else {
      indexDef = await b.dropVectorIndex();
      // Load: documents, then chunks through insertChunks, without the HNSW index.
      input.progress(`${tag}: bulk load ${docs.length} docs / ${chunkCount(docs)} chunks`);
      let t = performance.now();
      const ids = await insertDocumentRows(b.db, tenant.id, serviceIds, docs);
      loadDocsMs = performance.now() - t;
      loadChunksMs = await bulkInsertChunks(b.db, chunkRows(tenant.id, serviceIds, docs, ids));
      t = performance.now();
      // What src does after a bulk load (withDeferredVectorIndex): merge the full-text index's pending
      // list and analyze. PostgreSQL's autovacuum would do both soon after; PGlite has no autovacuum.
      await analyzeChunks(b.db);
      await b.exec('analyze documents');
      analyzeMs = performance.now() - t;
    }
    if (input.keepDb) input.progress(`${tag}: keeping database ${b.name} (reuse with --reuse-db ${b.name}; drop it when done)`);
    const loadMem = rss.end()!;

    const variants = input.indexVariants?.length ? input.indexVariants : [undefined];
    const truths = new Map<FilterName, Truth>();
    for (const [vi, variant] of variants.entries()) {
      if (vi > 0) await b.exec(`drop index ${VECTOR_INDEX}`);
      const def = withGraph(indexDef, variant);
      input.progress(`${tag}: CREATE INDEX hnsw (${/WITH \(([^)]*)\)/.exec(def)?.[1] ?? 'pgvector defaults'})`);
      rss.begin(`search ${tag}: hnsw build${variant ? ` m=${variant.m} ef_construction=${variant.efConstruction}` : ''}`);
      const t = performance.now();
      await b.createVectorIndex(def, input.buildMem);
      const hnswBuildMs = performance.now() - t;
      const hnswBytes = await b.vectorIndexBytes();
      const buildMemInForce = input.buildMem ?? (await b.show('maintenance_work_mem'));
      const buildMem = rss.end()!;
      const last = vi === variants.length - 1;
      const measured = await measureQueries(input, b, tenant.id, serviceIds, truths, tag);
      const crossover = last && input.crossover ? await measureCrossover(input, b, tenant.id, serviceIds, tag) : undefined;
      const queriesMem = rss.end()!;
      if (last && input.then) {
        rss.begin(`risk ${tag}`);
        await input.then(b, 'bench');
        rss.end();
      }
      runs.push({
        engine,
        size: input.size,
        docs: docs.length,
        chunks: chunkCount(docs),
        queriesPerFilter: input.queries.length,
        loadDocsMs,
        loadChunksMs,
        analyzeMs,
        hnswBuildMs,
        hnswBytes,
        hnswBuildMem: buildMemInForce,
        indexDef: def,
        textMatchShare: measured.textMatchShare,
        memory: { load: loadMem, build: buildMem, queries: queriesMem },
        filters: measured.filters,
        ...(crossover ? { crossover } : {}),
      });
    }
    return runs;
  } finally {
    rss.end();
    await b.close();
    gc();
  }
}

/** Sections 2 and 3 on a loaded database with its index built; the ground truth is taken from `truths` when there. */
async function measureQueries(
  input: SearchInput,
  b: BenchDb,
  tenantId: string,
  serviceIds: ReadonlyMap<string, string>,
  truths: Map<FilterName, Truth>,
  tag: string,
): Promise<{ filters: FilterFigures[]; textMatchShare: number }> {
  const { rss, docs, queries, embedder } = input;
  let store = b.store();
  const n = queries.length;
  const embeddings = await embedder.embed(queries.map((q) => q.q));
  const filters: FilterFigures[] = [];
  rss.begin(`search ${tag}: queries`);
  const tsqueries: string[] = [];

  for (const f of FILTERS) {
    input.progress(`${tag}: ${n} queries, filter ${f}`);
    const cf = (i: number) => chunkFilter(tenantId, serviceIds, queries[i]!, f);
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

    // B. Hybrid with an exact vector scan: the ground truth (top 50, so top 10 is its prefix). Once per filter.
    let truth = truths.get(f);
    if (!truth) {
      const ex = instrumented(store, embedder);
      const t: Truth = { truth50: [], exactVecMs: [], exactTop: [], exactTimes: [] };
      t.exactTimes = await timedLoop(
        n,
        1,
        (i) => hybridCall(ex, i, 'exact'),
        (i, r) => {
          t.truth50[i] = ex.cap.vector;
          t.exactVecMs[i] = ex.cap.vectorMs;
          t.exactTop[i] = r.map((h) => h.chunkId);
        },
      );
      truths.set(f, t);
      truth = t;
    }
    const { truth50, exactVecMs, exactTop, exactTimes } = truth;

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
      return x.retrieval.search(tenantId, sq(i), mode ? { vectorMode: mode } : {});
    }
  }
  await b.applySettings(AS_SHIPPED);
  const matched: number[] = [];
  for (const q of tsqueries) matched.push(await tsqueryMatches(b.db, tenantId, q));
  const textMatchShare = matched.length ? mean(matched) / chunkCount(docs) : Number.NaN;
  return { filters, textMatchShare };
}

/**
 * Where an exact scan stops being dearer than the index: per partition of the
 * tenant (service, kind, service + kind, service + asOf), the rows it keeps,
 * and the k=50 exact and index queries' times (as shipped settings), over the
 * first queries. Each query is run under the filter of its own source document.
 * "index" is what the planner makes of the index-mode query: HNSW, or an exact
 * scan when it expects that to be cheaper (hnswPlan says which).
 */
async function measureCrossover(
  input: SearchInput,
  b: BenchDb,
  tenantId: string,
  serviceIds: ReadonlyMap<string, string>,
  tag: string,
): Promise<CrossoverRow[]> {
  await b.applySettings(AS_SHIPPED);
  const qs = input.queries.slice(0, Math.min(20, input.queries.length));
  const embeddings = await input.embedder.embed(qs.map((q) => q.q));
  const partitions: { name: string; filter: (q: BenchQuery) => ChunkFilter }[] = [
    { name: 'service', filter: (q) => ({ tenantId, serviceId: serviceIds.get(q.service)! }) },
    { name: 'kind', filter: (q) => ({ tenantId, kind: q.kind }) },
    { name: 'service+kind', filter: (q) => ({ tenantId, serviceId: serviceIds.get(q.service)!, kind: q.kind }) },
    {
      name: 'service+asOf',
      filter: (q) => ({ tenantId, serviceId: serviceIds.get(q.service)!, asOf: new Date(q.asOf) }),
    },
    {
      name: 'service+kind+asOf',
      filter: (q) => ({ tenantId, serviceId: serviceIds.get(q.service)!, kind: q.kind, asOf: new Date(q.asOf) }),
    },
  ];
  const rows: CrossoverRow[] = [];
  for (const p of partitions) {
    input.progress(`${tag}: crossover, ${qs.length} queries, filter ${p.name}`);
    for (const [i, q] of qs.entries()) {
      const f = p.filter(q);
      const rowCount = await countRows(b.db, f);
      const e = embeddings[i]!;
      // One untimed call each first: the timed ones then read warm pages, as a live service would.
      await vectorSearch(b.db, f, e, N_CANDIDATES, 'exact');
      await vectorSearch(b.db, f, e, N_CANDIDATES, 'index');
      let t = performance.now();
      const exact = await vectorSearch(b.db, f, e, N_CANDIDATES, 'exact');
      const exactMs = performance.now() - t;
      t = performance.now();
      await vectorSearch(b.db, f, e, N_CANDIDATES, 'index');
      const indexMs = performance.now() - t;
      const idx10 = await vectorSearch(b.db, f, e, K, 'index');
      const hnswPlan = (await explainVector(b.db, f, e, 'index')).includes(VECTOR_INDEX);
      rows.push({ partition: p.name, rows: rowCount, exactMs, indexMs, recall10: recallAt(K, idx10, exact), hnswPlan });
    }
  }
  return rows;
}

async function countRows(db: Db, f: ChunkFilter): Promise<number> {
  const parts: SQL[] = [sql`tenant_id = ${f.tenantId}`, sql`embedding is not null`];
  if (f.serviceId) parts.push(sql`service_id = ${f.serviceId}`);
  if (f.kind) parts.push(sql`kind = ${f.kind}`);
  if (f.asOf) parts.push(sql`occurred_at <= ${f.asOf.toISOString()}::timestamptz`);
  const [r] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from chunks where ${sql.join(parts, sql` and `)}`);
  return r?.n ?? 0;
}
