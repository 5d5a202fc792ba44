import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.js';
import { SETUPS } from '../support/setups.js';

/**
 * What the notes read from the store beyond one release: earlier approved notes (what learning sees),
 * the rollback runbook, and the decision log they share with the advisor.
 */
for (const setup of SETUPS) {
  describe.runIf(await setup.available())(`notes and the rest of the store: ${setup.name}`, () => {
    let t: TestServer;
    let drop: () => Promise<void>;
    let token: string;
    let other: string;
    let tenantId: string;

    beforeAll(async () => {
      const opened = await setup.open();
      drop = opened.drop;
      t = await startTestServer({ database: opened.database, env: opened.env });
      token = await t.token('acme', ['ingest', 'read', 'score', 'approve', 'advise']);
      other = await t.token('globex', ['ingest', 'read', 'score', 'approve']);
      tenantId = (await t.app.store.tenants.bySlug('acme'))!.id;
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    async function release(tok: string, service: string, version: string, createdAt: string) {
      const changes = [
        {
          id: `${service}-${version}-a`,
          title: `feat(api): add search ${version}`,
          files: [{ path: 'src/a.ts', additions: 5, deletions: 0 }],
        },
        {
          id: `${service}-${version}-b`,
          title: `fix(ui): keep the filter ${version}`,
          files: [{ path: 'src/b.ts', additions: 2, deletions: 1 }],
        },
      ];
      const r = await t.call('POST', '/v1/releases', { token: tok, body: { service, version, createdAt, changes } });
      expect(r.status).toBe(201);
      return r.body.id as string;
    }
    const notes = (id: string) => `/v1/releases/${id}/notes`;
    const editTo = async (id: string, basedOn: number, text: string) => {
      const v = (await t.call('GET', notes(id), { token })).body;
      const r = await t.call('PUT', notes(id), { token, body: { basedOn, items: [{ ...v.draft.items[0], text }] } });
      expect(r.status).toBe(200);
    };

    it('earlier approved notes: the service’s own, of this tenant, before the release, each at its newest approved version', async () => {
      const r1 = await release(token, 'shop', '1.0.0', '2026-01-01T00:00:00Z');
      const r2 = await release(token, 'shop', '1.1.0', '2026-02-01T00:00:00Z');
      const r3 = await release(token, 'shop', '1.2.0', '2026-03-01T00:00:00Z');
      const later = await release(token, 'shop', '2.0.0', '2026-05-01T00:00:00Z');
      const elsewhere = await release(token, 'billing', '1.0.0', '2026-01-15T00:00:00Z');
      const foreign = await release(other, 'shop', '1.0.5', '2026-01-20T00:00:00Z');
      for (const id of [r1, r2, r3, later, elsewhere]) expect((await t.call('POST', notes(id), { token })).status).toBe(201);
      expect((await t.call('POST', notes(foreign), { token: other })).status).toBe(201);
      // r1: approved at 1, edited to 2, approved at 2: the newest approval.
      await t.call('POST', `${notes(r1)}/approve`, { token, body: { version: 1 } });
      await editTo(r1, 1, 'Search, approved twice');
      await t.call('POST', `${notes(r1)}/approve`, { token, body: { version: 2 } });
      // r2: approved at 1, then edited to 2 and never approved again: version 1 is what was approved.
      await t.call('POST', `${notes(r2)}/approve`, { token, body: { version: 1 } });
      await editTo(r2, 1, 'An edit nobody approved');
      // r3: never approved. later, elsewhere, foreign: approved, but out of scope.
      for (const id of [later, elsewhere]) await t.call('POST', `${notes(id)}/approve`, { token, body: { version: 1 } });
      await t.call('POST', `${notes(foreign)}/approve`, { token: other, body: { version: 1 } });

      const shop = (await t.app.store.notes.source.release(tenantId, r3))!;
      const found = await t.app.store.notes.source.approvedBefore(tenantId, shop.serviceId, new Date('2026-04-01T00:00:00Z'), 50);
      expect(found.map((f) => f.version)).toEqual(['1.1.0', '1.0.0']);
      expect(found[1]!.draft.items[0]!.text).toBe('Search, approved twice');
      expect(found[0]!.draft.items.map((i) => i.text)).not.toContain('An edit nobody approved');
      expect(found.every((f) => f.changes.length === 2)).toBe(true);
      expect(await t.app.store.notes.source.approvedBefore(tenantId, shop.serviceId, new Date('2026-04-01T00:00:00Z'), 1)).toHaveLength(1);
    });

    it('a ticket the change refers to, when it was ingested, is named in its line and reaches the wording as data', async () => {
      const ticket = {
        kind: 'ticket',
        service: 'shop',
        title: 'Cart accepts negative quantities',
        body: 'Reported by support.',
        occurredAt: '2026-01-01T00:00:00Z',
        externalId: 'SHOP-9001',
      };
      expect((await t.call('POST', '/v1/documents?wait=true', { token, body: { documents: [ticket] } })).status).toBe(200);
      const r = await t.call('POST', '/v1/releases', {
        token,
        body: {
          service: 'shop',
          version: '4.0.0',
          changes: [
            {
              id: 'shop-4-a',
              title: 'fix(cart): refuse negative quantities',
              body: 'Closes SHOP-9001.',
              files: [{ path: 'src/cart.ts', additions: 3, deletions: 1 }],
            },
          ],
        },
      });
      const d = (await t.call('POST', notes(r.body.id), { token })).body;
      expect(d.draft.items[0].text).toContain('SHOP-9001');
      const changes = await t.app.store.notes.source.changes(tenantId, r.body.id);
      expect(changes[0]!.tickets).toEqual([{ id: 'SHOP-9001', title: 'Cart accepts negative quantities' }]);
    });

    it('approving notes is no rollout decision: Argo still hears the rollback a person decided', async () => {
      const id = await release(token, 'shop', '3.0.0', '2026-06-01T00:00:00Z');
      const d = await t.call('POST', `/v1/releases/${id}/decisions`, { token, body: { action: 'rollback', reason: 'errors up' } });
      expect(d.status).toBe(201);
      const before = (await t.call('GET', `/v1/integrations/argo?release=${id}`, { token })).body;
      expect(before).toMatchObject({ action: 'rollback', decidedBy: 'decision' });
      await t.call('POST', notes(id), { token });
      expect((await t.call('POST', `${notes(id)}/approve`, { token, body: { version: 1 } })).status).toBe(200);
      const after = (await t.call('GET', `/v1/integrations/argo?release=${id}`, { token })).body;
      expect(after).toMatchObject({ action: 'rollback', decidedBy: 'decision' });
      const listed = (await t.call('GET', `/v1/releases/${id}/decisions`, { token })).body.decisions;
      expect(listed.map((x: { action: string }) => x.action)).toEqual(['rollback', 'approve_notes']);
    });

    it('the rollback plan is the service’s runbook steps, or a rollback procedure, never another service’s other runbook', async () => {
      const doc = (service: string, title: string, body: string) => ({
        kind: 'runbook',
        service,
        title,
        body,
        occurredAt: '2026-01-01T00:00:00Z',
      });
      const ingest = async (d: ReturnType<typeof doc>) =>
        expect((await t.call('POST', '/v1/documents?wait=true', { token, body: { documents: [d] } })).status).toBe(200);
      await ingest(
        doc('auth', 'Signing key rotation', '# Signing key rotation\n\n## Steps\n\n1. Generate a new signing key.\n2. Publish it.\n'),
      );
      // Another service's runbook with steps, about something else: no rollback plan rather than the wrong one.
      const stranger = await release(token, 'catalog', '1.0.0', '2026-06-02T00:00:00Z');
      expect((await t.call('POST', notes(stranger), { token })).body.draft.operational.rollback).toBeNull();
      await ingest(
        doc(
          'search',
          'Search roll back',
          '# Search roll back\n\n## Steps\n\n1. Point the alias at the previous index.\n2. Check the hit rate.\n',
        ),
      );
      const own = await release(token, 'search', '1.0.0', '2026-06-02T00:00:00Z');
      const mine = (await t.call('POST', notes(own), { token })).body.draft.operational.rollback;
      expect(mine.text).toMatch(/previous index/);
      expect((await t.call('GET', `/v1/evidence/${mine.evidence[0]}`, { token })).status).toBe(200);
      // A rollback procedure may be borrowed by a service without one.
      const next = await release(token, 'catalog', '1.0.1', '2026-06-03T00:00:00Z');
      expect((await t.call('POST', notes(next), { token })).body.draft.operational.rollback.text).toMatch(/previous index/);
    });
  });
}
