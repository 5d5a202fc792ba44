/**
 * A small pool of worker threads that chunk and embed documents for
 * ingestNow, so that this work runs beside the database writes instead of
 * before them: in PGlite every statement runs on the node main thread, so
 * chunking and embedding there would add to every load.
 *
 * Only for embedders that a worker can rebuild exactly (`threadSpec`: the
 * hashing embedder, which is pure), so a thread's vectors are bit-identical
 * to the main thread's. One pool per process, started on first use; idle
 * workers do not keep the process alive and are ended after IDLE_MS.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Embedder } from '../../contracts/embedder.js';
import type { ChunkJob, ChunkReply, WorkerConfig } from './protocol.js';

/** An embedder a worker thread can rebuild exactly. */
export interface ThreadSpec {
  kind: 'hashing';
  dimension: number;
}

export function threadSpecOf(embedder: Embedder): ThreadSpec | undefined {
  const spec = (embedder as { threadSpec?: ThreadSpec }).threadSpec;
  return spec?.kind === 'hashing' && spec.dimension === embedder.dimension ? spec : undefined;
}

/** Workers besides the main thread, which runs the database (PGlite) or the driver (PostgreSQL). */
export const THREADS = Math.max(1, Math.min(4, os.availableParallelism() - 1));
const IDLE_MS = 30_000;
/** Jobs handed to a worker before it answers the first: it never waits for the main thread. */
const PER_WORKER = 2;

export type ChunkResult = Extract<ChunkReply, { chunks: unknown }>;

/** A worker failed (crashed or could not start); the caller does the work in this thread instead. */
export class ThreadFailure extends Error {
  override name = 'ThreadFailure';
}

interface Pending {
  job: ChunkJob;
  resolve: (r: ChunkResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Map<number, Pending>;
}

/** Time spent in the workers since the process started (the benchmark reads it). */
export const threadStats = { jobs: 0, docs: 0, chunkMs: 0, embedMs: 0 };

export class ChunkEmbedPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private failed: Error | undefined;

  constructor(
    readonly spec: ThreadSpec,
    readonly size = THREADS,
  ) {}

  /** Starts the workers now (they take a few hundred ms to load), so they are ready when the first job comes. */
  warm(): void {
    while (!this.failed && this.slots.length < this.size) this.spawn();
    this.settle();
  }

  get broken(): boolean {
    return this.failed !== undefined;
  }

  run(docs: ChunkJob['docs'], opts: { raw?: boolean } = {}): Promise<ChunkResult> {
    if (this.failed) return Promise.reject(new ThreadFailure(this.failed.message));
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { id: this.nextId++, docs, ...(opts.raw ? { raw: true } : {}) }, resolve, reject });
      this.warm();
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    this.fail(new ThreadFailure('the ingest thread pool was closed'));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private spawn(): void {
    const config: WorkerConfig = { dimension: this.spec.dimension };
    // execArgv: [] — the worker registers its own TypeScript loader (worker.mjs).
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: config, execArgv: [] });
    const slot: Slot = { worker, busy: new Map() };
    worker.on('message', (reply: ChunkReply) => {
      const p = slot.busy.get(reply.id);
      if (!p) return;
      slot.busy.delete(reply.id);
      if ('error' in reply) p.reject(new Error(reply.error));
      else {
        threadStats.jobs++;
        threadStats.docs += p.job.docs.length;
        threadStats.chunkMs += reply.chunkMs;
        threadStats.embedMs += reply.embedMs;
        p.resolve(reply);
      }
      this.dispatch();
    });
    worker.on('error', (err) => this.fail(new ThreadFailure(`ingest worker failed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (!this.failed) this.fail(new ThreadFailure(`ingest worker exited with code ${code}`));
    });
    this.slots.push(slot);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      while (slot.busy.size < PER_WORKER && this.queue.length > 0) {
        const p = this.queue.shift()!;
        slot.busy.set(p.job.id, p);
        slot.worker.postMessage(p.job);
      }
    }
    this.settle();
  }

  /** Busy workers keep the process alive (a caller awaits them); idle ones do not, and end after IDLE_MS. */
  private settle(): void {
    const busy = this.queue.length > 0 || this.slots.some((s) => s.busy.size > 0);
    for (const s of this.slots) busy ? s.worker.ref() : s.worker.unref();
    clearTimeout(this.idleTimer);
    if (!busy && this.slots.length > 0) {
      this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
      this.idleTimer.unref();
    }
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    if (shared === this) shared = undefined;
    for (const p of [...this.queue.splice(0), ...this.slots.flatMap((s) => [...s.busy.values()])]) p.reject(err);
    for (const s of this.slots) {
      s.busy.clear();
      void s.worker.terminate();
    }
  }
}

let shared: ChunkEmbedPool | undefined;

/** The process's pool for this embedder (a new one if the dimension changed or the last one failed). */
export function sharedPool(spec: ThreadSpec): ChunkEmbedPool {
  if (shared && shared.spec.dimension !== spec.dimension) void shared.close();
  if (!shared || shared.broken) shared = new ChunkEmbedPool(spec);
  return shared;
}
