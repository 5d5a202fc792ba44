/**
 * Reciprocal rank fusion (Cormack et al., SIGIR 2009): score = Σ 1/(k + rank).
 * Ranks, not raw scores, are fused because cosine similarity and ts_rank live
 * on unrelated scales. k = 60 is the paper's value; it damps the head so one
 * list alone cannot dominate.
 */
export const RRF_K = 60;

export interface Ranked {
  id: string;
  score: number;
}

export interface Fused {
  id: string;
  vector: number;
  text: number;
  fused: number;
  vectorRank?: number;
  textRank?: number;
}

export function reciprocalRankFusion(vector: readonly Ranked[], text: readonly Ranked[], k = RRF_K): Fused[] {
  const byId = new Map<string, Fused>();
  const get = (id: string) => {
    let f = byId.get(id);
    if (!f) byId.set(id, (f = { id, vector: 0, text: 0, fused: 0 }));
    return f;
  };
  vector.forEach((r, i) => {
    const f = get(r.id);
    if (f.vectorRank !== undefined) return; // first (best) occurrence wins
    f.vector = r.score;
    f.vectorRank = i + 1;
    f.fused += 1 / (k + i + 1);
  });
  text.forEach((r, i) => {
    const f = get(r.id);
    if (f.textRank !== undefined) return;
    f.text = r.score;
    f.textRank = i + 1;
    f.fused += 1 / (k + i + 1);
  });
  // Ties (same fused score) go to the better vector similarity, then id, so order is stable.
  return [...byId.values()].sort((a, b) => b.fused - a.fused || b.vector - a.vector || a.id.localeCompare(b.id));
}
