import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../../src/app.js';
import { loadDemo } from '../../src/bootstrap/demo.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { pgliteForTests } from './db.js';

export const DEMO_TEMPLATE = path.resolve('test/.tmp/pglite-demo.tar');
export const DEMO_LOCK = `${DEMO_TEMPLATE}.lock`;
/** The tenant the demo is loaded into (with its risk model trained). */
export const DEMO_TENANT = 'demo';

/**
 * A PGlite holding the demo organisation with its trained risk model.
 * Loading the demo takes tens of seconds, so the first test file that asks
 * builds a template (others wait on the lock) and every later one boots a
 * copy from it. global-setup removes the template at the start of a run.
 */
export async function pgliteWithDemo(): Promise<Database> {
  if (!fs.existsSync(DEMO_TEMPLATE)) await buildOnce();
  const database = await openDatabase({ kind: 'pglite', loadDataDir: new Blob([fs.readFileSync(DEMO_TEMPLATE)]) });
  await database.migrate();
  return database;
}

async function buildOnce(): Promise<void> {
  try {
    fs.mkdirSync(DEMO_LOCK);
  } catch {
    // Another test file is building it.
    for (let waited = 0; !fs.existsSync(DEMO_TEMPLATE); waited += 500) {
      if (waited > 180_000) throw new Error('timed out waiting for the demo template');
      await new Promise((r) => setTimeout(r, 500));
    }
    return;
  }
  const database = await pgliteForTests();
  const app = await createApp(parseConfig({ SHIPCHECK_DEMO: '0' }), { startWorker: false, database, logger: createLogger('warn') });
  try {
    await loadDemo(app, DEMO_TENANT);
    const dump = await database.dump!();
    fs.writeFileSync(`${DEMO_TEMPLATE}.part`, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(`${DEMO_TEMPLATE}.part`, DEMO_TEMPLATE);
  } finally {
    await app.close();
  }
}
