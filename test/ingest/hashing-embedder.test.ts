import { describe, expect, it } from 'vitest';
import { HashingEmbedder, tokenize } from '../../src/ingest/embed/hashing.js';

const embedder = new HashingEmbedder();
const cosine = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);
const norm = (v: number[]) => Math.sqrt(cosine(v, v));

async function sim(a: string, b: string): Promise<number> {
  const [va, vb] = await embedder.embed([a, b]);
  return cosine(va!, vb!);
}

describe('HashingEmbedder', () => {
  it('is deterministic across instances', async () => {
    const text = 'TypeError: Cannot read properties of undefined at chargeCard (src/payments/charge.ts:42:17)';
    const [a] = await new HashingEmbedder().embed([text]);
    const [b] = await new HashingEmbedder().embed([text]);
    expect(a).toEqual(b);
    expect(embedder.id).toBe('hashing-v1');
  });

  it('returns one unit vector per text, in order', async () => {
    const texts = ['deploy started', 'ECONNRESET', 'x'.repeat(5000), 'rollback of release 2024.05.01 finished'];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    for (const v of vectors) {
      expect(v).toHaveLength(384);
      expect(norm(v)).toBeCloseTo(1, 10);
    }
    expect((await embedder.embed([texts[1]!]))[0]).toEqual(vectors[1]);
  });

  it('honours the dimension option', async () => {
    const [small] = await new HashingEmbedder({ dimension: 64 }).embed(['payments timeout']);
    const [large] = await new HashingEmbedder({ dimension: 1024 }).embed(['payments timeout']);
    expect(new HashingEmbedder({ dimension: 64 }).dimension).toBe(64);
    expect(small).toHaveLength(64);
    expect(large).toHaveLength(1024);
    expect(norm(small!)).toBeCloseTo(1, 10);
    expect(() => new HashingEmbedder({ dimension: 0 })).toThrow(/dimension/);
  });

  it('gives empty and featureless text a fixed finite unit vector, not zeros (pgvector cosine would be NaN)', async () => {
    const [empty, blank, punct] = await embedder.embed(['', '   \n\t', '--- ... !!! the of']);
    for (const v of [empty!, blank!, punct!]) {
      expect(v.every(Number.isFinite)).toBe(true);
      expect(norm(v)).toBeCloseTo(1, 10);
    }
    expect(blank).toEqual(empty);
    expect(punct).toEqual(empty);
  });

  it('puts a log line near the same event with other ids, times and durations', async () => {
    const line = '2024-05-01T12:03:04.123Z ERROR [payments] request 8f3a9c2e failed after 1532ms: ECONNRESET';
    const sameEvent = '2024-05-02T09:13:44.901Z ERROR [payments] request 1b2c7d4e failed after 87ms: ECONNRESET';
    const unrelated = '2024-05-01T12:03:05.001Z INFO [search] cache warmed 120 keys in 45ms';
    const same = await sim(line, sameEvent);
    const other = await sim(line, unrelated);
    expect(same).toBeGreaterThan(0.9);
    expect(same - other).toBeGreaterThan(0.5);
  });

  it('masks uuids and large numbers but keeps HTTP statuses', async () => {
    expect(tokenize('user 12345 got 503 for job 550e8400-e29b-41d4-a716-446655440000')).toEqual([
      'user',
      '<num>',
      'got',
      '503',
      'job',
      '<num>',
    ]);
    expect(tokenize('req_8f3a9c2e')).toEqual(['req', '<hex>']);
    expect(await sim('upstream returned 503', 'upstream returned 404')).toBeLessThan(
      await sim('upstream returned 503', 'upstream returned 503 again'),
    );
  });

  it('ranks a document containing the query error code above one without it', async () => {
    const query = 'ECONNRESET in payments';
    const withCode = 'read ECONNRESET on upstream connection';
    const withoutCode = 'payments service deployed to production';
    expect(await sim(query, withCode)).toBeGreaterThan(await sim(query, withoutCode));
    expect(await sim('ECONNRESET', 'econnreset')).toBeCloseTo(1, 10);
  });

  it('splits paths and identifiers so their parts match plain words', async () => {
    expect(tokenize('src/payments/charge.ts paymentService HTTPServer')).toEqual([
      'src',
      'payments',
      'charge',
      'ts',
      'payment',
      'service',
      'http',
      'server',
    ]);
    const path = 'src/payments/charge.ts';
    const near = await sim(path, 'payments charge');
    expect(near).toBeGreaterThan(0.4);
    expect(near).toBeGreaterThan((await sim(path, 'search index rebuild')) + 0.3);
    // Char n-grams carry near spellings: plural, other identifier style.
    expect(await sim('payment_service timeout', 'PaymentService timeouts')).toBeGreaterThan(0.5);
  });
});
