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

export const SearchResponse = z.object({ results: z.array(SearchHit) });

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
