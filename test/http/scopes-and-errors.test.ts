import net from 'node:net';
import { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ValidationError } from '../../src/contracts/errors.js';
import { toResponse } from '../../src/http/errors.js';
import { isScopeGuard } from '../../src/http/route.js';
import { httpAppOf } from '../../src/http/serve.js';
import { ReleaseConflictError } from '../../src/ingest/releases.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { pgliteForTests } from '../support/db.js';

let t: TestServer;
let admin: string;
beforeAll(async () => {
  t = await startTestServer({ database: await pgliteForTests() });
  admin = await t.token('acme', ['admin']);
});
afterAll(async () => t?.close());

const httpApp = () => httpAppOf(t.app);

describe('scopes are declared with each route', () => {
  it('every /v1 route has a scope guard among its handlers', () => {
    const app = httpApp();
    const byRoute = new Map<string, unknown[]>();
    for (const r of app.routes) {
      if (!r.path.startsWith('/v1/') || r.method === 'ALL') continue;
      const key = `${r.method} ${r.path}`;
      byRoute.set(key, [...(byRoute.get(key) ?? []), r.handler]);
    }
    expect(byRoute.size).toBeGreaterThanOrEqual(12);
    const unscoped = [...byRoute].filter(([, handlers]) => !handlers.some(isScopeGuard)).map(([k]) => k);
    expect(unscoped).toEqual([]);
  });

  it('a route added without a scope is closed to every token, even admin (denied by default)', async () => {
    const app = httpApp();
    let reached = false;
    app.get('/v1/forgotten', (c) => {
      reached = true;
      return c.json({ secret: true });
    });
    app.all('/v1/anything', (c) => {
      reached = true;
      return c.json({ secret: true });
    });
    app.use('/v1/sneaky/*', async (c) => {
      reached = true;
      return c.json({ secret: true });
    });
    for (const path of ['/v1/forgotten', '/v1/anything', '/v1/sneaky/x']) {
      const res = await app.request(path, { headers: { authorization: `Bearer ${admin}` } });
      expect(res.status, path).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    expect(reached).toBe(false);
    // Unknown paths are still 404, not 403.
    expect((await app.request('/v1/nothing-here', { headers: { authorization: `Bearer ${admin}` } })).status).toBe(404);
  });

  it('names the scope of each route in the OpenAPI document', async () => {
    const spec = (await (await fetch(`${t.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { description?: string }>>;
    };
    const ops = Object.entries(spec.paths).flatMap(([path, ops]) => Object.entries(ops).map(([m, op]) => ({ path, m, op })));
    const v1 = ops.filter((o) => o.path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThanOrEqual(12);
    for (const { path, m, op } of v1) {
      expect(op.description, `${m} ${path}`).toMatch(/`(ingest|read|score|advise|approve|admin)` scope/);
    }
  });
});

describe('one error base', () => {
  const app = new OpenAPIHono();
  const logged: string[] = [];
  app.onError((err, c) => toResponse(err, c, (msg, f) => logged.push(`${msg} ${JSON.stringify(f)}`)));
  app.get('/range', () => {
    throw new RangeError('Invalid typed array length: -1 (internal detail)');
  });
  app.get('/validation', () => {
    throw new ValidationError('at: outcome time is before the release was created');
  });
  app.get('/conflict', () => {
    throw new ReleaseConflictError('checkout', '1.0.0', { release: ['strategy'], changes: [] });
  });
  app.get('/unavailable', () => {
    throw new AppError('unavailable', 'the embedding service did not answer');
  });
  app.get('/internal', () => {
    throw new AppError('internal', 'job index-1 failed: ECONNREFUSED 10.0.0.7:5432');
  });

  it('answers a built-in error with a generic 500, logging it and never sending its message', async () => {
    const res = await app.request('/range');
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('internal');
    expect(body.error.message).not.toContain('typed array');
    expect(logged.join('\n')).toContain('RangeError: Invalid typed array length');
  });

  it('answers AppErrors by their code, status and details', async () => {
    expect((await app.request('/validation')).status).toBe(400);
    const conflict = await app.request('/conflict');
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: { code: 'release_conflict', details: { release: ['strategy'] } } });
    const down = await app.request('/unavailable');
    expect(down.status).toBe(503);
    // Coded internal: its message may hold internal detail, so it gets the generic answer.
    const internal = await app.request('/internal');
    expect(internal.status).toBe(500);
    expect(JSON.stringify(await internal.json())).not.toContain('10.0.0.7');
  });

  it('marks only unavailability as retryable by default', () => {
    expect(new AppError('unavailable', 'x').retryable).toBe(true);
    expect(new ValidationError('x').retryable).toBe(false);
    expect(new ReleaseConflictError('a', 'b', { release: [], changes: [{ id: 'c', fields: ['files'] }] }).code).toBe('change_conflict');
  });
});

describe('requests the HTTP parser refuses', () => {
  /** Sends raw bytes over a socket and returns the whole answer (the server closes the connection). */
  const rawExchange = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const { hostname, port } = new URL(t.url);
      const socket = net.connect(Number(port), hostname, () => socket.write(request));
      let answer = '';
      socket.on('data', (d) => (answer += d.toString()));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
  const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));

  it('answers headers over 16 KB with 431 and the JSON envelope, not an empty body', async () => {
    const res = await fetch(`${t.url}/v1/search?q=${'a'.repeat(25_000)}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(431);
    expect(await res.json()).toMatchObject({ error: { code: 'headers_too_large' } });
  });

  it('answers a HEAD request over 16 KB with 431 and headers only (a body would be garbage to the client)', async () => {
    const answer = await rawExchange(`HEAD /v1/documents?cursor=${'x'.repeat(25_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer.startsWith('HTTP/1.1 431')).toBe(true);
    expect(answer.slice(answer.indexOf('\r\n\r\n') + 4)).toBe('');
  });

  it('answers a malformed request line with 400 bad_request in JSON', async () => {
    const answer = await rawExchange('GARBAGE\r\n\r\n');
    expect(answer.startsWith('HTTP/1.1 400')).toBe(true);
    expect(bodyOf(answer)).toMatchObject({ error: { code: 'bad_request' } });
    // The server still serves the next request.
    expect((await t.call('GET', '/healthz')).status).toBe(200);
  });
});
