import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DIR } from '../../src/bootstrap/demo.js';
import { HashingEmbedder } from '../../src/ingest/embed/hashing.js';
import { createIngestService } from '../../src/ingest/service.js';
import { createJobQueue } from '../../src/jobs/index.js';
import { BULK_MIN_ROWS, inBulkLoad, withDeferredVectorIndex } from '../../src/store/bulk-load.js';
import { queryRows } from '../../src/store/database.js';
import type { IndexedDocument } from '../../src/ingest/ports.js';
import { createStore, type Database, type Store } from '../../src/store/index.js';
import { toVectorLiteral } from '../../src/store/vector-literal.js';
import { ENGINES } from '../support/db.js';

const embedder = new HashingEmbedder({ dimension: 384 });

/** The demo organisation's 1,505 artifacts. */
const raws: unknown[] = fs
  .readFileSync(path.join(DEMO_DIR, 'documents.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l));

for (const engine of ENGINES) {
  describe.runIf(await engine.available())(`bulk ingest on ${engine.name}`, () => {
    let database: Database;
    let drop: () => Promise<void>;
    let store: Store;
    let tenantId: string;

    // A fresh database each: whether a load defers the index depends on the rows already there.
    beforeEach(async () => {
      ({ database, drop } = await engine.open());
      store = createStore(database);
      tenantId = (await store.tenants.ensure('acme')).tenant.id;
    });
    afterEach(async () => {
      await database.close().catch(() => {});
      await drop();
    });

    const count = async (q: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(database.db, q))[0]!.n;
    const indexExists = async () =>
      (await count(sql`select count(*)::int as n from pg_indexes where indexname = 'chunks_embedding_hnsw'`)) === 1;
    /** Every chunk the results report is stored, and every document's chunk count matches its rows. */
    const expectEveryChunkStored = async (results: { chunks?: number }[]) => {
      const chunks = results.reduce((n, r) => n + (r.chunks ?? 0), 0);
      expect(await count(sql`select count(*)::int as n from chunks`)).toBe(chunks);
      expect(
        await count(
          sql`select count(*)::int as n from documents d where chunk_count <> (select count(*) from chunks c where c.document_id = d.id)`,
        ),
      ).toBe(0);
    };
    const service = (s: Store['documents']) =>
      createIngestService({
        store: { documents: s, services: store.services, bulkLoad: store.ingest.bulkLoad },
        embedder,
        queue: createJobQueue(),
        log: () => {},
      });

    it('loads 1,000 demo artifacts with the index dropped and built at the end: all searchable, vectors as the text form stores them', async () => {
      let during: { index: boolean; bulk: boolean } | undefined;
      const documents = {
        ...store.documents,
        insertIndexed: async (items: IndexedDocument[]) => {
          during ??= { index: await indexExists(), bulk: inBulkLoad(database.db) };
          return store.documents.insertIndexed(items);
        },
      };
      const results = await service(documents).ingestNow(tenantId, raws.slice(0, 1000));
      expect(during).toEqual({ index: false, bulk: true });
      expect(inBulkLoad(database.db)).toBe(false);
      expect(await indexExists()).toBe(true);
      expect(results.every((r) => r.status === 'indexed')).toBe(true);
      await expectEveryChunkStored(results);
      // The end merged the full-text pending list and analyzed the table once.
      expect(await count(sql`select count(*)::int as n from pg_stats where tablename = 'chunks' and attname = 'tsv'`)).toBe(1);
      // Vectors are those the text literal of the embedder's numbers gives.
      const sample = await queryRows<{ text: string; e: string }>(
        database.db,
        sql`select text, embedding::text as e from chunks order by id limit 25`,
      );
      const vectors = await embedder.embed(sample.map((s) => s.text));
      for (const [i, s] of sample.entries()) {
        const [row] = await queryRows<{ e: string }>(database.db, sql`select ${toVectorLiteral(vectors[i]!)}::vector::text as e`);
        expect(s.e).toBe(row!.e);
      }
      // Through the index, a stored chunk's vector finds a chunk with that vector (itself, or a twin whose only differences the embedder masks).
      const [hit] = await store.chunks.vectorSearch({ tenantId }, vectors[0]!, 1);
      expect(hit!.score).toBeCloseTo(1, 5);
    });

    it('leaves nothing of a failed batch: earlier batches whole, the failed one absent, the index rebuilt', async () => {
      let calls = 0;
      const documents = {
        ...store.documents,
        insertIndexed: async (items: IndexedDocument[]) => {
          // The second batch's last chunk gets a vector the column refuses, after its documents and other chunks are written.
          if (++calls === 2) {
            const last = items.at(-1)!;
            last.chunks = [
              ...last.chunks,
              { ordinal: last.chunks.length, text: 'bad', locator: null, embedding: new Array(383).fill(0.05) },
            ];
          }
          return store.documents.insertIndexed(items);
        },
      };
      await expect(service(documents).ingestNow(tenantId, raws.slice(0, 650))).rejects.toThrow(/Failed query/);
      expect(calls).toBe(2);
      expect(await count(sql`select count(*)::int as n from documents`)).toBe(200);
      expect(
        await count(
          sql`select count(*)::int as n from documents d where chunk_count <> (select count(*) from chunks c where c.document_id = d.id)`,
        ),
      ).toBe(0);
      expect(
        await count(sql`select count(*)::int as n from chunks c where not exists (select 1 from documents d where d.id = c.document_id)`),
      ).toBe(0);
      expect(await indexExists()).toBe(true);
      expect(inBulkLoad(database.db)).toBe(false);
    });

    it('rolls back a write whose chunks span several statements', async () => {
      const serviceId = await store.services.ensure(tenantId, 'checkout');
      const [v] = await embedder.embed(['x']);
      // 300 documents × 2 chunks: the chunk insert takes two statements; the second one fails.
      const items: IndexedDocument[] = Array.from({ length: 300 }, (_, i) => ({
        doc: {
          tenantId,
          serviceId,
          kind: 'ticket',
          title: `t${i}`,
          body: `b${i}`,
          occurredAt: new Date(),
          contentHash: `h${i}`,
          redactions: 0,
        },
        chunks: [0, 1].map((ordinal) => ({ ordinal, text: `c${i}.${ordinal}`, locator: null, embedding: v! })),
      }));
      items[299]!.chunks[1]!.embedding = [0.1, 0.2];
      await expect(store.documents.insertIndexed(items)).rejects.toThrow(/Failed query/);
      expect(await count(sql`select count(*)::int as n from documents`)).toBe(0);
      expect(await count(sql`select count(*)::int as n from chunks`)).toBe(0);
    });

    it('insertIndexed stores every column of a document, and reports an existing hash as a duplicate', async () => {
      const serviceId = await store.services.ensure(tenantId, 'checkout');
      const [v] = await embedder.embed(['x']);
      const base = {
        tenantId,
        serviceId,
        kind: 'ticket' as const,
        title: 'TCK-1 ünï',
        occurredAt: new Date('2026-03-01T10:00:00.123Z'),
        redactions: 2,
      };
      const before = Date.now();
      const stored = await store.documents.insertIndexed([
        {
          doc: { ...base, body: 'one', contentHash: 'h1', source: 'jira', externalId: 'TCK-1' },
          chunks: [{ ordinal: 0, text: 'one', locator: 'l1', embedding: v! }],
        },
        { doc: { ...base, body: 'two', contentHash: 'h2' }, chunks: [] },
      ]);
      const again = await store.documents.insertIndexed([
        { doc: { ...base, body: 'three', contentHash: 'h3' }, chunks: [] },
        {
          doc: { ...base, body: 'one again', contentHash: 'h1' },
          chunks: [{ ordinal: 0, text: 'one again', locator: null, embedding: v! }],
        },
      ]);
      expect([...stored, ...again].map((s) => s.duplicate)).toEqual([false, false, false, true]);
      expect(again[1]!.id).toBe(stored[0]!.id);
      const one = await store.documents.get(tenantId, stored[0]!.id, { withBody: true });
      expect(one).toMatchObject({
        kind: 'ticket',
        service: 'checkout',
        title: 'TCK-1 ünï',
        source: 'jira',
        externalId: 'TCK-1',
        occurredAt: '2026-03-01T10:00:00.123Z',
        status: 'indexed',
        error: null,
        contentHash: 'h1',
        redactions: 2,
        chunks: 1,
        body: 'one',
      });
      expect(Date.parse(one!.createdAt)).toBeGreaterThanOrEqual(before - 60_000);
      expect(await store.documents.get(tenantId, stored[1]!.id)).toMatchObject({ source: null, externalId: null, chunks: 0 });
      const [at] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from documents where indexed_at is not null`);
      expect(at!.n).toBe(3);
      expect(await count(sql`select count(*)::int as n from chunks`)).toBe(1);
    });

    it('defers the index for a large load into a table no bigger than the load, and keeps it otherwise', async () => {
      const seen: boolean[] = [];
      const probe = async () => {
        seen.push(await indexExists());
      };
      await withDeferredVectorIndex(database, BULK_MIN_ROWS - 1, probe); // small load: kept
      const serviceId = await store.services.ensure(tenantId, 'checkout');
      const vectors = await embedder.embed(Array.from({ length: BULK_MIN_ROWS }, (_, i) => `chunk ${i} of the table`));
      await withDeferredVectorIndex(database, BULK_MIN_ROWS, async () => {
        await probe(); // empty table: dropped
        for (let i = 0; i < BULK_MIN_ROWS; i += 250) {
          await store.documents.insertIndexed(
            vectors.slice(i, i + 250).map((embedding, j) => ({
              doc: {
                tenantId,
                serviceId,
                kind: 'ticket',
                title: `t${i + j}`,
                body: `b${i + j}`,
                occurredAt: new Date(),
                contentHash: `h${i + j}`,
                redactions: 0,
              },
              chunks: [{ ordinal: 0, text: `chunk ${i + j}`, locator: null, embedding }],
            })),
          );
        }
      });
      expect(await indexExists()).toBe(true);
      await withDeferredVectorIndex(database, BULK_MIN_ROWS - 1, probe); // fewer new rows than the table holds: kept
      await withDeferredVectorIndex(database, BULK_MIN_ROWS, probe); // as many: dropped
      expect(seen).toEqual([true, false, true, false]);
      expect(await indexExists()).toBe(true);
    });

    it('two large loads at once both land whole, and leave the index in place', async () => {
      const [a, b] = await Promise.all([
        service(store.documents).ingestNow(tenantId, raws.slice(0, 550)),
        service(store.documents).ingestNow(tenantId, raws.slice(550, 1100)),
      ]);
      const results = [...a, ...b];
      expect(results.every((r) => r.status === 'indexed' || r.status === 'duplicate')).toBe(true);
      await expectEveryChunkStored(results);
      expect(await indexExists()).toBe(true);
      expect(inBulkLoad(database.db)).toBe(false);
    });

    // Only a server has other sessions to hold locks: registered for PostgreSQL alone (not reported as skipped on PGlite).
    const onServer = engine.name === 'postgres' ? it : () => {};
    onServer('loads with the index kept when another session holds a lock on chunks', async () => {
      const [{ db }] = (await queryRows<{ db: string }>(database.db, sql`select current_database() as db`)) as [{ db: string }];
      const target = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
      target.pathname = `/${db}`;
      const holder = new pg.Client({ connectionString: target.toString() });
      await holder.connect();
      try {
        await holder.query('begin');
        await holder.query('select count(*) from chunks'); // AccessShareLock until commit: DROP INDEX would wait
        let index: boolean | undefined;
        const started = performance.now();
        await withDeferredVectorIndex(database, 5000, async () => {
          index = await indexExists();
        });
        expect(index).toBe(true);
        expect(performance.now() - started).toBeGreaterThanOrEqual(1900);
      } finally {
        await holder.query('rollback').catch(() => {});
        await holder.end();
      }
    });
  });
}
