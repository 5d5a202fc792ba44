import { sql } from 'drizzle-orm';
import { AppError } from '../contracts/errors.js';
import { queryRows, type Db } from './database.js';
import { HNSW_EF_CONSTRUCTION, HNSW_M } from './schema.js';
import { settingsRepo } from './settings.js';
import { toVectorLiteral } from './vector-literal.js';

export interface IndexConfig {
  embedder: string;
  dimension: number;
}

const KEY = 'index';

export class EmbedderMismatchError extends AppError {
  constructor(
    readonly stored: IndexConfig,
    readonly configured: IndexConfig,
  ) {
    super(
      'bad_request',
      `the index was built with embedder "${stored.embedder}" (${stored.dimension} dimensions) but ` +
        `"${configured.embedder}" (${configured.dimension}) is configured. Vectors of different embedders ` +
        `must not be mixed: run "shipcheck reembed" to rebuild the index with the configured embedder, ` +
        `or configure the original one again.`,
    );
  }
}

async function columnDimension(db: Db): Promise<number> {
  const [r] = await queryRows<{ dim: number }>(
    db,
    sql`select atttypmod as dim from pg_attribute where attrelid = 'chunks'::regclass and attname = 'embedding'`,
  );
  return Number(r!.dim);
}

/** Changes the vector column's dimension; the HNSW index is rebuilt by the caller. */
async function resizeColumn(db: Db, dimension: number): Promise<void> {
  await dropVectorIndex(db);
  await db.execute(sql.raw(`alter table chunks alter column embedding type vector(${dimension}) using null`));
  // A type change resets the storage to the type's default; keep vectors inline (migration 0003).
  await db.execute(sql`alter table chunks alter column embedding set storage plain`);
}

/** Memory for building the HNSW graph: at 100k chunks it outgrows the 64 MB default and the build spills to disk (PGlite, ef_construction 128: 519 s at 64 MB, 186 s at 1 GB; ef_construction 512: 347 s at 1 GB; bench/README.md). */
export const HNSW_BUILD_MEMORY = '1GB';

/** The same index the migrations create (schema.ts), built with room for its graph. */
export async function createVectorIndex(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await t.execute(sql.raw(`set local maintenance_work_mem = '${HNSW_BUILD_MEMORY}'`));
    await t.execute(
      sql.raw(
        `create index if not exists chunks_embedding_hnsw on chunks using hnsw (embedding vector_cosine_ops) ` +
          `with (m = ${HNSW_M}, ef_construction = ${HNSW_EF_CONSTRUCTION})`,
      ),
    );
  });
}

export async function dropVectorIndex(db: Db): Promise<void> {
  await db.execute(sql`drop index if exists chunks_embedding_hnsw`);
}

/**
 * Checks at start-up that the configured embedder is the one the stored
 * vectors came from. An empty index adopts the configured one (resizing the
 * column if needed); a non-empty index with another embedder is refused.
 */
export async function ensureIndexConfig(db: Db, configured: IndexConfig): Promise<void> {
  const repo = settingsRepo(db);
  const stored = await repo.get<IndexConfig>(KEY);
  // A bulk load interrupted by a crash may have left the index dropped (bulk-load.ts).
  await createVectorIndex(db);
  if (stored && stored.embedder === configured.embedder && stored.dimension === configured.dimension) return;
  const [r] = await queryRows<{ any: boolean }>(db, sql`select exists(select 1 from chunks) as any`);
  const hasChunks = Boolean(r?.any);
  if (stored && hasChunks) throw new EmbedderMismatchError(stored, configured);
  if ((await columnDimension(db)) !== configured.dimension) {
    await resizeColumn(db, configured.dimension);
    await createVectorIndex(db);
  }
  await repo.set(KEY, configured);
}

export interface ReembedProgress {
  done: number;
  total: number;
}

/**
 * Rebuilds every chunk's vector with another embedder. The index is dropped
 * first and built once at the end, because inserting into an HNSW graph row by row is 2.4–3.7× slower than building it once.
 */
export async function reembedAll(
  db: Db,
  embedder: { id: string; dimension: number; embed(texts: readonly string[]): Promise<number[][]> },
  onProgress: (p: ReembedProgress) => void = () => {},
  batchSize = 256,
): Promise<number> {
  const [count] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from chunks`);
  const total = count!.n;
  await resizeColumn(db, embedder.dimension);
  let done = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await queryRows<{ id: string; title: string; text: string }>(
      db,
      sql`select id, title, text from chunks where id > ${after}::uuid order by id limit ${batchSize}`,
    );
    if (page.length === 0) break;
    const vectors = await embedder.embed(page.map((p) => p.text));
    const rows = page.map((p, i) => ({ id: p.id, e: toVectorLiteral(vectors[i]!) }));
    await db.execute(sql`
      update chunks c set embedding = r.e::vector
      from json_to_recordset(${JSON.stringify(rows)}::json) as r(id uuid, e text) where c.id = r.id`);
    done += page.length;
    after = page[page.length - 1]!.id;
    onProgress({ done, total });
  }
  await createVectorIndex(db);
  await settingsRepo(db).set(KEY, { embedder: embedder.id, dimension: embedder.dimension });
  return done;
}
