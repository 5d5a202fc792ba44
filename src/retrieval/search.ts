import type { Embedder } from '../contracts/embedder.js';
import type { ChunkHit, DocumentHit, SearchHit, SearchQuery, SearchRequest, SearchResponse } from '../contracts/search.js';
import { type Fused, reciprocalRankFusion } from './fuse.js';
import { groupByDocument } from './group.js';
import type { ChunkFilter, ChunkIndex, ServiceDirectory, VectorMode } from './ports.js';
import { makeSnippet } from './snippet.js';
import { hasExplicitSyntax, textQueries } from './text-query.js';

/** Candidates taken from each list before fusion: enough that fusion has overlap to work with. */
export const CANDIDATES = 50;
/**
 * The most chunks a grouped search takes from each list to fill k documents
 * (a document can have dozens of matching chunks): past it, fewer than k
 * documents come back.
 */
export const MAX_GROUPED_CANDIDATES = 2000;

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

/** The fused candidates of one search, best first, and whether either list was cut at its limit (more may exist). */
interface Candidates {
  fused: Fused[];
  byId: Map<string, ChunkHit>;
  cut: boolean;
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

  /**
   * The n nearest chunks under the filter. The HNSW index can come back short
   * under a filter even with pgvector's iterative scan: near-duplicate chunks
   * leave parts of the graph unreachable from where the walk starts, and a
   * service filter then matched nothing it reached (0 of the 50 rows asked
   * for, where an exact scan finds 50). A short answer is taken again by an exact scan of the
   * filtered rows; when the filter keeps fewer than n rows that scan reads
   * only those rows.
   */
  async function nearest(filter: ChunkFilter, embedding: number[], n: number, mode: VectorMode = 'index'): Promise<ChunkHit[]> {
    const hits = await chunks.vectorSearch(filter, embedding, n, mode);
    if (mode === 'exact' || hits.length >= n) return hits;
    return chunks.vectorSearch(filter, embedding, n, 'exact');
  }

  function narrowed(given: readonly ChunkHit[], q: SearchQuery, filter: ChunkFilter, n: number): ChunkHit[] {
    const asOf = filter.asOf?.getTime();
    return given
      .filter((h) => (!q.service || h.service === q.service) && (!q.kind || h.kind === q.kind))
      .filter((h) => asOf === undefined || h.occurredAt.getTime() <= asOf)
      .slice(0, n);
  }

  /** The filter of a query, or undefined when it names a service the tenant does not have (no history, not an error). */
  async function filterOf(tenantId: string, q: SearchQuery, opts: SearchOptions): Promise<ChunkFilter | undefined> {
    let serviceId = q.service ? opts.serviceId : undefined;
    if (q.service && !serviceId) {
      serviceId = await services.find(tenantId, q.service);
      if (!serviceId) return undefined;
    }
    return {
      tenantId,
      ...(serviceId ? { serviceId } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.asOf ? { asOf: new Date(q.asOf) } : {}),
    };
  }

  /** Both halves with n candidates each, fused. `embedding` is the query's vector, computed once per search. */
  async function candidates(q: SearchQuery, filter: ChunkFilter, n: number, opts: SearchOptions, embedding: () => Promise<number[]>) {
    const vectorList = opts.vectorHits
      ? narrowed(opts.vectorHits, q, filter, n)
      : await nearest(filter, await embedding(), n, opts.vectorMode);
    const textList = await textHits(q.q, filter, n);
    const byId = new Map<string, ChunkHit>();
    for (const h of [...vectorList, ...textList]) byId.set(h.chunkId, h);
    const fused = reciprocalRankFusion(
      vectorList.map((h) => ({ id: h.chunkId, score: h.score })),
      textList.map((h) => ({ id: h.chunkId, score: h.score })),
    );
    const cut = (!opts.vectorHits && vectorList.length >= n) || textList.length >= n;
    return { fused, byId, cut } satisfies Candidates;
  }

  function hitOf(f: Fused, c: ChunkHit, q: SearchQuery): SearchHit {
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
  }

  const embedOnce = (text: string) => {
    let vector: Promise<number[]> | undefined;
    return () => (vector ??= embedder.embed([text]).then(([v]) => v!));
  };

  /** The k best chunks, each on its own (several may come from one document). */
  async function search(tenantId: string, q: SearchQuery, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const filter = await filterOf(tenantId, q, opts);
    if (!filter) return [];
    const { fused, byId } = await candidates(q, filter, Math.max(CANDIDATES, q.k * 2), opts, embedOnce(q.q));
    return fused.slice(0, q.k).map((f) => hitOf(f, byId.get(f.id)!, q));
  }

  /**
   * The k best documents: each one's best chunk, and how many of its chunks
   * are among the candidates. When the candidates hold fewer than k documents
   * and a list was cut at its limit, the search is made again with four times
   * as many (up to MAX_GROUPED_CANDIDATES), so k means k documents.
   */
  async function searchDocuments(tenantId: string, q: SearchQuery, opts: Omit<SearchOptions, 'vectorHits'> = {}): Promise<DocumentHit[]> {
    const filter = await filterOf(tenantId, q, opts);
    if (!filter) return [];
    const embedding = embedOnce(q.q);
    let n = Math.max(CANDIDATES, q.k * 2);
    for (;;) {
      const { fused, byId, cut } = await candidates(q, filter, n, opts, embedding);
      const groups = groupByDocument(fused.map((f) => ({ f, documentId: byId.get(f.id)!.documentId })));
      if (groups.length >= q.k || !cut || n >= MAX_GROUPED_CANDIDATES) {
        return groups.slice(0, q.k).map((g) => ({ ...hitOf(g.best.f, byId.get(g.best.f.id)!, q), matchingChunks: g.matches }));
      }
      n = Math.min(n * 4, MAX_GROUPED_CANDIDATES);
    }
  }

  return {
    search,
    searchDocuments,
    /** A person's search: grouped by document unless the request says `group=chunk`. */
    async find(tenantId: string, req: SearchRequest): Promise<SearchResponse> {
      const { group, ...q } = req;
      return { group, results: group === 'chunk' ? await search(tenantId, q) : await searchDocuments(tenantId, q) };
    },
  };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export type Retrieval = ReturnType<typeof createRetrieval>;
