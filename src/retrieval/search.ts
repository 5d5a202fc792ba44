import type { Embedder } from '../contracts/embedder.js';
import type { ChunkHit, SearchHit, SearchQuery } from '../contracts/search.js';
import { reciprocalRankFusion } from './fuse.js';
import type { ChunkFilter, ChunkIndex, ServiceDirectory, VectorMode } from './ports.js';
import { makeSnippet } from './snippet.js';
import { hasExplicitSyntax, textQueries } from './text-query.js';

/** Candidates taken from each list before fusion: enough that fusion has overlap to work with. */
export const CANDIDATES = 50;

export interface RetrievalDeps {
  chunks: ChunkIndex;
  services: ServiceDirectory;
  embedder: Embedder;
}

export interface SearchOptions {
  /** `exact` bypasses the vector index (ground truth for recall checks). */
  vectorMode?: VectorMode;
  /**
   * Vector candidates the caller already found with a broader filter (e.g. the
   * tenant as of a time): they are narrowed to this query's filters and used
   * as the vector half, so the text is neither embedded nor searched again.
   */
  vectorHits?: readonly ChunkHit[];
  /** The id of `q.service` when the caller holds it already (the risk score does): saves looking the name up. */
  serviceId?: string;
}

/**
 * Hybrid retrieval: vector top-N and full-text top-N, each filtered by
 * tenant, service, kind and `asOf` inside the database, fused by RRF. The
 * tenant comes from the caller's token, never from the query.
 */
export function createRetrieval({ chunks, services, embedder }: RetrievalDeps) {
  /**
   * Full-text hits: explicit syntax as written; otherwise chunks holding every
   * kept word first, then (only if those are fewer than n) chunks holding any.
   */
  async function textHits(q: string, filter: ChunkFilter, n: number): Promise<ChunkHit[]> {
    if (hasExplicitSyntax(q)) {
      const tsquery = await chunks.websearchQuery(q);
      return tsquery ? chunks.textSearch(filter, { all: tsquery }, n) : [];
    }
    const [lexemes, shares] = await Promise.all([chunks.queryLexemes(q), chunks.lexemeShares()]);
    const queries = textQueries(lexemes, shares);
    if (!queries) return [];
    return chunks.textSearch(filter, queries.all === queries.any ? { all: queries.all } : queries, n);
  }

  async function vectorHits(q: SearchQuery, filter: ChunkFilter, n: number, opts: SearchOptions): Promise<ChunkHit[]> {
    if (opts.vectorHits) {
      const asOf = filter.asOf?.getTime();
      return opts.vectorHits
        .filter((h) => (!q.service || h.service === q.service) && (!q.kind || h.kind === q.kind))
        .filter((h) => asOf === undefined || h.occurredAt.getTime() <= asOf)
        .slice(0, n);
    }
    const [vec] = await embedder.embed([q.q]);
    return chunks.vectorSearch(filter, vec!, n, opts.vectorMode);
  }

  return {
    async search(tenantId: string, q: SearchQuery, opts: SearchOptions = {}): Promise<SearchHit[]> {
      let serviceId = q.service ? opts.serviceId : undefined;
      if (q.service && !serviceId) {
        serviceId = await services.find(tenantId, q.service);
        if (!serviceId) return []; // an unknown service has no history, not an error
      }
      const filter: ChunkFilter = {
        tenantId,
        ...(serviceId ? { serviceId } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.asOf ? { asOf: new Date(q.asOf) } : {}),
      };
      const n = Math.max(CANDIDATES, q.k * 2);
      const vectorList = await vectorHits(q, filter, n, opts);
      const textList = await textHits(q.q, filter, n);
      const byId = new Map<string, ChunkHit>();
      for (const h of [...vectorList, ...textList]) byId.set(h.chunkId, h);
      const fused = reciprocalRankFusion(
        vectorList.map((h) => ({ id: h.chunkId, score: h.score })),
        textList.map((h) => ({ id: h.chunkId, score: h.score })),
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
