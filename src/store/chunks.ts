import { sql, type SQL } from 'drizzle-orm';
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
 * fastest form measured on PGlite (STACK.md §2).
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

export interface ChunkFilter {
  tenantId: string;
  serviceId?: string;
  kind?: string;
  asOf?: Date;
}

export interface RankedChunk {
  chunkId: string;
  documentId: string;
  kind: string;
  service: string;
  title: string;
  text: string;
  locator: string | null;
  occurredAt: Date;
  score: number;
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

export type VectorMode = 'index' | 'exact';

/**
 * Nearest chunks by cosine similarity (score = 1 − distance). `index` lets
 * the planner use HNSW (with pgvector 0.8's iterative scan, set per
 * connection, so filters do not starve the result); `exact` forces a scan,
 * which the benchmark uses as ground truth.
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
  const result = await queryRows<RawRanked>(db, sql`
    select * from (
      select ${columns}, 1 - (c.embedding <=> ${q}::vector) as score
      from chunks c join services s on s.id = c.service_id
      where ${filterSql(f)} and c.embedding is not null
      order by ${order}
      limit ${limit}
    ) hits order by score desc`);
  return rowsOf(result);
}

/**
 * Full-text hits ranked by ts_rank_cd. The query goes through
 * websearch_to_tsquery, so quotes and `-word` keep their meaning; bare words
 * are joined with `or` (retrieval wants recall; ranking rewards overlap).
 */
export async function textSearch(db: Db, f: ChunkFilter, query: string, limit: number): Promise<RankedChunk[]> {
  const result = await queryRows<RawRanked>(db, sql`
    select ${columns}, ts_rank_cd(c.tsv, q.query) as score
    from chunks c join services s on s.id = c.service_id,
         websearch_to_tsquery('english', ${query}) as q(query)
    where ${filterSql(f)} and c.tsv @@ q.query
    order by score desc, c.occurred_at desc
    limit ${limit}`);
  return rowsOf(result);
}
