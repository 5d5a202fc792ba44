import type { App } from '../../app.js';
import type { Config } from '../../config.js';
import { loadDemo } from '../../bootstrap/demo.js';
import { ensureFirstTenant } from '../../bootstrap/first-start.js';
import { listen } from '../../http/serve.js';
import { parse } from '../args.js';
import { openApp } from '../open.js';
import { CliError, progress, type Io } from '../output.js';

const USAGE = `usage: shipcheck serve [--port N] [--host H] [--worker]
  Serves the API. Embedded (no REDIS_URL): indexing jobs run in this process.
  With REDIS_URL: jobs go to BullMQ; pass --worker to also process them here,
  or run "shipcheck worker" processes.`;

export async function serveCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' }, worker: { type: 'boolean' } }, USAGE);
  if (values.help) return (io.out(USAGE), 0);
  const port = values.port === undefined ? config.http.port : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port: not a port: ${values.port}`);
  const host = values.host ?? config.http.host;
  // The port first: a busy one must stop us before a database, a tenant or a token exists.
  const listener = await listen({ host, port }).catch((err: NodeJS.ErrnoException) => {
    throw portProblem(err, `${host}:${port}`);
  });
  // From here a SIGTERM or Ctrl-C stops us gracefully (once started up); a second one stops at once.
  let ready = false;
  const stopped = untilSignal();
  void stopped.then((signal) => {
    if (!ready) io.err(`${signal}: stopping once start-up has finished (send it again to stop at once)`);
  });
  let app: App | undefined;
  try {
    app = await openApp(config, { startWorker: !config.redisUrl || Boolean(values.worker), longRunning: true });
    await firstStart(app, config, io);
  } catch (err) {
    await listener.close();
    await app?.close();
    throw err;
  }
  ready = true;
  listener.serve(app);
  app.logger.info('listening', { url: listener.url, database: app.database.kind, queue: app.queue.kind });
  io.err(`shipcheck listening on ${listener.url}  (docs: ${listener.url}/docs)`);
  const signal = await stopped;
  io.err(`${signal}: shutting down: finishing in-flight requests and jobs…`);
  await listener.close();
  await app.close();
  app.logger.info('stopped', { signal });
  return 0;
}

/** On an empty database: tenant "default" with an admin token, and the demo when asked for. */
async function firstStart(app: App, config: Config, io: Io): Promise<void> {
  const first = await ensureFirstTenant(app);
  if (!first) return;
  io.err(`created tenant "default" with an admin token (shown once; also written to ${first.file}, mode 0600):`);
  io.err(`  ${first.token}`);
  if (!config.demo) return;
  const bar = progress(io, 'loading demo organisation');
  const demo = await loadDemo(app, 'default', (d, t) => bar.update(d, t));
  bar.done();
  io.err(
    `demo loaded: ${demo.indexed} documents indexed (${demo.redactions} secrets redacted), ` +
      `${demo.releases} releases, ${demo.incidents} incidents. Set SHIPCHECK_DEMO=0 to start empty.`,
  );
}

function portProblem(err: NodeJS.ErrnoException, where: string): Error {
  if (err.code === 'EADDRINUSE') {
    return new CliError(`${where} is already in use: stop what listens there, or choose another port with --port N or PORT`);
  }
  if (err.code === 'EACCES') return new CliError(`no permission to listen on ${where}: choose a port above 1023 with --port N or PORT`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
    return new CliError(`cannot listen on ${where}: no such address on this machine (--host H or HOST)`);
  }
  return err;
}

const WORKER_USAGE = `usage: shipcheck worker [--concurrency N]
  Processes background jobs from Redis (needs REDIS_URL); scale out by running more.`;

export async function workerCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values } = parse(argv, { concurrency: { type: 'string' } }, WORKER_USAGE);
  if (values.help) return (io.out(WORKER_USAGE), 0);
  if (!config.redisUrl) {
    throw new CliError('shipcheck worker needs REDIS_URL: without it, "shipcheck serve" runs the jobs in-process');
  }
  const concurrency = values.concurrency ? Number(values.concurrency) : config.workerConcurrency;
  const app = await openApp({ ...config, workerConcurrency: concurrency }, { startWorker: true, longRunning: true });
  io.err(`shipcheck worker processing jobs (concurrency ${concurrency})`);
  await untilSignal();
  io.err('shutting down: finishing in-flight jobs…');
  await app.close();
  return 0;
}

/**
 * One Ctrl-C can arrive twice: the terminal sends SIGINT to the whole process group, and `npm start` forwards
 * the one it got. A second signal within this window is that same keypress, not a second "stop now".
 */
const SAME_SIGNAL_MS = 1000;

/**
 * Resolves with the first SIGINT or SIGTERM. A second signal (after SAME_SIGNAL_MS) ends the process at once,
 * with the exit code a shell expects of that signal.
 */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first = 0;
    const stop = (signal: NodeJS.Signals) => {
      if (first === 0) {
        first = Date.now();
        resolve(signal);
        return;
      }
      if (Date.now() - first < SAME_SIGNAL_MS) return;
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
