/**
 * The corpus prepared once per run (validate → redact → normalise → hash →
 * chunk → embed, the same src functions ingestNow uses, minus the store), and
 * the bulk path that writes it straight into a database: documents rows, then
 * chunk rows through src's insertChunks.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DocumentInput } from '../src/contracts/documents.js';
import { chunkDocument } from '../src/ingest/chunk/index.js';
import type { Embedder } from '../src/contracts/embedder.js';
import { prepareDocument } from '../src/ingest/prepare.js';
import type { CleanDocument } from '../src/ingest/types.js';
import { insertChunks, type ChunkRow } from '../src/store/chunks.js';
import type { Db } from '../src/store/database.js';
import { docAt } from './corpus.js';

export interface PreparedChunk {
  ordinal: number;
  text: string;
  locator: string | null;
  /** Float32 halves the memory of 100k vectors; pgvector stores float4 anyway. */
  vector: Float32Array;
}

export interface PreparedDoc {
  index: number;
  doc: CleanDocument;
  contentHash: string;
  chunks: PreparedChunk[];
}

export interface StageTimes {
  /** validate + redact + normalise + hash (prepareDocument) */
  prepareMs: number;
  chunkMs: number;
  embedMs: number;
  generateMs: number;
}

/** Chunks per embedder call, as src/ingest/service.ts does. */
const EMBED_BATCH = 256;

/**
 * Prepares documents 0, 1, 2, … until `minChunks` chunks exist (or `minDocs`
 * documents, whichever comes later). Duplicates by content hash are skipped,
 * as ingest would.
 */
export async function prepareCorpus(
  seed: number,
  embedder: Embedder,
  opts: { minChunks: number; minDocs: number },
): Promise<{ docs: PreparedDoc[]; chunks: number; times: StageTimes }> {
  const times: StageTimes = { prepareMs: 0, chunkMs: 0, embedMs: 0, generateMs: 0 };
  const docs: PreparedDoc[] = [];
  const seen = new Set<string>();
  let chunks = 0;
  const BATCH = 500;
  for (let i = 0; chunks < opts.minChunks || docs.length < opts.minDocs; i += BATCH) {
    let t = performance.now();
    const inputs = Array.from({ length: BATCH }, (_, j) => docAt(seed, i + j));
    times.generateMs += performance.now() - t;
    t = performance.now();
    const prepared = inputs.map((d) => prepareDocument(d));
    times.prepareMs += performance.now() - t;
    t = performance.now();
    const batch: PreparedDoc[] = [];
    prepared.forEach((p, j) => {
      if (!p.ok || seen.has(p.contentHash)) return;
      seen.add(p.contentHash);
      const drafts = chunkDocument(p.doc.kind, p.doc.title, p.doc.body);
      batch.push({
        index: i + j,
        doc: p.doc,
        contentHash: p.contentHash,
        chunks: drafts.map((c) => ({ ordinal: c.ordinal, text: c.text, locator: c.locator ?? null, vector: new Float32Array(0) })),
      });
    });
    times.chunkMs += performance.now() - t;
    t = performance.now();
    const flat = batch.flatMap((d) => d.chunks);
    for (let k = 0; k < flat.length; k += EMBED_BATCH) {
      const slice = flat.slice(k, k + EMBED_BATCH);
      const vectors = await embedder.embed(slice.map((c) => c.text));
      slice.forEach((c, n) => (c.vector = Float32Array.from(vectors[n]!)));
    }
    times.embedMs += performance.now() - t;
    for (const d of batch) {
      if (chunks >= opts.minChunks && docs.length >= opts.minDocs) break;
      docs.push(d);
      chunks += d.chunks.length;
    }
  }
  return { docs, chunks, times };
}

/** The first documents of the prepared corpus that hold at least `n` chunks. */
export function docsForChunks(docs: readonly PreparedDoc[], n: number): PreparedDoc[] {
  const out: PreparedDoc[] = [];
  let total = 0;
  for (const d of docs) {
    if (total >= n) break;
    out.push(d);
    total += d.chunks.length;
  }
  return out;
}

export const chunkCount = (docs: readonly PreparedDoc[]) => docs.reduce((s, d) => s + d.chunks.length, 0);

/** Rows of `documents` written directly (status indexed); returns the ids in `docs` order. */
export async function insertDocumentRows(
  db: Db,
  tenantId: string,
  serviceIds: ReadonlyMap<string, string>,
  docs: readonly PreparedDoc[],
): Promise<string[]> {
  const ids = docs.map(() => randomUUID());
  for (let i = 0; i < docs.length; i += 500) {
    const batch = docs.slice(i, i + 500).map((d, j) => ({
      i: ids[i + j],
      t: tenantId,
      s: serviceIds.get(d.doc.service),
      k: d.doc.kind,
      ti: d.doc.title,
      so: d.doc.source ?? null,
      x: d.doc.externalId ?? null,
      o: d.doc.occurredAt.toISOString(),
      h: d.contentHash,
      b: d.doc.body,
      r: d.doc.redactions,
      n: d.chunks.length,
    }));
    await db.execute(sql`
      insert into documents (id, tenant_id, service_id, kind, title, source, external_id, occurred_at, content_hash, body,
                             redactions, status, chunk_count, indexed_at)
      select i, t, s, k, ti, so, x, o, h, b, r, 'indexed', n, now()
      from json_to_recordset(${JSON.stringify(batch)}::json)
        as r(i uuid, t uuid, s uuid, k text, ti text, so text, x text, o timestamptz, h text, b text, r int, n int)`);
  }
  return ids;
}

/** Chunk rows as insertChunks takes them, built lazily in slices to bound memory. */
export function* chunkRows(
  tenantId: string,
  serviceIds: ReadonlyMap<string, string>,
  docs: readonly PreparedDoc[],
  documentIds: readonly string[],
  sliceRows = 5000,
): Generator<ChunkRow[]> {
  let rows: ChunkRow[] = [];
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i]!;
    for (const c of d.chunks) {
      rows.push({
        tenantId,
        documentId: documentIds[i]!,
        serviceId: serviceIds.get(d.doc.service)!,
        kind: d.doc.kind,
        title: d.doc.title,
        occurredAt: d.doc.occurredAt,
        ordinal: c.ordinal,
        text: c.text,
        locator: c.locator,
        embedding: Array.from(c.vector),
      });
      if (rows.length >= sliceRows) {
        yield rows;
        rows = [];
      }
    }
  }
  if (rows.length) yield rows;
}

/** Bulk chunk insert through src's insertChunks (500 rows per statement); returns ms spent in insertChunks. */
export async function bulkInsertChunks(db: Db, slices: Iterable<ChunkRow[]>): Promise<number> {
  let ms = 0;
  for (const rows of slices) {
    const t = performance.now();
    await insertChunks(db, rows);
    ms += performance.now() - t;
  }
  return ms;
}

/** Raw inputs of the first `n` corpus documents (for ingestNow, which wants what the API gets). */
export function rawInputs(seed: number, n: number): DocumentInput[] {
  return Array.from({ length: n }, (_, i) => docAt(seed, i));
}
