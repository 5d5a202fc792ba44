// The one factory that picks the queue adapter. Everything outside src/jobs/
// imports from here and never from bullmq or ioredis.
import { BullMqJobQueue } from './bullmq.js';
import { InProcessJobQueue } from './in-process.js';
import type { JobLog, JobQueue } from './port.js';

export interface CreateJobQueueOptions {
  /** Set: BullMQ on this Redis. Unset: the in-process runner (embedded mode). */
  redisUrl?: string;
  /** BullMQ queue name (default 'shipcheck'); ignored in-process. */
  queueName?: string;
  log?: JobLog;
}

export function createJobQueue(opts: CreateJobQueueOptions = {}): JobQueue {
  if (opts.redisUrl) return new BullMqJobQueue({ redisUrl: opts.redisUrl, queueName: opts.queueName, log: opts.log });
  return new InProcessJobQueue({ log: opts.log });
}

export type { FailedJob, HandlerOptions, JobCounts, JobHandler, JobLog, JobOptions, JobQueue, JobState } from './port.js';
export { JOB_DEFAULTS } from './port.js';
export {
  JobError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  QueueClosedError,
  isRetryable,
  permanent,
  publicFailure,
} from './errors.js';
