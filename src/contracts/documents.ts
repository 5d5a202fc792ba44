import { z } from 'zod';
import { BodyText, Instant, Text } from './text.js';
import { ErrorCode } from './errors.js';

/** The six artifact kinds shipcheck ingests. */
export const DocumentKind = z.enum(['deploy_log', 'incident', 'runbook', 'diff', 'change', 'ticket']);
export type DocumentKind = z.infer<typeof DocumentKind>;

/** Service names appear in URLs, CLI flags and filters: keep them slug-like. */
export const ServiceName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-", starting with a letter or digit');

/** Largest single document body accepted (characters). Larger logs are split by the CLI. */
export const MAX_DOCUMENT_CHARS = 2_000_000;

export const DocumentInput = z.object({
  kind: DocumentKind,
  service: ServiceName,
  title: Text.trim().min(1).max(500),
  body: BodyText.min(1).max(MAX_DOCUMENT_CHARS),
  occurredAt: Instant,
  source: Text.max(1000).optional(),
  externalId: Text.max(200).optional(),
});
export type DocumentInput = z.infer<typeof DocumentInput>;

/**
 * The envelope is checked as a whole; each document separately, so one bad
 * document is reported as `rejected` without failing its neighbours.
 */
export const IngestRequest = z.object({
  documents: z.array(z.unknown()).min(1).max(1000),
});

/**
 * Each document's own outcome. `rejected`: not stored (bad input, or values
 * the database refused); `queued`: stored, its index job on the way;
 * `indexed`: stored and searchable; `failed` (only with wait=true): stored,
 * and its indexing failed for good (sending it again retries); `duplicate`:
 * already stored and indexed, or a repeat inside the batch.
 */
export const IngestStatus = z.enum(['indexed', 'queued', 'duplicate', 'rejected', 'failed']);
export type IngestStatus = z.infer<typeof IngestStatus>;

export const IngestResult = z.object({
  index: z.number().int(),
  documentId: z.string().optional(),
  status: IngestStatus,
  redactions: z.number().int(),
  chunks: z.number().int().optional(),
  jobId: z.string().optional(),
  /** With `rejected` and `failed`: what kind of problem (validation_failed, unavailable, internal, ...). */
  code: ErrorCode.optional(),
  /** With `rejected` and `failed`: a sentence for the caller (never an internal message). */
  error: z.string().optional(),
});
export type IngestResult = z.infer<typeof IngestResult>;

export const IngestResponse = z.object({ results: z.array(IngestResult) });

export const DocumentStatus = z.enum(['queued', 'indexed', 'failed']);
export type DocumentStatus = z.infer<typeof DocumentStatus>;

export const DocumentView = z.object({
  id: z.string(),
  kind: DocumentKind,
  service: z.string(),
  title: z.string(),
  source: z.string().nullable(),
  externalId: z.string().nullable(),
  occurredAt: z.string(),
  createdAt: z.string(),
  status: DocumentStatus,
  error: z.string().nullable(),
  contentHash: z.string(),
  redactions: z.number().int(),
  chunks: z.number().int(),
  body: z.string().optional(),
});
export type DocumentView = z.infer<typeof DocumentView>;
