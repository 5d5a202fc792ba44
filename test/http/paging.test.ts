import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.js';
import { SETUPS } from '../support/setups.js';

/**
 * The document and release lists page with `nextCursor` / `?cursor=`: paging
 * to the end returns every row once, in order, even when rows share a time,
 * differ only below the millisecond, or are added or deleted between pages.
 */

type Listed = { id: string; occurredAt?: string; createdAt: string };

async function pageThrough(
  t: TestServer,
  token: string,
  path: string,
  key: 'documents' | 'releases',
  limit: number,
  between?: (page: number, rows: Listed[]) => Promise<void>,
) {
  const seen: Listed[] = [];
  const cursors: (string | null)[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const r = await t.call('GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    seen.push(...r.body[key]);
    cursor = r.body.nextCursor;
    cursors.push(cursor);
    await between?.(cursors.length, r.body[key]);
  } while (cursor && cursors.length < 100);
  return { seen, cursors };
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

for (const setup of SETUPS) {
  describe.runIf(await setup.available())(`lists page with nextCursor: ${setup.name}`, () => {
    let t: TestServer;
    let drop: () => Promise<void>;
    let token: string;
    const documentIds: string[] = [];
    const releaseIds: string[] = [];

    /** Moves a row's time by a few microseconds: rows then differ below what a JavaScript Date holds. */
    const nudge = (table: 'documents' | 'releases', column: 'occurred_at' | 'created_at', id: string, micros: number) =>
      t.app.database.db.execute(
        sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = ${sql.identifier(column)} + make_interval(secs => ${micros / 1e6}) where id = ${id}`,
      );

    beforeAll(async () => {
      const opened = await setup.open();
      drop = opened.drop;
      t = await startTestServer({ database: opened.database, env: opened.env });
      token = await t.token('acme', ['admin']);
      // 23 documents, three to an instant.
      const documents = Array.from({ length: 23 }, (_, i) => ({
        kind: 'runbook',
        service: i % 2 ? 'checkout' : 'payments',
        title: `runbook ${i}`,
        body: `step ${i}: drain the queue and restart worker ${i}`,
        occurredAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 3) * 3_600_000).toISOString(),
      }));
      const ingested = await t.call('POST', '/v1/documents?wait=true', { token, body: { documents } });
      documentIds.push(...ingested.body.results.map((r: { documentId: string }) => r.documentId));
      expect(documentIds).toHaveLength(23);
      for (const [n, id] of documentIds.slice(0, 4).entries()) await nudge('documents', 'occurred_at', id, n + 1);
      // 12 releases, two to an instant.
      for (let i = 0; i < 12; i++) {
        const createdAt = new Date(Date.UTC(2026, 1, 1) + Math.floor(i / 2) * 86_400_000).toISOString();
        const r = await t.call('POST', '/v1/releases', { token, body: { service: 'checkout', version: `3.${i}.0`, createdAt } });
        releaseIds.push(r.body.id);
      }
      for (const [n, id] of releaseIds.slice(0, 3).entries()) await nudge('releases', 'created_at', id, n + 1);
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    it('documents: five pages of five, every document once, newest first, then no cursor', async () => {
      const { seen, cursors } = await pageThrough(t, token, '/v1/documents', 'documents', 5);
      expect(cursors).toHaveLength(5);
      expect(cursors.slice(0, 4).every((c) => typeof c === 'string')).toBe(true);
      expect(cursors[4]).toBeNull();
      expect(new Set(ids(seen)).size).toBe(seen.length);
      expect(ids(seen).sort()).toEqual([...documentIds].sort());
      const times = seen.map((d) => Date.parse(d.occurredAt!));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it('one row a page: every page boundary, including rows that differ only in microseconds', async () => {
      const docs = await pageThrough(t, token, '/v1/documents', 'documents', 1);
      expect(ids(docs.seen).sort()).toEqual([...documentIds].sort());
      expect(docs.cursors).toHaveLength(23);
      const rels = await pageThrough(t, token, '/v1/releases', 'releases', 1);
      expect(ids(rels.seen).sort()).toEqual([...releaseIds].sort());
    });

    it('documents: a filter pages too, and one page of exactly the rest has no cursor', async () => {
      const { seen, cursors } = await pageThrough(t, token, '/v1/documents?service=checkout', 'documents', 4);
      expect(ids(seen).sort()).toEqual(documentIds.filter((_, i) => i % 2).sort());
      expect(cursors).toEqual([expect.any(String), expect.any(String), null]);
      const all = await t.call('GET', '/v1/documents?limit=23', { token });
      expect(all.body.documents).toHaveLength(23);
      expect(all.body.nextCursor).toBeNull();
    });

    it('documents: rows added and deleted between pages neither repeat nor hide the others', async () => {
      let added = '';
      let deleted = '';
      const { seen } = await pageThrough(t, token, '/v1/documents', 'documents', 6, async (page, rows) => {
        if (page !== 1) return;
        const r = await t.call('POST', '/v1/documents?wait=true', {
          token,
          body: {
            documents: [
              { kind: 'runbook', service: 'checkout', title: 'newest', body: 'added while paging', occurredAt: '2026-06-01T00:00:00Z' },
            ],
          },
        });
        added = r.body.results[0].documentId;
        // The last row of the page just read: the next page starts after its key, not at its row.
        deleted = rows[rows.length - 1]!.id;
        expect((await t.call('DELETE', `/v1/documents/${deleted}`, { token })).status).toBe(204);
      });
      expect(new Set(ids(seen)).size).toBe(seen.length);
      expect(ids(seen)).not.toContain(added);
      const stillThere = documentIds.filter((id) => id !== deleted);
      expect(
        ids(seen)
          .filter((id) => id !== deleted)
          .sort(),
      ).toEqual(stillThere.sort());
    });

    it('releases: pages of five, every release once, newest first', async () => {
      const { seen, cursors } = await pageThrough(t, token, '/v1/releases', 'releases', 5);
      expect(cursors).toEqual([expect.any(String), expect.any(String), null]);
      expect(ids(seen).sort()).toEqual([...releaseIds].sort());
      expect(new Set(ids(seen)).size).toBe(12);
      const times = seen.map((r) => Date.parse(r.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it('a malformed cursor, or another list’s, is a 400 naming cursor', async () => {
      const docPage = await t.call('GET', '/v1/documents?limit=2', { token });
      const relPage = await t.call('GET', '/v1/releases?limit=2', { token });
      const forged = Buffer.from('documents|2026-01-01T00:00:00Z|x').toString('base64url');
      for (const [path, cursor] of [
        ['/v1/documents', 'not a cursor'],
        ['/v1/documents', forged],
        ['/v1/documents', relPage.body.nextCursor],
        ['/v1/releases', docPage.body.nextCursor],
        ['/v1/releases', 'x'.repeat(300)],
      ] as const) {
        const r = await t.call('GET', `${path}?cursor=${encodeURIComponent(cursor)}`, { token });
        expect(r.status, `${path} ${cursor}`).toBe(400);
        expect(r.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/^cursor: /) });
      }
    });

    it('limits: a default, and a maximum that is a 400 past it', async () => {
      const r = await t.call('GET', '/v1/releases', { token });
      expect(r.body.releases).toHaveLength(12);
      expect(r.body.nextCursor).toBeNull();
      expect((await t.call('GET', '/v1/documents?limit=501', { token })).status).toBe(400);
      expect((await t.call('GET', '/v1/releases?limit=0', { token })).status).toBe(400);
    });

    it('another tenant pages through nothing of this one', async () => {
      const other = await t.token('globex', ['read']);
      const r = await t.call('GET', '/v1/documents?limit=5', { token: other });
      expect(r.body).toEqual({ documents: [], nextCursor: null });
    });
  });
}
