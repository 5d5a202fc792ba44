// The job queue port. Two adapters implement it (in-process and BullMQ) and one
// factory (index.ts) picks one, the way BullMQ keeps one backend interface with
// several datastores behind it. Callers outside src/jobs/ only see this file.
//
// Shared semantics, checked by test/jobs/queue-contract.test.ts against both adapters:
// - Payloads and results must be JSON-serialisable: they cross Redis with BullMQ,
//   and the in-process adapter round-trips them through JSON so behaviour matches.
//   A handler that returns `undefined` yields `null`.
// - Idempotency: enqueueing a jobId that is waiting, delayed, active or completed
//   adds nothing and returns `deduplicated: true`. A *failed* job with that id is
//   run again from scratch with its stored payload (ids derive from content, so
//   the same id means the same work), and `deduplicated` is false. Completed jobs
//   are remembered for 1 hour / the last 1,000, which bounds the idempotency window.
// - A job whose name has no registered handler fails permanently with a clear
//   message: a BullMQ worker takes every job in its queue and cannot leave some
//   for another worker, so "skip it" is not an option in either adapter.
// - A job's last failure (its attempts used up, or a non-retryable error) calls
//   the handler's `onFailed` before the job is marked failed, so whoever waits
//   for the job sees what onFailed wrote. The adapter decides what is final: a
//   handler cannot know whether the error it throws will be retried.

import type { ErrorCode } from '../contracts/errors.js';

export type JobHandler<P = unknown, R = unknown> = (payload: P, ctx: { jobId: string; attempt: number }) => Promise<R>;

export interface HandlerOptions<P> {
  /**
   * Called once when the job fails for good, before it is marked failed.
   * Not called when the process dies first (a crash, a job stalled too
   * often): a caller that must know reconciles from state() instead.
   */
  onFailed?: (payload: P, failure: { jobId: string; code: ErrorCode; message: string }) => Promise<void>;
}

/** Where a job is; 'unknown' when no job has this id (never enqueued, expired, or lost with an in-process queue). */
export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'unknown';

export interface JobOptions {
  /** Idempotency key. Must not contain ':' (BullMQ uses it in Redis keys); use '-'. */
  jobId?: string;
  /** Total tries including the first. Default 3. */
  attempts?: number;
  /** First retry delay in ms; doubles each retry (200, 400, ...). Default 200. */
  backoffMs?: number;
}

export interface FailedJob {
  jobId: string;
  name: string;
  payload: unknown;
  /** The last error message: internal, for operators and the server log (callers get publicFailure(code)). */
  error: string;
  /** The last error's code: the handler's AppError code, else 'internal'. */
  code: ErrorCode;
  attemptsMade: number;
  /** ISO-8601. */
  failedAt: string;
}

export interface JobCounts {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  /** Waiting for a retry backoff to elapse. */
  delayed: number;
}

export interface JobQueue {
  readonly kind: 'in-process' | 'bullmq';
  /** Register the handler for a job name. Registering after startWorker is fine. */
  register<P, R>(name: string, handler: JobHandler<P, R>, opts?: HandlerOptions<P>): void;
  /** Enqueue; see the idempotency rules above. */
  enqueue<P>(name: string, payload: P, opts?: JobOptions): Promise<{ jobId: string; deduplicated: boolean }>;
  /**
   * Resolve with the handler's result when the job completes; reject with
   * JobFailedError when it ends failed, JobTimeoutError after timeoutMs,
   * JobNotFoundError for an unknown id, QueueClosedError if the queue closes first.
   */
  waitFor<R = unknown>(jobId: string, timeoutMs: number): Promise<R>;
  /**
   * Start processing registered handlers (concurrency N, default 1). Until it is
   * called, jobs wait (as with BullMQ and no worker). API-only nodes using BullMQ
   * never call it; the embedded app always calls it on the in-process queue.
   */
  startWorker(opts?: { concurrency?: number }): Promise<void>;
  /** Where the job with this id is now. */
  state(jobId: string): Promise<JobState>;
  /**
   * Most recently failed first. Default limit 100. With `match`, only the
   * jobs whose payload it accepts (e.g. one tenant's), still up to `limit`.
   */
  failed(limit?: number, match?: (payload: unknown) => boolean): Promise<FailedJob[]>;
  counts(): Promise<JobCounts>;
  /** Health probe (a Redis PING for BullMQ, bounded in time). Never throws. */
  ping(): Promise<boolean>;
  /** Graceful: stop taking new jobs, wait for in-flight jobs to finish, release connections. Idempotent. */
  close(): Promise<void>;
}

export type JobLog = (msg: string, fields?: object) => void;

export const JOB_DEFAULTS = { attempts: 3, backoffMs: 200 } as const;
