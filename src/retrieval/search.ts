import type { SearchHit, SearchQuery } from '../contracts/search.js';
import type { Embedder } from '../ingest/embedder.js';
import type { ChunkFilter, RankedChunk, Store, VectorMode } from '../store/index.js';
import { reciprocalRankFusion } from './fuse.js';
import { makeSnippet } from './snippet.js';
import { COMMON_LEXEME_SHARE, hasExplicitSyntax, textQueries } from './text-query.js';

/** Candidates taken from each list before fusion: enough that fusion has overlap to work with. */
export const CANDIDATES = 50;

export interface RetrievalDeps {
  store: Pick<Store, 'chunks' | 'services'>;
  embedder: Embedder;
}

export interface SearchOptions {
  /** `exact` bypasses the vector index (ground truth for recall checks). */
  vectorMode?: VectorMode;
}

/**
 * Hybrid retrieval: vector top-N and full-text top-N, each filtered by
 * tenant, service, kind and `asOf` inside the database, fused by RRF. The
 * tenant comes from the caller's token, never from the query.
 */
export function createRetrieval({ store, embedder }: RetrievalDeps) {
  /**
   * Full-text hits: explicit syntax as written; otherwise chunks holding every
   * kept word first, then (only if those are fewer than n) chunks holding any.
   */
  async function textHits(q: string, filter: ChunkFilter, n: number): Promise<RankedChunk[]> {
    if (hasExplicitSyntax(q)) {
      const tsquery = await store.chunks.websearchQuery(q);
      return tsquery ? store.chunks.textSearch(filter, tsquery, n) : [];
    }
    const [lexemes, common] = await Promise.all([store.chunks.queryLexemes(q), store.chunks.commonLexemes(COMMON_LEXEME_SHARE)]);
    const queries = textQueries(lexemes, common);
    if (!queries) return [];
    const all = await store.chunks.textSearch(filter, queries.all, n);
    if (all.length >= n || queries.all === queries.any) return all;
    const seen = new Set(all.map((h) => h.chunkId));
    const any = await store.chunks.textSearch(filter, queries.any, n);
    return [...all, ...any.filter((h) => !seen.has(h.chunkId))].slice(0, n);
  }

  return {
    async search(tenantId: string, q: SearchQuery, opts: SearchOptions = {}): Promise<SearchHit[]> {
      let serviceId: string | undefined;
      if (q.service) {
        serviceId = await store.services.find(tenantId, q.service);
        if (!serviceId) return []; // an unknown service has no history, not an error
      }
      const filter = {
        tenantId,
        ...(serviceId ? { serviceId } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.asOf ? { asOf: new Date(q.asOf) } : {}),
      };
      const n = Math.max(CANDIDATES, q.k * 2);
      const [vec] = await embedder.embed([q.q]);
      const vectorHits = await store.chunks.vectorSearch(filter, vec!, n, opts.vectorMode);
      const textHitList = await textHits(q.q, filter, n);
      const byId = new Map<string, RankedChunk>();
      for (const h of [...vectorHits, ...textHitList]) byId.set(h.chunkId, h);
      const fused = reciprocalRankFusion(
        vectorHits.map((h) => ({ id: h.chunkId, score: h.score })),
        textHitList.map((h) => ({ id: h.chunkId, score: h.score })),
      );
      return fused.slice(0, q.k).map((f) => {
        const c = byId.get(f.id)!;
        return {
          chunkId: c.chunkId,
          documentId: c.documentId,
          kind: c.kind as SearchHit['kind'],
          service: c.service,
          title: c.title,
          snippet: makeSnippet(c.text, q.q),
          occurredAt: c.occurredAt.toISOString(),
          score: { vector: round(f.vector), text: round(f.text), fused: round(f.fused) },
        };
      });
    },
  };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export type Retrieval = ReturnType<typeof createRetrieval>;
