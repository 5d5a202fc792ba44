import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, postgresForTests } from '../support/db.js';
import { redisUrlForTests, removeTestQueue, testQueueName } from '../support/redis.js';

const available = (await postgresAvailable()) && Boolean(await redisUrlForTests());

/** Starts `shipcheck <args>` and resolves once stderr shows `ready`. */
function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, ['bin/shipcheck.js', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      err += d;
      if (ready.test(err)) resolve({ child, stderr: () => err });
    });
    child.once('exit', (code) => reject(new Error(`shipcheck ${args[0]} exited ${code}: ${err}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

describe.runIf(available)('scale-out: an API node and a separate worker process on PostgreSQL and Redis', () => {
  let pg: Awaited<ReturnType<typeof postgresForTests>>;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    pg = await postgresForTests();
    await pg.database.close();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-scale-'));
    env = {
      DATABASE_URL: pg.url,
      REDIS_URL: (await redisUrlForTests())!,
      SHIPCHECK_DATA_DIR: path.join(dir, 'db'),
      SHIPCHECK_DEMO: '0',
      SHIPCHECK_LOG_LEVEL: 'info',
      // A queue of its own, so other test runs' jobs never reach this worker.
      SHIPCHECK_QUEUE: testQueueName('scale'),
    };
  });
  afterAll(async () => {
    if (env) await removeTestQueue(env.REDIS_URL!, env.SHIPCHECK_QUEUE!);
    await pg?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the API queues, the worker indexes, and both stop gracefully', async () => {
    const api = await start(['serve', '--port', '0'], env, /listening on (http:\/\/[\d.:]+)/);
    const url = /listening on (http:\/\/[\d.:]+)/.exec(api.stderr())![1]!;
    const token = fs.readFileSync(path.join(dir, 'admin-token'), 'utf8').trim();
    const post = await fetch(`${url}/v1/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        documents: [
          {
            kind: 'incident',
            service: 'payments',
            title: 'INC-77 card declines',
            body: 'Card declines spiked after payments 3.1.0; rolled back.',
            occurredAt: '2026-04-01T10:00:00Z',
          },
        ],
      }),
    });
    expect(post.status).toBe(202);
    const { results } = (await post.json()) as { results: { documentId: string; status: string }[] };
    expect(results[0]!.status).toBe('queued');
    const status = async () =>
      (
        (await (
          await fetch(`${url}/v1/documents/${results[0]!.documentId}`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as { status: string }
      ).status;
    // No worker yet: the API node alone does not index.
    await new Promise((r) => setTimeout(r, 500));
    expect(await status()).toBe('queued');

    const worker = await start(['worker'], env, /processing jobs/);
    let s = await status();
    for (let i = 0; i < 100 && s !== 'indexed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = await status();
    }
    expect(s).toBe('indexed');
    const search = await fetch(`${url}/v1/search?q=card%20declines`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await search.json()) as { results: unknown[] }).results.length).toBe(1);

    expect(await stop(worker.child)).toBe(0);
    expect(worker.stderr()).toContain('finishing in-flight jobs');
    expect(await stop(api.child)).toBe(0);
  }, 60_000);
});
