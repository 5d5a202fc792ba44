import { z } from 'zod';

/**
 * Background jobs: their names, payloads and ids are a contract between
 * whoever enqueues them (an API node, the outbox relay) and the worker that
 * runs them, possibly another process on another version.
 */

/** Chunk, embed and index one queued document. */
export const INDEX_JOB = 'ingest.index';
/** `tenantId` lets a tenant see its own failed jobs (GET /v1/jobs/failed); jobs written before it had none. */
export const IndexJob = z.object({ documentId: z.uuid(), tenantId: z.uuid().optional() });
export type IndexJob = z.infer<typeof IndexJob>;
/** One job per document (and so per content hash): a retry or a second enqueue is deduplicated. */
export const indexJobId = (documentId: string) => `index-${documentId}`;
/** Attempts per indexing job; the last failure marks the document failed. */
export const INDEX_ATTEMPTS = 3;

/** Train the tenant's risk models. */
export const TRAIN_JOB = 'risk.train';
export const TrainJob = z.object({ tenantId: z.uuid() });
export type TrainJob = z.infer<typeof TrainJob>;
