import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../contracts/errors.js';

/**
 * PGlite has no lock of its own and two processes on one data dir silently
 * lose writes. This lock file makes the second opener fail
 * with a clear message instead. A lock left by a dead process is taken over.
 */
export class DataDirLockedError extends AppError {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      'unavailable',
      `the embedded database ${dataDir} is in use by process ${pid} (a running "shipcheck serve"?). ` +
        `Stop that process, or talk to it over HTTP (--server http://HOST:PORT --token …), ` +
        `or use a real PostgreSQL through DATABASE_URL.`,
      { retryable: false },
    );
  }
}

export interface DirLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dataDir: string): DirLock {
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const file = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (Number.isFinite(pid) && pid !== process.pid && alive(pid)) throw new DataDirLockedError(dataDir, pid);
      if (pid === process.pid) throw new DataDirLockedError(dataDir, pid);
      fs.rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
