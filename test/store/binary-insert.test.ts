import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../src/ingest/embed/hashing.js';
import { literalFloat4, storedFloat4 } from '../../src/contracts/vectors.js';
import { insertChunks, type ChunkRow } from '../../src/store/chunks.js';
import { queryRows, type Db } from '../../src/store/database.js';
import { createStore, type Database, type Store } from '../../src/store/index.js';
import { ENGINES } from '../support/db.js';

const embedder = new HashingEmbedder({ dimension: 384 });

/** The same handle, but with no driver in sight: insertChunks takes its text form (pgvector literals). */
function textOnly(db: Db): Db {
  return new Proxy(db, { get: (target, p) => (p === '_' ? {} : Reflect.get(target, p)) });
}

/** Values around the places where rounding to six digits, then to float4, could go wrong. */
function edgeVector(): number[] {
  const v = [
    0, -0, 1, -1, 0.5, 0.1, 0.1234565, 0.12345650000001, 9.999995e-3, 9.9999949999e-3, 1.000005e-4, 5.000005e-2, 1e-9, -3.3333333e-7,
  ];
  for (let i = 0; v.length < 384; i++) v.push(Math.sin(i * 1.7) / (1 + (i % 13) * 10));
  return v;
}

describe('literalFloat4', () => {
  it('gives the float4 of the six-digit text form, by the fast path and at rounding boundaries', () => {
    const f = new Float32Array(1);
    for (const x of [...edgeVector(), 123456.5, 99999949.999, 1e-30, 7e25]) {
      f[0] = Number(x.toPrecision(6));
      // Away from float4 midpoints, rounding the parsed double to float4 is exact; these values are.
      expect(literalFloat4(x)).toBe(x === 0 ? 0 : f[0]);
    }
    // 9.99999e7 lies halfway between two float4 values; strtof rounds to the even one.
    expect(literalFloat4(99999949.999)).toBe(99999904);
    expect(Object.is(literalFloat4(-0), 0)).toBe(true);
  });

  it('is idempotent, so vectors rounded on a worker thread round to themselves', () => {
    for (const x of edgeVector()) expect(literalFloat4(literalFloat4(x))).toBe(literalFloat4(x));
  });
});

for (const engine of ENGINES) {
  describe.runIf(await engine.available())(`binary vector insert on ${engine.name}`, () => {
    let database: Database;
    let drop: () => Promise<void>;
    let store: Store;
    let tenantId: string;
    let serviceId: string;

    beforeAll(async () => {
      ({ database, drop } = await engine.open());
      store = createStore(database);
      tenantId = (await store.tenants.ensure('acme')).tenant.id;
      serviceId = await store.services.ensure(tenantId, 'checkout');
    });
    afterAll(async () => {
      await database.close().catch(() => {});
      await drop();
    });

    async function document(hash: string): Promise<string> {
      const [r] = await store.documents.insertIndexed([
        {
          doc: { tenantId, serviceId, kind: 'ticket', title: hash, body: hash, occurredAt: new Date(), contentHash: hash, redactions: 0 },
          chunks: [],
        },
      ]);
      return r!.id;
    }

    const rows = (documentId: string, vectors: (number[] | Float32Array)[]): ChunkRow[] =>
      vectors.map((embedding, ordinal) => ({
        tenantId,
        documentId,
        serviceId,
        kind: 'ticket',
        title: `title ${ordinal}`,
        occurredAt: new Date('2026-03-01T10:00:00Z'),
        ordinal,
        text: `text ${ordinal} ünïcødé "quoted" \\ back\nslash`,
        locator: ordinal % 2 ? null : `line ${ordinal}`,
        embedding,
      }));

    it('stores bit for bit what the text form stored, with the same rows and columns', async () => {
      const texts = Array.from({ length: 520 }, (_, i) => `ECONNRESET upstream payments-${i} retry ${i * 7} after ${i % 13}ms`);
      const vectors: number[][] = [...(await embedder.embed(texts)), edgeVector(), edgeVector().map((x) => -x)];
      const viaBinary = await document('binary');
      const viaText = await document('text');
      await insertChunks(database.db, rows(viaBinary, vectors)); // 522 rows: two statements
      await insertChunks(textOnly(database.db), rows(viaText, vectors));
      const [diff] = await queryRows<{ n: number; pairs: number }>(
        database.db,
        sql`select count(*)::int as pairs,
              count(*) filter (where a.embedding::text <> b.embedding::text or a.text <> b.text or a.title <> b.title
                or a.locator is distinct from b.locator or a.occurred_at <> b.occurred_at or a.tsv <> b.tsv)::int as n
            from chunks a join chunks b on a.ordinal = b.ordinal
            where a.document_id = ${viaBinary} and b.document_id = ${viaText}`,
      );
      expect(diff).toEqual({ n: 0, pairs: vectors.length });
      // Float32Array embeddings are stored as they are; literalFloat4's values are those the text form gives.
      const viaFloat4 = await document('float4');
      await insertChunks(database.db, rows(viaFloat4, vectors.map(storedFloat4)));
      const [same] = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from chunks a join chunks b on a.ordinal = b.ordinal
            where a.document_id = ${viaFloat4} and b.document_id = ${viaText} and a.embedding::text = b.embedding::text`,
      );
      expect(same!.n).toBe(vectors.length);
    });

    it('works inside a transaction and rolls back with it', async () => {
      const documentId = await document('rolled back');
      const [v] = await embedder.embed(['rolled back']);
      await expect(
        database.db.transaction(async (tx) => {
          await insertChunks(tx as unknown as Db, rows(documentId, [v!, v!]));
          const [n] = await queryRows<{ n: number }>(
            tx as unknown as Db,
            sql`select count(*)::int as n from chunks where document_id = ${documentId}`,
          );
          expect(n!.n).toBe(2);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const [n] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from chunks where document_id = ${documentId}`);
      expect(n!.n).toBe(0);
    });

    it('refuses a vector of the wrong dimension, as the text form does', async () => {
      const documentId = await document('wrong dimension');
      for (const db of [database.db, textOnly(database.db)]) {
        const err = await insertChunks(db, rows(documentId, [new Array(383).fill(0.05)])).catch((e: Error) => e);
        // Reported as drizzle reports a failed query: the driver's error is the cause.
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message).toMatch(/^Failed query: /);
        expect(String((err as Error).cause)).toMatch(/expected 384 dimensions, not 383/);
      }
    });
  });
}
