import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../src/ingest/embed/hashing.js';
import type { NewDocument } from '../../src/ingest/ports.js';
import { createStore, EmbedderMismatchError, ensureIndexConfig, reembedAll, type Database, type Store } from '../../src/store/index.js';
import { ENGINES } from '../support/db.js';
import { intakeOf } from '../support/intake.js';

const embedder = new HashingEmbedder({ dimension: 384 });

async function doc(store: Store, tenantId: string, over: Partial<NewDocument> & { body: string }): Promise<NewDocument> {
  const serviceId = await store.services.ensure(tenantId, over.serviceId ?? 'checkout');
  return {
    tenantId,
    kind: 'deploy_log',
    title: 'deploy',
    occurredAt: new Date('2026-03-01T10:00:00Z'),
    contentHash: `h-${over.body}`,
    redactions: 0,
    ...over,
    serviceId,
  };
}

async function indexed(store: Store, d: NewDocument) {
  const [vec] = await embedder.embed([d.body]);
  const [r] = await store.documents.insertIndexed([{ doc: d, chunks: [{ ordinal: 0, text: d.body, locator: null, embedding: vec! }] }]);
  return r!;
}

for (const engine of ENGINES) {
  describe.runIf(await engine.available())(`store contract on ${engine.name}`, () => {
    let database: Database;
    let drop: () => Promise<void>;
    let store: Store;
    let acme: string;
    let globex: string;

    beforeAll(async () => {
      ({ database, drop } = await engine.open());
      store = createStore(database);
      acme = (await store.tenants.ensure('acme')).tenant.id;
      globex = (await store.tenants.ensure('globex')).tenant.id;
    });
    afterAll(async () => {
      await database.close().catch(() => {});
      await drop();
    });

    it('creates tenants and services idempotently', async () => {
      expect((await store.tenants.ensure('acme')).created).toBe(false);
      const a = await store.services.ensure(acme, 'payments');
      expect(await store.services.ensure(acme, 'payments')).toBe(a);
      expect(await store.services.ensure(globex, 'payments')).not.toBe(a);
    });

    it('keeps one copy per content hash and tenant, reporting the rest as duplicates', async () => {
      const d = await doc(store, acme, { body: 'checkout deploy ECONNRESET upstream payments' });
      const first = await indexed(store, d);
      const again = await indexed(store, d);
      expect(first.duplicate).toBe(false);
      expect(again).toEqual({ hash: d.contentHash, id: first.id, duplicate: true });
      // The same content in another tenant is that tenant's own document.
      const other = await indexed(store, await doc(store, globex, { body: d.body }));
      expect(other.duplicate).toBe(false);
      expect(other.id).not.toBe(first.id);
      const q = await store.documents.insertQueued(d);
      expect(q).toEqual({ id: first.id, duplicate: true, status: 'indexed' });
    });

    it('never returns another tenant’s chunks, and honours asOf, service and kind', async () => {
      await indexed(
        store,
        await doc(store, acme, {
          body: 'redis cache stampede on catalog',
          occurredAt: new Date('2026-05-01T00:00:00Z'),
          serviceId: 'catalog',
          kind: 'incident',
        }),
      );
      await indexed(store, await doc(store, globex, { body: 'redis cache stampede secret globex incident' }));
      const [q] = await embedder.embed(['redis cache stampede']);
      const acmeHits = await store.chunks.vectorSearch({ tenantId: acme }, q!, 50);
      expect(acmeHits.length).toBeGreaterThan(0);
      expect(acmeHits.every((h) => !h.text.includes('globex'))).toBe(true);
      const textHits = await store.chunks.textSearch({ tenantId: acme }, { all: "'globex' | 'stamped'" }, 50);
      expect(textHits.map((h) => h.text)).toEqual(['redis cache stampede on catalog']);

      const before = await store.chunks.vectorSearch({ tenantId: acme, asOf: new Date('2026-04-30T23:59:59Z') }, q!, 50);
      expect(before.some((h) => h.text.includes('stampede'))).toBe(false);
      // The risk score's similarity search: same tenant and time filter, its own search breadth.
      const near = await store.risk.chunks.nearest({ tenantId: acme, asOf: new Date('2026-05-01T00:00:00Z'), breadth: 40 }, q!, 50);
      expect(near.map((h) => h.chunkId)).toEqual(
        acmeHits.filter((h) => h.occurredAt <= new Date('2026-05-01T00:00:00Z')).map((h) => h.chunkId),
      );
      expect(await store.risk.chunks.nearest({ tenantId: acme, asOf: new Date('2026-04-30T23:59:59Z'), breadth: 40 }, q!, 50)).toEqual(
        before,
      );
      const atTime = await store.chunks.textSearch({ tenantId: acme, asOf: new Date('2026-05-01T00:00:00Z') }, { all: "'stamped'" }, 5);
      expect(atTime).toHaveLength(1);

      const catalogId = await store.services.find(acme, 'catalog');
      const byService = await store.chunks.vectorSearch({ tenantId: acme, serviceId: catalogId! }, q!, 50);
      expect(byService.map((h) => h.service)).toEqual(['catalog']);
      const byKind = await store.chunks.vectorSearch({ tenantId: acme, kind: 'runbook' }, q!, 50);
      expect(byKind).toEqual([]);
    });

    it('finds chunks with every word first, then tops up with the fallback query, in one call', async () => {
      const t = (await store.tenants.ensure('text-fallback')).tenant.id;
      for (const body of ['payments gateway timeout during rollout', 'payments ledger drift', 'gateway tls expiry', 'unrelated noise'])
        await indexed(store, await doc(store, t, { body }));
      const all = "'payment' & 'gateway'";
      const any = "'payment' | 'gateway'";
      const hits = await store.chunks.textSearch({ tenantId: t }, { all, any }, 10);
      expect(hits[0]!.text).toBe('payments gateway timeout during rollout');
      expect(hits.map((h) => h.text).sort()).toEqual([
        'gateway tls expiry',
        'payments gateway timeout during rollout',
        'payments ledger drift',
      ]);
      expect(new Set(hits.map((h) => h.chunkId)).size).toBe(hits.length);
      // The fallback only tops up to the limit, and is not run when every-word matches fill it.
      expect(await store.chunks.textSearch({ tenantId: t }, { all, any }, 2)).toHaveLength(2);
      expect((await store.chunks.textSearch({ tenantId: t }, { all, any }, 1)).map((h) => h.text)).toEqual([
        'payments gateway timeout during rollout',
      ]);
      expect(await store.chunks.textSearch({ tenantId: t }, { all }, 10)).toHaveLength(1);
    });

    it('leaves nothing in the full-text index pending list after a committed write (PGlite has no autovacuum to merge it)', async () => {
      await indexed(store, await doc(store, acme, { body: 'pending list probe: certificate expired on the edge proxy' }));
      // gin_clean_pending_list returns the pages it merged: none may be left for every text query to scan.
      const r = (await database.db.execute(sql`select gin_clean_pending_list('chunks_tsv_gin'::regclass)::int as n`)) as unknown as {
        rows: { n: number }[];
      };
      expect(r.rows[0]!.n).toBe(0);
    });

    it('exact and index modes agree on a small table', async () => {
      const [q] = await embedder.embed(['checkout deploy']);
      const exact = await store.chunks.vectorSearch({ tenantId: acme }, q!, 3, 'exact');
      const viaIndex = await store.chunks.vectorSearch({ tenantId: acme }, q!, 3, 'index');
      expect(viaIndex.map((h) => h.chunkId)).toEqual(exact.map((h) => h.chunkId));
      expect(exact[0]!.score).toBeGreaterThanOrEqual(exact[1]!.score);
    });

    it('indexes a queued document atomically, and deleting removes its chunks', async () => {
      const d = await doc(store, acme, { body: 'queued runbook body about rollback', kind: 'runbook' });
      const q = await store.documents.insertQueued(d);
      expect(q.status).toBe('queued');
      const pending = await store.documents.forIndexing(q.id);
      expect(await store.chunks.textSearch({ tenantId: acme }, { all: "'rollback'" }, 10)).toEqual([]);
      const [vec] = await embedder.embed([d.body]);
      expect(await store.documents.commitChunks(pending!, [{ ordinal: 0, text: d.body, locator: 'a', embedding: vec! }])).toBe(true);
      const view = await store.documents.get(acme, q.id, { withBody: true });
      expect(view).toMatchObject({ status: 'indexed', chunks: 1, body: d.body, service: 'checkout', kind: 'runbook' });
      expect(await store.documents.get(globex, q.id)).toBeUndefined();
      expect(await store.documents.delete(globex, q.id)).toBe(false);
      expect(await store.documents.delete(acme, q.id)).toBe(true);
      expect(await store.chunks.textSearch({ tenantId: acme }, { all: "'rollback'" }, 10)).toEqual([]);
      expect(await store.documents.commitChunks(pending!, [{ ordinal: 0, text: 'x', locator: null, embedding: vec! }])).toBe(false);
    });

    it('rolls back a failed chunk write: the document stays unindexed', async () => {
      const d = await doc(store, acme, { body: 'will fail to index' });
      const q = await store.documents.insertQueued(d);
      const pending = await store.documents.forIndexing(q.id);
      await expect(
        store.documents.commitChunks(pending!, [{ ordinal: 0, text: 'bad', locator: null, embedding: [1, 2, 3] }]),
      ).rejects.toThrow();
      expect((await store.documents.get(acme, q.id))!.status).toBe('queued');
      expect(await store.chunks.textSearch({ tenantId: acme }, { all: "'fail'" }, 10)).toEqual([]);
    });

    it('refuses another embedder once vectors exist, and reembed switches', async () => {
      await ensureIndexConfig(database.db, { embedder: embedder.id, dimension: 384 });
      await expect(ensureIndexConfig(database.db, { embedder: 'openai:x', dimension: 384 })).rejects.toBeInstanceOf(EmbedderMismatchError);
      await expect(ensureIndexConfig(database.db, { embedder: embedder.id, dimension: 256 })).rejects.toThrow(/shipcheck reembed/);
      const small = new HashingEmbedder({ dimension: 64 });
      const n = await reembedAll(database.db, small);
      expect(n).toBeGreaterThan(0);
      await ensureIndexConfig(database.db, { embedder: small.id, dimension: 64 });
      const [q] = await small.embed(['redis cache stampede']);
      const hits = await store.chunks.vectorSearch({ tenantId: acme }, q!, 1);
      expect(hits[0]!.text).toContain('stampede');
    });

    it('builds text queries the way Postgres indexes text, and learns common lexemes from ANALYZE', async () => {
      expect(await store.chunks.queryLexemes('Rollbacks of the checkout-service')).toEqual(
        expect.arrayContaining(['rollback', 'checkout-servic']),
      );
      expect(await store.chunks.websearchQuery('"cache stampede" -globex')).toBe("'cach' <-> 'stamped' & !'globex'");
      await store.chunks.analyze();
      const shares = await store.chunks.lexemeShares();
      // Every acme/globex test chunk above mentions one of a few words; a word never stored has no share.
      expect(shares.has('zebra-never-seen')).toBe(false);
      expect(shares.size).toBeGreaterThan(0);
      for (const f of shares.values()) expect(f > 0 && f <= 1).toBe(true);
    });

    it('stores tokens hashed and finds them by hash only while active; one active name per tenant; both acts audited', async () => {
      const row = { tenantId: acme, name: 't', tokenHash: 'abc', prefix: 'sc_abc', scopes: ['read'], actor: 'lee' };
      const id = (await store.tokens.insert(row)) as string;
      expect(await store.tokens.findActiveByHash('abc')).toMatchObject({ id, tenantSlug: 'acme', scopes: ['read'] });
      expect(await store.tokens.insert({ ...row, tokenHash: 'abd' })).toEqual({ conflict: id });
      expect(await store.tokens.findActiveByHash('abd')).toBeUndefined();
      expect(typeof (await store.tokens.insert({ ...row, tenantId: globex, tokenHash: 'abe' }))).toBe('string');
      expect(await store.tokens.revoke(globex, id, 'lee')).toBe(false);
      expect(await store.tokens.revoke(acme, id, 'lee')).toBe(true);
      expect(await store.tokens.findActiveByHash('abc')).toBeUndefined();
      // The name is free again once revoked.
      expect(typeof (await store.tokens.insert({ ...row, tokenHash: 'abf' }))).toBe('string');
      const audit = await store.governance.audit.page(acme, { after: 0, limit: 100 });
      expect(audit.filter((e) => e.subject === `token:${id}`).map((e) => [e.action, e.actor])).toEqual([
        ['token_create', 'lee'],
        ['token_revoke', 'lee'],
      ]);
    });

    it('reads several releases and their changes at once, within the tenant only', async () => {
      const release = async (tenantId: string, version: string) => {
        const r = await store.releases.intake(tenantId, intakeOf(version, [`c-${version}`]), () => undefined);
        if ('conflict' in r) throw new Error('unexpected conflict');
        return r.releaseId;
      };
      const a = await release(acme, '1.0.0');
      const b = await release(acme, '1.0.1');
      const g = await release(globex, '1.0.0');
      const got = await store.risk.history.releases(acme, [a, b, g, 'not-a-uuid']);
      expect(got.map((r) => r.version).sort()).toEqual(['1.0.0', '1.0.1']);
      const changes = await store.risk.history.changesOf(acme, [a, b, g]);
      expect(changes.map((c) => c.title).sort()).toEqual(['change c-1.0.0', 'change c-1.0.1']);
      expect(await store.risk.history.changesOf(acme, [a])).toEqual(changes.filter((c) => c.releaseId === a));
    });

    it("serves a service's own model before a newer tenant-wide one, and reads the artifact apart", async () => {
      const save = (service: string | null, artifact: unknown, rejected?: string) =>
        store.models.save({
          tenantId: acme,
          service,
          algorithm: 'test',
          trainedAt: new Date(),
          dataUntil: new Date(),
          n: 1,
          failures: 0,
          artifact,
          metrics: {},
          status: rejected ? 'rejected' : 'serving',
          statusReason: rejected ?? null,
        });
      const own = await save('payments', { which: 'own' });
      const tenantWide = await save(null, { which: 'tenant' });
      expect(await store.models.latest(acme, 'payments')).toMatchObject({ id: own.id });
      expect(await store.models.latest(acme, 'search')).toMatchObject({ id: tenantWide.id });
      expect(await store.models.latest(acme, 'payments')).not.toHaveProperty('artifact');
      expect(await store.models.artifact(acme, own.id)).toEqual({ which: 'own' });
      expect(await store.models.artifact(globex, own.id)).toBeUndefined();
      expect(await store.models.latest(globex, 'payments')).toBeUndefined();
      // A retrain that failed validation is kept, listed with why, and never serves.
      const rejected = await save(null, { which: 'rejected', selection: { chosen: 'la' } }, 'ranks like a coin');
      expect(await store.models.latest(acme, 'search')).toMatchObject({ id: tenantWide.id });
      const listed = await store.models.list(acme, 10);
      expect(listed.map((m) => m.id)).toEqual([rejected.id, tenantWide.id, own.id]);
      expect(listed[0]).toMatchObject({ status: 'rejected', statusReason: 'ranks like a coin', selection: { chosen: 'la' } });
      expect(listed[1]).toMatchObject({ status: 'serving', statusReason: null });
      expect(listed[1]!.selection).toBeUndefined();
      expect(await store.models.list(globex, 10)).toEqual([]);
    });
  });
}
