import type { SearchHit, SearchQuery } from '../contracts/search.js';
import type { Embedder } from '../ingest/embedder.js';
import type { RankedChunk, Store, VectorMode } from '../store/index.js';
import { reciprocalRankFusion } from './fuse.js';
import { makeSnippet } from './snippet.js';
import { COMMON_LEXEME_SHARE, hasExplicitSyntax, orQuery } from './text-query.js';

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
  async function textQuery(q: string): Promise<string | undefined> {
    if (hasExplicitSyntax(q)) return (await store.chunks.websearchQuery(q)) || undefined;
    const [lexemes, common] = await Promise.all([
      store.chunks.queryLexemes(q),
      store.chunks.commonLexemes(COMMON_LEXEME_SHARE),
    ]);
    return orQuery(lexemes, common);
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
      const tsquery = await textQuery(q.q);
      const textHits = tsquery ? await store.chunks.textSearch(filter, tsquery, n) : [];
      const byId = new Map<string, RankedChunk>();
      for (const h of [...vectorHits, ...textHits]) byId.set(h.chunkId, h);
      const fused = reciprocalRankFusion(
        vectorHits.map((h) => ({ id: h.chunkId, score: h.score })),
        textHits.map((h) => ({ id: h.chunkId, score: h.score })),
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
