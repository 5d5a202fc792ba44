import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIEmbedder, EmbeddingError } from '../../src/llm/embeddings.js';
import { fakeVector, startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';

const API_KEY = 'sk-test-SECRET-0123456789';
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const bodies = (server: FakeOpenAI) =>
  server.requests.filter((r) => r.path === '/v1/embeddings').map((r) => r.body as Record<string, unknown>);

describe('createOpenAIEmbedder against a fake OpenAI-compatible server', () => {
  const servers: FakeOpenAI[] = [];
  async function start(...args: Parameters<typeof startFakeOpenAI>): Promise<FakeOpenAI> {
    const s = await startFakeOpenAI(...args);
    servers.push(s);
    return s;
  }
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  let server: FakeOpenAI;
  beforeAll(async () => {
    server = await start();
  });

  it('returns normalised vectors of the configured dimension, in input order', async () => {
    const embedder = createOpenAIEmbedder({ baseURL: server.baseURL, apiKey: API_KEY, model: 'text-embedding-3-small', dimension: 16 });
    expect(embedder.id).toBe('openai:text-embedding-3-small');
    expect(embedder.dimension).toBe(16);
    const texts = ['ECONNRESET in payments', 'line one\nline two', 'rollback finished'];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(3);
    vectors.forEach((v, i) => {
      expect(v).toHaveLength(16);
      expect(norm(v)).toBeCloseTo(1, 6);
      // Same direction as the fake's raw vector for that text: order kept, float32 rounding aside.
      const raw = fakeVector(texts[i]!, 16);
      const cos = raw.reduce((s, x, j) => s + x * v[j]!, 0) / norm(raw);
      expect(cos).toBeCloseTo(1, 6);
    });
    const [body] = bodies(server).slice(-1);
    expect(body).toMatchObject({ model: 'text-embedding-3-small', dimensions: 16, encoding_format: 'float' });
    expect(body?.input).toEqual(texts); // newlines kept
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('also accepts a base64 reply from a server that ignores encoding_format', async () => {
    const b64 = await start({ embeddings: { forceEncoding: 'base64' } });
    const embedder = createOpenAIEmbedder({ baseURL: b64.baseURL, apiKey: API_KEY, model: 'm', dimension: 8 });
    const [v] = await embedder.embed(['hello']);
    expect(v).toHaveLength(8);
    expect(norm(v!)).toBeCloseTo(1, 6);
  });

  it('splits input into batches of batchSize', async () => {
    const before = bodies(server).length;
    const embedder = createOpenAIEmbedder({ baseURL: server.baseURL, apiKey: API_KEY, model: 'm', dimension: 8, batchSize: 2 });
    const vectors = await embedder.embed(['a', 'b', 'c', 'd', 'e']);
    expect(vectors).toHaveLength(5);
    const sent = bodies(server).slice(before);
    expect(sent.map((b) => b.input)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    // Each vector belongs to its own text even across batches.
    expect(vectors[4]).toEqual((await embedder.embed(['e']))[0]);
  });

  it('makes no request for an empty list', async () => {
    const before = server.requests.length;
    const embedder = createOpenAIEmbedder({ baseURL: server.baseURL, apiKey: API_KEY, model: 'm', dimension: 8 });
    expect(await embedder.embed([])).toEqual([]);
    expect(server.requests.length).toBe(before);
  });

  it('refuses vectors of the wrong dimension with a clear error', async () => {
    const wrong = await start({ embeddings: { forceDimension: 12 } });
    const embedder = createOpenAIEmbedder({ baseURL: wrong.baseURL, apiKey: API_KEY, model: 'm', dimension: 16 });
    await expect(embedder.embed(['x'])).rejects.toThrow('embedding endpoint returned 12 dimensions, expected 16');
  });

  it('refuses an all-zero vector (cosine distance would be NaN)', async () => {
    const zero = await start({
      embeddings: {
        script: [{ status: 200, body: { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0, 0, 0, 0] }] } }],
      },
    });
    const embedder = createOpenAIEmbedder({ baseURL: zero.baseURL, apiKey: API_KEY, model: 'm', dimension: 4 });
    await expect(embedder.embed(['x'])).rejects.toThrow(/zero vector/);
  });

  it('reports a server error naming the endpoint but never the API key', async () => {
    const failing = await start({
      embeddings: { script: [{ status: 500, body: { error: { message: `internal error for key ${API_KEY}`, type: 'server_error' } } }] },
    });
    const embedder = createOpenAIEmbedder({ baseURL: failing.baseURL, apiKey: API_KEY, model: 'm', dimension: 8, maxRetries: 0 });
    const err = await embedder.embed(['x']).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EmbeddingError);
    const e = err as EmbeddingError;
    expect(e.message).toContain(failing.baseURL);
    expect(e.message).toContain('HTTP 500');
    expect(e.message).not.toContain(API_KEY);
    expect(JSON.stringify({ ...e, stack: e.stack })).not.toContain(API_KEY);
    expect(e.retryable).toBe(true);
    expect(e.httpStatus).toBe(500);
    expect(e.code).toBe('unavailable');
  });

  it('marks a 400 as not retryable and does not retry it', async () => {
    const bad = await start({ embeddings: { script: [{ status: 400, body: { error: { message: 'bad input' } } }] } });
    const embedder = createOpenAIEmbedder({ baseURL: bad.baseURL, apiKey: API_KEY, model: 'm', dimension: 8, maxRetries: 2 });
    await expect(embedder.embed(['x'])).rejects.toMatchObject({ retryable: false, httpStatus: 400 });
    expect(bad.requests).toHaveLength(1);
  });

  it('retries a 500 and then succeeds', async () => {
    const flaky = await start({ embeddings: { script: [{ status: 500, body: { error: { message: 'flaky' } } }] } });
    const embedder = createOpenAIEmbedder({ baseURL: flaky.baseURL, apiKey: API_KEY, model: 'm', dimension: 8, maxRetries: 1 });
    const [v] = await embedder.embed(['x']);
    expect(v).toHaveLength(8);
    expect(flaky.requests).toHaveLength(2);
  });

  it('gives up on a stalled server after timeoutMs', async () => {
    const stalled = await start({ embeddings: { script: [{ stallMs: 5000 }] } });
    const embedder = createOpenAIEmbedder({
      baseURL: stalled.baseURL,
      apiKey: API_KEY,
      model: 'm',
      dimension: 8,
      timeoutMs: 300,
      maxRetries: 0,
    });
    await expect(embedder.embed(['x'])).rejects.toThrow(`embedding request to ${stalled.baseURL} timed out`);
  });

  it('reports a refused connection with the endpoint and without the key', async () => {
    const gone = await startFakeOpenAI();
    const baseURL = gone.baseURL;
    await gone.close();
    const embedder = createOpenAIEmbedder({ baseURL, apiKey: API_KEY, model: 'm', dimension: 8, maxRetries: 0 });
    const err = await embedder.embed(['x']).catch((e: unknown) => e as EmbeddingError);
    expect(err).toBeInstanceOf(EmbeddingError);
    expect((err as EmbeddingError).message).toContain(baseURL);
    expect((err as EmbeddingError).message).not.toContain(API_KEY);
    expect((err as EmbeddingError).retryable).toBe(true);
  });
});
