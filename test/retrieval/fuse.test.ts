import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion, RRF_K } from '../../src/retrieval/fuse.js';
import { makeSnippet } from '../../src/retrieval/snippet.js';
import { hasExplicitSyntax, textQueries } from '../../src/retrieval/text-query.js';

describe('reciprocal rank fusion', () => {
  it('sums 1/(k+rank) over the lists a hit appears in', () => {
    const fused = reciprocalRankFusion(
      [
        { id: 'a', score: 0.9 },
        { id: 'b', score: 0.8 },
      ],
      [
        { id: 'b', score: 3 },
        { id: 'c', score: 1 },
      ],
    );
    const byId = Object.fromEntries(fused.map((f) => [f.id, f]));
    expect(byId.b!.fused).toBeCloseTo(1 / (RRF_K + 2) + 1 / (RRF_K + 1), 12);
    expect(byId.a!.fused).toBeCloseTo(1 / (RRF_K + 1), 12);
    expect(byId.c!.fused).toBeCloseTo(1 / (RRF_K + 2), 12);
    expect(fused.map((f) => f.id)).toEqual(['b', 'a', 'c']);
    expect(byId.b).toMatchObject({ vector: 0.8, text: 3, vectorRank: 2, textRank: 1 });
    expect(byId.c).toMatchObject({ vector: 0, text: 1 });
  });

  it('breaks equal fused scores by vector similarity, then id, so order is stable', () => {
    const fused = reciprocalRankFusion([{ id: 'x', score: 0.5 }], [{ id: 'y', score: 9 }]);
    expect(fused.map((f) => f.id)).toEqual(['x', 'y']);
    expect(
      reciprocalRankFusion(
        [],
        [
          { id: 'b', score: 1 },
          { id: 'a', score: 1 },
        ],
      ).map((f) => f.id),
    ).toEqual(['b', 'a']);
  });

  it('counts a repeated id once per list (its best rank)', () => {
    const [only] = reciprocalRankFusion(
      [
        { id: 'a', score: 1 },
        { id: 'a', score: 0.5 },
      ],
      [],
    );
    expect(only!.fused).toBeCloseTo(1 / (RRF_K + 1), 12);
    expect(only!.vector).toBe(1);
  });

  it('is empty for empty inputs', () => {
    expect(reciprocalRankFusion([], [])).toEqual([]);
  });
});

describe('text query building', () => {
  it('joins the lexemes with AND and with OR, leaving out the corpus-common ones', () => {
    expect(textQueries(['checkout', 'econnreset', 'deploy', 'checkout'], new Map([['deploy', 0.4]]))).toEqual({
      all: "'checkout' & 'econnreset'",
      any: "'checkout' | 'econnreset'",
    });
  });
  it('ORs only the rare lexemes, at most eight, the rarest first; AND keeps every word that is not common', () => {
    const shares = new Map([
      ['fix', 0.12],
      ['feat', 0.11],
      ['client', 0.045],
      ['oauth', 0.044],
    ]);
    const q = textQueries(['fix', 'oauth', 'client', 'password', 'algo', 'feat'], shares)!;
    expect(q.all).toBe("'fix' & 'oauth' & 'client' & 'password' & 'algo' & 'feat'");
    expect(q.any).toBe("'password' | 'algo'");
    // No rare word at all: the rarest of the rest, in query order.
    expect(textQueries(['fix', 'oauth', 'feat'], shares)!.any).toBe("'fix' | 'oauth' | 'feat'");
    const many = Array.from({ length: 12 }, (_, i) => `word${i}`);
    expect(textQueries(many, new Map())!.any.split(' | ')).toHaveLength(8);
  });
  it('keeps all lexemes when every one is common, and gives nothing for no lexemes', () => {
    expect(
      textQueries(
        ['deploy', 'servic'],
        new Map([
          ['deploy', 0.5],
          ['servic', 0.6],
        ]),
      )?.any,
    ).toBe("'deploy' | 'servic'");
    expect(textQueries([], new Map())).toBeUndefined();
  });
  it('quotes lexemes so a quote or backslash cannot break out of the tsquery', () => {
    expect(textQueries(["o'brien", 'a\\b'], new Map())?.any).toBe("'o''brien' | 'a\\\\b'");
  });
  it('recognises explicit websearch syntax', () => {
    expect(hasExplicitSyntax('"connection reset" payments')).toBe(true);
    expect(hasExplicitSyntax('redis or memcached')).toBe(true);
    expect(hasExplicitSyntax('checkout -staging')).toBe(true);
    expect(hasExplicitSyntax('checkout-service order timeout')).toBe(false);
    expect(hasExplicitSyntax('error in orders')).toBe(false);
  });
});

describe('snippets', () => {
  const text = 'a'.repeat(500) + ' the ECONNRESET happened here ' + 'b'.repeat(500);
  it('centres on the first query word found', () => {
    const s = makeSnippet(text, 'econnreset timeout', 100);
    expect(s).toContain('ECONNRESET');
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s.length).toBeLessThanOrEqual(102);
  });
  it('falls back to the start when nothing matches, and keeps short text whole', () => {
    expect(makeSnippet(text, 'zzz', 50)).toBe('a'.repeat(49) + '…');
    expect(makeSnippet('short\n\ntext', 'x')).toBe('short text');
  });
});
