/**
 * Peak RSS of this process, sampled from a worker thread every few
 * milliseconds. A worker (not a timer on the main thread) because PGlite runs
 * its WASM synchronously: a long CREATE INDEX blocks the main event loop, and
 * a main-thread timer would miss the peak. RSS is process-wide, so the
 * worker's own few MB are included; PostgreSQL's server processes are not.
 */
import { Worker } from 'node:worker_threads';

const WORKER = `
const { workerData } = require('node:worker_threads');
const a = new Int32Array(workerData.sab);
const raise = (i, kb) => { for (;;) { const cur = Atomics.load(a, i); if (cur >= kb || Atomics.compareExchange(a, i, cur, kb) === cur) return; } };
setInterval(() => {
  const kb = Math.round(process.memoryUsage.rss() / 1024);
  Atomics.store(a, 0, kb);
  raise(1, kb);
  raise(2, kb);
}, workerData.intervalMs);
`;

export interface PhaseMemory {
  phase: string;
  /** RSS when the phase began (bytes). */
  startRss: number;
  /** Highest RSS seen during the phase (bytes). */
  peakRss: number;
  endRss: number;
}

export class RssMonitor {
  /** [0] last sample, [1] run peak, [2] current-phase peak; all in KiB. */
  private readonly slots: Int32Array;
  private readonly worker: Worker;
  private current: { phase: string; startRss: number } | undefined;
  readonly phases: PhaseMemory[] = [];

  constructor(intervalMs = 20) {
    const sab = new SharedArrayBuffer(3 * 4);
    this.slots = new Int32Array(sab);
    this.worker = new Worker(WORKER, { eval: true, workerData: { sab, intervalMs } });
    this.worker.unref();
    this.sample();
  }

  /** Also sample from the main thread (cheap); called at phase edges. */
  sample(): number {
    const kb = Math.round(process.memoryUsage.rss() / 1024);
    for (const i of [1, 2]) if (Atomics.load(this.slots, i) < kb) Atomics.store(this.slots, i, kb);
    return kb * 1024;
  }

  begin(phase: string): void {
    if (this.current) this.end();
    const rss = this.sample();
    Atomics.store(this.slots, 2, Math.round(rss / 1024));
    this.current = { phase, startRss: rss };
  }

  end(): PhaseMemory | undefined {
    if (!this.current) return undefined;
    const endRss = this.sample();
    const m: PhaseMemory = { ...this.current, peakRss: Atomics.load(this.slots, 2) * 1024, endRss };
    this.phases.push(m);
    this.current = undefined;
    return m;
  }

  /** Runs `fn` as a named phase and returns its memory figures with its value. */
  async phase<T>(name: string, fn: () => Promise<T>): Promise<{ value: T; memory: PhaseMemory }> {
    this.begin(name);
    try {
      const value = await fn();
      return { value, memory: this.end()! };
    } catch (err) {
      this.end();
      throw err;
    }
  }

  get peakRss(): number {
    this.sample();
    return Atomics.load(this.slots, 1) * 1024;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
