import http from 'node:http';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { Embedder } from '../../src/contracts/embedder.js';
import { startServer, type RunningServer } from '../../src/http/serve.js';
import { createLogger, type Level } from '../../src/log.js';
import type { Database } from '../../src/store/database.js';
import { removeTestQueue, testQueueName } from './redis.js';

export interface TestServer {
  app: App;
  server: RunningServer;
  url: string;
  logLines: string[];
  /** Creates a tenant (if needed) and a token with these scopes. */
  token(tenant: string, scopes: string[]): Promise<string>;
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; raw?: string | Uint8Array; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** The real app behind a real HTTP server on an ephemeral port; every log line is kept for inspection. */
export async function startTestServer(opts: {
  database: Database;
  env?: Record<string, string>;
  embedder?: Embedder;
  /** The level the kept log is written at (debug unless given: the most a log could ever show). */
  logLevel?: Level;
  /** Shorter periods for the outbox relay and the reconciler (ms). */
  sweep?: { outboxEveryMs?: number; reconcileEveryMs?: number; pollCheckEveryMs?: number };
  /** The advisor's clock (epoch ms). */
  clock?: () => number;
}): Promise<TestServer> {
  const config = parseConfig({ SHIPCHECK_DEMO: '0', SHIPCHECK_MAX_BODY_BYTES: '200000', ...opts.env });
  const logLines: string[] = [];
  const queueName = testQueueName('server');
  const app = await createApp(config, {
    startWorker: true,
    database: opts.database,
    queueName,
    logger: createLogger(opts.logLevel ?? 'debug', (l) => logLines.push(l)),
    ...(opts.embedder ? { embedder: opts.embedder } : {}),
    ...(opts.sweep ? { sweep: opts.sweep } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const server = await startServer(app, { port: 0, host: '127.0.0.1' });
  let minted = 0;
  return {
    app,
    server,
    url: server.url,
    logLines,
    async token(tenant, scopes) {
      // Each its own name: two active tokens of a tenant never share one.
      return (await app.tokens.create({ tenant, name: `test-${scopes.join('-')}-${++minted}`, scopes: scopes as never })).token;
    },
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body: string | Uint8Array | undefined = o.raw;
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(server.url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await server.close();
      await app.close();
      // The BullMQ queue is this server's alone: it goes with it.
      if (config.redisUrl) await removeTestQueue(config.redisUrl, queueName);
    },
  };
}

/**
 * A POST through node:http, which (like curl) reads a response the server
 * sends before it has read the whole body. undici's fetch reports such an
 * early 413 as "other side closed" instead.
 */
export function postRaw(
  url: string,
  token: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', (err) => {
      // The server may close after answering; an error without a response is a real failure.
      if (!req.writableEnded || (err as NodeJS.ErrnoException).code !== 'EPIPE') reject(err);
    });
    req.end(body);
  });
}
