import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrometheusSource } from '../../src/contracts/advisor.js';
import { AppError } from '../../src/contracts/errors.js';
import { createPrometheusSource } from '../../src/connectors/prometheus.js';
import { closedPort, json, matrix, type Stub, startStub } from './stub-server.js';

/**
 * The Prometheus source against a scripted server: every way an answer can be
 * wrong is a line in `problems` and no sample, never a throw and never a
 * guess; only a server that answers nothing at all throws `unavailable`.
 */

const FROM = Date.parse('2026-03-01T10:00:00Z');
const TO = FROM + 60_000;
const T0 = FROM / 1000;

const sourceAt = (
  url: string,
  queries: PrometheusSource['queries'] = [{ metric: 'latency_p99_ms', canary: 'canary_q', baseline: 'baseline_q' }],
): PrometheusSource => ({
  url,
  stepSeconds: 30,
  queries,
});

/** Which group a request was for, from the PromQL the test configured. */
const groupOf = (query: string | null) => (query?.startsWith('canary') ? 'canary' : 'baseline');

describe('Prometheus source: answers from a stub server', () => {
  let stub: Stub;
  const source = createPrometheusSource({ timeoutMs: 400 });
  beforeAll(async () => {
    stub = await startStub();
  });
  afterAll(() => stub.close());

  it('reads a matrix per group into samples (epoch ms, numbers), with query, start, end and step sent', async () => {
    stub.handle((req, res) =>
      json(
        res,
        200,
        groupOf(req.url.searchParams.get('query')) === 'canary'
          ? matrix({
              metric: { group: 'canary' },
              values: [
                [T0, '120.5'],
                [T0 + 30, '1.5e2'],
              ],
            })
          : matrix({ values: [[T0, '100']] }),
      ),
    );
    stub.requests.length = 0;
    const polled = await source.poll(sourceAt(`${stub.url}/prom/`), { from: FROM, to: TO });

    expect(polled.problems).toEqual([]);
    expect(polled.samples).toEqual([
      { metric: 'latency_p99_ms', group: 'canary', ts: FROM, value: 120.5 },
      { metric: 'latency_p99_ms', group: 'canary', ts: FROM + 30_000, value: 150 },
      { metric: 'latency_p99_ms', group: 'baseline', ts: FROM, value: 100 },
    ]);
    const sent = stub.requests.map((r) => r.url);
    expect(sent.map((u) => u.pathname)).toEqual(['/prom/api/v1/query_range', '/prom/api/v1/query_range']);
    expect(sent.map((u) => u.searchParams.get('query')).sort()).toEqual(['baseline_q', 'canary_q']);
    expect(sent[0]!.searchParams.get('start')).toBe(T0.toFixed(3));
    expect(sent[0]!.searchParams.get('end')).toBe((T0 + 60).toFixed(3));
    expect(sent[0]!.searchParams.get('step')).toBe('30');
  });

  it('reports a Prometheus error, an HTTP error, a body that is not JSON and an empty result, each with no sample', async () => {
    const cases: [string, (res: import('node:http').ServerResponse) => void, RegExp][] = [
      [
        '{status:"error"}',
        (res) => json(res, 400, { status: 'error', errorType: 'bad_data', error: 'parse error at char 3' }),
        /Prometheus error \(HTTP 400, bad_data\): parse error at char 3/,
      ],
      [
        'HTTP 503 with text',
        (res) => res.writeHead(503).end('overloaded, try later'),
        /HTTP 503 with an answer that is not JSON \("overloaded, try later"\)/,
      ],
      ['garbage with 200', (res) => res.writeHead(200).end('<html>proxy login</html>'), /not JSON \("<html>proxy login<\/html>"\)/],
      ['empty result', (res) => json(res, 200, matrix()), /no data in the range/],
      [
        'a vector, not a matrix',
        (res) => json(res, 200, { status: 'success', data: { resultType: 'vector', result: [] } }),
        /resultType is "vector", not "matrix"/,
      ],
      ['JSON of another shape', (res) => json(res, 200, { status: 'success' }), /no data object/],
      ['an empty body', (res) => res.writeHead(200).end(), /not JSON \(an empty body\)/],
    ];
    for (const [name, answer, expected] of cases) {
      stub.handle((_req, res) => answer(res));
      const polled = await source.poll(sourceAt(stub.url, [{ metric: 'errors', canary: 'canary_q' }]), { from: FROM, to: TO });
      expect(polled.samples, name).toEqual([]);
      expect(polled.problems, name).toHaveLength(1);
      expect(polled.problems[0], name).toMatch(/^errors \(canary\): /);
      expect(polled.problems[0], name).toMatch(expected);
    }
  });

  it('drops NaN, +Inf, -Inf and malformed points, keeps the finite ones, and says how many it dropped', async () => {
    stub.handle((_req, res) =>
      json(
        res,
        200,
        matrix({
          values: [
            [T0, '1'],
            [T0 + 1, 'NaN'],
            [T0 + 2, '+Inf'],
            [T0 + 3, '-Inf'],
            [T0 + 4, 'NaN'],
            [T0 + 5, 'abc'],
            [T0 + 6, '2'],
          ],
        }),
      ),
    );
    const polled = await source.poll(sourceAt(stub.url, [{ metric: 'cpu', all: 'all_q' }]), { from: FROM, to: TO });
    expect(polled.samples.map((s) => [s.group, s.value])).toEqual([
      ['all', 1],
      ['all', 2],
    ]);
    expect(polled.problems).toEqual([
      'cpu (all): dropped 4 value(s) that are not finite numbers (NaN ×2, +Inf ×1, -Inf ×1)',
      'cpu (all): dropped 1 malformed point(s) (not [unix seconds, "number"])',
    ]);
  });

  it('refuses a query that returns several series (no sum, no pick) and names them', async () => {
    stub.handle((_req, res) =>
      json(res, 200, matrix({ metric: { pod: 'a' }, values: [[T0, '1']] }, { metric: { pod: 'b' }, values: [[T0, '2']] })),
    );
    const polled = await source.poll(sourceAt(stub.url, [{ metric: 'requests', canary: 'canary_q' }]), { from: FROM, to: TO });
    expect(polled.samples).toEqual([]);
    expect(polled.problems[0]).toMatch(/returned 2 series \(\{pod="a"\}, \{pod="b"\}\); one series per group is needed/);
    expect(polled.problems[0]).toMatch(/sum\(\.\.\.\)/);
  });

  it('asks for the newest points only when the range holds more steps than the limit, and says so', async () => {
    const small = createPrometheusSource({ timeoutMs: 400, maxPointsPerQuery: 10 });
    stub.handle((_req, res) => json(res, 200, matrix({ values: [[T0, '1']] })));
    stub.requests.length = 0;
    const to = FROM + 3600_000; // 121 steps of 30 s
    const polled = await small.poll(sourceAt(stub.url, [{ metric: 'errors', canary: 'canary_q' }]), { from: FROM, to });
    expect(stub.requests[0]!.url.searchParams.get('start')).toBe(((to - 9 * 30_000) / 1000).toFixed(3));
    expect(polled.problems).toEqual([
      expect.stringMatching(/holds 121 steps of 30 s, more than 10 per query: asked for the newest 10 only/),
    ]);
    expect(polled.samples).toHaveLength(1);
  });

  it('keeps the newest points when a server sends more than the limit anyway', async () => {
    const small = createPrometheusSource({ timeoutMs: 400, maxPointsPerQuery: 3 });
    stub.handle((_req, res) => json(res, 200, matrix({ values: [1, 2, 3, 4, 5].map((i): [number, string] => [T0 + i, String(i)]) })));
    const polled = await small.poll(sourceAt(stub.url, [{ metric: 'errors', canary: 'canary_q' }]), { from: FROM, to: FROM + 60_000 });
    expect(polled.samples.map((s) => s.value)).toEqual([3, 4, 5]);
    expect(polled.problems).toEqual(['errors (canary): 5 points exceed the limit of 3 per query; the oldest 2 were left out']);
  });

  it('leaves out an answer larger than the byte limit without reading it all', async () => {
    const tight = createPrometheusSource({ timeoutMs: 2000, maxAnswerBytes: 1024 });
    const big = matrix({ values: Array.from({ length: 5000 }, (_, i): [number, string] => [T0 + i, '1']) });
    stub.handle((_req, res) => json(res, 200, big));
    const polled = await tight.poll(sourceAt(stub.url, [{ metric: 'errors', canary: 'canary_q' }]), { from: FROM, to: TO });
    expect(polled.samples).toEqual([]);
    expect(polled.problems).toEqual([
      'errors (canary): the answer is larger than 1024 bytes and was left out (narrow the query or the range)',
    ]);
  });

  it('does not follow a redirect', async () => {
    stub.handle((_req, res) => res.writeHead(302, { location: 'https://login.example.com/sso?next=/x' }).end());
    stub.requests.length = 0;
    const polled = await source.poll(sourceAt(stub.url, [{ metric: 'errors', canary: 'canary_q' }]), { from: FROM, to: TO });
    expect(stub.requests).toHaveLength(1);
    expect(polled.problems).toEqual([
      'errors (canary): HTTP 302 redirect to https://login.example.com (another host), not followed: set the final URL',
    ]);
  });

  it('reports one query that times out while the others answer (the server is reachable: no throw)', async () => {
    stub.handle((req, res) => {
      if (groupOf(req.url.searchParams.get('query')) === 'canary') return; // never answers
      json(res, 200, matrix({ values: [[T0, '7']] }));
    });
    const polled = await source.poll(sourceAt(stub.url), { from: FROM, to: TO });
    expect(polled.samples).toEqual([{ metric: 'latency_p99_ms', group: 'baseline', ts: FROM, value: 7 }]);
    expect(polled.problems).toEqual(['latency_p99_ms (canary): no answer: timed out after 400 ms']);
  });
});

describe('Prometheus source: a server that cannot be reached', () => {
  const queries = Array.from({ length: 10 }, (_, i) => ({ metric: `m${i}`, canary: `canary_${i}`, baseline: `baseline_${i}` }));

  it('throws AppError unavailable (retryable) when the connection is refused, after a few tries, not twenty', async () => {
    const port = await closedPort();
    const source = createPrometheusSource({ timeoutMs: 400 });
    const err = await source.poll(sourceAt(`http://127.0.0.1:${port}`, queries), { from: FROM, to: TO }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const app = err as AppError;
    expect(app.code).toBe('unavailable');
    expect(app.retryable).toBe(true);
    expect(app.message).toBe(`Prometheus at http://127.0.0.1:${port} cannot be reached: connection refused (ECONNREFUSED)`);
    expect((app.details as { tried: number; queries: number }).queries).toBe(20);
    // Four in flight; it stops starting new ones once three have failed with none answered: at most six tries.
    expect((app.details as { tried: number }).tried).toBeLessThanOrEqual(6);
  });

  it('throws unavailable when every query tried times out (a server that hangs)', async () => {
    const hang = await startStub(() => {});
    try {
      const source = createPrometheusSource({ timeoutMs: 300, concurrency: 2 });
      const err = (await source.poll(sourceAt(hang.url, queries), { from: FROM, to: TO }).catch((e: unknown) => e)) as AppError;
      expect(err).toBeInstanceOf(AppError);
      expect(err.code).toBe('unavailable');
      expect(err.message).toMatch(/cannot be reached: timed out after 300 ms$/);
      // Two at a time, stopping after three silent queries: four were sent, not twenty.
      expect(hang.requests.length).toBe(4);
    } finally {
      await hang.close();
    }
  });

  it('refuses a range that is not one, as a caller error', async () => {
    const source = createPrometheusSource();
    await expect(source.poll(sourceAt('http://127.0.0.1:9'), { from: TO, to: FROM })).rejects.toMatchObject({ code: 'bad_request' });
  });
});
