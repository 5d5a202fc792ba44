// The embedded server (PGlite and the job runner in one process) answers its
// health probe while a large ingest is in flight: during the POST, and during
// the indexing jobs after it. Ordering, not timing: how fast it answers is
// measured by scripts/health-under-ingest.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.js';
import { pgliteForTests } from '../support/db.js';

const DOCS = 600;
const documents = Array.from({ length: DOCS }, (_, i) => ({
  kind: 'ticket',
  service: `svc-${i % 5}`,
  title: `TCK-${i}`,
  body: `ticket ${i}: checkout latency above budget in region ${i % 7} after the cart change ${i * 7919}; rolled back at step ${i % 11}`,
  occurredAt: '2026-02-01T00:00:00Z',
}));

describe('health while the embedded server ingests', () => {
  let t: TestServer;
  let token: string;
  let tenantId: string;
  beforeAll(async () => {
    t = await startTestServer({ database: await pgliteForTests(), env: { SHIPCHECK_MAX_BODY_BYTES: '5000000' } });
    token = await t.token('acme', ['ingest']);
    tenantId = (await t.app.tokens.tenantBySlug('acme'))!.id;
  });
  afterAll(async () => t?.close());

  const stats = () => t.app.store.documents.stats(tenantId);
  const health = () => t.call('GET', '/healthz');

  it('answers /healthz while the documents of one POST are being stored, and while their jobs run', async () => {
    const order: string[] = [];
    const post = t.call('POST', '/v1/documents', { token, body: { documents } }).then((r) => {
      order.push('post');
      return r;
    });
    // Read in this process, which shares the server's event loop: it resolves as soon as storing has begun.
    while ((await stats()).documents === 0) await new Promise((r) => setImmediate(r));
    const during = await health();
    order.push('health');
    expect(during.status).toBe(200);
    expect((await post).status).toBe(202);
    expect(order).toEqual(['health', 'post']);

    // Right after the answer the jobs run in this same process; health answers before they are all done.
    const afterPost = await health();
    expect(afterPost.status).toBe(200);
    expect((await stats()).queued).toBeGreaterThan(0);
  }, 120_000);
});
