import { describe, expect, it } from 'vitest';
import { editDistance } from '../../src/notes/edit-distance.js';

describe('edit distance between the machine draft and an edit', () => {
  it('is the Levenshtein distance in characters', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('same text', 'same text')).toBe(0);
    expect(editDistance('- Fixed: crash\n', '- Fixed: a crash\n')).toBe(2);
  });

  it('is symmetric and obeys the triangle inequality on random texts', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const text = () => Array.from({ length: 5 + Math.floor(rnd() * 30) }, () => 'ab c\n'[Math.floor(rnd() * 5)]).join('');
    for (let i = 0; i < 200; i++) {
      const [a, b, c] = [text(), text(), text()];
      expect(editDistance(a, b)).toBe(editDistance(b, a));
      expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
    }
  });

  it('stays fast on long notes with a small edit, and counts whole lines when the edit is huge', () => {
    const long = Array.from({ length: 3000 }, (_, i) => `- Fixed: item ${i} does the right thing now`).join('\n');
    const edited = long.replace('item 1500 does', 'item 1500 now does');
    expect(editDistance(long, edited)).toBe(4);
    const other = Array.from({ length: 3000 }, (_, i) => `- Added: feature ${i} for everyone who asked`).join('\n');
    const d = editDistance(long, other);
    // Every line differs: the distance is at least the longer text's change, at most both texts' lengths.
    expect(d).toBeGreaterThan(long.length / 2);
    expect(d).toBeLessThanOrEqual(long.length + other.length);
  });
});
