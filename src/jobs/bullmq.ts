// BullMQ adapter: the scale-out queue on Redis. API nodes only enqueue and wait;
// worker nodes also call startWorker().
import { Queue, QueueEvents, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import {
  JobError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  QueueClosedError,
  codeOf,
  decodeFailure,
  encodeFailure,
  errorMessage,
  isRetryable,
  permanent,
} from './errors.js';
import { checkConcurrency, resolveJobOptions } from './options.js';
import type { FailedJob, HandlerOptions, JobCounts, JobHandler, JobLog, JobOptions, JobQueue, JobState } from './port.js';

export interface BullMqOptions {
  redisUrl: string;
  /** Queue name. Default 'shipcheck'. Tests pass a random one. */
  queueName?: string;
  /** Redis key prefix. Default 'bull', BullMQ's own, so dashboards find the queue. */
  prefix?: string;
  log?: JobLog;
  /** ping() answers false after this many ms. Default 1,000. */
  pingTimeoutMs?: number;
}

// Completed jobs are kept 1 h / the last 1,000: long enough for waitFor and for
// dedupe of a retried request, short enough to bound Redis memory.
// Failed jobs are kept much longer so failed() can show them and an operator can
// re-run one by enqueueing its id again; the count still bounds memory.
const KEEP: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 3_600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3_600, count: 10_000 },
};

type Outcome = { ok: true; value: unknown } | { ok: false; error: Error };
interface PendingWait {
  jobId: string;
  settle(outcome: Outcome): void;
}

export class BullMqJobQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly name: string;
  private readonly prefix: string;
  /** Shared by the Queue (which does not close a connection it was given) and ping(). */
  private readonly redis: Redis;
  private readonly queue: Queue;
  private readonly handlers = new Map<string, { run: JobHandler<never, unknown>; opts: HandlerOptions<never> }>();
  private readonly pending = new Set<PendingWait>();
  private worker: Worker | undefined;
  private events: Promise<QueueEvents> | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly opts: BullMqOptions) {
    this.name = opts.queueName ?? 'shipcheck';
    if (this.name.includes(':')) throw permanent(`queue name ${JSON.stringify(this.name)} must not contain ':'`);
    this.prefix = opts.prefix ?? 'bull';
    // The producer side must fail fast when Redis is down (a down queue is a clear
    // error, not a hung HTTP request): a command gives up after one reconnect
    // attempt instead of ioredis' default 20 (over a minute), and the Queue does not
    // wait for "ready" before sending (BullMQ would otherwise wait forever).
    this.redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1 });
    this.redis.on('error', (err: unknown) => this.log('redis connection error', { error: errorMessage(err) }));
    this.queue = new Queue(this.name, { connection: this.redis, prefix: this.prefix, skipWaitingForReady: true });
    this.queue.on('error', (err: unknown) => this.log('job queue error', { error: errorMessage(err) }));
  }

  register<P, R>(name: string, handler: JobHandler<P, R>, opts: HandlerOptions<P> = {}): void {
    this.handlers.set(name, { run: handler as JobHandler<never, unknown>, opts: opts as HandlerOptions<never> });
  }

  async enqueue<P>(name: string, payload: P, opts?: JobOptions): Promise<{ jobId: string; deduplicated: boolean }> {
    if (this.closing) throw new QueueClosedError(`cannot enqueue '${name}'`);
    const o = resolveJobOptions(opts);
    if (o.jobId !== undefined) {
      const existing = await this.existing(o.jobId);
      if (existing) return existing;
    }
    const timestamp = Date.now();
    const job = await this.queue.add(name, payload, {
      jobId: o.jobId,
      attempts: o.attempts,
      backoff: { type: 'exponential', delay: o.backoffMs },
      timestamp,
      ...KEEP,
    });
    if (o.jobId === undefined) return { jobId: String(job.id), deduplicated: false };
    // Another producer may have added the same id since existing() looked. BullMQ
    // then returns the id without adding anything and without saying so; the stored
    // timestamp tells whose job it is. (Two adds in the same millisecond both report
    // false; the handler still runs once, which is what matters.)
    const stored = await this.queue.getJob(o.jobId);
    return { jobId: o.jobId, deduplicated: stored !== undefined && stored.timestamp !== timestamp };
  }

  /** Dedupe, or re-run of a failed job (port.ts); undefined when no job has this id. */
  private async existing(jobId: string): Promise<{ jobId: string; deduplicated: boolean } | undefined> {
    const job = await this.queue.getJob(jobId);
    const state = job ? await job.getState() : 'unknown';
    if (!job || state === 'unknown') return undefined;
    if (state !== 'failed') return { jobId, deduplicated: true };
    try {
      // Atomic in Redis: only one of several concurrent callers moves it out of 'failed'.
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return { jobId, deduplicated: false };
    } catch (err) {
      if ((await job.getState()) === 'failed') throw err; // a real error, not a lost race
      return { jobId, deduplicated: true };
    }
  }

  waitFor<R = unknown>(jobId: string, timeoutMs: number): Promise<R> {
    if (this.closing) return Promise.reject(new QueueClosedError(`cannot wait for job ${jobId}`));
    return new Promise<R>((resolve, reject) => {
      const wait: PendingWait = {
        jobId,
        settle: (outcome) => {
          if (!this.pending.delete(wait)) return; // first outcome wins
          clearTimeout(timer);
          if (outcome.ok) resolve(outcome.value as R);
          else reject(outcome.error);
        },
      };
      const timer = setTimeout(() => wait.settle({ ok: false, error: new JobTimeoutError(jobId, timeoutMs) }), timeoutMs);
      this.pending.add(wait);
      this.listen(jobId, timeoutMs).then(
        (value) => wait.settle({ ok: true, value }),
        (error: Error) => wait.settle({ ok: false, error }),
      );
    });
  }

  private async listen(jobId: string, timeoutMs: number): Promise<unknown> {
    const events = await this.queueEvents();
    const job = await this.queue.getJob(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    try {
      // waitUntilFinished checks the job's state itself after subscribing, so a job
      // that finished before we got here resolves at once. Its ttl (a little past
      // ours) only makes it drop its listeners after our own timer has fired.
      return await job.waitUntilFinished(events, timeoutMs + 1_000);
    } catch (err) {
      if (this.closing) throw new QueueClosedError(`job ${jobId} did not finish before close`);
      const failure = decodeFailure(errorMessage(err));
      throw new JobFailedError(jobId, failure.message, failure.code);
    }
  }

  /** One QueueEvents per adapter, made on first waitFor (nodes that never wait never open it). */
  private queueEvents(): Promise<QueueEvents> {
    this.events ??= (async () => {
      // Read the event stream from "now" on Redis' clock rather than from whenever the
      // first blocking XREAD happens to be sent: an event in between would be missed
      // and its waitFor would hang until timeout. One extra millisecond is harmless.
      const [seconds, micros] = await this.redis.time();
      const nowMs = Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000);
      const events = new QueueEvents(this.name, {
        connection: this.blockingConnection(),
        prefix: this.prefix,
        lastEventId: `${nowMs - 1}-0`,
      });
      events.on('error', (err: unknown) => this.log('job events error', { error: errorMessage(err) }));
      await events.waitUntilReady();
      return events;
    })().catch((err: unknown) => {
      this.events = undefined; // let the next waitFor try again
      throw err;
    });
    return this.events;
  }

  async startWorker(opts: { concurrency?: number } = {}): Promise<void> {
    if (this.closing) throw new QueueClosedError('cannot start the worker');
    if (this.worker) throw new JobError('worker already started');
    this.worker = new Worker(this.name, (job: Job) => this.process(job), {
      connection: this.blockingConnection(),
      prefix: this.prefix,
      concurrency: checkConcurrency(opts.concurrency ?? 1),
    });
    this.worker.on('error', (err: unknown) => this.log('job worker error', { error: errorMessage(err) }));
    await this.worker.waitUntilReady();
  }

  private async process(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name) as { run: JobHandler<unknown, unknown>; opts: HandlerOptions<unknown> } | undefined;
    const attempt = job.attemptsMade + 1; // attemptsMade counts finished tries only
    try {
      if (!handler) throw permanent(`no handler registered for job name '${job.name}'`);
      const result = await handler.run(job.data, { jobId: String(job.id), attempt });
      return result ?? null;
    } catch (err) {
      const retryable = isRetryable(err);
      const failure = { code: codeOf(err), message: errorMessage(err) };
      if (!retryable || attempt >= (job.opts.attempts ?? 1)) {
        this.log('job failed', { jobId: job.id, name: job.name, attemptsMade: attempt, ...failure });
        // Before BullMQ marks it failed, so a waitFor that wakes up then reads what the hook wrote.
        await handler?.opts
          .onFailed?.(job.data, { jobId: String(job.id), ...failure })
          .catch((hookErr: unknown) =>
            this.log('job failure hook failed', { jobId: job.id, name: job.name, error: errorMessage(hookErr) }),
          );
      }
      // The code travels in the failure's text (BullMQ keeps only a message); see decodeFailure.
      // UnrecoverableError is BullMQ's signal to skip the remaining attempts.
      if (!retryable) throw new UnrecoverableError(encodeFailure(failure));
      throw new Error(encodeFailure(failure));
    }
  }

  async state(jobId: string): Promise<JobState> {
    const state = await this.queue.getJobState(jobId);
    // 'prioritized' and 'waiting-children' are waiting by another name; this queue uses neither.
    if (state === 'prioritized' || state === 'waiting-children') return 'waiting';
    return state as JobState;
  }

  async failed(limit = 100, match: (payload: unknown) => boolean = () => true): Promise<FailedJob[]> {
    const out: FailedJob[] = [];
    // Pages through the failed set (bounded by KEEP) until `limit` jobs match.
    const PAGE = 500;
    for (let start = 0; out.length < limit; start += PAGE) {
      const jobs = await this.queue.getFailed(start, start + PAGE - 1);
      for (const job of jobs) {
        if (out.length >= limit) break;
        if (!job || !match(job.data)) continue;
        const failure = decodeFailure(job.failedReason);
        out.push({
          jobId: String(job.id),
          name: job.name,
          payload: job.data as unknown,
          error: failure.message,
          code: failure.code,
          attemptsMade: job.attemptsMade,
          failedAt: new Date(job.finishedOn ?? job.timestamp).toISOString(),
        });
      }
      if (jobs.length < PAGE) break;
    }
    return out;
  }

  async counts(): Promise<JobCounts> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
    return {
      waiting: c['waiting'] ?? 0,
      active: c['active'] ?? 0,
      completed: c['completed'] ?? 0,
      failed: c['failed'] ?? 0,
      delayed: c['delayed'] ?? 0,
    };
  }

  async ping(): Promise<boolean> {
    if (this.closing) return false;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.opts.pingTimeoutMs ?? 1_000);
    });
    const pong = this.redis.ping().then(
      (reply) => reply === 'PONG',
      () => false,
    );
    try {
      return await Promise.race([pong, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** Removes the queue and all its jobs from Redis. For tests and operators, not on the port. */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }

  private async shutdown(): Promise<void> {
    // 1. The worker takes no new job and waits for the active ones.
    await this.worker?.close();
    // 2. Settle pending waits from Redis state now, while the queue is still open:
    //    a job that finished during step 1 gives its result, not a "closed" error.
    await Promise.all([...this.pending].map((wait) => this.settleFromState(wait)));
    // 3. Release connections. The shared ioredis client is ours to quit.
    await this.queue.close();
    const events = await this.events?.catch(() => undefined);
    await events?.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async settleFromState(wait: PendingWait): Promise<void> {
    const job = await this.queue.getJob(wait.jobId).catch(() => undefined);
    const state = job ? await job.getState().catch(() => 'unknown') : 'unknown';
    if (job && state === 'completed') wait.settle({ ok: true, value: job.returnvalue });
    else if (job && state === 'failed') {
      const failure = decodeFailure(job.failedReason);
      wait.settle({ ok: false, error: new JobFailedError(wait.jobId, failure.message, failure.code) });
    } else wait.settle({ ok: false, error: new QueueClosedError(`job ${wait.jobId} did not finish before close`) });
  }

  /** Worker and QueueEvents block on Redis, so BullMQ requires maxRetriesPerRequest: null. */
  private blockingConnection(): { url: string; maxRetriesPerRequest: null } {
    return { url: this.opts.redisUrl, maxRetriesPerRequest: null };
  }

  private log(msg: string, fields?: object): void {
    this.opts.log?.(msg, fields);
  }
}
