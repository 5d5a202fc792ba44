import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';

/** Runs the CLI in-process with captured output (warnings and info logs silenced). */
export async function runCli(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false };
  const code = await main(argv, { SHIPCHECK_LOG_LEVEL: 'error', ...env }, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
