// Which Redis the BullMQ-backed tests use, and whether they run at all:
// - REDIS_URL set, or CI=true: run against it (default redis://127.0.0.1:6379).
//   A missing Redis then FAILS the tests: CI must not go green by skipping them.
// - Otherwise: try the default address and skip (return undefined) if nothing answers,
//   so a laptop without Redis can still run the rest of the suite.
// The check is a raw RESP PING over node:net; the queue cleanup below loads BullMQ and ioredis only when called.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

export async function redisUrlForTests(): Promise<string | undefined> {
  const explicit = process.env['REDIS_URL'];
  if (explicit) return explicit;
  if (process.env['CI'] === 'true') return DEFAULT_TEST_REDIS_URL;
  return (await redisAnswers(DEFAULT_TEST_REDIS_URL)) ? DEFAULT_TEST_REDIS_URL : undefined;
}

/** True if something at the URL's host:port answers a RESP PING (even with an auth error). */
export function redisAnswers(url: string, timeoutMs = 500): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    // '+PONG' or '-NOAUTH ...': either way a Redis is listening.
    socket.once('data', (chunk) => done(/^[+-]/.test(chunk.toString('latin1'))));
  });
}

/**
 * Every BullMQ queue a test makes is named `test-…`, so what a suite leaves
 * in Redis can be found: each suite removes its own queues (removeTestQueue,
 * in afterAll or afterEach), and the global teardown fails the run when any
 * `bull:test-*` key is left (global-setup.ts).
 */
export const TEST_QUEUE_PREFIX = 'test-';
export const TEST_QUEUE_KEYS = `bull:${TEST_QUEUE_PREFIX}*`;

export function testQueueName(label: string): string {
  return `${TEST_QUEUE_PREFIX}${label}-${randomBytes(4).toString('hex')}`;
}

/** Removes a queue and all its jobs from Redis (BullMQ's obliterate, through the adapter). */
export async function removeTestQueue(redisUrl: string, queueName: string): Promise<void> {
  const { BullMqJobQueue } = await import('../../src/jobs/bullmq.js');
  const admin = new BullMqJobQueue({ redisUrl, queueName });
  try {
    await admin.obliterate();
  } finally {
    await admin.close();
  }
}

/** The keys matching `pattern` (default: the test queues') now in this Redis, sorted. */
export async function queueKeys(redisUrl: string, pattern = TEST_QUEUE_KEYS): Promise<string[]> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys.sort();
  } finally {
    redis.disconnect();
  }
}
