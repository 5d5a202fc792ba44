import type { App } from '../app.js';
import type { Config } from '../config.js';
import { AppError } from '../contracts/errors.js';
import { createLogger } from '../log.js';
import { ensureFirstTenant } from '../bootstrap/first-start.js';
import { CliError, type Io } from './output.js';

/** Opens the app for a command, turning the expected start-up failures into plain messages. */
export async function openApp(
  config: Config,
  opts: {
    startWorker: boolean;
    longRunning?: boolean;
    /**
     * The command, when it has no --server mode (it reads the database itself): a data dir held by a running
     * server then says to stop it, rather than suggesting --server.
     */
    localOnly?: string;
  },
): Promise<App> {
  // A server or worker logs at the configured level (its log is what operators read); a one-shot command stays quiet.
  const logger = opts.longRunning ? createLogger(config.logLevel) : quietUnless(config);
  try {
    // Loaded here, not at the top: a command's --help (or a call to a server) must not pay for the database,
    // the queue and the LLM client it never opens.
    const { createApp } = await import('../app.js');
    return await createApp(config, { startWorker: opts.startWorker, logger });
  } catch (err) {
    // A data dir in use, an embedder mismatch, a bad setting: each says what to do.
    if (err instanceof AppError && opts.localOnly && 'pid' in err)
      throw new CliError(
        `${err.message.split('. ')[0]}. \`shipcheck ${opts.localOnly}\` reads the database itself (it has no --server mode): stop the server first, or point DATABASE_URL at a shared PostgreSQL.`,
        2,
        'unavailable',
      );
    if (err instanceof AppError) throw new CliError(err.message, 2);
    const problem = connectionProblem(err);
    // Unreachable, not misconfigured: the gate may fail open on it, as on a server that is down.
    if (problem) throw new CliError(`cannot open the database: ${problem}`, 2, 'unavailable');
    throw err;
  }
}

/**
 * A database with no tenant yet gets what `shipcheck serve` creates at its
 * first start: tenant "default" with an admin token written to the token
 * file (not printed: a one-shot command's output often lands in CI logs).
 * Says so in one line. The demo is not loaded: it would mix with the user's data.
 */
export async function firstStartIfEmpty(app: App, io: Io): Promise<void> {
  const first = await ensureFirstTenant(app);
  if (first) io.err(`created tenant "default" with an admin token in ${first.file} (mode 0600), as a first "shipcheck serve" does`);
}

/**
 * Opens the embedded app for one command on a tenant (default "default"),
 * runs `work`, and closes the app whatever happens. On a database with no
 * tenant yet, "default" is created first (firstStartIfEmpty).
 */
export async function withTenant<T>(
  config: Config,
  slug: string | undefined,
  io: Io,
  work: (app: App, tenantId: string) => Promise<T>,
  opts: { localOnly?: string } = {},
): Promise<T> {
  const name = slug ?? 'default';
  const app = await openApp(config, { startWorker: false, ...opts });
  try {
    await firstStartIfEmpty(app, io);
    const tenant = await app.tokens.tenantBySlug(name);
    if (!tenant)
      throw new CliError(
        `no tenant "${name}" in the embedded database (the first start makes "default" and loads the demo into it; \`shipcheck demo\` loads it into "demo"; or pass another --tenant)`,
      );
    return await work(app, tenant.id);
  } finally {
    await app.close();
  }
}

/** One-shot commands log warnings only, so their own output stays readable. */
function quietUnless(config: Config) {
  return createLogger(config.logLevel === 'debug' ? 'debug' : 'warn');
}

/**
 * Failures to reach or log in to PostgreSQL, by code: network errors from
 * Node, and SQLSTATE classes 08 (connection), 28 (authorisation) and 3D000
 * (no such database).
 */
function connectionProblem(err: unknown): string | undefined {
  // drizzle wraps the driver's error ("Failed query: …"); the code sits on a cause.
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', '3D000'].includes(code) || /^(08|28)/.test(code)) {
      return `${(e as Error).message || code} (${code})`;
    }
  }
  return undefined;
}
