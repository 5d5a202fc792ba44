// One contract, run against every JobQueue adapter: what handlers and callers may
// rely on whichever adapter createJobQueue() picks. No wall-clock assertions:
// ordering is observed through promises (gates) and queue state.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BullMqJobQueue } from '../../src/jobs/bullmq.js';
import {
  JobError,
  JobFailedError,
  JobNotFoundError,
  JobTimeoutError,
  createJobQueue,
  permanent,
  type JobQueue,
} from '../../src/jobs/index.js';
import { AppError } from '../../src/contracts/errors.js';
import { DEFAULT_TEST_REDIS_URL, redisAnswers, redisUrlForTests, testQueueName } from '../support/redis.js';

const redisUrl = await redisUrlForTests();

/** Opens queues for one test and removes every trace of them afterwards. */
interface Harness {
  /** Throws at once if the backend is unreachable, instead of every test hanging to its timeout. */
  ready(): Promise<void>;
  open(): JobQueue;
  cleanup(): Promise<void>;
}

function inProcessHarness(): Harness {
  const opened: JobQueue[] = [];
  return {
    ready: async () => {},
    open: () => {
      const q = createJobQueue({});
      opened.push(q);
      return q;
    },
    cleanup: async () => {
      await Promise.all(opened.map((q) => q.close()));
    },
  };
}

function bullmqHarness(url: string): Harness {
  const queueName = testQueueName('contract'); // a fresh queue per test, as BullMQ's own tests do
  const opened: JobQueue[] = [];
  return {
    ready: async () => {
      if (!(await redisAnswers(url))) throw new Error(`Redis is required here (REDIS_URL or CI=true) but nothing answers at ${url}`);
    },
    open: () => {
      const q = createJobQueue({ redisUrl: url, queueName });
      opened.push(q);
      return q;
    },
    cleanup: async () => {
      await Promise.all(opened.map((q) => q.close()));
      const admin = new BullMqJobQueue({ redisUrl: url, queueName });
      await admin.obliterate();
      await admin.close();
    },
  };
}

const adapters: Array<[string, () => Harness]> = [['in-process', inProcessHarness]];
if (redisUrl) adapters.push(['bullmq', () => bullmqHarness(redisUrl)]);
else {
  describe.skip(`bullmq adapter: no Redis answered at ${DEFAULT_TEST_REDIS_URL} (set REDIS_URL, or CI=true to make a missing Redis fail)`, () => {
    it('runs the queue contract on Redis', () => {});
  });
}

/** A promise with its resolver, to let a test decide when a handler may go on. */
function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

const FAST = { backoffMs: 20 }; // keep retries quick; backoff itself is not under test here
const WAIT_MS = 10_000;

describe.each(adapters)('JobQueue contract: %s', (kind, makeHarness) => {
  let h: Harness;
  let q: JobQueue;
  beforeAll(async () => {
    await makeHarness().ready();
  });
  beforeEach(() => {
    h = makeHarness();
    q = h.open();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  it('reports its kind and answers ping until closed', async () => {
    expect(q.kind).toBe(kind);
    expect(await q.ping()).toBe(true);
    await q.close();
    expect(await q.ping()).toBe(false);
  });

  it('processes a job and returns the value via waitFor', async () => {
    q.register('add', async (p: { a: number; b: number }) => p.a + p.b);
    await q.startWorker();
    const { jobId, deduplicated } = await q.enqueue('add', { a: 2, b: 3 });
    expect(typeof jobId).toBe('string');
    expect(deduplicated).toBe(false);
    expect(await q.waitFor<number>(jobId, WAIT_MS)).toBe(5);
  });

  it('enqueue with the same jobId is idempotent: one run, deduplicated on repeats', async () => {
    let runs = 0;
    q.register('assess', async (p: { release: string }) => {
      runs += 1;
      return `assessed ${p.release}`;
    });
    const first = await q.enqueue('assess', { release: 'r42' }, { jobId: 'assess-r42-v1' });
    const whileWaiting = await q.enqueue('assess', { release: 'r42' }, { jobId: 'assess-r42-v1' });
    expect(first).toEqual({ jobId: 'assess-r42-v1', deduplicated: false });
    expect(whileWaiting).toEqual({ jobId: 'assess-r42-v1', deduplicated: true });

    await q.startWorker();
    expect(await q.waitFor(first.jobId, WAIT_MS)).toBe('assessed r42');
    const afterCompletion = await q.enqueue('assess', { release: 'r42' }, { jobId: 'assess-r42-v1' });
    expect(afterCompletion).toEqual({ jobId: 'assess-r42-v1', deduplicated: true });
    expect(runs).toBe(1);
    expect(await q.counts()).toMatchObject({ waiting: 0, active: 0, completed: 1 });
  });

  it('retries a failing job and succeeds on the 3rd attempt (attempts 1, 2, 3)', async () => {
    const attempts: number[] = [];
    q.register('flaky', async (_p: unknown, ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt < 3) throw new Error(`transient failure ${ctx.attempt}`);
      return { ok: true, jobId: ctx.jobId };
    });
    await q.startWorker();
    const { jobId } = await q.enqueue('flaky', {}, { attempts: 3, ...FAST });
    expect(await q.waitFor(jobId, WAIT_MS)).toEqual({ ok: true, jobId });
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('a permanent error fails after one attempt and is listed with its message', async () => {
    let runs = 0;
    q.register('parse', async () => {
      runs += 1;
      throw permanent('bad input: no version field');
    });
    await q.startWorker();
    const { jobId } = await q.enqueue('parse', { raw: '{}' }, { attempts: 5, ...FAST });
    const err = await q.waitFor(jobId, WAIT_MS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect((err as JobFailedError).reason).toBe('bad input: no version field');
    expect(runs).toBe(1);
    expect(await q.failed()).toEqual([
      {
        jobId,
        name: 'parse',
        payload: { raw: '{}' },
        error: 'bad input: no version field',
        code: 'internal',
        attemptsMade: 1,
        failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
  });

  it('a retryable error uses up the attempts, then the job is failed and listed', async () => {
    const attempts: number[] = [];
    q.register('down', async (_p: unknown, ctx) => {
      attempts.push(ctx.attempt);
      throw new Error('upstream unavailable');
    });
    await q.startWorker();
    const { jobId } = await q.enqueue('down', { n: 1 }, { attempts: 2, ...FAST });
    await expect(q.waitFor(jobId, WAIT_MS)).rejects.toThrow(JobFailedError);
    expect(attempts).toEqual([1, 2]);
    const [failed] = await q.failed();
    expect(failed).toMatchObject({ jobId, name: 'down', error: 'upstream unavailable', attemptsMade: 2 });
    expect(await q.failed(0)).toEqual([]);
  });

  it('waitFor also answers for a job that finished before it was called', async () => {
    q.register('echo', async (p: string) => p);
    q.register('boom', async () => {
      throw permanent('nope');
    });
    await q.startWorker();
    const ok = await q.enqueue('echo', 'hello');
    const bad = await q.enqueue('boom', null);
    await q.waitFor(ok.jobId, WAIT_MS);
    await q.waitFor(bad.jobId, WAIT_MS).catch(() => undefined);
    // Both are finished now; asking again must not wait for an event that already passed.
    expect(await q.waitFor(ok.jobId, WAIT_MS)).toBe('hello');
    await expect(q.waitFor(bad.jobId, WAIT_MS)).rejects.toThrow(JobFailedError);
  });

  it('waitFor rejects with a timeout error for a job that never finishes, and not-found for an unknown id', async () => {
    const release = gate();
    const started = gate();
    q.register('stuck', async () => {
      started.open();
      await release.promise;
      return 'late';
    });
    await q.startWorker();
    const { jobId } = await q.enqueue('stuck', {});
    await started.promise;
    try {
      await expect(q.waitFor(jobId, 100)).rejects.toThrow(JobTimeoutError);
    } finally {
      release.open(); // let close() finish
    }
    await expect(q.waitFor('no-such-job', 100)).rejects.toThrow(JobNotFoundError);
  });

  it('close() waits for the in-flight job: its side effect is visible once close resolves', async () => {
    const started = gate();
    let sideEffect = false;
    q.register('slow', async () => {
      started.open();
      await new Promise((resolve) => setTimeout(resolve, 50));
      sideEffect = true;
      return 'done';
    });
    await q.startWorker();
    const { jobId } = await q.enqueue('slow', {});
    const result = q.waitFor(jobId, WAIT_MS);
    await started.promise;
    await q.close();
    expect(sideEffect).toBe(true);
    await expect(result).resolves.toBe('done'); // a waiter gets the result, not a "closed" error
  });

  it('counts() reports waiting, active, completed, failed and delayed jobs', async () => {
    expect(await q.counts()).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 });
    const release = gate();
    const started = gate();
    q.register('hold', async () => {
      started.open();
      await release.promise;
      return 1;
    });
    q.register('ok', async () => 1);
    q.register('bad', async () => {
      throw permanent('bad');
    });
    q.register('later', async () => {
      throw new Error('retry much later');
    });

    const held = await q.enqueue('hold', {});
    await q.enqueue('ok', {});
    expect(await q.counts()).toMatchObject({ waiting: 2, active: 0 });

    await q.startWorker({ concurrency: 1 });
    await started.promise;
    expect(await q.counts()).toMatchObject({ active: 1 });
    release.open();
    await q.waitFor(held.jobId, WAIT_MS);

    const bad = await q.enqueue('bad', {});
    await q.waitFor(bad.jobId, WAIT_MS).catch(() => undefined);
    // A retry 60 s away stays delayed for the rest of the test; state is polled, not timed.
    await q.enqueue('later', {}, { attempts: 2, backoffMs: 60_000 });
    await vi.waitFor(async () => expect((await q.counts()).delayed).toBe(1), { timeout: WAIT_MS, interval: 20 });
    await vi.waitFor(async () => expect((await q.counts()).completed).toBe(2), { timeout: WAIT_MS, interval: 20 });
    expect(await q.counts()).toEqual({ waiting: 0, active: 0, completed: 2, failed: 1, delayed: 1 });
  });

  it('runs up to `concurrency` jobs at once', async () => {
    const release = gate();
    const startedA = gate();
    const startedB = gate();
    const started = { a: startedA, b: startedB };
    q.register('par', async (p: 'a' | 'b') => {
      started[p].open();
      await release.promise;
      return p;
    });
    await q.startWorker({ concurrency: 2 });
    const a = await q.enqueue('par', 'a');
    const b = await q.enqueue('par', 'b');
    // Both handlers are inside at the same time, or this never resolves (test timeout).
    await Promise.all([startedA.promise, startedB.promise]);
    release.open();
    expect(await Promise.all([q.waitFor(a.jobId, WAIT_MS), q.waitFor(b.jobId, WAIT_MS)])).toEqual(['a', 'b']);
  });

  it('a job whose name has no handler fails permanently with a clear message', async () => {
    await q.startWorker();
    const { jobId } = await q.enqueue('nobody-home', {}, { attempts: 3, ...FAST });
    await expect(q.waitFor(jobId, WAIT_MS)).rejects.toThrow(/no handler registered for job name 'nobody-home'/);
    expect((await q.failed())[0]).toMatchObject({ jobId, attemptsMade: 1 });
  });

  it('re-enqueueing the id of a failed job runs it again', async () => {
    let runs = 0;
    q.register('once-bad', async () => {
      runs += 1;
      if (runs === 1) throw permanent('first run fails');
      return 'second run ok';
    });
    await q.startWorker();
    await q.enqueue('once-bad', { v: 1 }, { jobId: 'notes-r7' });
    await expect(q.waitFor('notes-r7', WAIT_MS)).rejects.toThrow(JobFailedError);
    expect(await q.enqueue('once-bad', { v: 1 }, { jobId: 'notes-r7' })).toEqual({ jobId: 'notes-r7', deduplicated: false });
    expect(await q.waitFor('notes-r7', WAIT_MS)).toBe('second run ok');
    expect(runs).toBe(2);
    expect(await q.failed()).toEqual([]);
  });

  it('calls onFailed once, on the last failure only, before waitFor hears of it; a retried failure does not call it', async () => {
    const calls: { payload: unknown; code: string; message: string }[] = [];
    const onFailed = async (payload: unknown, f: { code: string; message: string }) => {
      // Slow on purpose: a waiter must not wake up before the hook has finished.
      await new Promise((resolve) => setTimeout(resolve, 50));
      calls.push({ payload, code: f.code, message: f.message });
    };
    let flakyRuns = 0;
    q.register(
      'flaky',
      async () => {
        flakyRuns += 1;
        if (flakyRuns === 1) throw new Error('first try fails');
        return 'ok';
      },
      { onFailed },
    );
    q.register(
      'refused',
      async () => {
        throw new AppError('validation_failed', 'no version field');
      },
      { onFailed },
    );
    q.register(
      'down',
      async () => {
        throw new AppError('unavailable', 'embedder at http://10.0.0.9:8080 refused');
      },
      { onFailed },
    );
    await q.startWorker();
    const flaky = await q.enqueue('flaky', { n: 1 }, { attempts: 2, ...FAST });
    expect(await q.waitFor(flaky.jobId, WAIT_MS)).toBe('ok');
    expect(calls).toEqual([]);

    // validation_failed is not retryable (4xx): one try, then the hook.
    const refused = await q.enqueue('refused', { n: 2 }, { attempts: 3, ...FAST });
    const err = await q.waitFor(refused.jobId, WAIT_MS).catch((e: unknown) => e);
    expect(calls).toEqual([{ payload: { n: 2 }, code: 'validation_failed', message: 'no version field' }]);
    expect(err).toMatchObject({ failureCode: 'validation_failed', reason: 'no version field' });

    // unavailable is retryable: the hook waits for the last attempt.
    const down = await q.enqueue('down', { n: 3 }, { attempts: 2, ...FAST });
    await expect(q.waitFor(down.jobId, WAIT_MS)).rejects.toThrow(JobFailedError);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({ payload: { n: 3 }, code: 'unavailable' });
    expect(await q.failed(10)).toEqual([
      expect.objectContaining({ jobId: down.jobId, code: 'unavailable', attemptsMade: 2 }),
      expect.objectContaining({ jobId: refused.jobId, code: 'validation_failed', attemptsMade: 1 }),
    ]);
  });

  it('state() tells where a job is: waiting, active, completed, failed, unknown', async () => {
    const release = gate();
    const started = gate();
    q.register('hold', async () => {
      started.open();
      await release.promise;
      return 1;
    });
    q.register('bad', async () => {
      throw permanent('bad');
    });
    const held = await q.enqueue('hold', {}, { jobId: 'state-hold' });
    expect(await q.state(held.jobId)).toBe('waiting');
    await q.startWorker();
    await started.promise;
    expect(await q.state(held.jobId)).toBe('active');
    release.open();
    await q.waitFor(held.jobId, WAIT_MS);
    expect(await q.state(held.jobId)).toBe('completed');
    const bad = await q.enqueue('bad', {}, { jobId: 'state-bad' });
    await q.waitFor(bad.jobId, WAIT_MS).catch(() => undefined);
    expect(await q.state(bad.jobId)).toBe('failed');
    expect(await q.state('state-never')).toBe('unknown');
  });

  it('failed() with a match lists only the jobs whose payload it accepts, up to the limit', async () => {
    q.register('bad', async () => {
      throw permanent('bad');
    });
    await q.startWorker();
    const ids: Record<string, string[]> = { a: [], b: [] };
    for (const [i, tenant] of ['a', 'b', 'a', 'b', 'a'].entries()) {
      const { jobId } = await q.enqueue('bad', { tenant, i });
      ids[tenant]!.push(jobId);
      await q.waitFor(jobId, WAIT_MS).catch(() => undefined);
    }
    const ofA = await q.failed(100, (p) => (p as { tenant: string }).tenant === 'a');
    expect(ofA.map((j) => j.jobId)).toEqual([...ids.a!].reverse());
    expect((await q.failed(1, (p) => (p as { tenant: string }).tenant === 'b')).map((j) => j.jobId)).toEqual([ids.b![1]]);
  });

  it('rejects a jobId containing ":" as a non-retryable error', async () => {
    const err = await q.enqueue('x', {}, { jobId: 'release:1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobError);
    expect((err as JobError).retryable).toBe(false);
  });
});
