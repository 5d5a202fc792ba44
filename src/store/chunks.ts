import { sql, type SQL } from 'drizzle-orm';
import type { ChunkHit } from '../contracts/search.js';
import type { ChunkFilter, VectorMode } from '../retrieval/ports.js';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { NodePgSession } from 'drizzle-orm/node-postgres';
import { PgliteSession } from 'drizzle-orm/pglite';
import { queryRows, type Db } from './database.js';
import type { Embedding } from '../contracts/vectors.js';
import { encodeVectorArray } from './vector-binary.js';
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
  /** See `Embedding`: the embedder's numbers, or the float4 values to store as they are. */
  embedding: Embedding;
}

/** Rows per INSERT: two parameters per batch (the rows as JSON, the vectors in binary) keep round trips few on both engines. */
const INSERT_BATCH = 500;

/**
 * Batched insert. Text columns travel as one JSON parameter read by
 * `json_to_recordset`; the vectors as one binary `vector[]` parameter, which
 * the server reads with pgvector's binary input instead of parsing text
 * literals (`vector_in` was most of the insert time in PGlite, ~0.5 ms a
 * row). `ROWS FROM` pairs row i of the JSON with vector i. The stored values
 * are exactly those the text form would give (see `literalFloat4`). The same
 * SQL runs on PGlite and node-postgres; a handle whose driver is neither
 * falls back to the text form.
 */
export async function insertChunks(db: Db, rows: ChunkRow[]): Promise<void> {
  if (rows.length === 0) return;
  const driver = driverOf(db);
  const arrayOid = driver ? await vectorArrayOid(db) : 0;
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    const slice = rows.slice(i, i + INSERT_BATCH);
    if (!driver) {
      await insertChunksAsText(db, slice);
      continue;
    }
    const json = JSON.stringify(slice.map(chunkRecord));
    const vectors = encodeVectorArray(slice, arrayOid);
    try {
      await driver.query(INSERT_BINARY, [json, vectors], arrayOid);
    } catch (err) {
      // As drizzle reports a failed query (the driver's error, with its code, is the cause).
      throw new DrizzleQueryError(INSERT_BINARY, [json, `<vector[], ${slice.length} vectors in binary>`], err as Error);
    }
  }
}

type RankedChunk = ChunkHit;

const INSERT_BINARY = `
  insert into chunks (tenant_id, document_id, service_id, kind, title, occurred_at, ordinal, text, locator, embedding)
  select t, d, s, k, ti, o, n, x, l, e
  from rows from (
    json_to_recordset($1::json) as (t uuid, d uuid, s uuid, k text, ti text, o timestamptz, n int, x text, l text),
    unnest($2::vector[])
  ) as r(t, d, s, k, ti, o, n, x, l, e)`;

/** The text form: one JSON parameter, vectors as pgvector literals. */
async function insertChunksAsText(db: Db, rows: ChunkRow[]): Promise<void> {
  const batch = rows.map((r) => ({
    ...chunkRecord(r),
    e: r.embedding instanceof Float32Array ? float4Literal(r.embedding) : toVectorLiteral(r.embedding),
  }));
  await db.execute(sql`
    insert into chunks (tenant_id, document_id, service_id, kind, title, occurred_at, ordinal, text, locator, embedding)
    select t, d, s, k, ti, o, n, x, l, e::vector
    from json_to_recordset(${JSON.stringify(batch)}::json)
      as r(t uuid, d uuid, s uuid, k text, ti text, o timestamptz, n int, x text, l text, e text)`);
}

/** A chunk row without its vector, keyed as json_to_recordset reads it in both insert forms (short keys: the JSON is the bulk of the parameter). */
function chunkRecord(r: ChunkRow) {
  return {
    t: r.tenantId,
    d: r.documentId,
    s: r.serviceId,
    k: r.kind,
    ti: r.title,
    o: r.occurredAt.toISOString(),
    n: r.ordinal,
    x: r.text,
    l: r.locator ?? null,
  };
}

/** Nine significant digits give back every float4 exactly. */
function float4Literal(v: Float32Array): string {
  return `[${Array.from(v, (x) => (x === 0 ? '0' : x.toPrecision(9))).join(',')}]`;
}

/** A raw query on the connection (or transaction) under a drizzle handle, with the binary vector[] parameter sent as such. */
interface Driver {
  query(text: string, params: [string, Uint8Array], arrayOid: number): Promise<unknown>;
}

/**
 * drizzle sends every parameter as text, so the binary one goes to the driver
 * under the handle, in the same transaction: node-postgres sends a Buffer in
 * binary format; PGlite sends a Uint8Array in binary when the serializer for
 * the parameter's type returns it unchanged.
 */
function driverOf(db: Db): Driver | undefined {
  const session = (db as { _?: { session?: unknown } })._?.session;
  const client = (session as { client?: unknown } | undefined)?.client as
    | { query(text: string, params: unknown[], options?: unknown): Promise<unknown> }
    | undefined;
  if (!client || typeof client.query !== 'function') return undefined;
  if (session instanceof NodePgSession) {
    return {
      query: (text, [json, vectors]) => client.query(text, [json, Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength)]),
    };
  }
  if (session instanceof PgliteSession) {
    return { query: (text, params, oid) => client.query(text, params, { serializers: { [oid]: (v: unknown) => v } }) };
  }
  return undefined;
}

/** pgvector's type is created by the extension, so its array type's oid differs between databases. */
async function vectorArrayOid(db: Db): Promise<number> {
  const [row] = await queryRows<{ oid: number }>(db, sql`select 'vector[]'::regtype::oid::int as oid`);
  return Number(row!.oid);
}

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
 * connection, so a filter rarely starves the result), or, when the filter keeps
 * few rows, read them through the tenant/service and tenant/kind indexes and
 * score them all, which is exact and as fast; `exact` forces a scan, which
 * the benchmark uses as ground truth. `index` can still return fewer rows
 * than exist (a graph that near-duplicates split into unreachable parts):
 * retrieval asks again with `exact` when it does.
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
