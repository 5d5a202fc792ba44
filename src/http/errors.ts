import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, ERROR_STATUS, type ErrorCode, type ErrorEnvelope } from '../contracts/errors.js';
import { describeError } from '../log.js';

export function envelope(c: Context, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorEnvelope = {
    error: { code, message, requestId: c.get('requestId') ?? '-', ...(details !== undefined ? { details } : {}) },
  };
  return c.json(body, ERROR_STATUS[code] as ContentfulStatusCode);
}

/**
 * AppErrors become their envelope (their message is written for the caller).
 * Anything else is a bug or a failure nobody classified: it is logged with
 * the request id and answered with a generic 500, never its own message.
 * `logError` writes at error level: every 5xx it answers leaves a line there
 * with the request id (and no query parameters: see describeError).
 */
export function toResponse(err: unknown, c: Context, logError: (msg: string, f: Record<string, unknown>) => void) {
  // An AppError coded `internal` (a job that failed, say) may carry internal detail: it gets the generic answer too.
  if (err instanceof AppError && err.code !== 'internal') {
    if (err.status >= 500) logError('request failed', { requestId: c.get('requestId'), code: err.code, error: describeError(err) });
    return envelope(c, err.code, err.message, err.details);
  }
  if (err instanceof HTTPException) {
    // hono raises these itself (e.g. its body parser); map by status, keep our own wording.
    if (err.status === 413) return envelope(c, 'payload_too_large', 'request body too large');
    if (err.status === 415) return envelope(c, 'unsupported_media_type', 'send the body as JSON with Content-Type: application/json');
    if (err.status === 400) return envelope(c, 'bad_request', 'the request could not be read');
    if (err.status === 401) return envelope(c, 'unauthorized', 'missing or invalid token');
  }
  logError('unhandled error', { requestId: c.get('requestId'), error: describeError(err) });
  return envelope(c, 'internal', 'internal error; quote the request id when reporting it');
}
