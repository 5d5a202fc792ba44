import { AppError, type ErrorCode } from '../contracts/errors.js';

/** A failure the user can fix: printed as one message, no stack, with an exit code (and the server's code when it came from one). */
export class CliError extends AppError {
  constructor(
    message: string,
    readonly exitCode = 2,
    code: ErrorCode = 'bad_request',
  ) {
    super(code, message);
  }
}

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  isTTY: boolean;
}

/**
 * A progress bar on stderr when it is a terminal; otherwise a line every
 * 10% so CI logs show progress without flooding.
 */
export function progress(io: Io, label: string) {
  let lastDecile = -1;
  let started = Date.now();
  return {
    update(done: number, total?: number) {
      const elapsed = (Date.now() - started) / 1000;
      const rate = elapsed > 0 ? Math.round(done / elapsed) : 0;
      if (io.isTTY) {
        const frac = total ? Math.min(1, done / total) : 0;
        const bar = total ? '[' + '#'.repeat(Math.round(frac * 30)).padEnd(30, '.') + '] ' : '';
        process.stderr.write(`\r${label} ${bar}${done}${total ? '/' + total : ''} (${rate}/s)   `);
      } else if (total) {
        const decile = Math.floor((done / total) * 10);
        if (decile > lastDecile) {
          lastDecile = decile;
          io.err(`${label} ${done}/${total} (${rate}/s)`);
        }
      }
    },
    done() {
      if (io.isTTY) process.stderr.write('\n');
      started = Date.now();
    },
  };
}
