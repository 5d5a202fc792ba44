import { serve, type ServerType } from '@hono/node-server';
import type { App } from '../app.js';
import { createHttpApp } from './app.js';

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
    health: { database: () => app.store.ping(), queue: app.queue, databaseKind: app.database.kind },
    log: app.logger.info,
    maxBodyBytes: app.config.http.maxBodyBytes,
  });
}

/** Listens on HOST:PORT (port 0 picks a free one, as tests do). */
export async function startServer(app: App, overrides: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const http = httpAppOf(app);
  const hostname = overrides.host ?? app.config.http.host;
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve({ fetch: http.fetch, port: overrides.port ?? app.config.http.port, hostname }, (info) => resolve(info.port));
    server.once('error', reject);
  });
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        // Idle keep-alive sockets would hold close() open.
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      }),
  };
}
