import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  body: any;
  at: number;
}

/**
 * A local webhook receiver: keeps every JSON body it is sent. `answer` picks
 * the status per request (e.g. 500 the first time, to see a retry), `hang`
 * never answers (a timeout).
 */
export async function startReceiver(answer: (req: Received, n: number) => number | 'hang' = () => 200) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      const r = { path: req.url ?? '/', body, at: Date.now() };
      received.push(r);
      const status = answer(r, received.filter((x) => x.path === r.path).length);
      if (status === 'hang') return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
