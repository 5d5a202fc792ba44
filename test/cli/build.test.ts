import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildState, ROOT } from '../../bin/build-state.js';

// These start embedded processes: a REDIS_URL inherited from CI would make them create a queue under the
// default name that no test removes.
delete process.env.REDIS_URL;

const exec = promisify(execFile);
const run = (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  exec(process.execPath, args, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe('the compiled build (dist/)', () => {
  it('is what bin/shipcheck.js runs: no TypeScript loader, no notice', async () => {
    expect(buildState()).toBe('fresh'); // the test setup builds it when the sources changed
    const help = await run(['bin/shipcheck.js', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^shipcheck: release risk analysis/);
    expect(help.stderr).toBe('');
  });

  it('runs on plain node and finds the migrations from dist/', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-dist-'));
    try {
      const migrate = await run(['dist/cli/main.js', 'migrate'], { env: { SHIPCHECK_DATA_DIR: path.join(dir, 'db') } });
      expect(migrate.stderr).toBe('');
      expect(migrate.stdout).toContain('migrations applied');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000); // a new embedded database: initdb

  it('starts the ingest worker threads from their compiled entry', async () => {
    // A pool job whose worker cannot start rejects (ingest would fall back to its own thread and hide it).
    const script = `
      const { ChunkEmbedPool } = await import('./dist/ingest/threads/pool.js');
      const pool = new ChunkEmbedPool({ kind: 'hashing', dimension: 8 }, 1);
      const r = await pool.run([{ kind: 'runbook', title: 'rollback', body: 'Step 1. Roll back the canary.' }]);
      await pool.close();
      console.log(JSON.stringify({ chunks: r.chunks[0].length, values: r.vectors.length }));`;
    const threads = await exec(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
    const out = JSON.parse(threads.stdout) as { chunks: number; values: number };
    expect(out.chunks).toBeGreaterThan(0);
    expect(out.values).toBe(out.chunks * 8);
  });
});

describe('bin/shipcheck.js without a current build', () => {
  // A copy of the program (node_modules linked), so its dist/ can be removed or aged without touching this checkout's.
  let copy: string;
  beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-copy-'));
    for (const p of ['bin', 'src', 'tsconfig.json', 'tsconfig.build.json', 'package.json']) {
      fs.cpSync(path.join(ROOT, p), path.join(copy, p), { recursive: true, preserveTimestamps: true });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  });
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));
  const help = () => run([path.join(copy, 'bin/shipcheck.js'), '--help'], { cwd: copy });

  it('runs the sources when there is no build, and says how to make one', async () => {
    const r = await help();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^shipcheck: release risk analysis/);
    expect(r.stderr).toBe('shipcheck: no compiled build in dist/ (run `npm run build`); running the TypeScript sources, which is slower\n');
  });

  it('runs the sources when one changed after the build (an edit, a checkout), and the build once it is current', async () => {
    fs.cpSync(path.join(ROOT, 'dist'), path.join(copy, 'dist'), { recursive: true });
    fs.utimesSync(path.join(copy, 'dist/.built'), new Date(), new Date());
    expect((await help()).stderr).toBe('');
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(copy, 'src/cli/args.ts'), later, later);
    const stale = await help();
    expect(stale.code).toBe(0);
    expect(stale.stderr).toContain('src/ changed since dist/ was built (run `npm run build`)');
  });
});
