// Which Redis the BullMQ-backed tests use, and whether they run at all:
// - REDIS_URL set, or CI=true: run against it (default redis://127.0.0.1:6379).
//   A missing Redis then FAILS the tests: CI must not go green by skipping them.
// - Otherwise: try the default address and skip (return undefined) if nothing answers,
//   so a laptop without Redis can still run the rest of the suite.
// Uses a raw RESP PING over node:net so this helper needs neither bullmq nor ioredis.
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
