// Errors whose *type* steers retries (the idea behind BullMQ's UnrecoverableError):
// a handler throws `permanent(...)` for bad input, and no adapter spends retries on it.
import { AppError, ERROR_STATUS, type ErrorCode } from '../contracts/errors.js';

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

/** The code a failure is reported under: an AppError's own, anything else 'internal'. */
export function codeOf(err: unknown): ErrorCode {
  return err instanceof AppError ? err.code : 'internal';
}

/** How a job ended failed: the code callers may see, and the internal message that only the server log gets. */
export interface JobFailure {
  code: ErrorCode;
  message: string;
}

/**
 * BullMQ keeps only a failure's message (`failedReason`), so the adapter
 * stores the failure as JSON there and reads the code back. A reason that is
 * not ours (BullMQ's own, e.g. a job stalled too often) is an internal failure.
 */
export function encodeFailure(f: JobFailure): string {
  return JSON.stringify({ code: f.code, message: f.message });
}

export function decodeFailure(reason: string | undefined): JobFailure {
  try {
    const f = JSON.parse(reason ?? '') as Partial<JobFailure>;
    if (typeof f.code === 'string' && f.code in ERROR_STATUS && typeof f.message === 'string') {
      return { code: f.code as ErrorCode, message: f.message };
    }
  } catch {
    /* not ours: BullMQ's own reason */
  }
  return { code: 'internal', message: reason ?? 'unknown failure' };
}

/**
 * What a caller is told about a failed job, in place of its internal message
 * (which may name hosts, paths or queries): a sentence chosen by the code,
 * starting with the code. The detail stays in the server log.
 */
export function publicFailure(code: ErrorCode): string {
  const status = ERROR_STATUS[code];
  if (status === 503)
    return `${code}: a service the job needs (database, queue, embedder or model) failed or did not answer; send it again later`;
  if (status >= 400 && status < 500) return `${code}: the job's input was refused; correct it and send it again`;
  return `${code}: the job failed with an internal error; the server log has the details`;
}

/** waitFor: the job ended in the failed state (attempts used up, or a permanent error). */
export class JobFailedError extends JobError {
  constructor(
    readonly jobId: string,
    /** The internal message: for the server log, never for a caller (see publicFailure). */
    readonly reason: string,
    /** The failure's own code (the handler's AppError code, else 'internal'). */
    readonly failureCode: ErrorCode = 'internal',
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
