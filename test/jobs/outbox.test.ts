import { beforeAll, describe, expect, it } from 'vitest';
import { INDEX_ATTEMPTS } from '../../src/contracts/jobs.js';
import { createJobQueue } from '../../src/jobs/index.js';
import { createOutboxRelay, type OutboxEntry, type OutboxSource } from '../../src/jobs/outbox.js';
import type { Store } from '../../src/store/index.js';
import { ENGINES, useStore } from '../support/db.js';
import { intakeOf } from '../support/intake.js';

/** An outbox in memory, counting what it was asked. */
function memorySource(entries: OutboxEntry[]): OutboxSource & { pendingCalls: number } {
  const rows = [...entries];
  return {
    pendingCalls: 0,
    async pending(limit) {
      this.pendingCalls++;
      return rows.slice(0, limit);
    },
    async remove(ids) {
      for (const id of ids)
        rows.splice(
          rows.findIndex((r) => r.id === id),
          1,
        );
    },
  };
}

const entry = (n: number): OutboxEntry => ({ id: `e${n}`, job: 'test.job', jobId: `job-${n % 3}`, payload: { n }, attempts: 1 });

describe('the outbox relay', () => {
  it('enqueues every pending entry once per job id, and folds concurrent drains into one', async () => {
    const queue = createJobQueue({ queueName: 'outbox-unit' });
    const ran: number[] = [];
    queue.register<{ n: number }, null>('test.job', async ({ n }) => {
      ran.push(n);
      return null;
    });
    const source = memorySource([entry(1), entry(2), entry(3), entry(4)]);
    const relay = createOutboxRelay({ source, queue });
    const [a, b] = await Promise.all([relay.drain(), relay.drain()]);
    expect(a).toBe(b);
    expect(a).toBe(4);
    expect(await source.pending(10)).toEqual([]);
    await queue.startWorker();
    await Promise.all(['job-0', 'job-1', 'job-2'].map((id) => queue.waitFor(id, 5000)));
    // Four entries, three job ids: the job queue ran each id once.
    expect(ran.sort()).toEqual([1, 2, 3]);
    await queue.close();
  });
});

for (const engine of ENGINES) {
  describe.runIf(await engine.available())(`the outbox in the store (${engine.name})`, () => {
    const on = useStore(engine);
    // The store exists once beforeAll has run: read it through on.store then.
    const store = new Proxy({} as Store, { get: (_t, key) => Reflect.get(on.store, key) });
    let tenant: string;
    beforeAll(async () => {
      tenant = await on.tenant('acme');
    });

    const doc = (hash: string) => ({
      kind: 'change' as const,
      title: 't',
      body: `body ${hash}`,
      occurredAt: new Date('2026-03-01T00:00:00Z'),
      source: null,
      externalId: hash,
      contentHash: hash,
      redactions: 0,
    });

    it('commits the index jobs with the intake, and keeps them until a relay hands them to a queue', async () => {
      const r = await store.releases.intake(tenant, intakeOf('5.0.0', ['c-5'], { documents: [doc('h-5a'), doc('h-5b')] }), () => undefined);
      expect(r).toMatchObject({ created: true, queuedDocuments: 2 });
      const pending = await store.outbox.pending(100);
      expect(pending.map((e) => e.job)).toEqual(['ingest.index', 'ingest.index']);
      expect(pending.map((e) => e.attempts)).toEqual([INDEX_ATTEMPTS, INDEX_ATTEMPTS]);
      const queue = createJobQueue({ queueName: `outbox-${engine.name}` });
      const seen: string[] = [];
      queue.register<{ documentId: string }, null>('ingest.index', async ({ documentId }) => {
        seen.push(documentId);
        return null;
      });
      await queue.startWorker();
      expect(await createOutboxRelay({ source: store.outbox, queue }).drain()).toBe(2);
      expect(await store.outbox.pending(100)).toEqual([]);
      await Promise.all(pending.map((e) => queue.waitFor(e.jobId, 5000)));
      expect(seen.sort()).toEqual(pending.map((e) => (e.payload as { documentId: string }).documentId).sort());
      await queue.close();
    });

    it('writes nothing at all, outbox included, when the intake is refused as a conflict', async () => {
      const before = (await store.outbox.pending(100)).length;
      const refused = await store.releases.intake(tenant, intakeOf('6.0.0', ['c-6'], { documents: [doc('h-6')] }), () => ({
        release: ['strategy'],
        changes: [],
      }));
      expect(refused).toEqual({ conflict: { release: ['strategy'], changes: [] } });
      expect(await store.outbox.pending(100)).toHaveLength(before);
      expect(await store.releases.list(tenant, { limit: 100 })).not.toContainEqual(expect.objectContaining({ version: '6.0.0' }));
      expect((await store.documents.existingByHash(tenant, ['h-6'])).size).toBe(0);
    });
  });
}
