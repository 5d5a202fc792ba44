import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/contracts/embedder.js';
import { HashingEmbedder } from '../../src/ingest/embed/hashing.js';
import { createLogger, describeError } from '../../src/log.js';
import type { Database } from '../../src/store/database.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { pgliteForTests } from '../support/db.js';

interface Line {
  level: string;
  msg: string;
  requestId?: string;
  route?: string | null;
  status?: number;
  ms?: number;
  error?: string;
  [k: string]: unknown;
}
const parse = (lines: string[]): Line[] => lines.map((l) => JSON.parse(l) as Line);

/** The hashing embedder, except that a query holding `cue` makes it throw: a failure nobody classified, a 500. */
function explodingEmbedder(cue: string): Embedder {
  const base = new HashingEmbedder();
  return Object.create(base, {
    threadSpec: { value: undefined },
    embed: {
      value: async (texts: readonly string[]) => {
        if (texts.some((t) => t.includes(cue))) throw new TypeError('embedder exploded');
        return base.embed(texts);
      },
    },
  });
}

/** A real database failure on insert: a trigger refuses documents titled "explode" (its query's parameters hold the body). */
async function refuseExplodingDocuments(database: Database): Promise<void> {
  await database.db.execute(
    sql.raw(`create function refuse_explode() returns trigger language plpgsql as $$
      begin
        if new.title = 'explode' then raise exception 'refused by a test trigger'; end if;
        return new;
      end $$`),
  );
  await database.db.execute(
    sql.raw('create trigger refuse_explode before insert on documents for each row execute function refuse_explode()'),
  );
}

const doc = (title: string, body: string) => ({ kind: 'runbook', service: 'payments', title, body, occurredAt: '2026-03-02T14:03:11Z' });

describe('the request log at the serve default level (info)', () => {
  let t: TestServer;
  let token: string;
  beforeAll(async () => {
    t = await startTestServer({ database: await pgliteForTests(), embedder: explodingEmbedder('boom-cue'), logLevel: 'info' });
    token = await t.token('acme', ['admin']);
  });
  afterAll(async () => t?.close());

  it('writes one JSON line per request (id, route pattern, status, ms), and each 5xx at error level with its cause', async () => {
    const calls = [
      await t.call('GET', '/healthz'),
      await t.call('GET', `/v1/documents/${randomUUID()}`, { token }),
      await t.call('GET', '/v1/search?q=x'),
      await t.call('GET', '/no/such/route'),
      await t.call('GET', '/v1/search?q=boom-cue%20payments', { token }),
    ];
    expect(calls.map((c) => c.status)).toEqual([200, 404, 401, 404, 500]);
    const lines = parse(t.logLines);
    const requestLine = (id: string) => lines.filter((l) => l.msg === 'request' && l.requestId === id);
    const ids = calls.map((c) => c.headers.get('x-request-id')!);
    const [health, missing, unauthorized, unknown, failed] = ids.map((id) => {
      const found = requestLine(id);
      expect(found, id).toHaveLength(1);
      return found[0]!;
    });
    expect(health).toMatchObject({ level: 'info', method: 'GET', route: '/healthz', status: 200 });
    expect(missing).toMatchObject({ level: 'info', route: '/v1/documents/:id', status: 404, tenant: 'acme' });
    expect(unauthorized).toMatchObject({ level: 'info', route: '/v1/search', status: 401 });
    expect(unknown).toMatchObject({ level: 'info', route: null, status: 404 });
    expect(failed).toMatchObject({ level: 'error', route: '/v1/search', status: 500 });
    for (const l of [health, missing, unauthorized, unknown, failed]) expect(l!.ms).toBeGreaterThanOrEqual(0);
    // The 5xx: the caller gets the request id, the log has the cause under the same id.
    expect(calls[4]!.body.error.requestId).toBe(ids[4]);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'unhandled error', requestId: ids[4], error: 'TypeError: embedder exploded' }),
    );
    // Neither the path as sent nor the query string is logged: they hold ids and search text a caller typed.
    expect(t.logLines.join('\n')).not.toContain('boom-cue');
    expect(t.logLines.join('\n')).not.toContain('/no/such/route');
  });
});

describe('no document text in any log line, even at debug and when the database refuses a write', () => {
  const MARKER = 'the quick marker fox 7Q2 jumps over the lazy log';
  let t: TestServer;
  let token: string;
  beforeAll(async () => {
    const database = await pgliteForTests();
    await refuseExplodingDocuments(database);
    t = await startTestServer({ database, logLevel: 'debug' });
    token = await t.token('acme', ['admin']);
  });
  afterAll(async () => t?.close());

  it('logs the request and the failure without the body, the title or the search text', async () => {
    const ok = await t.call('POST', '/v1/documents?wait=true', {
      token,
      body: { documents: [doc('rollback steps', `Step 1. ${MARKER}`)] },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.results[0].status).toBe('indexed');
    const refused = await t.call('POST', '/v1/documents', { token, body: { documents: [doc('explode', `Step 2. ${MARKER}`)] } });
    const search = await t.call('GET', `/v1/search?q=${encodeURIComponent(MARKER)}`, { token });
    expect(search.status).toBe(200);

    expect(t.logLines.length).toBeGreaterThanOrEqual(3);
    for (const line of t.logLines) {
      expect(line).not.toContain('marker fox');
      expect(line).not.toContain('rollback steps');
    }
    // The refused write is a 5xx today; whatever its status, a 5xx must leave its cause at error level.
    if (refused.status >= 500) {
      const failure = parse(t.logLines).find((l) => l.level === 'error' && l.requestId === refused.body.error.requestId && l.error);
      expect(failure?.error).toContain('refused by a test trigger');
      expect(failure?.error).toMatch(/failed query: insert into "documents"/);
    }
  });
});

describe('describeError', () => {
  it("gives a failed query's SQL, its SQLSTATE and cause, and none of its parameters or the values the database quotes", async () => {
    const database = await pgliteForTests();
    try {
      const secretish = 'a body with words 9XK that must stay out of logs';
      const err = await database.db.execute(sql`select ${secretish}::int as n`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      // What drizzle's own message carries, and the log must not.
      expect(String((err as Error).message)).toContain(secretish);
      const text = describeError(err);
      expect(text).toContain('failed query: select $1::int as n');
      expect(text).toMatch(/\[22P02\]: invalid input syntax for type integer: "\(value withheld\)"/);
      expect(text).not.toContain('9XK');

      const lines: string[] = [];
      createLogger('debug', (l) => lines.push(l)).debug('query failed', { error: err, text: (err as Error).message });
      expect(lines[0]).not.toContain('9XK');
      expect(lines[0]).toContain('params: (withheld)');
    } finally {
      await database.close();
    }
  });
});
