/**
 * mulberry32: a tiny seeded PRNG, so row subsampling gives the same trees on
 * every machine for the same seed. Never Math.random: a model that cannot be
 * refitted bit for bit cannot be audited.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
