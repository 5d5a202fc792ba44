import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../src/contracts/errors.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { SETUPS } from '../support/setups.js';

/**
 * Input that the schemas used to let through and the database then refused
 * (answered 500), or that the server quietly altered: each is now a 400 (or,
 * inside a document batch, a `rejected` document) naming the field, in the
 * one error envelope, and nothing is stored.
 */

type Res = { status: number; body: any };

function expectEnvelope(r: Res, code: keyof typeof ERROR_STATUS, field?: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(ERROR_STATUS[code]);
  expect(r.body.error).toMatchObject({ code, message: expect.any(String), requestId: expect.any(String) });
  if (field) expect(r.body.error.message.startsWith(`${field}: `), r.body.error.message).toBe(true);
}

const YEAR_ZERO = '0000-01-01T00:00:00Z';
/** Year 1 in its own offset, which is 1 BC in UTC. */
const OFFSET_OVERFLOW = '0001-01-01T00:00:00+23:59';

let serial = 0;
const release = (over: Record<string, unknown> = {}) => ({ service: 'checkout', version: `1.0.${++serial}`, ...over });
const change = (over: Record<string, unknown> = {}) => ({ id: `c-${++serial}`, title: 'fix the cart', ...over });
const doc = (over: Record<string, unknown> = {}) => ({
  kind: 'runbook',
  service: 'checkout',
  title: 'restart the cart workers',
  body: `step ${++serial}: drain the queue, then restart the workers one by one`,
  occurredAt: '2026-02-01T10:00:00Z',
  ...over,
});

for (const setup of SETUPS) {
  describe.runIf(await setup.available())(`bad input is a 4xx naming the field, never a 500: ${setup.name}`, () => {
    let t: TestServer;
    let drop: () => Promise<void>;
    let token: string;
    const releaseCount = async () => (await t.call('GET', '/v1/releases?limit=1000', { token })).body.releases.length as number;

    beforeAll(async () => {
      const opened = await setup.open();
      drop = opened.drop;
      t = await startTestServer({ database: opened.database, env: opened.env });
      token = await t.token('acme', ['admin']);
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    describe('instants outside what the database stores', () => {
      it.each([YEAR_ZERO, OFFSET_OVERFLOW, '1899-12-31T23:59:59Z', '9999-12-31T23:59:59-23:59'])(
        '%s in a query (asOf, from, to)',
        async (at) => {
          const q = encodeURIComponent(at);
          expectEnvelope(await t.call('GET', `/v1/search?q=cart&asOf=${q}`, { token }), 'validation_failed', 'asOf');
          expectEnvelope(await t.call('GET', `/v1/releases?from=${q}`, { token }), 'validation_failed', 'from');
          expectEnvelope(await t.call('GET', `/v1/releases?to=${q}`, { token }), 'validation_failed', 'to');
        },
      );

      it.each([YEAR_ZERO, OFFSET_OVERFLOW])('%s in a release, a change or an outcome', async (at) => {
        const before = await releaseCount();
        expectEnvelope(await t.call('POST', '/v1/releases', { token, body: release({ createdAt: at }) }), 'validation_failed', 'createdAt');
        expectEnvelope(
          await t.call('POST', '/v1/releases', { token, body: release({ changes: [change({ createdAt: at })] }) }),
          'validation_failed',
          'changes.0.createdAt',
        );
        expect(await releaseCount()).toBe(before);
        const created = await t.call('POST', '/v1/releases', { token, body: release() });
        expect(created.status).toBe(201);
        expectEnvelope(
          await t.call('POST', `/v1/releases/${created.body.id}/outcome`, { token, body: { outcome: 'success', at } }),
          'validation_failed',
          'at',
        );
        expect((await t.call('GET', `/v1/releases/${created.body.id}`, { token })).body.outcome).toBeNull();
      });

      it.each([YEAR_ZERO, OFFSET_OVERFLOW])('%s as a document occurredAt rejects that document only', async (at) => {
        const r = await t.call('POST', '/v1/documents?wait=true', { token, body: { documents: [doc({ occurredAt: at }), doc()] } });
        expect(r.status).toBe(200);
        expect(r.body.results[0]).toMatchObject({ status: 'rejected', error: expect.stringMatching(/^occurredAt: must lie between/) });
        expect(r.body.results[0].documentId).toBeUndefined();
        expect(r.body.results[1]).toMatchObject({ status: 'indexed' });
      });
    });

    describe('a plain date is midnight UTC', () => {
      it('asOf=2026-03-01 includes what occurred before that midnight and nothing after it', async () => {
        const before = doc({
          service: 'zebra',
          title: 'before midnight',
          body: 'zebracorn before midnight',
          occurredAt: '2026-02-28T23:59:59Z',
        });
        const after = doc({
          service: 'zebra',
          title: 'after midnight',
          body: 'zebracorn after midnight',
          occurredAt: '2026-03-01T00:00:01Z',
        });
        const ingested = await t.call('POST', '/v1/documents?wait=true', { token, body: { documents: [before, after] } });
        expect(ingested.body.results.map((r: { status: string }) => r.status)).toEqual(['indexed', 'indexed']);
        const r = await t.call('GET', '/v1/search?q=zebracorn&service=zebra&asOf=2026-03-01', { token });
        expect(r.status).toBe(200);
        expect(r.body.results.map((h: { title: string }) => h.title)).toEqual(['before midnight']);
      });

      it('a release created on 2026-03-01 is stored at 2026-03-01T00:00:00.000Z', async () => {
        const r = await t.call('POST', '/v1/releases', { token, body: release({ createdAt: '2026-03-01' }) });
        expect(r.status).toBe(201);
        expect(r.body.createdAt).toBe('2026-03-01T00:00:00.000Z');
      });
    });

    describe('NUL characters, which PostgreSQL text cannot hold', () => {
      const nul = 'a\u0000b';
      it.each([
        ['version', release({ version: nul })],
        ['environment', release({ environment: nul })],
        ['flags.0', release({ flags: [nul] })],
        ['commitRange', release({ commitRange: nul })],
        ['externalId', release({ externalId: nul })],
        ['changes.0.id', release({ changes: [change({ id: nul })] })],
        ['changes.0.title', release({ changes: [change({ title: nul })] })],
        ['changes.0.body', release({ changes: [change({ body: nul })] })],
        ['changes.0.author', release({ changes: [change({ author: nul })] })],
        ['changes.0.labels.0', release({ changes: [change({ labels: [nul] })] })],
        ['changes.0.files.0.path', release({ changes: [change({ files: [{ path: nul, additions: 1, deletions: 0 }] })] })],
        ['changes.0.diff', release({ changes: [change({ diff: nul })] })],
      ])('in a release: %s', async (field, body) => {
        const before = await releaseCount();
        const r = await t.call('POST', '/v1/releases', { token, body });
        expectEnvelope(r, 'validation_failed', field);
        expect(r.body.error.message).toContain('NUL');
        expect(await releaseCount()).toBe(before);
      });

      it('in an outcome incident id and in a search', async () => {
        const created = await t.call('POST', '/v1/releases', { token, body: release() });
        expectEnvelope(
          await t.call('POST', `/v1/releases/${created.body.id}/outcome`, { token, body: { outcome: 'failure', incidentIds: [nul] } }),
          'validation_failed',
          'incidentIds.0',
        );
        expectEnvelope(await t.call('GET', '/v1/search?q=a%00b', { token }), 'validation_failed', 'q');
      });

      it.each(['title', 'source', 'externalId'])('in a document %s rejects that document, naming the field', async (field) => {
        const r = await t.call('POST', '/v1/documents?wait=true', { token, body: { documents: [doc({ [field]: nul })] } });
        expect(r.status).toBe(200);
        expect(r.body.results[0]).toMatchObject({
          status: 'rejected',
          error: expect.stringMatching(new RegExp(`^${field}: contains a NUL`)),
        });
      });

      it('in a document body is stripped with the other control characters, as before', async () => {
        const r = await t.call('POST', '/v1/documents?wait=true', {
          token,
          body: { documents: [doc({ body: 'drain\u0000 the queue first' })] },
        });
        expect(r.body.results[0]).toMatchObject({ status: 'indexed' });
        const stored = await t.call('GET', `/v1/documents/${r.body.results[0].documentId}?body=true`, { token });
        expect(stored.body.body).toBe('drain the queue first');
      });
    });

    describe('lone UTF-16 surrogates, which are not Unicode text', () => {
      it.each([
        ['changes.0.title', release({ changes: [change({ title: 'fix \ud800 cart' })] })],
        ['changes.0.body', release({ changes: [change({ body: 'body \udc00' })] })],
        ['changes.0.diff', release({ changes: [change({ diff: '+ \udfff' })] })],
        ['flags.0', release({ flags: ['\ud83d'] })],
      ])('in a release: %s (it was stored as U+FFFD, or answered as a conflict with itself)', async (field, body) => {
        const before = await releaseCount();
        const r = await t.call('POST', '/v1/releases', { token, body });
        expectEnvelope(r, 'validation_failed', field);
        expect(r.body.error.message).toContain('surrogate');
        expect(await releaseCount()).toBe(before);
      });

      it.each(['title', 'body'])('in a document %s', async (field) => {
        const r = await t.call('POST', '/v1/documents?wait=true', {
          token,
          body: { documents: [doc({ [field]: 'restart \ud800 workers' })] },
        });
        expect(r.body.results[0]).toMatchObject({
          status: 'rejected',
          error: expect.stringMatching(new RegExp(`^${field}: contains a lone UTF-16 surrogate`)),
        });
      });

      it('a well-formed pair (an emoji) is text and is kept as sent', async () => {
        const r = await t.call('POST', '/v1/releases', { token, body: release({ changes: [change({ title: 'ship it 🚀' })] }) });
        expect(r.status).toBe(201);
        expect((await t.call('GET', `/v1/releases/${r.body.id}`, { token })).body.changeList[0].title).toBe('ship it 🚀');
      });
    });

    describe('Content-Type read as RFC 9110 defines it', () => {
      const post = (contentType: string) =>
        t.call('POST', '/v1/releases', { token, raw: JSON.stringify(release()), headers: { 'content-type': contentType } });

      it.each([
        'application/json;;;',
        'APPLICATION/JSON ; charset="UTF-8"',
        'application/json; charset=utf-8;',
        'application/vnd.shipcheck+json',
      ])('%s is JSON: the body is read', async (type) => {
        expect((await post(type)).status).toBe(201);
      });

      it.each([
        ['application/json; charset=latin1', /charset=latin1/],
        ['application/json; charset', /Content-Type: application\/json/],
        ['text/plain', /Content-Type: application\/json/],
        ['application', /Content-Type: application\/json/],
      ])('%s is a 415 in the envelope', async (type, message) => {
        const before = await releaseCount();
        const r = await post(type);
        expectEnvelope(r, 'unsupported_media_type');
        expect(r.body.error.message).toMatch(message);
        expect(await releaseCount()).toBe(before);
      });
    });
  });
}
