/**
 * Sends a fuzzed request through node:http, which (unlike fetch) sends any
 * bytes and any method, and reads an answer the server gives before it has
 * read the whole body (an early 413).
 */
import http from 'node:http';
import type { FuzzRequest } from './requests.js';

export type Answer = { ok: true; status: number; contentType: string; text: string; ms: number } | { ok: false; error: string; ms: number };

const guarded = new WeakSet<object>();

/** How much of an answer is kept (errors are short; a 200 may be large and only its status matters). */
const KEEP_CHARS = 64 * 1024;

/**
 * A keep-alive connection the server closes (idle past its keep-alive timeout) just as
 * the client reuses it fails with ECONNRESET before the server saw the request; Node's
 * documentation says to retry such a request once, which goes out on a new connection.
 */
export async function send(baseUrl: string, req: FuzzRequest, agent: http.Agent, timeoutMs: number): Promise<Answer> {
  const first = await sendOnce(baseUrl, req, agent, timeoutMs);
  if (!('reusedSocketReset' in first)) return first;
  const second = await sendOnce(baseUrl, req, agent, timeoutMs);
  return 'reusedSocketReset' in second ? { ok: false, error: 'connection reset twice before an answer', ms: 0 } : second;
}

function sendOnce(baseUrl: string, req: FuzzRequest, agent: http.Agent, timeoutMs: number): Promise<Answer | { reusedSocketReset: true }> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Answer | { reusedSocketReset: true }) => {
      if (!settled) {
        settled = true;
        resolve(a);
      }
    };
    let r: http.ClientRequest;
    try {
      const headers: Record<string, string | number> = { ...req.headers };
      if (req.body !== undefined) headers['content-length'] = req.body.length;
      r = http.request(`${baseUrl}${req.url}`, { method: req.method, headers, agent });
    } catch (err) {
      // The client itself refuses (e.g. a character no header may hold): nothing reached the server.
      done({ ok: false, error: `not sent: ${(err as Error).message}`, ms: ms() });
      return;
    }
    r.on('socket', (socket) => {
      // The server may answer early (413) and close while the body is still being written; the
      // client stops listening on the socket once the answer is read, and the write's EPIPE would
      // then be an uncaught error. The answer has been judged by then, so the error says nothing.
      if (!guarded.has(socket)) {
        guarded.add(socket);
        socket.on('error', () => {});
      }
    });
    const timer = setTimeout(() => {
      done({ ok: false, error: `no answer within ${timeoutMs} ms`, ms: ms() });
      r.destroy();
    }, timeoutMs);
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < KEEP_CHARS) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        done({
          ok: true,
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString('utf8'),
          ms: ms(),
        });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        done({ ok: false, error: `answer cut off: ${err.message}`, ms: ms() });
      });
    });
    r.on('error', (err) => {
      if (r.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET') {
        clearTimeout(timer);
        done({ reusedSocketReset: true });
        return;
      }
      // An error after the answer arrived (the server closed while we were still sending) is not a failure.
      if ((err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ECONNRESET') {
        setTimeout(() => {
          clearTimeout(timer);
          done({ ok: false, error: `connection closed without an answer (${(err as NodeJS.ErrnoException).code})`, ms: ms() });
        }, 200);
        return;
      }
      clearTimeout(timer);
      done({ ok: false, error: `transport: ${err.message}`, ms: ms() });
    });
    r.end(req.body);
  });
}
