import { describe, expect, it } from 'vitest';
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
