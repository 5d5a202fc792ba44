import { z } from 'zod';
import { DocumentKind, ServiceName } from './documents.js';
import { Instant, Text } from './text.js';

export const SearchQuery = z.object({
  q: Text.trim().min(1).max(2000),
  k: z.coerce.number().int().min(1).max(100).default(10),
  service: ServiceName.optional(),
  kind: DocumentKind.optional(),
  /** Nothing that occurred after this instant is returned (point-in-time retrieval). */
  asOf: Instant.optional(),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

/** `document`: one hit per document (its best chunk); `chunk`: every chunk on its own, so one document may fill the page. */
export const SearchGroup = z.enum(['document', 'chunk']);
export type SearchGroup = z.infer<typeof SearchGroup>;

/** The search a person asks for (GET /v1/search, `shipcheck search`): grouped by document unless `group=chunk`; k counts hits of that kind. */
export const SearchRequest = SearchQuery.extend({ group: SearchGroup.default('document') });
export type SearchRequest = z.infer<typeof SearchRequest>;

export const SearchHit = z.object({
  chunkId: z.string(),
  documentId: z.string(),
  kind: DocumentKind,
  service: z.string(),
  title: z.string(),
  snippet: z.string(),
  occurredAt: z.string(),
  score: z.object({ vector: z.number(), text: z.number(), fused: z.number() }),
});
export type SearchHit = z.infer<typeof SearchHit>;

/** A document found by a search: its best chunk, and how many of its chunks matched. */
export const DocumentHit = SearchHit.extend({
  matchingChunks: z
    .number()
    .int()
    .min(1)
    .describe("The document's chunks among the search's matches (the nearest chunks by vector and the full-text matches)"),
});
export type DocumentHit = z.infer<typeof DocumentHit>;

export const SearchResponse = z.object({
  group: SearchGroup,
  /** With group=document each hit carries matchingChunks; with group=chunk it does not. */
  results: z.array(SearchHit.extend({ matchingChunks: DocumentHit.shape.matchingChunks.optional() })),
});
export type SearchResponse = z.infer<typeof SearchResponse>;

/**
 * A chunk found by one half of a search (vector or text), before fusion:
 * what the store returns and what a capability may pass back to retrieval
 * so one vector search serves two purposes.
 */
export interface ChunkHit {
  chunkId: string;
  documentId: string;
  kind: string;
  service: string;
  title: string;
  text: string;
  locator: string | null;
  occurredAt: Date;
  /** Cosine similarity (vector half) or ts_rank_cd (text half). */
  score: number;
}
