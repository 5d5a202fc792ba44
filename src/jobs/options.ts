// Option checks shared by both adapters, so a bad jobId or attempts value fails
// the same way whichever adapter the factory picked.
import { permanent } from './errors.js';
import { JOB_DEFAULTS, type JobOptions } from './port.js';

export interface ResolvedJobOptions {
  jobId: string | undefined;
  attempts: number;
  backoffMs: number;
}

export function resolveJobOptions(opts: JobOptions = {}): ResolvedJobOptions {
  const { jobId, attempts = JOB_DEFAULTS.attempts, backoffMs = JOB_DEFAULTS.backoffMs } = opts;
  if (jobId !== undefined) {
    // BullMQ builds Redis keys as prefix:queue:jobId, so ':' would corrupt them;
    // '0' is reserved by BullMQ. Reject both here rather than only under Redis.
    if (jobId === '' || jobId.includes(':') || jobId === '0') {
      throw permanent(`invalid jobId ${JSON.stringify(jobId)}: must be non-empty, not "0", and contain no ':' (use '-')`);
    }
  }
  if (!Number.isInteger(attempts) || attempts < 1) throw permanent(`attempts must be an integer >= 1, got ${attempts}`);
  if (!Number.isFinite(backoffMs) || backoffMs < 0) throw permanent(`backoffMs must be >= 0, got ${backoffMs}`);
  return { jobId, attempts, backoffMs };
}

/** Delay before the next try after `attemptsMade` failures: backoffMs * 2^(n-1), as BullMQ's 'exponential'. */
export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return backoffMs * 2 ** Math.max(0, attemptsMade - 1);
}

export function checkConcurrency(concurrency: number): number {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw permanent(`concurrency must be an integer >= 1, got ${concurrency}`);
  return concurrency;
}
