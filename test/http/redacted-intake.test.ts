import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.js';
import { SETUPS } from '../support/setups.js';
import { until } from '../support/until.js';

/**
 * Redacted identifiers still work as identifiers: a re-sent release is the
 * same release, a change's documents and an incident's outcome still find
 * their record, and a conflict names the change without showing the secret.
 */
const TOKEN = 'ghp_FAKEfakeFAKEfake0123456789abcdefABCD';
const SHA = '9fceb02d0ae598e95dc970b74767f19372d61af8';

const release = (version: string, title = 'feat(cart): totals') => ({
  service: 'checkout',
  version,
  flags: [`GITHUB_TOKEN=${TOKEN}`],
  externalId: `deploy ${TOKEN}`,
  createdAt: '2026-05-04T10:00:00Z',
  changes: [
    {
      id: `pr-1 ${TOKEN}`,
      title,
      author: 'ana',
      files: [{ path: 'src/cart/totals.ts', additions: 40, deletions: 2 }],
      diff: `--- a/.env\n+++ b/.env\n@@ -0,0 +1 @@\n+GITHUB_TOKEN=${TOKEN}\n`,
    },
    { id: SHA, title: 'fix: rounding', files: [{ path: 'src/cart/round.ts', additions: 3, deletions: 1 }] },
  ],
});

for (const setup of SETUPS) {
  describe.runIf(await setup.available())(`redacted identifiers: ${setup.name}`, () => {
    let t: TestServer;
    let drop: () => Promise<void>;
    let token: string;

    beforeAll(async () => {
      const opened = await setup.open();
      drop = opened.drop;
      t = await startTestServer({ database: opened.database, env: opened.env });
      token = await t.token('acme', ['ingest', 'read', 'score']);
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });
    const post = (body: unknown) => t.call('POST', '/v1/releases', { token, body });

    it('stores a release whose ids hold a secret once: a re-send is 200 created:false, other content a 409 naming the redacted id', async () => {
      const first = await post(release('3.0.0'));
      expect(first.status).toBe(201);
      expect(JSON.stringify(first.body)).not.toContain(TOKEN);
      const again = await post(release('3.0.0'));
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id: first.body.id, created: false });

      const changed = await post(release('3.0.1', 'feat(cart): totals, reworded'));
      expect(changed.status).toBe(409);
      expect(changed.body.error.code).toBe('change_conflict');
      expect(changed.body.error.message).toMatch(/change pr-1 \[REDACTED:github-token:[0-9a-f]{4}\]: title/);
      expect(JSON.stringify(changed.body)).not.toContain(TOKEN);
    });

    it('links each change to its documents by the redacted id, and keeps a SHA id as sent', async () => {
      const { body } = await post(release('3.0.0'));
      const detail = await until(
        'the change documents',
        async () => (await t.call('GET', `/v1/releases/${body.id}`, { token })).body,
        (d) => d.documents.indexed === 3,
      );
      expect(detail.documents).toEqual({ indexed: 3, queued: 0, failed: 0 });
      expect(detail.changeList.map((c: { externalId: string }) => c.externalId).sort()).toEqual([
        SHA,
        expect.stringMatching(/^pr-1 \[REDACTED:github-token:[0-9a-f]{4}\]$/),
      ]);
      for (const c of detail.changeList) {
        const opened = await t.call('GET', `/v1/evidence/change:${c.id}`, { token });
        expect(opened.status).toBe(200);
        expect(opened.body.document).toMatchObject({ kind: 'change', externalId: c.externalId });
      }
      expect(JSON.stringify(detail)).not.toContain(TOKEN);
    });

    it('matches an outcome to an incident whose id holds a secret (both redacted the same way)', async () => {
      const tenantId = (await t.app.store.tenants.bySlug('acme'))!.id;
      const incidentId = `INC-7 ${TOKEN}`;
      await t.app.releases.importIncidents(tenantId, [
        { service: 'checkout', externalId: incidentId, title: 'totals wrong', startedAt: new Date('2026-05-04T11:00:00Z') },
      ]);
      const { body } = await post(release('3.0.0'));
      const outcome = await t.call('POST', `/v1/releases/${body.id}/outcome`, {
        token,
        body: { outcome: 'failure', incidentIds: [incidentId], at: '2026-05-04T12:00:00Z' },
      });
      expect(outcome.status).toBe(200);
      expect(outcome.body.linkedIncidents).toBe(1);
    });

    it('refuses a secret as a service name with a 400, and stores nothing under it', async () => {
      const r = await post({ ...release('1.0.0'), service: TOKEN });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      expect(r.body.error.message).toMatch(/^service: looks like a secret \(github-token\)/);
      const docs = await t.call('POST', '/v1/documents', {
        token,
        body: { documents: [{ kind: 'ticket', service: TOKEN, title: 't', body: 'b', occurredAt: '2026-05-04T10:00:00Z' }] },
      });
      expect(docs.body.results[0]).toMatchObject({ status: 'rejected', error: expect.stringMatching(/^service: looks like a secret/) });
      const listed = await t.call('GET', '/v1/releases?limit=1000', { token });
      expect(JSON.stringify(listed.body)).not.toContain(TOKEN);
    });
  });
}
