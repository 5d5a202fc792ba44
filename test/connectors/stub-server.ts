/**
 * A scripted HTTP server on 127.0.0.1 for the connector tests: real sockets,
 * so fetch's timeouts, refusals and redirects are exercised as in production.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: StubRequest, res: ServerResponse) => void;

export interface Stub {
  /** e.g. "http://127.0.0.1:41234" */
  url: string;
  requests: StubRequest[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startStub(handler: Handler = (_q, res) => res.end()): Promise<Stub> {
  let current = handler;
  const requests: StubRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://stub'),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(r);
      current(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (h) => {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging requests would keep close() waiting forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A port nothing listens on: bound, noted, closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A Prometheus query_range success with the given series (each a label set and [unix seconds, "value"] points). */
export function matrix(...series: { metric?: Record<string, string>; values: [number, string][] }[]) {
  return { status: 'success', data: { resultType: 'matrix', result: series.map((s) => ({ metric: s.metric ?? {}, values: s.values })) } };
}
