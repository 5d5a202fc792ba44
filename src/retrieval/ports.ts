/**
 * What retrieval reads, in its own terms; `store/` implements it and
 * `app.ts` hands it in.
 */
import type { ChunkHit } from '../contracts/search.js';

export type VectorMode = 'index' | 'exact';

/** Tenant always; the rest narrow it. `asOf`: nothing that occurred after it. */
export interface ChunkFilter {
  tenantId: string;
  serviceId?: string;
  kind?: string;
  asOf?: Date;
}

export interface ChunkIndex {
  /** Nearest chunks by cosine similarity (score = 1 − distance); `exact` bypasses the vector index. */
  vectorSearch(f: ChunkFilter, embedding: number[], limit: number, mode?: VectorMode): Promise<ChunkHit[]>;
  /** Full-text hits for ready tsqueries (text form): those matching `all`, then (when fewer than `limit`) those matching `any`. */
  textSearch(f: ChunkFilter, q: { all: string; any?: string }, limit: number): Promise<ChunkHit[]>;
  /** The lexemes the database would index for this text. */
  queryLexemes(text: string): Promise<string[]>;
  /** websearch_to_tsquery's reading of text with explicit syntax. */
  websearchQuery(text: string): Promise<string>;
  /** The share of chunks each frequent lexeme appears in (planner statistics; cached by the store); unlisted ones are rarer. */
  lexemeShares(): Promise<Map<string, number>>;
}

export interface ServiceDirectory {
  find(tenantId: string, name: string): Promise<string | undefined>;
}

/** A cited record as stored, for `GET /v1/evidence/:id`. */
export interface EvidenceRecord {
  title: string;
  text: string;
  occurredAt: Date;
  service: string;
  document: { id: string; kind: string; title: string; source: string | null; externalId: string | null } | null;
}

/** Reads of the records an answer may cite, each scoped by tenant (another tenant's record is simply absent). */
export interface EvidenceStore {
  chunk(tenantId: string, id: string): Promise<EvidenceRecord | undefined>;
  release(tenantId: string, id: string): Promise<EvidenceRecord | undefined>;
  change(tenantId: string, id: string): Promise<EvidenceRecord | undefined>;
  incident(tenantId: string, id: string): Promise<EvidenceRecord | undefined>;
  /** A metric window an advisory judged (its samples summarised). */
  window(tenantId: string, id: string): Promise<EvidenceRecord | undefined>;
  /** A log template an advisory cited, with its counts and a sample line. */
  logsig(tenantId: string, id: string): Promise<EvidenceRecord | undefined>;
  /** A risk assessment as it was given (score, level, recommendation, model, reasons). */
  assessment(tenantId: string, id: string): Promise<EvidenceRecord | undefined>;
  /** An advisory as it was given (action, confidence, reasons). */
  advisory(tenantId: string, id: string): Promise<EvidenceRecord | undefined>;
}
