import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookSender } from '../../src/connectors/webhook.js';
import { closedPort, type Stub, startStub } from './stub-server.js';

/** The webhook sender against local servers: every failure is a recorded result, never a throw. */
describe('webhook sender', () => {
  let stub: Stub;
  let other: Stub;
  const sender = createWebhookSender();
  beforeAll(async () => {
    stub = await startStub();
    other = await startStub((_req, res) => res.writeHead(200).end('ok'));
  });
  afterAll(async () => {
    await stub.close();
    await other.close();
  });

  it('posts the JSON body with its headers and reports a 200 as ok', async () => {
    stub.handle((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    stub.requests.length = 0;
    const result = await sender.post(
      `${stub.url}/hooks/T000/B000/secret`,
      { text: 'rollback advised', n: 1 },
      {
        timeoutMs: 2000,
        headers: { 'x-shipcheck-event': 'advice.changed' },
      },
    );
    expect(result).toEqual({ ok: true, status: 200, detail: '200 OK' });
    const [req] = stub.requests;
    expect(req!.method).toBe('POST');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['x-shipcheck-event']).toBe('advice.changed');
    expect(JSON.parse(req!.body)).toEqual({ text: 'rollback advised', n: 1 });
  });

  it('reports a 500 with the start of its answer, reading only the first KB of a large one', async () => {
    const huge = `boom ${'x'.repeat(200_000)}`;
    stub.handle((_req, res) => res.writeHead(500).end(huge));
    const result = await createWebhookSender({ maxAnswerBytes: 1024, maxDetailChars: 40 }).post(stub.url, {}, { timeoutMs: 2000 });
    expect(result.ok).toBe(false);
    expect(result.status).toBe(500);
    expect(result.detail).toBe(`500 Internal Server Error: boom ${'x'.repeat(35)}…`);
  });

  it('reports a server that never answers as a timeout with no status', async () => {
    stub.handle(() => {});
    const result = await sender.post(stub.url, { a: 1 }, { timeoutMs: 250 });
    expect(result).toEqual({ ok: false, status: null, detail: 'timed out after 250 ms' });
  });

  it('reports a refused connection with no status', async () => {
    const port = await closedPort();
    const result = await sender.post(`http://127.0.0.1:${port}/hook`, { a: 1 }, { timeoutMs: 2000 });
    expect(result).toEqual({ ok: false, status: null, detail: 'connection refused (ECONNREFUSED)' });
  });

  it('never follows a redirect, to another host or the same one, and does not name the path it points to', async () => {
    other.requests.length = 0;
    for (const [status, location, where] of [
      [307, `${other.url}/steal?token=abc`, `${other.url} (another host)`],
      [308, `${other.url}/x`, `${other.url} (another host)`],
      [302, '/moved/secret-path', `${stub.url} (same host)`],
    ] as const) {
      stub.handle((_req, res) => res.writeHead(status, { location }).end());
      const result = await sender.post(stub.url, { secret: 'payload' }, { timeoutMs: 2000 });
      expect(result.ok).toBe(false);
      expect(result.status).toBe(status);
      expect(result.detail).toMatch(
        new RegExp(`^${status} .*: redirect to ${where.replace(/[().]/g, '\\$&')} not followed; configure the final URL$`),
      );
      expect(result.detail).not.toMatch(/steal|secret-path|token/);
    }
    expect(other.requests).toHaveLength(0);
  });

  it('returns a result, not an exception, for a bad URL or a body that is not JSON', async () => {
    expect(await sender.post('ftp://example.com/x', {}, { timeoutMs: 100 })).toEqual({
      ok: false,
      status: null,
      detail: 'invalid URL (an http or https URL is needed)',
    });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const result = await sender.post(stub.url, circular, { timeoutMs: 100 });
    expect(result.ok).toBe(false);
    expect(result.status).toBeNull();
    expect(result.detail).toMatch(/^the body cannot be sent as JSON/);
  });
});
