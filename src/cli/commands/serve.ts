import type { Config } from '../../config.js';
import { loadDemo } from '../../bootstrap/demo.js';
import { ensureFirstTenant } from '../../bootstrap/first-start.js';
import { startServer } from '../../http/serve.js';
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
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new CliError(`--port: not a port: ${values.port}`);
  const app = await openApp(config, { startWorker: !config.redisUrl || Boolean(values.worker), longRunning: true });
  const first = await ensureFirstTenant(app);
  if (first) {
    io.err(`created tenant "default" with an admin token (shown once; also written to ${first.file}, mode 0600):`);
    io.err(`  ${first.token}`);
    if (config.demo) {
      const bar = progress(io, 'loading demo organisation');
      const demo = await loadDemo(app, 'default', (d, t) => bar.update(d, t));
      bar.done();
      io.err(
        `demo loaded: ${demo.indexed} documents indexed (${demo.redactions} secrets redacted), ` +
          `${demo.releases} releases, ${demo.incidents} incidents. Set SHIPCHECK_DEMO=0 to start empty.`,
      );
    }
  }
  const server = await startServer(app, { ...(port !== undefined ? { port } : {}), ...(values.host ? { host: values.host } : {}) }).catch(
    async (err: NodeJS.ErrnoException) => {
      await app.close();
      const where = `${values.host ?? config.http.host}:${port ?? config.http.port}`;
      if (err.code === 'EADDRINUSE')
        throw new CliError(`${where} is already in use: stop what listens there, or choose another port with --port N or PORT`);
      if (err.code === 'EACCES') throw new CliError(`no permission to listen on ${where}: choose a port above 1023 with --port N or PORT`);
      throw err;
    },
  );
  app.logger.info('listening', { url: server.url, database: app.database.kind, queue: app.queue.kind });
  io.err(`shipcheck listening on ${server.url}  (docs: ${server.url}/docs)`);
  await untilSignal();
  io.err('shutting down: finishing in-flight jobs…');
  await server.close();
  await app.close();
  return 0;
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

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
