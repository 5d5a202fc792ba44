import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../env.js';
import { AppError } from '../../contracts/errors.js';
import { parseMediaType } from './media-type.js';

const UNSUPPORTED = 'send the body as JSON with Content-Type: application/json';

/**
 * Requests that carry a body must say it is JSON and be valid JSON. Parsing
 * here (hono caches the result for the validators) turns a syntax error into
 * our own 400 instead of a generic exception.
 *
 * The Content-Type is read as RFC 9110 defines it, so `application/json;;;`
 * or `application/json ; charset="UTF-8"` are JSON. Once accepted, the header
 * is rewritten to plain `application/json`: the route's own body validator
 * reads the header with a narrower pattern, and must not refuse (with an
 * error of its own) a body this check has accepted.
 */
export const jsonBody = createMiddleware<AppEnv>(async (c, next) => {
  if (!['POST', 'PUT', 'PATCH'].includes(c.req.method)) return next();
  const type = c.req.header('content-type') ?? '';
  // A POST that carries nothing (e.g. POST /v1/releases/:id/risk) needs no content type.
  const length = c.req.header('content-length');
  if (!type && (length === undefined || length === '0') && !c.req.header('transfer-encoding')) return next();
  const media = parseMediaType(type);
  if (!media || !isJson(media.type, media.subtype)) throw new AppError('unsupported_media_type', UNSUPPORTED);
  const charset = media.params.get('charset');
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    throw new AppError('unsupported_media_type', `JSON bodies are read as UTF-8; charset=${charset} is not supported`);
  }
  try {
    await c.req.json();
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof HTTPException) throw err; // e.g. the body limit
    throw new AppError('invalid_json', 'the request body is not valid JSON');
  }
  try {
    c.req.raw.headers.set('content-type', 'application/json');
  } catch {
    // Immutable headers (not the case on the Node server): the route's validator then reads the original.
  }
  await next();
});

const isJson = (type: string, subtype: string) => type === 'application' && (subtype === 'json' || subtype.endsWith('+json'));
