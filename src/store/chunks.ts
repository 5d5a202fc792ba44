import { sql, type SQL } from 'drizzle-orm';
import type { ChunkHit } from '../contracts/search.js';
import type { ChunkFilter, VectorMode } from '../retrieval/ports.js';
import { queryRows, type Db } from './database.js';
import { toVectorLiteral } from './vector-literal.js';

export interface ChunkRow {
  tenantId: string;
  documentId: string;
  serviceId: string;
  kind: string;
  title: string;
  occurredAt: Date;
  ordinal: number;
  text: string;
  locator?: string | null;
  embedding: number[];
}

/** Rows per INSERT: one JSON parameter per batch keeps round trips few on both engines. */
const INSERT_BATCH = 500;

/**
 * Batched insert through `json_to_recordset`: a single text parameter works
 * the same on PGlite and node-postgres (array parameters do not), and is the
 * fastest form measured on PGlite (500 rows a statement).
 */
export async function insertChunks(db: Db, rows: ChunkRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    const batch = rows.slice(i, i + INSERT_BATCH).map((r) => ({
      t: r.tenantId,
      d: r.documentId,
      s: r.serviceId,
      k: r.kind,
      ti: r.title,
      o: r.occurredAt.toISOString(),
      n: r.ordinal,
      x: r.text,
      l: r.locator ?? null,
      e: toVectorLiteral(r.embedding),
    }));
    await db.execute(sql`
      insert into chunks (tenant_id, document_id, service_id, kind, title, occurred_at, ordinal, text, locator, embedding)
      select t, d, s, k, ti, o, n, x, l, e::vector
      from json_to_recordset(${JSON.stringify(batch)}::json)
        as r(t uuid, d uuid, s uuid, k text, ti text, o timestamptz, n int, x text, l text, e text)`);
  }
}

type RankedChunk = ChunkHit;

function filterSql(f: ChunkFilter): SQL {
  const parts: SQL[] = [sql`c.tenant_id = ${f.tenantId}`];
  if (f.serviceId) parts.push(sql`c.service_id = ${f.serviceId}`);
  if (f.kind) parts.push(sql`c.kind = ${f.kind}`);
  if (f.asOf) parts.push(sql`c.occurred_at <= ${f.asOf.toISOString()}::timestamptz`);
  return sql.join(parts, sql` and `);
}

const columns = sql`c.id as "chunkId", c.document_id as "documentId", c.kind, s.name as service, c.title, c.text,
  c.locator, c.occurred_at as "occurredAt"`;

type RawRanked = Omit<RankedChunk, 'occurredAt' | 'score'> & { occurredAt: Date | string; score: number | string };

function rowsOf(rows: RawRanked[]): RankedChunk[] {
  return rows.map((r) => ({
    ...r,
    occurredAt: r.occurredAt instanceof Date ? r.occurredAt : new Date(r.occurredAt),
    score: Number(r.score),
  }));
}

/**
 * Nearest chunks by cosine similarity (score = 1 − distance). `index` lets
 * the planner use HNSW (with pgvector 0.8's iterative scan, set per
 * connection, so filters do not starve the result), or, when the filter keeps
 * few rows, read them through the tenant/service and tenant/kind indexes and
 * score them all, which is exact and as fast; `exact` forces a scan, which
 * the benchmark uses as ground truth.
 */
export async function vectorSearch(
  db: Db,
  f: ChunkFilter,
  embedding: number[],
  limit: number,
  mode: VectorMode = 'index',
): Promise<RankedChunk[]> {
  const q = toVectorLiteral(embedding);
  // `+ 0` on the distance hides it from the index: the planner must scan.
  const order = mode === 'exact' ? sql`(c.embedding <=> ${q}::vector) + 0` : sql`c.embedding <=> ${q}::vector`;
  const result = await queryRows<RawRanked>(
    db,
    sql`
    select * from (
      select ${columns}, 1 - (c.embedding <=> ${q}::vector) as score
      from chunks c join services s on s.id = c.service_id
      where ${filterSql(f)} and c.embedding is not null
      order by ${order}
      limit ${limit}
    ) hits order by score desc`,
  );
  return rowsOf(result);
}

/**
 * Nearest chunks of a tenant as of a time, the vector index examining
 * `breadth` candidates (hnsw.ef_search for this statement only, through the
 * SQL function shipcheck_nearest of migration 0006).
 */
export async function nearestWithBreadth(
  db: Db,
  q: { tenantId: string; asOf: Date; breadth: number },
  embedding: number[],
  limit: number,
): Promise<RankedChunk[]> {
  const rows = await queryRows<RawRanked>(
    db,
    sql`
    select chunk_id as "chunkId", document_id as "documentId", kind, service, title, body as text, locator,
           occurred_at as "occurredAt", score
    from shipcheck_nearest(${q.tenantId}::uuid, ${q.asOf.toISOString()}::timestamptz, ${toVectorLiteral(embedding)}::vector,
      ${Math.max(1, Math.floor(limit))}, ${Math.max(1, Math.floor(q.breadth))})`,
  );
  return rowsOf(rows);
}

/**
 * Rows matched before ranking. Ranking detoasts each candidate's tsvector
 * (about 40 µs a row in PGlite; the planner scans in storage order when
 * it expects many matches), so an unbounded OR over common words would
 * cost hundreds of ms; the vector half still sees every row.
 */
export const TEXT_CANDIDATES = 200;

/**
 * Full-text hits, ranked by ts_rank_cd: chunks matching `all` first, then,
 * when those are fewer than `limit`, chunks matching `any` (a fallback, ranked
 * after them). One statement: the SQL function shipcheck_text_hits
 * (migration 0005) runs both with the sequential scan off, so the planner
 * uses the GIN index. The tsqueries are bound parameters, never SQL text.
 */
export async function textSearch(db: Db, f: ChunkFilter, q: { all: string; any?: string }, limit: number): Promise<RankedChunk[]> {
  const rows = await queryRows<RawRanked>(
    db,
    sql`
    select chunk_id as "chunkId", document_id as "documentId", kind, service, title, body as text, locator,
           occurred_at as "occurredAt", score
    from shipcheck_text_hits(${f.tenantId}::uuid, ${f.serviceId ?? null}::uuid, ${f.kind ?? null}::text,
      ${f.asOf?.toISOString() ?? null}::timestamptz, ${q.all}::tsquery, ${q.any ?? null}::tsquery, ${TEXT_CANDIDATES}, ${limit})`,
  );
  return rowsOf(rows);
}

/** The lexemes Postgres would index for this text (english configuration). */
export async function queryLexemes(db: Db, text: string): Promise<string[]> {
  const rows = await queryRows<{ lexeme: string }>(db, sql`select lexeme from unnest(to_tsvector('english', ${text}))`);
  return rows.map((r) => r.lexeme);
}

/** websearch_to_tsquery's reading of text with explicit syntax ("phrases", -not, or). */
export async function websearchQuery(db: Db, text: string): Promise<string> {
  const [row] = await queryRows<{ q: string }>(db, sql`select websearch_to_tsquery('english', ${text})::text as q`);
  return row?.q ?? '';
}

const sharesCache = new WeakMap<Db, { at: number; shares: Map<string, number> }>();
const SHARES_TTL_MS = 60_000;

/**
 * The share of all chunks each frequent lexeme appears in, from the
 * planner's statistics (pg_stats.most_common_elems, filled by ANALYZE).
 * A lexeme not listed is rarer than every listed one. Cached for a minute.
 */
export async function lexemeShares(db: Db): Promise<Map<string, number>> {
  const hit = sharesCache.get(db);
  if (hit && Date.now() - hit.at < SHARES_TTL_MS) return hit.shares;
  // The frequency array has 3 more entries than the element array (min, max, null share): pair them by position.
  const rows = await queryRows<{ e: string; f: number | string }>(
    db,
    sql`
    select u.e, u.f from pg_stats s,
      unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as u(e, f)
    where s.tablename = 'chunks' and s.attname = 'tsv' and u.e is not null`,
  );
  const shares = new Map(rows.map((r) => [r.e, Number(r.f)]));
  sharesCache.set(db, { at: Date.now(), shares });
  return shares;
}

/**
 * Refreshes planner statistics (PGlite runs no autovacuum, and a large load
 * outruns PostgreSQL's) and the lexeme-share cache. Stale statistics on
 * documents once made a lookup by id scan 20k rows (13 ms instead of 0.3).
 */
export async function analyzeChunks(db: Db): Promise<void> {
  await flushTextIndex(db);
  await db.execute(sql`analyze chunks, documents, changes, release_changes, releases, incidents`);
  sharesCache.delete(db);
}

/**
 * Merges the full-text index's pending list into the index proper. GIN
 * buffers new entries in a list (up to gin_pending_list_limit, 4 MB) that
 * every text query scans linearly until VACUUM merges it; PGlite runs no
 * autovacuum, so a small corpus lived in that list for good and each text
 * query cost 12 ms at 3k chunks instead of 1.5 (bench/README.md). Cheap
 * when the list is empty; the merge is work the index needs anyway.
 */
export async function flushTextIndex(db: Db): Promise<void> {
  await db.execute(sql`select gin_clean_pending_list('chunks_tsv_gin'::regclass)`);
}

const sinceAnalyze = new WeakMap<Db, { inserted: number; atLast: number }>();

/**
 * Called after chunks are committed: flushes the full-text index's pending
 * list, and re-analyzes once the table has grown by a tenth (at least 1,000
 * rows) since the last time, so the common-lexeme statistics follow the
 * corpus without an ANALYZE per write.
 */
export async function noteChunksInserted(db: Db, n: number): Promise<void> {
  const state = sinceAnalyze.get(db) ?? { inserted: 0, atLast: 0 };
  state.inserted += n;
  sinceAnalyze.set(db, state);
  if (state.inserted < Math.max(1000, state.atLast / 10)) return flushTextIndex(db);
  state.atLast += state.inserted;
  state.inserted = 0;
  await analyzeChunks(db);
}
