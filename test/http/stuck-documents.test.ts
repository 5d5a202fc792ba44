// Nothing stuck in `queued`, nothing reported other than as stored, and no
// caller reading another tenant's failures or the internal text of one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { Embedder } from '../../src/contracts/embedder.js';
import { indexJobId } from '../../src/contracts/jobs.js';
import { HashingEmbedder } from '../../src/ingest/embed/hashing.js';
import { prepareDocument } from '../../src/ingest/prepare.js';
import { publicFailure } from '../../src/jobs/errors.js';
import { EmbeddingError } from '../../src/llm/embeddings.js';
import { queryRows } from '../../src/store/database.js';
import { createLogger } from '../../src/log.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { SETUPS } from '../support/setups.js';
import { until } from '../support/until.js';

/** Where the embedding service lives: its address must never reach a caller. */
const INTERNAL = 'http://embedder.internal:8080/v1/embeddings';

/**
 * The hashing embedder, failing on cue: a text with REFUSED is answered 400 by
 * the embedding service (no retry can help); while `down`, a text with DOWN
 * finds the service down (a retry may help).
 */
class CueEmbedder implements Embedder {
  readonly inner = new HashingEmbedder({ dimension: 384 });
  readonly id = this.inner.id;
  readonly dimension = this.inner.dimension;
  readonly calls = new Map<string, number>();
  down = true;
  async embed(texts: readonly string[]): Promise<number[][]> {
    for (const cue of ['REFUSED', 'DOWN']) {
      if (!texts.some((t) => t.includes(cue))) continue;
      this.calls.set(cue, (this.calls.get(cue) ?? 0) + 1);
      if (cue === 'REFUSED') throw new EmbeddingError(`embedding request to ${INTERNAL} failed with HTTP 400: input rejected`, false, 400);
      if (this.down) throw new EmbeddingError(`embedding request to ${INTERNAL} failed: connect ECONNREFUSED 10.0.4.7:8080`, true);
    }
    return this.inner.embed(texts);
  }
}

const doc = (body: string, over: Record<string, unknown> = {}) => ({
  kind: 'incident',
  service: 'payments',
  title: `INC ${body.slice(0, 20)}`,
  body,
  occurredAt: '2026-04-01T10:00:00Z',
  ...over,
});

for (const setup of SETUPS) {
  describe.runIf(await setup.available())(`no document stuck, no internal error shown: ${setup.name}`, () => {
    let t: TestServer;
    let drop: () => Promise<void>;
    const embedder = new CueEmbedder();
    let ingest: string, admin: string, otherAdmin: string;
    let acme: string;

    beforeAll(async () => {
      const opened = await setup.open();
      drop = opened.drop;
      // A reconciler that runs every 300 ms: what a crash leaves is repaired without waiting a minute.
      t = await startTestServer({ database: opened.database, env: opened.env, embedder, sweep: { reconcileEveryMs: 300 } });
      ingest = await t.token('acme', ['ingest', 'read']);
      admin = await t.token('acme', ['admin']);
      otherAdmin = await t.token('globex', ['admin']);
      acme = (await t.app.tokens.tenantBySlug('acme'))!.id;
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    const get = async (id: string) => (await t.call('GET', `/v1/documents/${id}`, { token: ingest })).body;

    it('marks a document failed at once on an error no retry mends, answers `failed` with a code, and never runs it again', async () => {
      const r = await t.call('POST', '/v1/documents?wait=true', {
        token: ingest,
        body: { documents: [doc('REFUSED checkout timeout runbook')] },
      });
      expect(r.status).toBe(200);
      const [res] = r.body.results;
      // What the API says is what the store holds: failed, not `rejected` while the store says `queued`.
      expect(res).toMatchObject({ status: 'failed', code: 'unavailable', error: publicFailure('unavailable') });
      const stored = await get(res.documentId);
      expect(stored).toMatchObject({ status: 'failed', error: publicFailure('unavailable') });
      expect(JSON.stringify([res, stored])).not.toContain('embedder.internal');
      expect(embedder.calls.get('REFUSED')).toBe(1); // one attempt, not three
      // A failed document is not queued again by the reconciler (it runs every 300 ms here) nor at a start.
      expect(await t.app.ingest.reconcile()).toBe(0);
      expect(embedder.calls.get('REFUSED')).toBe(1);
      expect((await get(res.documentId)).status).toBe('failed');
      // The server log has the detail.
      expect(t.logLines.some((l) => l.includes('embedder.internal') && l.includes(res.documentId))).toBe(true);
    });

    it('marks a document failed after its last retry, with a message for callers only', async () => {
      const r = await t.call('POST', '/v1/documents?wait=true', {
        token: ingest,
        body: { documents: [doc('DOWN payments gateway incident')] },
      });
      const [res] = r.body.results;
      expect(res).toMatchObject({ status: 'failed', code: 'unavailable', error: publicFailure('unavailable') });
      expect(embedder.calls.get('DOWN')).toBe(3);
      expect(await get(res.documentId)).toMatchObject({ status: 'failed', error: publicFailure('unavailable') });
    });

    it('queues again, on a re-send, a document a crash left queued with no job; and the reconciler does it unasked', async () => {
      // What a server killed between its insert and its enqueue left behind (before both were one transaction):
      // a queued row, no outbox entry, no job.
      const crashLeft = async (body: string) => {
        const p = prepareDocument(doc(body));
        if (!p.ok) throw new Error(p.error);
        const serviceId = await t.app.store.services.ensure(acme, 'payments');
        const [row] = await queryRows<{ id: string }>(
          t.app.database.db,
          sql`insert into documents (tenant_id, service_id, kind, title, body, occurred_at, content_hash, status)
              values (${acme}, ${serviceId}, ${p.doc.kind}, ${p.doc.title}, ${p.doc.body}, ${p.doc.occurredAt.toISOString()}, ${p.contentHash}, 'queued')
              returning id`,
        );
        return row!.id;
      };
      const resent = await crashLeft('card declines after the 3.1 rollout, resent by the client');
      const retry = await t.call('POST', '/v1/documents?wait=true', {
        token: ingest,
        body: { documents: [doc('card declines after the 3.1 rollout, resent by the client')] },
      });
      expect(retry.body.results[0]).toMatchObject({ status: 'indexed', documentId: resent });

      const unasked = await crashLeft('ledger lag after the 3.2 rollout, never resent');
      await until(
        'the reconciler to index it',
        () => get(unasked),
        (d) => d.status === 'indexed',
      );
    });

    it('shows a tenant only its own failed jobs, each with a code and a sentence, never the internal message', async () => {
      const globexIngest = await t.token('globex', ['ingest']);
      const failed = await t.call('POST', '/v1/documents?wait=true', {
        token: globexIngest,
        body: { documents: [doc('REFUSED globex settlement incident')] },
      });
      expect(failed.body.results[0].status).toBe('failed');
      const globexDoc = failed.body.results[0].documentId as string;

      const mine = await t.call('GET', '/v1/jobs/failed', { token: admin });
      expect(mine.status).toBe(200);
      expect(mine.body.jobs.length).toBeGreaterThanOrEqual(2);
      for (const job of mine.body.jobs) {
        expect(job.payload.tenantId).toBe(acme);
        expect(job).toMatchObject({ code: 'unavailable', error: publicFailure('unavailable') });
      }
      expect(JSON.stringify(mine.body)).not.toContain(globexDoc);
      expect(JSON.stringify(mine.body)).not.toContain('embedder.internal');
      expect(mine.body.counts).toEqual({ queued: 0, failed: 2 });

      const theirs = await t.call('GET', '/v1/jobs/failed', { token: otherAdmin });
      expect(theirs.body.jobs.map((j: { jobId: string }) => j.jobId)).toEqual([indexJobId(globexDoc)]);
      expect(theirs.body.counts).toEqual({ queued: 0, failed: 1 });
    });

    it('a failed document sent again is queued again, and indexed once the cause is gone', async () => {
      embedder.down = false;
      const r = await t.call('POST', '/v1/documents?wait=true', {
        token: ingest,
        body: { documents: [doc('DOWN payments gateway incident')] },
      });
      expect(r.body.results[0]).toMatchObject({ status: 'indexed' });
      expect(await get(r.body.results[0].documentId)).toMatchObject({ status: 'indexed', error: null });
    });
  });
}

describe('a document that failed for good is not queued again when the server starts again (embedded, on disk)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-restart-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps it failed, with no job, after a restart', async () => {
    const config = parseConfig({ SHIPCHECK_DEMO: '0', SHIPCHECK_DATA_DIR: path.join(dir, 'db') });
    const embedder = new CueEmbedder();
    const open = () => createApp(config, { startWorker: true, embedder, logger: createLogger('silent') });
    let app = await open();
    const tenant = await app.tokens.ensureTenant('acme');
    const [res] = await app.ingest.submit(tenant.id, [doc('REFUSED deploy log with a poison line')], { wait: true });
    expect(res).toMatchObject({ status: 'failed' });
    await app.close();

    app = await open();
    try {
      // createApp resolves after its first reconcile: a job given at start would be in the queue by now.
      expect(await app.queue.state(indexJobId(res!.documentId!))).toBe('unknown');
      expect(embedder.calls.get('REFUSED')).toBe(1);
      expect((await app.ingest.documents.get(tenant.id, res!.documentId!))?.status).toBe('failed');
    } finally {
      await app.close();
    }
  });
});
