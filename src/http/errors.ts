import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, ErrorEnvelope } from '../contracts/errors.js';

/** The one table from error code to HTTP status. */
export const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
  internal: 500,
};

/** An error whose message is safe to show to the caller. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function envelope(c: Context, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorEnvelope = {
    error: { code, message, requestId: c.get('requestId') ?? '-', ...(details !== undefined ? { details } : {}) },
  };
  return c.json(body, STATUS[code]);
}

/**
 * Known errors become their envelope; anything else is logged with the
 * request id and answered with a generic 500 (never the internal message).
 */
export function toResponse(err: unknown, c: Context, log: (msg: string, f: Record<string, unknown>) => void) {
  if (err instanceof ApiError) return envelope(c, err.code, err.message, err.details);
  if (err instanceof HTTPException) {
    // hono raises these itself (e.g. its body parser); map by status, keep our own wording.
    if (err.status === 413) return envelope(c, 'payload_too_large', 'request body too large');
    if (err.status === 400) return envelope(c, 'bad_request', 'the request could not be read');
    if (err.status === 401) return envelope(c, 'unauthorized', 'missing or invalid token');
  }
  log('unhandled error', {
    requestId: c.get('requestId'),
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
  });
  return envelope(c, 'internal', 'internal error; quote the request id when reporting it');
}
