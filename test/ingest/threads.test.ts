import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_DIR } from '../../src/bootstrap/demo.js';
import { chunkDocument } from '../../src/ingest/chunk/index.js';
import { HashingEmbedder } from '../../src/ingest/embed/hashing.js';
import type { Embedder } from '../../src/contracts/embedder.js';
import { prepareDocument } from '../../src/ingest/prepare.js';
import { createIngestService } from '../../src/ingest/service.js';
import { batchesAhead, THREAD_MIN_DOCS } from '../../src/ingest/threads/ahead.js';
import { ChunkEmbedPool, threadStats, threadSpecOf } from '../../src/ingest/threads/pool.js';
import type { CleanDocument } from '../../src/ingest/types.js';
import { storedFloat4 } from '../../src/contracts/vectors.js';
import { createJobQueue } from '../../src/jobs/index.js';
import type { IndexedDocument } from '../../src/ingest/ports.js';

const embedder = new HashingEmbedder({ dimension: 384 });
/** The same embedder without its thread spec: everything stays in this thread. */
const inThreadOnly: Embedder = Object.create(embedder, { threadSpec: { value: undefined } });

/** The demo organisation's 1,505 artifacts (logs, diffs, runbooks, tickets, with secrets to redact). */
const raws: unknown[] = fs
  .readFileSync(path.join(DEMO_DIR, 'documents.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l));
const clean: CleanDocument[] = raws.flatMap((r) => {
  const p = prepareDocument(r);
  return p.ok ? [p.doc] : [];
});

const pools: ChunkEmbedPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe('ingest worker threads', () => {
  it('chunk and embed as this thread does, bit for bit', async () => {
    const pool = new ChunkEmbedPool(threadSpecOf(embedder)!, 1);
    pools.push(pool);
    const docs = clean.slice(0, 400);
    const input = docs.map((d) => ({ kind: d.kind, title: d.title, body: d.body }));
    const drafts = docs.map((d) => chunkDocument(d.kind, d.title, d.body));
    const expected = await embedder.embed(drafts.flat().map((c) => c.text));

    const raw = await pool.run(input, { raw: true });
    expect(raw.chunks).toEqual(drafts.map((list) => list.map((c) => ({ ordinal: c.ordinal, text: c.text, locator: c.locator ?? null }))));
    expect(raw.vectors).toBeInstanceOf(Float64Array);
    expect(raw.vectors.length).toBe(expected.length * 384);
    const differing = expected.flatMap((v, i) => v.filter((x, j) => !Object.is(x, raw.vectors[i * 384 + j])));
    expect(differing).toEqual([]);

    // What ingestNow takes from a worker: the float4 values the database will store.
    const stored = await pool.run(input);
    expect(stored.vectors).toEqual(Float32Array.from(expected.flatMap((v) => [...storedFloat4(v)])));
  });

  it('give ingestNow the same documents, chunks and stored vectors as this thread', async () => {
    expect(clean.length).toBeGreaterThanOrEqual(THREAD_MIN_DOCS);
    const run = async (e: Embedder) => {
      const batches: IndexedDocument[][] = [];
      let n = 0;
      const store = {
        services: { ensure: async (_t: string, name: string) => `svc-${name}` },
        documents: {
          existingByHash: async () => new Map(),
          insertIndexed: async (items: IndexedDocument[]) => {
            batches.push(items);
            return items.map((i) => ({ hash: i.doc.contentHash, id: `doc-${n++}`, duplicate: false }));
          },
        },
        bulkLoad: <T>(_n: number, load: () => Promise<T>) => load(),
      };
      const ingest = createIngestService({ store: store as never, embedder: e, queue: createJobQueue(), log: () => {} });
      const progress: number[] = [];
      const results = await ingest.ingestNow('t', [...raws, raws[5], { kind: 'nope' }], (d) => progress.push(d));
      const docs = batches.flat().map(({ doc, chunks }) => ({
        doc,
        chunks: chunks.map((c) => ({ ...c, embedding: storedFloat4(c.embedding) })),
      }));
      return { results, docs, progress, sizes: batches.map((b) => b.length) };
    };
    const jobsBefore = threadStats.jobs;
    const threaded = await run(embedder);
    expect(threadStats.jobs).toBeGreaterThan(jobsBefore);
    const jobsAfter = threadStats.jobs;
    const here = await run(inThreadOnly);
    expect(threadStats.jobs).toBe(jobsAfter);

    expect(threaded.results).toEqual(here.results);
    expect(threaded.progress).toEqual(here.progress);
    expect(threaded.sizes).toEqual(here.sizes);
    expect(threaded.docs.length).toBe(here.docs.length);
    for (let i = 0; i < here.docs.length; i++) expect(threaded.docs[i]).toEqual(here.docs[i]);
    expect(here.results.at(-2)).toMatchObject({ status: 'duplicate', documentId: here.results[5]!.documentId });
    expect(here.results.at(-1)).toMatchObject({ status: 'rejected' });
  });

  it('fall back to this thread when a worker fails, with the same result', async () => {
    // A worker cannot build a 3-dimension hashing embedder: it fails at start.
    const broken = new ChunkEmbedPool({ kind: 'hashing', dimension: 3 }, 1);
    pools.push(broken);
    const docs = clean.slice(0, 450);
    const inThread = async (batch: CleanDocument[]) =>
      Promise.all(
        batch.map(async (d) => {
          const drafts = chunkDocument(d.kind, d.title, d.body);
          const vectors = await embedder.embed(drafts.map((c) => c.text));
          return drafts.map((c, i) => ({ ordinal: c.ordinal, text: c.text, locator: c.locator ?? null, embedding: vectors[i]! }));
        }),
      );
    const ahead = batchesAhead(docs, 200, inThread, broken);
    const got = [...(await ahead.batch(0)), ...(await ahead.batch(200)), ...(await ahead.batch(400))];
    expect(broken.broken).toBe(true);
    expect(got).toEqual(await inThread(docs));
  });
});
