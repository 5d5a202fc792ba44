// The reconciler compares queued documents with the job queue, on both queue
// adapters: a lost job (unknown) or a job that failed without its document
// being told is given again; a job on its way is left alone.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { INDEX_JOB, type IndexJob, indexJobId } from '../../src/contracts/jobs.js';
import { HashingEmbedder } from '../../src/ingest/embed/hashing.js';
import { createIngestService } from '../../src/ingest/service.js';
import { createJobQueue, type JobQueue, permanent } from '../../src/jobs/index.js';
import { redisUrlForTests, removeTestQueue, testQueueName } from '../support/redis.js';

const redisUrl = await redisUrlForTests();
const kinds: [string, () => { queue: JobQueue; cleanup: () => Promise<void> }][] = [
  ['in-process', () => ({ queue: createJobQueue(), cleanup: async () => {} })],
];
if (redisUrl) {
  kinds.push([
    'bullmq',
    () => {
      const queueName = testQueueName('reconcile');
      return { queue: createJobQueue({ redisUrl, queueName }), cleanup: () => removeTestQueue(redisUrl, queueName) };
    },
  ]);
}

const tenantId = '00000000-0000-4000-8000-00000000000a';
const ids = {
  failed: '00000000-0000-4000-8000-000000000001',
  lost: '00000000-0000-4000-8000-000000000002',
  busy: '00000000-0000-4000-8000-000000000003',
};

describe.each(kinds)('reconcile on the %s queue', (_kind, open) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('gives a job again to the queued documents whose job is lost or failed, and leaves one whose job runs', async () => {
    const { queue, cleanup: remove } = open();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    cleanup = async () => {
      release();
      await queue.close();
      await remove();
    };
    const runs: string[] = [];
    let dying = true;
    // No onFailed: the job of `failed` fails for good without its document being told (the process died first).
    queue.register<IndexJob, null>(INDEX_JOB, async ({ documentId }) => {
      runs.push(documentId);
      if (documentId === ids.busy) await gate;
      else if (dying) throw permanent('the process died here');
      return null;
    });
    await queue.startWorker({ concurrency: 2 });
    await queue.enqueue<IndexJob>(INDEX_JOB, { documentId: ids.failed, tenantId }, { jobId: indexJobId(ids.failed) });
    await queue.waitFor(indexJobId(ids.failed), 10_000).catch(() => undefined);
    await queue.enqueue<IndexJob>(INDEX_JOB, { documentId: ids.busy, tenantId }, { jobId: indexJobId(ids.busy) });
    await vi.waitFor(async () => expect(await queue.state(indexJobId(ids.busy))).toBe('active'), { timeout: 10_000, interval: 20 });
    expect(await queue.state(indexJobId(ids.failed))).toBe('failed');
    expect(await queue.state(indexJobId(ids.lost))).toBe('unknown');
    dying = false;

    // All three are queued in the store.
    const store = {
      documents: {
        queued: async (limit: number, afterId?: string) =>
          [ids.failed, ids.lost, ids.busy]
            .filter((id) => !afterId || id > afterId)
            .slice(0, limit)
            .map((id) => ({ id, tenantId })),
      },
    };
    const ingest = createIngestService({ store: store as never, embedder: new HashingEmbedder(), queue, log: () => {} });
    expect(await ingest.reconcile()).toBe(2);
    await queue.waitFor(indexJobId(ids.failed), 10_000);
    await queue.waitFor(indexJobId(ids.lost), 10_000);
    expect(runs.sort()).toEqual([ids.failed, ids.failed, ids.lost, ids.busy].sort());
  });
});
