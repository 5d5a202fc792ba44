// Every process with a job queue relays the outbox on a timer, not only right
// after its own writes: an entry a crashed writer committed and never handed
// over reaches the queue in an embedded server, an API node and a worker.
import { afterAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { indexJobId } from '../../src/contracts/jobs.js';
import { createLogger } from '../../src/log.js';
import { pgliteForTests, postgresAvailable, postgresForTests } from '../support/db.js';
import { redisUrlForTests, removeTestQueue, testQueueName } from '../support/redis.js';

const redisUrl = await redisUrlForTests();
const scaledOut = (await postgresAvailable()) && Boolean(redisUrl);

const PROCESSES = [
  { name: 'an embedded server (PGlite, in-process jobs)', startWorker: true, bullmq: false, runs: true },
  { name: 'an API node (PostgreSQL, BullMQ, no worker)', startWorker: false, bullmq: true, runs: false },
  { name: 'a worker (PostgreSQL, BullMQ)', startWorker: true, bullmq: true, runs: true },
];

async function until(what: string, ok: () => Promise<boolean>, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; !(await ok()); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const p of PROCESSES) {
  describe.runIf(!p.bullmq || scaledOut)(`the outbox relay of ${p.name}`, () => {
    let app: App | undefined;
    let done: () => Promise<void> = async () => {};
    afterAll(async () => done());

    it('hands over an entry committed after it started and never handed over, without any request', async () => {
      const queueName = testQueueName('sweep');
      const pg = p.bullmq ? await postgresForTests() : undefined;
      const database = pg ? pg.database : await pgliteForTests();
      app = await createApp(parseConfig({ SHIPCHECK_DEMO: '0', ...(p.bullmq ? { REDIS_URL: redisUrl! } : {}) }), {
        startWorker: p.startWorker,
        database,
        queueName,
        logger: createLogger('silent'),
        sweep: { outboxEveryMs: 100 },
      });
      done = async () => {
        await app?.close();
        if (p.bullmq) await removeTestQueue(redisUrl!, queueName);
        await pg?.drop();
      };
      expect(app.queue.kind).toBe(p.bullmq ? 'bullmq' : 'in-process');
      // What a writer that crashed after its commit leaves: the document queued, its job in the outbox.
      const tenant = await app.tokens.ensureTenant('acme');
      const serviceId = await app.store.services.ensure(tenant.id, 'payments');
      const { id } = await app.store.documents.insertQueued({
        tenantId: tenant.id,
        serviceId,
        kind: 'incident',
        title: 'INC-9 card declines',
        body: 'Card declines spiked after payments 3.1.0; rolled back.',
        occurredAt: new Date('2026-04-01T10:00:00Z'),
        contentHash: 'sweep-test-hash',
        redactions: 0,
      });
      expect((await app.store.outbox.pending(10)).length).toBe(1);
      const a = app;
      if (p.runs) await until('the document indexed', async () => (await a.store.documents.get(tenant.id, id))?.status === 'indexed');
      else await until('the job in the queue', async () => (await a.queue.state(indexJobId(id))) === 'waiting');
      // The relay removes an entry once the queue has it (a moment after the job may already have run).
      await until('the entry removed', async () => (await a.store.outbox.pending(10)).length === 0);
    }, 60_000);
  });
}
