import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// These start embedded processes: a REDIS_URL inherited from CI would make them create a queue under the
// default name that no test removes.
delete process.env.REDIS_URL;

const exec = promisify(execFile);

/** A port nothing listens on right now (the OS picks it; it is free again once closed). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** Whether something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-serve-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('shipcheck serve on a busy port', () => {
  it('says so in one line and exits 2 before it creates a data dir, a tenant or a token', async () => {
    const held = net.createServer();
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    const busy = (held.address() as net.AddressInfo).port;
    const home = path.join(dir, 'busy');
    try {
      const r = await exec(process.execPath, ['bin/shipcheck.js', 'serve', '--port', String(busy)], {
        env: { ...process.env, SHIPCHECK_DATA_DIR: path.join(home, 'db'), SHIPCHECK_DEMO: '0' },
      }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(
        `shipcheck serve: 127.0.0.1:${busy} is already in use: stop what listens there, or choose another port with --port N or PORT`,
      );
      // Nothing was made: no data dir, no admin token, not even their parent directory.
      expect(fs.existsSync(home)).toBe(false);
    } finally {
      held.close();
    }
  });
});

describe('npm start and SIGTERM', () => {
  it('the signal reaches the server, which stops gracefully: port and data-dir lock released, exit 0', async () => {
    const port = await freePort();
    const dataDir = path.join(dir, 'npm', 'db');
    const npm = spawn('npm', ['start', '--silent'], {
      env: { ...process.env, PORT: String(port), SHIPCHECK_DATA_DIR: dataDir, SHIPCHECK_DEMO: '0', SHIPCHECK_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    npm.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        npm.stderr.on('data', () => stderr.includes('listening on') && resolve());
        void exited.then((code) => reject(new Error(`npm start exited ${code}: ${stderr}`)));
      });
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(fs.existsSync(`${dataDir}.lock`)).toBe(true);

      npm.kill('SIGTERM');
      // Bounded: a server that never hears the signal fails here instead of hanging the run.
      const code = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 30_000))]);
      expect(code).toBe(0);
      expect(stderr).toContain('SIGTERM: shutting down');
      expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
      expect(await listening(port)).toBe(false);
    } finally {
      // Whatever happened, leave no server behind: the lock file names its process.
      npm.kill('SIGKILL');
      if (fs.existsSync(`${dataDir}.lock`)) process.kill(Number(fs.readFileSync(`${dataDir}.lock`, 'utf8')), 'SIGKILL');
    }
  }, 120_000);
});

describe('npm start and Ctrl-C', () => {
  it('one Ctrl-C (SIGINT to the whole process group: npm forwards it too, so the server hears it twice) stops it gracefully, exit 0', async () => {
    const port = await freePort();
    const dataDir = path.join(dir, 'ctrl-c', 'db');
    // Its own process group, as a terminal gives a foreground job: a signal to the group reaches npm and node.
    const npm = spawn('npm', ['start', '--silent'], {
      env: { ...process.env, PORT: String(port), SHIPCHECK_DATA_DIR: dataDir, SHIPCHECK_DEMO: '0', SHIPCHECK_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    npm.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        npm.stderr.on('data', () => stderr.includes('listening on') && resolve());
        void exited.then((code) => reject(new Error(`npm start exited ${code}: ${stderr}`)));
      });
      process.kill(-npm.pid!, 'SIGINT');
      const code = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 30_000))]);
      expect(stderr).toContain('SIGINT: shutting down');
      expect(code).toBe(0);
      expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
      expect(await listening(port)).toBe(false);
    } finally {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {}
      if (fs.existsSync(`${dataDir}.lock`)) process.kill(Number(fs.readFileSync(`${dataDir}.lock`, 'utf8')), 'SIGKILL');
    }
  }, 120_000);
});

describe('shipcheck serve while it starts', () => {
  it('answers 503 "starting" on its port, and a SIGTERM then stops it once start-up has finished, exit 0', async () => {
    const port = await freePort();
    const dataDir = path.join(dir, 'starting', 'db');
    const child = spawn(process.execPath, ['bin/shipcheck.js', 'serve', '--port', String(port)], {
      env: { ...process.env, SHIPCHECK_DATA_DIR: dataDir, SHIPCHECK_DEMO: '0', SHIPCHECK_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      // A new embedded database takes seconds to create: the port is bound long before the app is ready.
      let first: Response | undefined;
      for (let i = 0; i < 600 && !first; i++) {
        first = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        if (!first) await new Promise((r) => setTimeout(r, 50));
      }
      expect(first?.status).toBe(503);
      expect(first?.headers.get('retry-after')).toBe('1');
      expect(await first?.json()).toEqual({
        error: { code: 'unavailable', message: 'shipcheck is starting; try again shortly', requestId: '-' },
      });
      expect(stderr).not.toContain('listening on');

      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 60_000))]);
      expect(code).toBe(0);
      expect(stderr).toContain('SIGTERM: stopping once start-up has finished');
      expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
      expect(await listening(port)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
