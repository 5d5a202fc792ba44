import { OUTBOX_BACKOFF_MS } from '../contracts/jobs.js';
import type { JobLog, JobQueue } from './port.js';

const backoff = (job: string) => (OUTBOX_BACKOFF_MS[job] === undefined ? {} : { backoffMs: OUTBOX_BACKOFF_MS[job] });

/** A job written to the outbox in the same transaction as the write it belongs to. */
export interface OutboxEntry {
  id: string;
  job: string;
  jobId: string;
  payload: unknown;
  attempts: number;
}

/** Where the relay reads pending entries (store/ implements it). */
export interface OutboxSource {
  pending(limit: number): Promise<OutboxEntry[]>;
  /** Deletes entries that reached the queue: what is left is what is pending. */
  remove(ids: string[]): Promise<void>;
}

const BATCH = 200;

/**
 * Moves outbox entries onto the job queue. Enqueueing is idempotent by job
 * id, so an entry enqueued twice (a crash between enqueue and removal) runs
 * once. Drains run one at a time; a drain asked for while one runs is
 * folded into a second pass, so nothing written meanwhile is left behind.
 */
export function createOutboxRelay(deps: { source: OutboxSource; queue: Pick<JobQueue, 'enqueue'>; log?: JobLog }) {
  let running: Promise<number> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  async function pass(): Promise<number> {
    let moved = 0;
    for (;;) {
      const batch = await deps.source.pending(BATCH);
      if (batch.length === 0) return moved;
      for (const e of batch) await deps.queue.enqueue(e.job, e.payload, { jobId: e.jobId, attempts: e.attempts, ...backoff(e.job) });
      await deps.source.remove(batch.map((e) => e.id));
      moved += batch.length;
      if (batch.length < BATCH) return moved;
    }
  }

  async function drain(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let moved = 0;
      do {
        again = false;
        moved += await pass();
      } while (again);
      return moved;
    })();
    try {
      return await running;
    } finally {
      running = undefined;
    }
  }

  return {
    drain,
    /** Drains now and then every `everyMs` (a crash between a commit and its drain is caught up here). */
    start(everyMs: number) {
      const tick = () =>
        drain().catch((err: unknown) =>
          deps.log?.('outbox relay failed; will retry', { error: err instanceof Error ? err.message : String(err) }),
        );
      void tick();
      timer = setInterval(tick, everyMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => {});
    },
  };
}

export type OutboxRelay = ReturnType<typeof createOutboxRelay>;
