import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/contracts/embedder.js';
import { HashingEmbedder } from '../../src/ingest/embed/hashing.js';
import { SETUPS } from '../support/setups.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { until } from '../support/until.js';

/** The hashing embedder, made to fail on cue (an embedding service that is down). */
class FlakyEmbedder implements Embedder {
  readonly inner = new HashingEmbedder({ dimension: 384 });
  readonly id = this.inner.id;
  readonly dimension = this.inner.dimension;
  down = false;
  async embed(texts: readonly string[]): Promise<number[][]> {
    if (this.down) throw new Error('embedding service unavailable');
    return this.inner.embed(texts);
  }
}

const release = (version: string, over: Record<string, unknown> = {}) => ({
  service: 'checkout',
  version,
  strategy: 'canary',
  createdAt: '2026-05-04T10:00:00Z',
  changes: [
    {
      id: `pr-${version}`,
      title: `feat(cart): totals for ${version}`,
      author: 'ana',
      labels: ['feature'],
      files: [{ path: 'src/cart/totals.ts', additions: 40, deletions: 2 }],
      diff: `--- a/src/cart/totals.ts\n+++ b/src/cart/totals.ts\n@@ -1,2 +1,40 @@\n+export const totals = () => '${version}';\n`,
    },
  ],
  ...over,
});

for (const setup of SETUPS) {
  describe.runIf(await setup.available())(`release intake: ${setup.name}`, () => {
    let t: TestServer;
    let drop: () => Promise<void>;
    let token: string;
    let other: string;
    const embedder = new FlakyEmbedder();

    beforeAll(async () => {
      const opened = await setup.open();
      drop = opened.drop;
      t = await startTestServer({ database: opened.database, env: opened.env, embedder });
      token = await t.token('acme', ['ingest', 'read', 'score']);
      other = await t.token('globex', ['ingest', 'read', 'score']);
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    const post = (body: unknown, as = token) => t.call('POST', '/v1/releases', { token: as, body });
    const detail = async (id: string) => (await t.call('GET', `/v1/releases/${id}`, { token })).body;

    it('links a change shipped again to both releases instead of dropping it', async () => {
      const a = await post(release('1.0.0'));
      expect(a.status).toBe(201);
      const b = await post({ ...release('1.0.1'), changes: release('1.0.0').changes });
      expect(b.status).toBe(201);
      expect(b.body.changes).toBe(1);
      const shipped = await detail(b.body.id);
      expect(shipped.changeList.map((c: { externalId: string }) => c.externalId)).toEqual(['pr-1.0.0']);
      expect((await detail(a.body.id)).changeList[0].id).toBe(shipped.changeList[0].id);
      const scored = await t.call('POST', `/v1/releases/${b.body.id}/risk`, { token });
      expect(scored.status).toBe(200);
      expect(scored.body.degraded).not.toContain('no_changes');
    });

    it('answers the same content with 200 created:false, and other content with 409 naming the fields, storing nothing', async () => {
      const first = await post(release('2.0.0'));
      expect(first.status).toBe(201);
      const again = await post(release('2.0.0'));
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id: first.body.id, created: false });

      const changed = await post(release('2.0.0', { strategy: 'rolling', flags: ['new-cart'] }));
      expect(changed.status).toBe(409);
      expect(changed.body.error.code).toBe('release_conflict');
      expect(changed.body.error.details.release).toEqual(['strategy', 'flags']);
      expect(changed.body.error.message).toContain('strategy, flags');

      const moreChanges = await post({ ...release('2.0.0'), changes: [...release('2.0.0').changes, ...release('2.0.9').changes] });
      expect(moreChanges.status).toBe(409);
      expect(moreChanges.body.error.details.release).toEqual(['changes']);
      // The extra change of the refused request was not stored.
      expect((await post(release('2.0.9'))).body.created).toBe(true);

      const edited = release('2.0.1', {
        changes: [{ ...release('2.0.0').changes[0], files: [{ path: 'src/cart/totals.ts', additions: 41, deletions: 2 }] }],
      });
      const changeConflict = await post(edited);
      expect(changeConflict.status).toBe(409);
      expect(changeConflict.body.error.code).toBe('change_conflict');
      expect(changeConflict.body.error.details.changes).toEqual([{ id: 'pr-2.0.0', fields: ['files'] }]);
      // A new version would not help here: the message says what does.
      expect(changeConflict.body.error.message).toContain('its own id');
      expect(changeConflict.body.error.message).not.toContain('new version');
      const list = await t.call('GET', '/v1/releases?service=checkout&limit=100', { token });
      expect(list.body.releases.map((r: { version: string }) => r.version)).not.toContain('2.0.1');
      // Another tenant's change ids are its own.
      expect((await post(edited, other)).status).toBe(201);
    });

    it('compares a change two requests bring at the same time: one stores it, the other is a conflict', async () => {
      const a = release('5.0.0', { changes: [{ ...release('5.0.0').changes[0], id: 'pr-race' }] });
      const b = release('5.0.1', {
        changes: [{ ...release('5.0.0').changes[0], id: 'pr-race', files: [{ path: 'src/cart/other.ts', additions: 1, deletions: 0 }] }],
      });
      const results = await Promise.all([post(a), post(b)]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(results.find((r) => r.status === 409)!.body.error).toMatchObject({
        code: 'change_conflict',
        details: { changes: [{ id: 'pr-race' }] },
      });
    });

    it('refuses a change listed twice in one release, and a change re-sent with another diff', async () => {
      const twice = await post({ ...release('6.0.0'), changes: [release('6.0.0').changes[0], release('6.0.0').changes[0]] });
      expect(twice.status).toBe(400);
      expect(twice.body.error.message).toContain('once');
      expect((await post(release('6.0.1'))).status).toBe(201);
      const otherDiff = await post(
        release('6.0.1', { changes: [{ ...release('6.0.1').changes[0], diff: '--- a/x\n+++ b/x\n@@ -1 +1 @@\n+y\n' }] }),
      );
      expect(otherDiff.status).toBe(409);
      expect(otherDiff.body.error.details.changes).toEqual([{ id: 'pr-6.0.1', fields: ['diff'] }]);
    });

    it('commits the change documents with their index jobs, and a retry after a failed embedder indexes them', async () => {
      embedder.down = true;
      const first = await post(release('3.0.0'));
      expect(first.status).toBe(201);
      expect(first.body.queuedDocuments).toBe(2);
      // The jobs run and fail (the embedder is down): the documents are marked failed, not lost.
      await until(
        'documents failed',
        () => detail(first.body.id),
        (d) => d.documents.failed === 2,
        30_000,
      );
      embedder.down = false;
      const retry = await post(release('3.0.0'));
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ created: false, queuedDocuments: 2 });
      const done = await until(
        'documents indexed',
        () => detail(first.body.id),
        (d) => d.documents.indexed === 2,
      );
      expect(done.documents).toEqual({ indexed: 2, queued: 0, failed: 0 });
      // Searchable now.
      const hits = await t.call('GET', '/v1/search?q=totals%20for%203.0.0&kind=change', { token });
      expect(hits.body.results.length).toBeGreaterThan(0);
    }, 60_000);

    it('reads one release with its changes; another tenant gets 404', async () => {
      const created = await post(release('4.0.0'));
      const r = await t.call('GET', `/v1/releases/${created.body.id}`, { token });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ version: '4.0.0', strategy: 'canary', changes: 1 });
      expect(r.body.changeList[0]).toMatchObject({ externalId: 'pr-4.0.0', author: 'ana', files: [{ path: 'src/cart/totals.ts' }] });
      expect((await t.call('GET', `/v1/releases/${created.body.id}`, { token: other })).status).toBe(404);
      expect((await t.call('GET', '/v1/releases/not-a-uuid', { token })).status).toBe(400);
    });
  });
}
