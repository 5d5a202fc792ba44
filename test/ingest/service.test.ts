import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/contracts/errors.js';
import { HashingEmbedder } from '../../src/ingest/embed/hashing.js';
import { createIngestService } from '../../src/ingest/service.js';
import { createJobQueue } from '../../src/jobs/index.js';
import type { IndexedDocument } from '../../src/ingest/ports.js';

/** Just enough of the store for the direct path; the real store is covered by the store contract tests. */
function fakeStore(opts: { failOnBatch?: number } = {}) {
  const batches: IndexedDocument[][] = [];
  let n = 0;
  let calls = 0;
  const store = {
    services: { ensure: async (_t: string, name: string) => `svc-${name}` },
    documents: {
      existingByHash: async () => new Map(),
      insertIndexed: async (items: IndexedDocument[]) => {
        await new Promise((r) => setTimeout(r, 5));
        if (++calls === opts.failOnBatch) throw new Error('disk full');
        batches.push(items);
        return items.map((i) => ({ hash: i.doc.contentHash, id: `doc-${n++}`, duplicate: false }));
      },
    },
    bulkLoad: <T>(_n: number, load: () => Promise<T>) => load(),
  };
  return { store, batches };
}

const doc = (i: number) => ({
  kind: 'ticket',
  service: 'checkout',
  title: `TCK-${i}`,
  body: `ticket ${i}: checkout latency above budget in region ${i % 7}`,
  occurredAt: '2026-02-01T00:00:00Z',
});

describe('the direct ingest path', () => {
  it('stores in batches, keeps input order, and links in-batch repeats to their first copy', async () => {
    const { store, batches } = fakeStore();
    const ingest = createIngestService({ store: store as never, embedder: new HashingEmbedder(), queue: createJobQueue(), log: () => {} });
    const raws = [...Array.from({ length: 450 }, (_, i) => doc(i)), doc(3), { kind: 'nope' }];
    const progress: number[] = [];
    const results = await ingest.ingestNow('t', raws, (d) => progress.push(d));
    expect(batches.map((b) => b.length)).toEqual([200, 200, 50]);
    expect(results.map((r) => r.index)).toEqual(raws.map((_, i) => i));
    expect(results.slice(0, 450).every((r) => r.status === 'indexed')).toBe(true);
    expect(results[450]).toMatchObject({ status: 'duplicate', documentId: results[3]!.documentId });
    expect(results[451]).toMatchObject({ status: 'rejected' });
    expect(progress.at(-1)).toBe(raws.length);
  });

  it('surfaces a failed write as the error and writes no later batch', async () => {
    const { store, batches } = fakeStore({ failOnBatch: 2 });
    const ingest = createIngestService({ store: store as never, embedder: new HashingEmbedder(), queue: createJobQueue(), log: () => {} });
    await expect(
      ingest.ingestNow(
        't',
        Array.from({ length: 650 }, (_, i) => doc(i)),
      ),
    ).rejects.toThrow('disk full');
    // Only the second write fails: the third must not be attempted.
    expect(batches).toHaveLength(1);
  });
});

describe('the API path, through the store port', () => {
  /** A store that records queued documents, refusing those whose title says so. */
  function queueingStore(refuse: (title: string) => Error | undefined) {
    const stored: string[] = [];
    const store = {
      services: { ensure: async (_t: string, name: string) => `svc-${name}` },
      documents: {
        insertQueued: async (row: { title: string }) => {
          const err = refuse(row.title);
          if (err) throw err;
          stored.push(row.title);
          return { id: `00000000-0000-4000-8000-00000000000${stored.length}`, duplicate: false, status: 'queued' };
        },
      },
    };
    return { store, stored };
  }

  it('rejects alone, with its code, a document the database refuses (and an in-batch repeat of it); the rest are queued and handed over', async () => {
    const { store, stored } = queueingStore((title) =>
      title === 'TCK-2' ? new AppError('validation_failed', 'the database refused this document (SQLSTATE 22021)') : undefined,
    );
    let handOvers = 0;
    const ingest = createIngestService({
      store: store as never,
      embedder: new HashingEmbedder(),
      queue: createJobQueue(),
      log: () => {},
      handOver: async () => {
        handOvers++;
      },
    });
    const results = await ingest.submit('t', [doc(0), doc(1), doc(2), doc(3), doc(2)], { wait: false });
    expect(results.map((r) => r.status)).toEqual(['queued', 'queued', 'rejected', 'queued', 'rejected']);
    expect(results[2]).toMatchObject({ code: 'validation_failed', error: expect.stringContaining('22021') });
    expect(results[4]).toMatchObject({ index: 4, code: 'validation_failed' });
    expect(stored).toEqual(['TCK-0', 'TCK-1', 'TCK-3']);
    expect(handOvers).toBe(1);
  });

  it('ends the request on a failure that says nothing about the document, after handing over what was stored before it', async () => {
    const { store, stored } = queueingStore((title) => (title === 'TCK-1' ? new Error('connection terminated') : undefined));
    let handOvers = 0;
    const ingest = createIngestService({
      store: store as never,
      embedder: new HashingEmbedder(),
      queue: createJobQueue(),
      log: () => {},
      handOver: async () => {
        handOvers++;
      },
    });
    await expect(ingest.submit('t', [doc(0), doc(1), doc(2)], { wait: false })).rejects.toThrow('connection terminated');
    expect(stored).toEqual(['TCK-0']);
    expect(handOvers).toBe(1);
  });
});
