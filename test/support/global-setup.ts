import fs from 'node:fs';
import path from 'node:path';
import { buildState } from '../../bin/build-state.js';
import { build } from '../../scripts/build.js';
import { dumpPgliteTemplate } from '../../src/store/database.js';
import { queueKeys, redisAnswers, redisUrlForTests, removeTestQueue, TEST_QUEUE_PREFIX } from './redis.js';

export const TEMPLATE = path.resolve('test/.tmp/pglite-template.tar');

/** A migrated PGlite, dumped once per run: each test file boots from it in ~0.4 s instead of ~2 s of initdb. */
export default async function setup(): Promise<() => Promise<void>> {
  // Tests that start bin/shipcheck.js run the compiled build, as users do: it must be the code under test.
  if (buildState() !== 'fresh') build();
  fs.mkdirSync(path.dirname(TEMPLATE), { recursive: true });
  // The demo template (test/support/demo-db.ts) is rebuilt per run: migrations or fixtures may have changed.
  const demo = path.resolve('test/.tmp/pglite-demo.tar');
  fs.rmSync(demo, { force: true });
  fs.rmSync(`${demo}.lock`, { recursive: true, force: true });
  const dump = await dumpPgliteTemplate();
  fs.writeFileSync(TEMPLATE, Buffer.from(await dump.arrayBuffer()));
  // Queues an interrupted run left behind are not this run's to answer for.
  const leftBefore = await queues();
  await removeAll(leftBefore.filter(isTestQueue));
  const otherBefore = new Set(leftBefore.filter((q) => !isTestQueue(q)));
  return () => teardown(otherBefore);
}

const isTestQueue = (name: string) => name.startsWith(TEST_QUEUE_PREFIX);

/** Names of the BullMQ queues with keys in the tests' Redis ([] without one). */
async function queues(): Promise<string[]> {
  const url = await redisUrlForTests();
  if (!url || !(await redisAnswers(url))) return [];
  return [...new Set((await queueKeys(url, 'bull:*')).map((key) => key.split(':')[1]!))];
}

async function removeAll(names: string[]): Promise<void> {
  const url = (await redisUrlForTests())!;
  for (const q of names) await removeTestQueue(url, q);
}

/**
 * Every suite removes the BullMQ queues it made (test/support/redis.ts). A
 * test queue still in Redis after the run fails it, naming the queue, and is
 * removed so the next run starts clean. A queue by another name that was not
 * there before the run (a test that let a child process use the default
 * queue) fails it too, but is not removed: it might not be the tests'.
 */
async function teardown(otherBefore: Set<string>): Promise<void> {
  const now = await queues();
  const left = now.filter(isTestQueue);
  const strays = now.filter((q) => !isTestQueue(q) && !otherBefore.has(q));
  await removeAll(left);
  // vitest reports an error thrown here and still exits 0: the exit code must say it.
  if (left.length > 0) {
    console.error(
      `test suites left ${left.length} BullMQ queue(s) in Redis: ${left.join(', ')}. Each suite removes its own (removeTestQueue).`,
    );
  }
  if (strays.length > 0) {
    console.error(
      `test suites made BullMQ queue(s) not named ${TEST_QUEUE_PREFIX}…: ${strays.join(', ')}. Name test queues with testQueueName.`,
    );
  }
  if (left.length + strays.length > 0) process.exitCode = 1;
}
