import { describe, expect, it } from 'vitest';
import type { HttpDeps } from '../../src/http/app.js';
import { createHttpApp } from '../../src/http/app.js';
import { CSP } from '../../src/console/security.js';
import { browser, ORIGIN } from './client.js';
import { ALICE, fakeDeps } from './fakes.js';

/** The HTTP app with the console mounted; the API's own services are not reached by these requests. */
function httpApp(extra: Partial<HttpDeps> = {}) {
  const f = fakeDeps();
  const logged: unknown[] = [];
  f.deps.logError = (_m, fields) => logged.push(fields);
  const app = createHttpApp({
    tokens: { authenticate: async () => undefined } as never,
    ingest: { documents: { stats: async () => ({}) } } as never,
    retrieval: {} as never,
    evidence: {} as never,
    releases: {} as never,
    risk: {} as never,
    advisor: {} as never,
    notes: {} as never,
    governance: {} as never,
    decide: (() => {}) as never,
    health: { database: async () => undefined, queue: {}, databaseKind: 'pglite' } as never,
    log: { info: () => {}, error: () => {} },
    maxBodyBytes: 100_000,
    console: f.deps,
    ...extra,
  });
  return { app, f, logged };
}

describe('console mounted in the HTTP app', () => {
  it('answers at /console with its own session auth, outside the API’s', async () => {
    const { app } = httpApp();
    const b = browser(app as never);
    const first = await b.get('/console');
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/console/login');
    expect((await b.get('/console/login')).headers.get('content-security-policy')).toBe(CSP);
    expect((await b.login(ALICE)).status).toBe(303);
    expect((await b.get('/console')).text).toContain('payments 2.14.0');
    // The API still wants its bearer token; the console cookie is no credential there.
    const api = await app.request(`${ORIGIN}/v1/releases`, { headers: { cookie: `sc_console=${b.cookie}` } });
    expect(api.status).toBe(401);
  });

  it('shows the request id of a failure on its error page, and logs it', async () => {
    const { app, f, logged } = httpApp();
    f.deps.governance.policies = async () => {
      throw new Error('database exploded');
    };
    const b = browser(app as never);
    await b.login(ALICE);
    const res = await b.get('/console/policy');
    expect(res.status).toBe(500);
    const id = res.headers.get('x-request-id');
    expect(id).toBeTruthy();
    expect(res.text).toContain(`Request id: <code>${id}</code>`);
    expect(res.text).not.toContain('exploded');
    expect(logged).toEqual([expect.objectContaining({ requestId: id, path: '/console/policy' })]);
  });
});
