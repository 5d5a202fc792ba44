/**
 * `shipcheck serve` and `shipcheck worker` as child processes, for the
 * scripts that measure them from outside (kill test, health under load):
 * started from bin/shipcheck.js as a user would, their stderr kept in a log
 * file, killed with SIGKILL or stopped with SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Shipcheck {
  child: ChildProcess;
  /** Resolves with the exit code (null after a signal). */
  exited: Promise<number | null>;
}

/** A port free right now, so a restarted server comes back at the same address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `shipcheck <args>` and resolves once its stderr matches `ready`
 * (or rejects when it exits first, or after `timeoutMs`). Everything it
 * writes to stderr is appended to `logFile`.
 */
export function startShipcheck(
  args: string[],
  env: Record<string, string>,
  opts: { ready: RegExp; logFile: string; timeoutMs?: number },
): Promise<Shipcheck> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/shipcheck.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log = fs.createWriteStream(opts.logFile, { flags: 'a' });
  log.write(`\n--- ${new Date().toISOString()} shipcheck ${args.join(' ')} (pid ${child.pid})\n`);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let seen = '';
  let ready = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`shipcheck ${args[0]} was not ready after ${opts.timeoutMs ?? 60_000} ms; see ${opts.logFile}`));
    }, opts.timeoutMs ?? 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      log.write(d);
      if (ready) return;
      seen += d.toString();
      if (opts.ready.test(seen)) {
        ready = true;
        clearTimeout(timer);
        resolve({ child, exited });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      log.end(`--- exited ${code ?? signal}\n`);
      reject(new Error(`shipcheck ${args[0]} exited (${code ?? signal}) before it was ready; see ${opts.logFile}`));
    });
  });
}

/** kill -9: no handler runs, no in-flight work finishes. */
export async function kill9(p: Shipcheck): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await p.exited;
}

/** SIGTERM, then the exit code of a graceful shutdown. */
export async function stopGracefully(p: Shipcheck): Promise<number | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.child.exitCode;
  p.child.kill('SIGTERM');
  return p.exited;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
