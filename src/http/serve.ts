import type { Duplex } from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import type { App } from '../app.js';
import type { Logger } from '../log.js';
import { ERROR_STATUS, type ErrorEnvelope } from '../contracts/errors.js';
import { createHttpApp } from './app.js';
import { consoleDepsOf } from './console-deps.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** The hono app over an App's services. */
export function httpAppOf(app: App) {
  return createHttpApp({
    tokens: app.tokens,
    ingest: app.ingest,
    retrieval: app.retrieval,
    evidence: app.evidence,
    releases: app.releases,
    risk: app.risk,
    advisor: app.advisor,
    notes: app.notes,
    governance: app.governance,
    decide: app.decide,
    console: consoleDepsOf(app),
    health: { database: () => app.store.ping(), queue: app.queue, databaseKind: app.database.kind },
    log: { info: app.logger.info, error: app.logger.error },
    maxBodyBytes: app.config.http.maxBodyBytes,
  });
}

export interface Listener extends RunningServer {
  /** From now on requests go to this app (until then they are answered 503 "starting"). */
  serve(app: App): void;
}

/**
 * Binds HOST:PORT (port 0 picks a free one, as tests do) before anything
 * else starts, so a busy port is found before a database is opened or a
 * token minted. Until `serve(app)`, every request is answered 503 with
 * Retry-After: a health check sees "not yet", not a refused connection.
 */
export async function listen(opts: { host: string; port: number }): Promise<Listener> {
  let handle: (req: Request, ...rest: unknown[]) => Response | Promise<Response> = startingUp;
  let log: Logger | undefined;
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve({ fetch: (req, ...rest: unknown[]) => handle(req, ...rest), port: opts.port, hostname: opts.host }, (info) =>
      resolve(info.port),
    );
    server.once('error', reject);
    server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => answerUnreadableRequest(err, socket, log));
  });
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    serve(app) {
      const http = httpAppOf(app);
      log = app.logger;
      handle = (req, ...rest) => http.fetch(req, ...(rest as [never]));
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        // Idle keep-alive sockets would hold close() open.
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      }),
  };
}

/** Listens on HOST:PORT with the app (port 0 picks a free one, as tests do). */
export async function startServer(app: App, overrides: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const listener = await listen({ host: overrides.host ?? app.config.http.host, port: overrides.port ?? app.config.http.port });
  listener.serve(app);
  return listener;
}

function startingUp(): Response {
  const body: ErrorEnvelope = { error: { code: 'unavailable', message: 'shipcheck is starting; try again shortly', requestId: '-' } };
  return new Response(JSON.stringify(body), {
    status: ERROR_STATUS.unavailable,
    headers: { 'content-type': 'application/json', 'retry-after': '1' },
  });
}

/**
 * Requests Node's HTTP parser refuses before any route sees them (headers
 * over 16 KB, a malformed request line) get the same JSON envelope as every
 * other error, instead of Node's empty default answer.
 */
function answerUnreadableRequest(err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex, log: Logger | undefined): void {
  if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
  const [code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? (['headers_too_large', 'the request line and headers are over 16 KB'] as const)
      : (['bad_request', 'the HTTP request could not be parsed'] as const);
  const status = ERROR_STATUS[code];
  // No route ran and no request id was given: still one line, as for every request.
  log?.info('request', { requestId: '-', route: null, status, ms: 0, error: code });
  const body = JSON.stringify({ error: { code, message, requestId: '-' } } satisfies ErrorEnvelope);
  // The answer to a HEAD request has headers only: a body after them is read by the client as garbage.
  const head = err.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${head ? '' : body}`,
  );
}
