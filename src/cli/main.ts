import { pathToFileURL } from 'node:url';
import type { Config } from '../config.js';
import { AppError } from '../contracts/errors.js';
import { evalCommand } from './commands/eval.js';
import { evidenceCommand } from './commands/evidence.js';
import { importCommand } from './commands/import.js';
import { ingestCommand } from './commands/ingest.js';
import { demoCommand, migrateCommand, reembedCommand, tokensCommand } from './commands/admin.js';
import { searchCommand } from './commands/search.js';
import { serveCommand, workerCommand } from './commands/serve.js';
import { trainCommand } from './commands/train.js';
import { gateCommand } from './commands/gate.js';
import { loadConfig } from './open.js';
import { CliError, processIo, type Io } from './output.js';

type Command = (argv: string[], config: Config, io: Io) => Promise<number>;

const COMMANDS: Record<string, { run: Command; about: string }> = {
  serve: { run: serveCommand, about: 'serve the API (and run jobs in-process when embedded)' },
  worker: { run: workerCommand, about: 'process background jobs from Redis (scale-out)' },
  ingest: { run: ingestCommand, about: 'ingest files, directories, stdin or a git range' },
  search: { run: searchCommand, about: 'hybrid search over the indexed artifacts' },
  evidence: { run: evidenceCommand, about: 'open an id a risk answer or the gate cites' },
  tokens: { run: tokensCommand, about: 'create, list and revoke API tokens' },
  migrate: { run: migrateCommand, about: 'apply database migrations' },
  reembed: { run: reembedCommand, about: 'rebuild vectors after changing the embedder' },
  demo: { run: demoCommand, about: 'load the demo organisation into a tenant' },
  import: { run: importCommand, about: 'import release history with outcomes (JSONL or CSV)' },
  eval: { run: evalCommand, about: 'replay history and measure how good the advice would have been' },
  gate: { run: gateCommand, about: 'CI gate: score a release from a git range; exit 0 pass, 1 held, 2 error' },
  train: { run: trainCommand, about: 'train the risk model from stored releases with outcomes' },
};

const USAGE = `shipcheck: release risk analysis with evidence

usage: shipcheck <command> [options]   (shipcheck <command> --help for its options)

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)} ${c.about}`)
  .join('\n')}`;

/** Runs a command; returns the exit code (0 ok, 1 problems in the input or a held gate, 2 usage or setup error). */
export async function main(argv: string[], env: Record<string, string | undefined>, io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new CliError(`unknown command "${name}"\n\n${USAGE}`);
    return await command.run(rest, loadConfig(env), io);
  } catch (err) {
    if (err instanceof CliError) {
      io.err(`shipcheck ${name}: ${err.message}`);
      return err.exitCode;
    }
    // Raised on purpose, with a message written for the user: no stack trace.
    if (err instanceof AppError) {
      io.err(`shipcheck ${name}: ${err.message}${err.retryable ? ' (temporary: try again)' : ''}`);
      return 2;
    }
    io.err(`shipcheck ${name}: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), process.env).then((code) => process.exit(code));
}
