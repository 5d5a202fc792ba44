// Errors whose *type* steers retries (the idea behind BullMQ's UnrecoverableError):
// a handler throws `permanent(...)` for bad input, and no adapter spends retries on it.
import { AppError, type ErrorCode } from '../contracts/errors.js';

/** An error raised by a job handler or by the queue. `retryable: false` means "fail now". */
export class JobError extends AppError {
  constructor(message: string, opts: { retryable?: boolean; cause?: unknown; code?: ErrorCode } = {}) {
    super(opts.code ?? 'internal', message, { retryable: opts.retryable ?? true, cause: opts.cause });
  }
}

/** A non-retryable error: the job fails after this attempt, whatever `attempts` says. */
export function permanent(message: string, cause?: unknown): JobError {
  return new JobError(message, { retryable: false, cause });
}

/**
 * Duck-typed on purpose: errors from other layers may carry `retryable` without
 * extending JobError, and they should steer retries the same way.
 */
export function isRetryable(err: unknown): boolean {
  return !(typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === false);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** waitFor: the job ended in the failed state (attempts used up, or a permanent error). */
export class JobFailedError extends JobError {
  constructor(
    readonly jobId: string,
    readonly reason: string,
  ) {
    super(`job ${jobId} failed: ${reason}`, { retryable: false });
  }
}

/** waitFor: the job did not finish in time. The job itself is not cancelled. */
export class JobTimeoutError extends JobError {
  constructor(
    readonly jobId: string,
    readonly timeoutMs: number,
  ) {
    super(`job ${jobId} did not finish within ${timeoutMs} ms`, { code: 'unavailable' });
  }
}

/** waitFor: no job with this id exists (never enqueued, or its result has expired). */
export class JobNotFoundError extends JobError {
  constructor(readonly jobId: string) {
    super(`job ${jobId} not found`, { retryable: false, code: 'not_found' });
  }
}

/** The queue was closed (or is closing), so the call cannot be served. */
export class QueueClosedError extends JobError {
  constructor(what: string) {
    super(`job queue is closed: ${what}`, { code: 'unavailable' });
  }
}
