import { describe, expect, it } from 'vitest';
import { lcsLength, lcsPositions, rougeF1, rougeL, rougeLsum, tokenLines, tokens, unionLcsHits } from '../../src/evals/notes/rouge.js';

describe('tokens', () => {
  it('keeps link text, drops link targets and bare URLs, lower-cases, splits on underscores and punctuation', () => {
    expect(tokens('**Fix:** see [#12](https://x.org/pull/12) and https://foo.bar/baz now, snake_case `v-if`')).toEqual([
      'fix',
      'see',
      '12',
      'and',
      'now',
      'snake',
      'case',
      'v',
      'if',
    ]);
  });

  it('treats letters of any script as words', () => {
    expect(tokens('山吹色 Ünïcode')).toEqual(['山吹色', 'ünïcode']);
  });

  it('lines: one token list per non-empty line', () => {
    expect(tokenLines('### Bug Fixes\n\n- a b\n  \n- c')).toEqual([['bug', 'fixes'], ['a', 'b'], ['c']]);
  });
});

describe('LCS', () => {
  it('finds the longest common subsequence', () => {
    expect(lcsLength(['a', 'b', 'c', 'd'], ['a', 'c', 'd', 'b'])).toBe(3);
    expect(lcsLength([], ['a'])).toBe(0);
    expect(lcsPositions(['a', 'b', 'c', 'd'], ['a', 'c', 'd', 'b']).sort()).toEqual([0, 2, 3]);
  });

  it('ROUGE-L F1 = 2·lcs/(m+n): "a b c d" vs "a c d b" is 2·3/8', () => {
    expect(rougeL('a b c d', 'a c d b')).toBeCloseTo(0.75, 12);
    expect(rougeF1(0, 0, 0)).toBe(1);
    expect(rougeL('', 'a')).toBe(0);
  });
});

describe('ROUGE-Lsum (union LCS per reference line)', () => {
  it("Lin's example: r = w1..w5, c1 = w1 w2 w6 w7 w8, c2 = w1 w3 w8 w9 w5 → union {w1 w2 w3 w5} = 4 hits", () => {
    const r = [['w1', 'w2', 'w3', 'w4', 'w5']];
    const c = [
      ['w1', 'w2', 'w6', 'w7', 'w8'],
      ['w1', 'w3', 'w8', 'w9', 'w5'],
    ];
    expect(unionLcsHits(c, r)).toBe(4);
    expect(rougeLsum('w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5', 'w1 w2 w3 w4 w5')).toBeCloseTo((2 * 4) / 15, 12);
  });

  it('does not care about line order, unlike ROUGE-L', () => {
    expect(rougeLsum('c d\na b', 'a b\nc d')).toBe(1);
    expect(rougeL('c d\na b', 'a b\nc d')).toBeCloseTo(0.5, 12);
  });

  it('counts a token at most as often as it occurs in both texts', () => {
    // Both candidate lines match the same "a" of the reference line: one hit, not two.
    expect(unionLcsHits([['a'], ['a']], [['a', 'a']])).toBe(1);
    expect(unionLcsHits([['a', 'a']], [['a', 'a']])).toBe(2);
    // The candidate has one "x": two reference lines cannot both be credited with it.
    expect(unionLcsHits([['x', 'y']], [['x'], ['x']])).toBe(1);
  });
});
