// A batch of documents: each document is stored whole (its row and its index
// job) or not at all, and gets its own status. The database is made to refuse
// chosen documents with triggers, so the failures are real database errors on
// both engines, not input the schema could have caught.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/store/database.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { SETUPS } from '../support/setups.js';

const doc = (title: string) => ({
  kind: 'ticket',
  service: 'checkout',
  title,
  body: `ticket ${title}: checkout latency above budget after the cart change`,
  occurredAt: '2026-02-01T00:00:00Z',
});

/**
 * - a document titled `refused-*` fails its own insert with a data exception (SQLSTATE 22023);
 * - a document titled `job-refused-*` is inserted, and then its outbox row (its index job) is refused;
 * - a document titled `flaky-database` fails once with an error that says nothing about the row (XX000).
 */
const TRIGGERS = [
  `create function refuse_documents() returns trigger language plpgsql as $$
   begin
     if new.title like 'refused-%' then raise exception 'refused by test trigger' using errcode = '22023'; end if;
     if new.title = 'flaky-database' and nextval('flaky_once') = 1 then
       raise exception 'database trouble' using errcode = 'XX000';
     end if;
     return new;
   end $$`,
  'create sequence flaky_once',
  'create trigger refuse_documents before insert on documents for each row execute function refuse_documents()',
  `create function refuse_jobs() returns trigger language plpgsql as $$
   begin
     if exists (select 1 from documents d where d.id = (new.payload->>'documentId')::uuid and d.title like 'job-refused-%') then
       raise exception 'job refused by test trigger' using errcode = '22023';
     end if;
     return new;
   end $$`,
  'create trigger refuse_jobs before insert on outbox for each row execute function refuse_jobs()',
];

async function until(ok: () => Promise<boolean>, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; !(await ok()); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const setup of SETUPS) {
  describe.runIf(await setup.available())(`a batch stores each document whole or not at all: ${setup.name}`, () => {
    let t: TestServer;
    let drop: () => Promise<void>;
    let token: string;

    beforeAll(async () => {
      const opened = await setup.open();
      drop = opened.drop;
      t = await startTestServer({ database: opened.database, env: opened.env });
      token = await t.token('acme', ['ingest', 'read']);
      for (const statement of TRIGGERS) await t.app.database.db.execute(sql.raw(statement));
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    const stored = (titles: string[]) =>
      queryRows<{ title: string; status: string }>(
        t.app.database.db,
        sql`select title, status from documents where title = any(${`{${titles.join(',')}}`}::text[]) order by title`,
      );
    const outboxRows = async () => (await queryRows<{ n: number }>(t.app.database.db, sql`select count(*)::int as n from outbox`))[0]!.n;

    it('rejects the third document the database refuses, alone, with a code; the others are stored and indexed', async () => {
      // The last one repeats the refused document: it is not stored either.
      const batch = [doc('ok-a'), doc('ok-b'), doc('refused-c'), doc('ok-d'), doc('refused-c')];
      const r = await t.call('POST', '/v1/documents?wait=true', { token, body: { documents: batch } });
      expect(r.status).toBe(200);
      expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['indexed', 'indexed', 'rejected', 'indexed', 'rejected']);
      expect(r.body.results[2]).toMatchObject({ code: 'validation_failed', error: expect.stringContaining('SQLSTATE 22023') });
      expect(r.body.results[2].documentId).toBeUndefined();
      expect(r.body.results[2].error).not.toContain('refused by test trigger'); // the database's own text stays in the log
      expect(await stored(['ok-a', 'ok-b', 'refused-c', 'ok-d'])).toEqual([
        { title: 'ok-a', status: 'indexed' },
        { title: 'ok-b', status: 'indexed' },
        { title: 'ok-d', status: 'indexed' },
      ]);
      expect(await outboxRows()).toBe(0);
    });

    it('does not keep a document whose index job cannot be written: row and job go together', async () => {
      const r = await t.call('POST', '/v1/documents', { token, body: { documents: [doc('ok-e'), doc('job-refused-f'), doc('ok-g')] } });
      expect(r.status).toBe(202);
      expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['queued', 'rejected', 'queued']);
      expect(r.body.results[1].code).toBe('validation_failed');
      expect((await stored(['job-refused-f'])).length).toBe(0);
      await Promise.all([r.body.results[0].jobId, r.body.results[2].jobId].map((id: string) => t.app.queue.waitFor(id, 20_000)));
      expect(await stored(['ok-e', 'ok-g'])).toEqual([
        { title: 'ok-e', status: 'indexed' },
        { title: 'ok-g', status: 'indexed' },
      ]);
    });

    it('ends the request on a failure that is not about one document, keeps what came before whole, and a re-send completes it', async () => {
      const batch = { documents: [doc('before-h'), doc('flaky-database'), doc('after-i')] };
      const first = await t.call('POST', '/v1/documents?wait=true', { token, body: batch });
      expect(first.status).toBe(500);
      expect(first.body.error).toMatchObject({ code: 'internal' });
      // Stored before the failure: whole, with its job, so it is indexed without any further request.
      await until(async () => (await stored(['before-h']))[0]?.status === 'indexed');
      expect(await stored(['before-h', 'flaky-database', 'after-i'])).toEqual([{ title: 'before-h', status: 'indexed' }]);
      const again = await t.call('POST', '/v1/documents?wait=true', { token, body: batch });
      expect(again.status).toBe(200);
      expect(again.body.results.map((x: { status: string }) => x.status)).toEqual(['duplicate', 'indexed', 'indexed']);
      expect(await outboxRows()).toBe(0);
    });

    it('describes these rules in the OpenAPI document', async () => {
      const spec = await t.call('GET', '/openapi.json');
      const description = spec.body.paths['/v1/documents'].post.description as string;
      expect(description).toContain('stored whole');
      expect(description).toContain('rejected');
      expect(spec.body.paths['/v1/documents'].post.responses['202'].content['application/json'].schema).toBeTruthy();
    });
  });
}
