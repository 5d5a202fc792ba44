import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUPS } from '../support/setups.js';
import { postRaw, startTestServer, type TestServer } from '../support/app.js';

const SECRET_PASSWORD = 'Zq8wTn3vLp0sKe7r';
const AWS_KEY = 'AKIAZ7QWERTYUI0P4ASD';
const log = (lines: string[]) =>
  [
    '2026-03-02T14:03:11Z INFO deploy.start service=checkout version=2.4.0 strategy=canary',
    `2026-03-02T14:03:12Z INFO connecting DATABASE_URL=postgres://deploy:${SECRET_PASSWORD}@db.internal:5432/shop`,
    `2026-03-02T14:03:13Z WARN using aws key ${AWS_KEY}`,
    ...lines,
  ].join('\n');

const doc = (over: Record<string, unknown> = {}) => ({
  kind: 'deploy_log',
  service: 'checkout',
  title: 'deploy checkout 2.4.0',
  body: log(['2026-03-02T14:05:00Z ERROR upstream ECONNRESET from payments-gateway, canary 5xx rate 7%']),
  occurredAt: '2026-03-02T14:03:11Z',
  ...over,
});

for (const setup of SETUPS) {
  describe.runIf(await setup.available())(`HTTP API over a real server: ${setup.name}`, () => {
    let t: TestServer;
    let drop: () => Promise<void>;
    let admin: string, reader: string, ingester: string, other: string;

    beforeAll(async () => {
      const opened = await setup.open();
      drop = opened.drop;
      t = await startTestServer({ database: opened.database, env: opened.env });
      admin = await t.token('acme', ['admin']);
      reader = await t.token('acme', ['read']);
      ingester = await t.token('acme', ['ingest']);
      other = await t.token('globex', ['admin']);
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    it('answers /healthz without a token, naming database and queue', async () => {
      const r = await t.call('GET', '/healthz');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'ok', database: { ok: true }, queue: { ok: true } });
    });

    it('refuses a missing, malformed or unknown token with 401, and a missing scope with 403', async () => {
      for (const token of [undefined, 'nonsense', 'sc_' + randomBytes(32).toString('base64url')]) {
        const r = await t.call('GET', '/v1/search?q=x', token ? { token } : {});
        expect(r.status).toBe(401);
        expect(r.body.error.code).toBe('unauthorized');
        expect(r.body.error.requestId).toBeTruthy();
      }
      const r = await t.call('POST', '/v1/documents', { token: reader, body: { documents: [doc()] } });
      expect(r.status).toBe(403);
      expect(r.body.error).toMatchObject({ code: 'forbidden' });
      expect((await t.call('GET', '/v1/search?q=x', { token: ingester })).status).toBe(403);
      expect((await t.call('GET', '/v1/jobs/failed', { token: reader })).status).toBe(403);
    });

    it('ingests with ?wait=true, redacts secrets before storing, and reports a re-ingest as duplicate', async () => {
      const r = await t.call('POST', '/v1/documents?wait=true', { token: ingester, body: { documents: [doc()] } });
      expect(r.status).toBe(200);
      const [res] = r.body.results;
      expect(res).toMatchObject({ status: 'indexed', redactions: 2 });
      expect(res.chunks).toBeGreaterThan(0);
      const stored = await t.call('GET', `/v1/documents/${res.documentId}?body=true`, { token: reader });
      expect(stored.status).toBe(200);
      expect(stored.body.status).toBe('indexed');
      expect(stored.body.body).not.toContain(SECRET_PASSWORD);
      expect(stored.body.body).not.toContain(AWS_KEY);
      expect(stored.body.body).toContain('[REDACTED:');

      const again = await t.call('POST', '/v1/documents?wait=true', {
        token: ingester,
        body: { documents: [doc({ title: 'same body, new title' })] },
      });
      expect(again.body.results[0]).toMatchObject({ status: 'duplicate', documentId: res.documentId });
    });

    it('queues without wait (202) and the job indexes the document', async () => {
      const r = await t.call('POST', '/v1/documents', {
        token: ingester,
        body: {
          documents: [
            doc({
              kind: 'runbook',
              title: 'Rollback a canary',
              body: '# Rollback a canary\n\n## Steps\n1. Set canary weight to 0\n2. Page payments on-call',
            }),
          ],
        },
      });
      expect(r.status).toBe(202);
      const [res] = r.body.results;
      expect(res.status).toBe('queued');
      expect(res.jobId).toBeTruthy();
      await t.app.queue.waitFor(res.jobId, 20_000);
      const stored = await t.call('GET', `/v1/documents/${res.documentId}`, { token: reader });
      expect(stored.body).toMatchObject({ status: 'indexed', kind: 'runbook' });
    });

    it('rejects bad documents one by one, keeping the good ones of the batch', async () => {
      const garbage = Buffer.from(randomBytes(4000)).toString('utf8');
      const r = await t.call('POST', '/v1/documents?wait=true', {
        token: ingester,
        body: {
          documents: [
            doc({ kind: 'nonsense' }),
            doc({ occurredAt: 'yesterday' }),
            doc({ body: garbage, title: 'binary' }),
            doc({ service: '../etc' }),
            doc({ body: 'a fine ticket body about checkout latency', kind: 'ticket', title: 'TCK-1' }),
          ],
        },
      });
      expect(r.status).toBe(200);
      const statuses = r.body.results.map((x: { status: string }) => x.status);
      expect(statuses).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'indexed']);
      expect(r.body.results[0].error).toMatch(/^kind:/);
      expect(r.body.results[1].error).toMatch(/^occurredAt:/);
      expect(r.body.results[2].error).toMatch(/binary/);
    });

    it('answers malformed JSON 400, wrong media type 415, oversized body 413, bad envelope 400 — and loses nothing stored', async () => {
      const before = await t.call('GET', '/v1/documents?limit=500', { token: reader });
      const bad = await t.call('POST', '/v1/documents', {
        token: ingester,
        raw: '{"documents": [',
        headers: { 'content-type': 'application/json' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_json');
      const media = await t.call('POST', '/v1/documents', {
        token: ingester,
        raw: 'documents=1',
        headers: { 'content-type': 'text/plain' },
      });
      expect(media.status).toBe(415);
      const hugeBody = JSON.stringify({ documents: [doc({ body: 'x'.repeat(300_000) })] });
      const huge = await postRaw(`${t.url}/v1/documents`, ingester, hugeBody);
      expect(huge.status).toBe(413);
      expect(huge.body.error.code).toBe('payload_too_large');
      const empty = await t.call('POST', '/v1/documents', { token: ingester, body: { documents: [] } });
      expect(empty.status).toBe(400);
      expect(empty.body.error.code).toBe('validation_failed');
      const notArray = await t.call('POST', '/v1/documents', { token: ingester, body: [1, 2] });
      expect(notArray.status).toBe(400);
      const after = await t.call('GET', '/v1/documents?limit=500', { token: reader });
      expect(after.body.documents).toEqual(before.body.documents);
    });

    it('answers unknown routes and bad ids with a 404/400 envelope, never a 500', async () => {
      const nf = await t.call('GET', '/v1/nothing-here', { token: reader });
      expect(nf.status).toBe(404);
      expect(nf.body.error.code).toBe('not_found');
      expect((await t.call('GET', '/v1/documents/not-a-uuid', { token: reader })).status).toBe(400);
      expect((await t.call('GET', `/v1/documents/${crypto.randomUUID()}`, { token: reader })).status).toBe(404);
      expect((await t.call('GET', '/v1/search?q=x&k=100000', { token: reader })).status).toBe(400);
      expect((await t.call('GET', '/v1/search?q=x&asOf=tomorrow', { token: reader })).status).toBe(400);
      expect((await t.call('GET', '/v1/search', { token: reader })).status).toBe(400);
    });

    it('searches hybrid with redacted snippets, filters, and asOf', async () => {
      const r = await t.call('GET', '/v1/search?q=ECONNRESET%20payments-gateway&k=5', { token: reader });
      expect(r.status).toBe(200);
      const top = r.body.results[0];
      expect(top).toMatchObject({ kind: 'deploy_log', service: 'checkout', title: 'deploy checkout 2.4.0' });
      expect(top.score.vector).toBeGreaterThan(0);
      expect(top.score.text).toBeGreaterThan(0);
      expect(top.score.fused).toBeGreaterThan(0);
      for (const hit of r.body.results) expect(JSON.stringify(hit)).not.toMatch(new RegExp(`${SECRET_PASSWORD}|${AWS_KEY}`));
      const early = await t.call('GET', '/v1/search?q=ECONNRESET&asOf=2026-03-01T00:00:00Z', { token: reader });
      expect(early.body.results).toEqual([]);
      const runbooks = await t.call('GET', '/v1/search?q=rollback%20canary&kind=runbook', { token: reader });
      expect(runbooks.body.results.length).toBeGreaterThan(0);
      expect(runbooks.body.results.every((h: { kind: string }) => h.kind === 'runbook')).toBe(true);
      const noService = await t.call('GET', '/v1/search?q=rollback&service=unknown-svc', { token: reader });
      expect(noService.body.results).toEqual([]);
    });

    it('groups hits by document (best chunk, number of matching chunks) unless group=chunk', async () => {
      const sections = Array.from(
        { length: 12 },
        (_, i) =>
          `## Step ${i + 1}: quokka failover\n\nRun the quokka failover drill for region ${i + 1}; ${'drain the quokka pool and verify. '.repeat(30)}`,
      );
      const posted = await t.call('POST', '/v1/documents?wait=true', {
        token: ingester,
        body: {
          documents: [
            doc({ kind: 'runbook', title: 'quokka failover runbook', body: `# Quokka failover\n\n${sections.join('\n\n')}` }),
            doc({ kind: 'ticket', title: 'quokka ticket', body: 'The quokka failover drill failed in region 3.' }),
          ],
        },
      });
      const [runbookId, ticketId] = posted.body.results.map((r: { documentId: string }) => r.documentId);
      const chunked = await t.call('GET', '/v1/search?q=quokka%20failover&k=3&group=chunk', { token: reader });
      expect(chunked.status).toBe(200);
      expect(chunked.body.group).toBe('chunk');
      expect(chunked.body.results.map((h: { documentId: string }) => h.documentId)).toEqual([runbookId, runbookId, runbookId]);
      expect(chunked.body.results[0]).not.toHaveProperty('matchingChunks');

      const grouped = await t.call('GET', '/v1/search?q=quokka%20failover&k=3', { token: reader });
      expect(grouped.status).toBe(200);
      expect(grouped.body.group).toBe('document');
      const ids = grouped.body.results.map((h: { documentId: string }) => h.documentId);
      expect(ids.slice(0, 2).sort()).toEqual([runbookId, ticketId].sort());
      expect(new Set(ids).size).toBe(ids.length);
      const runbookHit = grouped.body.results.find((h: { documentId: string }) => h.documentId === runbookId);
      expect(runbookHit.matchingChunks).toBeGreaterThan(3);
      expect(runbookHit.chunkId).toBe(chunked.body.results[0].chunkId);
      expect((await t.call('GET', '/v1/search?q=quokka&group=paragraph', { token: reader })).status).toBe(400);
    });

    it('keeps tenants apart on every route', async () => {
      const mine = await t.call('GET', '/v1/documents', { token: reader });
      const id = mine.body.documents[0].id;
      expect((await t.call('GET', `/v1/documents/${id}`, { token: other })).status).toBe(404);
      expect((await t.call('DELETE', `/v1/documents/${id}`, { token: other })).status).toBe(404);
      expect((await t.call('GET', '/v1/documents', { token: other })).body.documents).toEqual([]);
      expect((await t.call('GET', '/v1/search?q=ECONNRESET%20rollback%20checkout', { token: other })).body.results).toEqual([]);
      // The same content in the other tenant is its own document, not a duplicate of ours.
      const theirs = await t.call('POST', '/v1/documents?wait=true', { token: other, body: { documents: [doc()] } });
      expect(theirs.body.results[0].status).toBe('indexed');
      expect(theirs.body.results[0].documentId).not.toBe(id);
      const theirSearch = await t.call('GET', '/v1/search?q=ECONNRESET', { token: other });
      expect(theirSearch.body.results.map((h: { documentId: string }) => h.documentId)).toEqual([theirs.body.results[0].documentId]);
      // And our view did not change.
      expect((await t.call('GET', `/v1/documents/${id}`, { token: reader })).status).toBe(200);
    });

    it('deletes a document and its chunks', async () => {
      const r = await t.call('POST', '/v1/documents?wait=true', {
        token: ingester,
        body: { documents: [doc({ kind: 'ticket', title: 'delete me', body: 'zebra-unique-word ticket body' })] },
      });
      const id = r.body.results[0].documentId;
      const hitIds = async () =>
        (await t.call('GET', '/v1/search?q=zebra-unique-word', { token: reader })).body.results.map(
          (h: { documentId: string }) => h.documentId,
        );
      expect((await hitIds())[0]).toBe(id);
      expect((await t.call('DELETE', `/v1/documents/${id}`, { token: ingester })).status).toBe(204);
      expect((await t.call('GET', `/v1/documents/${id}`, { token: reader })).status).toBe(404);
      expect(await hitIds()).not.toContain(id);
    });

    it('serves the OpenAPI document and a docs page', async () => {
      const spec = await t.call('GET', '/openapi.json');
      expect(spec.status).toBe(200);
      expect(Object.keys(spec.body.paths)).toEqual(
        expect.arrayContaining(['/v1/documents', '/v1/search', '/v1/documents/{id}', '/healthz']),
      );
      const page = await t.call('GET', '/docs');
      expect(page.status).toBe(200);
      expect(String(page.body)).toContain('/openapi.json');
    });

    it('logs each request with its id and never a token or a planted secret', () => {
      const all = t.logLines.join('\n');
      expect(t.logLines.some((l) => JSON.parse(l).msg === 'request' && JSON.parse(l).requestId)).toBe(true);
      for (const s of [SECRET_PASSWORD, AWS_KEY, admin, reader, ingester, other]) expect(all).not.toContain(s);
    });
  });
}
