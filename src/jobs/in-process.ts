// In-process adapter: the embedded (single machine, no Redis) job runner. It keeps
// BullMQ's semantics so handlers behave the same in both modes: FIFO, concurrency,
// exponential backoff, non-retryable errors fail at once, dedupe by jobId, a bounded
// failed list and a bounded completed-results cache. State lives in memory only, so
// jobs not finished at close() (or at a crash) are lost; that is the embedded trade-off
// (whoever enqueued them finds them 'unknown' through state() and enqueues them again).
// Each job starts on a fresh turn of the event loop: handlers over an in-process
// database resolve in microtasks, and a run of them back to back would otherwise
// keep the HTTP server from reading a single request (a health probe waited 18 s).
import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '../contracts/errors.js';
import {
  JobError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  QueueClosedError,
  codeOf,
  errorMessage,
  isRetryable,
  permanent,
} from './errors.js';
import { backoffDelay, checkConcurrency, resolveJobOptions } from './options.js';
import type { FailedJob, HandlerOptions, JobCounts, JobHandler, JobLog, JobOptions, JobQueue, JobState } from './port.js';

export interface InProcessOptions {
  log?: JobLog;
  /** Failed jobs kept for failed() and for re-running by id. Default 1,000 (oldest dropped). */
  maxFailed?: number;
  /** Completed results kept for waitFor and dedupe. Default 1,000, least recently used dropped. */
  maxCompleted?: number;
  /** Completed results older than this are forgotten. Default 1 h, as the BullMQ adapter's removeOnComplete. */
  completedTtlMs?: number;
}

interface LiveJob {
  jobId: string;
  name: string;
  /** Stored as JSON and parsed per attempt: each try sees a fresh copy, as with Redis. */
  payloadJson: string;
  attempts: number;
  backoffMs: number;
  attemptsMade: number;
  state: 'waiting' | 'delayed' | 'active';
}

interface FailedEntry extends LiveJob {
  error: string;
  code: ErrorCode;
  failedAt: Date;
}

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class InProcessJobQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private readonly handlers = new Map<string, { run: JobHandler<never, unknown>; opts: HandlerOptions<never> }>();
  private readonly live = new Map<string, LiveJob>();
  /** FIFO of waiting job ids. */
  private readonly ready: string[] = [];
  /** Map iteration order is insertion order, which gives LRU (re-insert on use) and oldest-first eviction. */
  private readonly completed = new Map<string, { resultJson: string; at: number }>();
  private readonly failedJobs = new Map<string, FailedEntry>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  /** 0 until startWorker: jobs wait, as they do in Redis with no worker. */
  private concurrency = 0;
  private closing: Promise<void> | undefined;
  private readonly maxFailed: number;
  private readonly maxCompleted: number;
  private readonly completedTtlMs: number;

  constructor(private readonly opts: InProcessOptions = {}) {
    this.maxFailed = opts.maxFailed ?? 1_000;
    this.maxCompleted = opts.maxCompleted ?? 1_000;
    this.completedTtlMs = opts.completedTtlMs ?? 3_600_000;
  }

  register<P, R>(name: string, handler: JobHandler<P, R>, opts: HandlerOptions<P> = {}): void {
    this.handlers.set(name, { run: handler as JobHandler<never, unknown>, opts: opts as HandlerOptions<never> });
  }

  async enqueue<P>(name: string, payload: P, opts?: JobOptions): Promise<{ jobId: string; deduplicated: boolean }> {
    if (this.closing) throw new QueueClosedError(`cannot enqueue '${name}'`);
    const o = resolveJobOptions(opts);
    const jobId = o.jobId ?? randomUUID();
    if (this.live.has(jobId) || this.completedResult(jobId) !== undefined) return { jobId, deduplicated: true };

    // A failed id runs again from scratch with what was stored (see port.ts).
    const failed = this.failedJobs.get(jobId);
    this.failedJobs.delete(jobId);
    const stored = failed ?? { jobId, name, payloadJson: toJson(payload, 'payload'), attempts: o.attempts, backoffMs: o.backoffMs };
    const job: LiveJob = {
      jobId,
      name: stored.name,
      payloadJson: stored.payloadJson,
      attempts: stored.attempts,
      backoffMs: stored.backoffMs,
      attemptsMade: 0,
      state: 'waiting',
    };
    this.live.set(jobId, job);
    this.ready.push(jobId);
    this.pump();
    return { jobId, deduplicated: false };
  }

  waitFor<R = unknown>(jobId: string, timeoutMs: number): Promise<R> {
    const done = this.completedResult(jobId);
    if (done !== undefined) return Promise.resolve(JSON.parse(done) as R);
    const failed = this.failedJobs.get(jobId);
    if (failed) return Promise.reject(new JobFailedError(jobId, failed.error, failed.code));
    if (!this.live.has(jobId)) return Promise.reject(new JobNotFoundError(jobId));
    if (this.closing) return Promise.reject(new QueueClosedError(`job ${jobId} will not finish`));

    return new Promise<R>((resolve, reject) => {
      const set = this.waiters.get(jobId) ?? new Set<Waiter>();
      this.waiters.set(jobId, set);
      const waiter: Waiter = {
        resolve: resolve as (value: unknown) => void,
        reject,
        timer: setTimeout(() => {
          set.delete(waiter);
          reject(new JobTimeoutError(jobId, timeoutMs));
        }, timeoutMs),
      };
      set.add(waiter);
    });
  }

  async startWorker(opts: { concurrency?: number } = {}): Promise<void> {
    if (this.closing) throw new QueueClosedError('cannot start the worker');
    if (this.concurrency > 0) throw new JobError('worker already started');
    this.concurrency = checkConcurrency(opts.concurrency ?? 1);
    this.pump();
  }

  async state(jobId: string): Promise<JobState> {
    const live = this.live.get(jobId);
    if (live) return live.state;
    if (this.completedResult(jobId, false) !== undefined) return 'completed';
    return this.failedJobs.has(jobId) ? 'failed' : 'unknown';
  }

  async failed(limit = 100, match: (payload: unknown) => boolean = () => true): Promise<FailedJob[]> {
    const out: FailedJob[] = [];
    for (const f of [...this.failedJobs.values()].reverse()) {
      if (out.length >= limit) break;
      const payload = JSON.parse(f.payloadJson) as unknown;
      if (!match(payload)) continue;
      out.push({
        jobId: f.jobId,
        name: f.name,
        payload,
        error: f.error,
        code: f.code,
        attemptsMade: f.attemptsMade,
        failedAt: f.failedAt.toISOString(),
      });
    }
    return out;
  }

  async counts(): Promise<JobCounts> {
    const c: JobCounts = { waiting: 0, active: 0, completed: 0, failed: this.failedJobs.size, delayed: 0 };
    for (const job of this.live.values()) c[job.state] += 1;
    for (const id of [...this.completed.keys()]) if (this.completedResult(id, false) !== undefined) c.completed += 1;
    return c;
  }

  async ping(): Promise<boolean> {
    return !this.closing;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    // Jobs waiting for a retry will not run again in this process.
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    // No new job starts once `closing` is set (pump checks it); wait for the running ones.
    await Promise.allSettled([...this.inFlight]);
    for (const [jobId, set] of this.waiters) {
      for (const w of set) {
        clearTimeout(w.timer);
        w.reject(new QueueClosedError(`job ${jobId} will not finish`));
      }
    }
    this.waiters.clear();
  }

  private pump(): void {
    while (!this.closing && this.inFlight.size < this.concurrency && this.ready.length > 0) {
      const job = this.live.get(this.ready.shift() as string);
      if (job?.state !== 'waiting') continue;
      job.state = 'active';
      const run: Promise<void> = this.runOnce(job).finally(() => {
        this.inFlight.delete(run);
        this.pump();
      });
      this.inFlight.add(run);
    }
  }

  private async runOnce(job: LiveJob): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve)); // see the note at the top
    const handler = this.handlers.get(job.name) as { run: JobHandler<unknown, unknown>; opts: HandlerOptions<unknown> } | undefined;
    try {
      if (!handler) throw permanent(`no handler registered for job name '${job.name}'`);
      const result = await handler.run(JSON.parse(job.payloadJson), { jobId: job.jobId, attempt: job.attemptsMade + 1 });
      this.complete(job, toJson(result, 'result'));
    } catch (err) {
      job.attemptsMade += 1;
      if (isRetryable(err) && job.attemptsMade < job.attempts) return this.scheduleRetry(job);
      const failure = { jobId: job.jobId, code: codeOf(err), message: errorMessage(err) };
      await handler?.opts
        .onFailed?.(JSON.parse(job.payloadJson), failure)
        .catch((hookErr: unknown) =>
          this.opts.log?.('job failure hook failed', { jobId: job.jobId, name: job.name, error: errorMessage(hookErr) }),
        );
      this.fail(job, failure.message, failure.code);
    }
  }

  private scheduleRetry(job: LiveJob): void {
    job.state = 'delayed';
    if (this.closing) return; // see shutdown(): a retry after close is dropped
    const timer = setTimeout(
      () => {
        this.retryTimers.delete(timer);
        job.state = 'waiting';
        this.ready.push(job.jobId);
        this.pump();
      },
      backoffDelay(job.backoffMs, job.attemptsMade),
    );
    this.retryTimers.add(timer);
  }

  private complete(job: LiveJob, resultJson: string): void {
    this.live.delete(job.jobId);
    this.completed.set(job.jobId, { resultJson, at: Date.now() });
    if (this.completed.size > this.maxCompleted) this.completed.delete(this.completed.keys().next().value as string);
    this.settle(job.jobId, (w) => w.resolve(JSON.parse(resultJson)));
  }

  private fail(job: LiveJob, error: string, code: ErrorCode): void {
    this.live.delete(job.jobId);
    this.failedJobs.set(job.jobId, { ...job, error, code, failedAt: new Date() });
    if (this.failedJobs.size > this.maxFailed) this.failedJobs.delete(this.failedJobs.keys().next().value as string);
    this.opts.log?.('job failed', { jobId: job.jobId, name: job.name, attemptsMade: job.attemptsMade, code, error });
    this.settle(job.jobId, (w) => w.reject(new JobFailedError(job.jobId, error, code)));
  }

  private settle(jobId: string, fn: (w: Waiter) => void): void {
    const set = this.waiters.get(jobId);
    this.waiters.delete(jobId);
    for (const w of set ?? []) {
      clearTimeout(w.timer);
      fn(w);
    }
  }

  /** The stored result JSON, or undefined if unknown or expired. `touch` refreshes LRU order. */
  private completedResult(jobId: string, touch = true): string | undefined {
    const entry = this.completed.get(jobId);
    if (!entry) return undefined;
    if (Date.now() - entry.at > this.completedTtlMs) {
      this.completed.delete(jobId);
      return undefined;
    }
    if (touch) {
      this.completed.delete(jobId);
      this.completed.set(jobId, entry);
    }
    return entry.resultJson;
  }
}

/** JSON text of a value, as it would be stored in Redis; `undefined` becomes null. */
function toJson(value: unknown, what: string): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (err) {
    throw permanent(`job ${what} is not JSON-serialisable: ${errorMessage(err)}`, err);
  }
}
