/**
 * What every outbound call here shares: reading an answer without trusting
 * its size, and turning fetch's failures into a short account that names
 * what went wrong but never the URL (webhook URLs carry secrets in their
 * path, and these accounts are stored and shown).
 */

/** Why a request got no HTTP answer at all. */
export type NoAnswerKind = 'timeout' | 'refused' | 'dns' | 'network' | 'invalid_url';

export interface NoAnswer {
  kind: NoAnswerKind;
  detail: string;
}

/** Reads at most `maxBytes` of the body as UTF-8, then stops reading (the rest is never downloaded). */
export async function readBounded(res: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - size;
      if (value.byteLength > room) {
        chunks.push(value.subarray(0, room));
        size += room;
        truncated = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // Cancelling tells the server we are gone instead of leaving the socket to drain a large answer.
    if (truncated) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated };
}

/** Drops an answer's body without reading it (keeps the connection pool from holding it). */
export async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => {});
}

const CODE_KIND: Record<string, NoAnswerKind> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'network',
  EHOSTUNREACH: 'network',
  ENETUNREACH: 'network',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_SOCKET: 'network',
};

const KIND_WORDS: Record<NoAnswerKind, string> = {
  timeout: 'timed out',
  refused: 'connection refused',
  dns: 'host not found',
  network: 'network error',
  invalid_url: 'invalid URL',
};

/** The first error code found on `err`, its cause, or the errors of an AggregateError (one per address tried). */
function errorCode(err: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') return e.code;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = errorCode(inner, depth + 1);
      if (code) return code;
    }
  }
  return errorCode(e.cause, depth + 1);
}

/** Classifies a fetch failure (it threw: no HTTP status exists). */
export function noAnswer(err: unknown, timeoutMs: number): NoAnswer {
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout', detail: `timed out after ${timeoutMs} ms` };
  const code = errorCode(err);
  const kind = code ? (CODE_KIND[code] ?? 'network') : 'network';
  if (kind === 'timeout') return { kind, detail: `timed out after ${timeoutMs} ms (${code})` };
  return {
    kind,
    detail: code ? `${KIND_WORDS[kind]} (${code})` : `${KIND_WORDS[kind]}: ${String((err as Error)?.message ?? err).slice(0, 200)}`,
  };
}

/** Parses an http(s) URL; null for anything else (fetch would throw a TypeError that reads like a network failure). */
export function httpUrl(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** Where a redirect points, reduced to its origin (the path may hold a secret), or a note that it names none. */
export function redirectTarget(res: Response, from: URL): string {
  const location = res.headers.get('location');
  if (!location) return 'no Location header';
  try {
    const to = new URL(location, from);
    return to.origin === from.origin ? `${to.origin} (same host)` : `${to.origin} (another host)`;
  } catch {
    return 'an unreadable Location header';
  }
}
