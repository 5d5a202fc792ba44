import { ErrorCode } from '../contracts/errors.js';
import { CliError } from './output.js';

/** The server answered with an error: its error code becomes this error's `code`, for the caller to decide on. */
export class ServerError extends CliError {
  constructor(
    message: string,
    readonly httpStatus: number,
    serverCode: string | undefined,
  ) {
    // No code we know (a proxy's page, an older server): the status says which kind.
    const known = ErrorCode.safeParse(serverCode);
    super(message, 2, known.success ? known.data : httpStatus >= 500 ? 'unavailable' : 'bad_request');
  }
}

/** No answer at all: the server is down, the name does not resolve, the connection was refused or dropped. */
export class ServerUnreachableError extends CliError {
  constructor(message: string) {
    super(message, 2, 'unavailable');
  }
}

/** A small client for a running shipcheck server: CLI commands use it instead of opening the database. */
export function apiClient(server: string, token: string | undefined) {
  if (!token) throw new CliError('--server needs a token: pass --token or set SHIPCHECK_TOKEN');
  const base = server.replace(/\/+$/, '');
  return async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      text = await res.text();
    } catch (err) {
      throw new ServerUnreachableError(`cannot reach ${base}: ${(err as Error).cause ?? (err as Error).message}`);
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // A proxy's or load balancer's own page: its status still tells an outage (5xx) from a refusal.
      throw new ServerError(`${method} ${path}: ${base} answered ${res.status} with a body that is not JSON`, res.status, undefined);
    }
    if (!res.ok) {
      const e = (json as { error?: { code?: string; message?: string; requestId?: string } })?.error;
      throw new ServerError(
        `${method} ${path}: ${res.status} ${e?.code ?? ''} ${e?.message ?? text.slice(0, 200)}`.trim(),
        res.status,
        e?.code,
      );
    }
    return json as T;
  };
}
