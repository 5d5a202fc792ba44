/**
 * How long a CLI call takes, as CI sees it: each run is a new process, timed from spawn to exit.
 *
 *   npm run bench:cli [-- --runs 10] [-- --no-gate]
 *
 * 1. `node -e 0` (the floor on this machine) against `shipcheck --help` (the compiled build), alternated so
 *    both see the same load; also `--help` from the TypeScript sources through tsx, as every call ran before.
 * 2. `shipcheck gate` against a running server: a `shipcheck serve` on a temporary data dir with the demo
 *    organisation, and a small git repository with a risky commit. Each run registers its own version.
 *
 * Prints min / median / max and the ratio of medians. Bounded: --runs (default 10, at most 50) of each.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildState, ROOT } from '../bin/build-state.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, 'no-gate': { type: 'boolean' } } });
const RUNS = Math.min(50, Math.max(1, Number(values.runs) || 10));
const BIN = path.join(ROOT, 'bin', 'shipcheck.js');

/** Milliseconds from spawn to exit of one process; a failed run stops the script. */
function timeOnce(args: string[], env: NodeJS.ProcessEnv = process.env, okCodes = [0]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  const ms = performance.now() - t0;
  if (!okCodes.includes(r.status ?? -1)) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => {
  const s = sorted(xs);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const line = (label: string, xs: number[]) =>
  `${label.padEnd(34)} min ${sorted(xs)[0]!.toFixed(0).padStart(5)} ms   median ${median(xs).toFixed(0).padStart(5)} ms   max ${sorted(xs)
    .at(-1)!
    .toFixed(0)
    .padStart(5)} ms   (${xs.length} runs)`;

/** A repository with a base commit and a risky one (a lock file, a migration, Terraform), like the README's example. */
function makeRepo(dir: string): void {
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe' });
  const write = (file: string, lines: number) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), Array.from({ length: lines }, (_, i) => `line ${i}`).join('\n') + '\n');
  };
  git('init', '-q');
  git('config', 'user.email', 'dev@example.com');
  git('config', 'user.name', 'Dev One');
  write('src/orders/place-order.ts', 40);
  git('add', '.');
  git('commit', '-qm', 'initial import');
  git('tag', 'base');
  write('package-lock.json', 1800);
  write('migrations/0031_orders_backfill.sql', 220);
  write('terraform/rds.tf', 40);
  write('src/orders/place-order.ts', 310);
  git('add', '.');
  git('commit', '-qm', 'chore(deps): bump fastify from 4.29.0 to 5.0.0');
  git('tag', 'risky');
}

async function startServe(dataDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, SHIPCHECK_DATA_DIR: dataDir, SHIPCHECK_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 300 s: ${err}`)), 300_000);
    child.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function main(): Promise<void> {
  const state = buildState();
  if (state !== 'fresh') throw new Error(`the compiled build is ${state}: run npm run build first`);
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  const bare: number[] = [];
  const help: number[] = [];
  timeOnce([BIN, '--help']); // the first run reads the files from disk; the figures are for a warm file cache
  for (let i = 0; i < RUNS; i++) {
    bare.push(timeOnce(['-e', '0']));
    help.push(timeOnce([BIN, '--help']));
  }
  const sources: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 5); i++) sources.push(timeOnce(['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), '--help']));
  console.log(line('node -e 0', bare));
  console.log(line('shipcheck --help (dist/)', help));
  console.log(line('shipcheck --help (sources, tsx)', sources));
  console.log(`ratio --help / node -e 0 (medians): ${(median(help) / median(bare)).toFixed(1)}× (target ≤ 10×)`);
  if (values['no-gate']) return;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-cli-timing-'));
  try {
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    makeRepo(repo);
    const t0 = performance.now();
    const server = await startServe(path.join(dir, 'db'));
    console.log(`serve with the demo organisation started in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    try {
      const token = fs.readFileSync(path.join(dir, 'admin-token'), 'utf8').trim();
      const gate = (version: string) =>
        timeOnce(
          [BIN, 'gate', '--service', 'checkout', '--version', version, '--repo', repo, '--from', 'base', '--to', 'risky'],
          { ...process.env, SHIPCHECK_SERVER: server.url, SHIPCHECK_TOKEN: token },
          [0, 1],
        );
      gate('timing-warm-up');
      const runs = Array.from({ length: RUNS }, (_, i) => gate(`timing-${i}`));
      console.log(line('shipcheck gate --server (dist/)', runs));
      console.log(`gate median ${(median(runs) / 1000).toFixed(2)} s (target < 2 s)`);
    } finally {
      await server.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
