import { pathToFileURL } from 'node:url';
import type { Config } from '../config.js';
import type { Io } from './output.js';

type Command = (argv: string[], config: Config, io: Io) => Promise<number>;

/**
 * Each command's module is loaded when it runs: `shipcheck --help` or a gate that talks to a server must
 * not pay for loading the database, the job queue and the LLM client it never uses.
 */
const COMMANDS: Record<string, { load: () => Promise<Command>; about: string }> = {
  serve: {
    load: async () => (await import('./commands/serve.js')).serveCommand,
    about: 'serve the API (and run jobs in-process when embedded)',
  },
  worker: {
    load: async () => (await import('./commands/serve.js')).workerCommand,
    about: 'process background jobs from Redis (scale-out)',
  },
  ingest: {
    load: async () => (await import('./commands/ingest.js')).ingestCommand,
    about: 'ingest files, directories, stdin or a git range',
  },
  search: { load: async () => (await import('./commands/search.js')).searchCommand, about: 'hybrid search over the indexed artifacts' },
  evidence: {
    load: async () => (await import('./commands/evidence.js')).evidenceCommand,
    about: 'open an id a risk answer or the gate cites',
  },
  tokens: { load: async () => (await import('./commands/admin.js')).tokensCommand, about: 'create, list and revoke API tokens' },
  migrate: { load: async () => (await import('./commands/admin.js')).migrateCommand, about: 'apply database migrations' },
  reembed: { load: async () => (await import('./commands/admin.js')).reembedCommand, about: 'rebuild vectors after changing the embedder' },
  demo: { load: async () => (await import('./commands/admin.js')).demoCommand, about: 'load the demo organisation into a tenant' },
  import: {
    load: async () => (await import('./commands/import.js')).importCommand,
    about: 'import release history with outcomes (JSONL or CSV, or a git repository labelled by SZZ)',
  },
  eval: {
    load: async () => (await import('./commands/eval.js')).evalCommand,
    about: 'replay history and measure how good the advice would have been',
  },
  gate: {
    load: async () => (await import('./commands/gate.js')).gateCommand,
    about: 'CI gate: score a release from a git range; exit 0 pass, 1 held, 2 error',
  },
  advisor: {
    load: async () => (await import('./commands/advisor.js')).advisorCommand,
    about: "a rollout's advice, its metric configuration, and people's decisions",
  },
  notes: {
    load: async () => (await import('./commands/notes.js')).notesMain,
    about: "release notes: draft from a git range, a stored release's draft/edit/approve, learn from earlier notes",
  },
  policy: {
    load: async () => (await import('./commands/policy.js')).policyCommand,
    about: "release policies: approvals by risk level, freezes, overrides; a release's verdict",
  },
  audit: {
    load: async () => (await import('./commands/audit.js')).auditCommand,
    about: 'the hash-chained log of decisions and policy changes: verify, export, list',
  },
  dora: {
    load: async () => (await import('./commands/dora.js')).doraCommand,
    about: 'DORA metrics with their definitions and the deploys behind them',
  },
  train: {
    load: async () => (await import('./commands/train.js')).trainCommand,
    about: 'train the risk model from stored releases with outcomes',
  },
  models: {
    load: async () => (await import('./commands/models.js')).modelsCommand,
    about: 'the risk models: the candidate each retrain chose, its validation figures, which one serves',
  },
};

const USAGE = `shipcheck: release risk analysis with evidence

usage: shipcheck <command> [options]   (shipcheck <command> --help for its options)

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)} ${c.about}`)
  .join('\n')}`;

const processIo: Io = {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
  isTTY: Boolean(process.stderr.isTTY),
};

/** Runs a command; returns the exit code (0 ok, 1 problems in the input or a held gate, 2 usage or setup error). */
export async function main(argv: string[], env: Record<string, string | undefined>, io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`shipcheck ${name}: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  const [{ AppError }, { CliError }, { loadConfig }] = await Promise.all([
    import('../contracts/errors.js'),
    import('./output.js'),
    import('./load-config.js'),
  ]);
  try {
    const run = await command.load();
    return await run(rest, loadConfig(env), io);
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
