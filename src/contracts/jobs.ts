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

/** Send one advisory to one webhook (written to the outbox with the advisory when the recommended action changes). */
export const NOTIFY_JOB = 'advisor.notify';
export const NotifyJob = z.object({ tenantId: z.uuid(), webhookId: z.uuid(), advisoryId: z.uuid() });
export type NotifyJob = z.infer<typeof NotifyJob>;
/** One delivery per (webhook, advisory): a second enqueue is deduplicated. */
export const notifyJobId = (webhookId: string, advisoryId: string) => `notify-${webhookId}-${advisoryId}`;
/** Tries per notification, with doubling backoff from NOTIFY_BACKOFF_MS (1 s, 2 s, 4 s, 8 s): a receiver restarting gets ~15 s. */
export const NOTIFY_ATTEMPTS = 5;
export const NOTIFY_BACKOFF_MS = 1000;

/** First retry delays of jobs relayed from the outbox, by job name (others: the queue's default, 200 ms). */
export const OUTBOX_BACKOFF_MS: Readonly<Record<string, number>> = { [NOTIFY_JOB]: NOTIFY_BACKOFF_MS };

/** Poll a watched rollout's Prometheus source and re-evaluate its advisory. */
export const POLL_JOB = 'advisor.poll';
export const PollJob = z.object({ tenantId: z.uuid(), releaseId: z.uuid() });
export type PollJob = z.infer<typeof PollJob>;
/** One poll per release and period: a slow poll is not doubled by the next tick. */
export const pollJobId = (releaseId: string, periodStartMs: number) => `poll-${releaseId}-${periodStartMs}`;
