import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../env.js';
import { AppError } from '../../contracts/errors.js';

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * Requests that carry a body must say it is JSON and be valid JSON. Parsing
 * here (hono caches the result for the validators) turns a syntax error into
 * our own 400 instead of a generic exception.
 */
export const jsonBody = createMiddleware<AppEnv>(async (c, next) => {
  if (!['POST', 'PUT', 'PATCH'].includes(c.req.method)) return next();
  const type = c.req.header('content-type') ?? '';
  // A POST that carries nothing (e.g. POST /v1/releases/:id/risk) needs no content type.
  const length = c.req.header('content-length');
  if (!type && (length === undefined || length === '0') && !c.req.header('transfer-encoding')) return next();
  if (!JSON_TYPE.test(type)) {
    throw new AppError('unsupported_media_type', 'send the body as JSON with Content-Type: application/json');
  }
  try {
    await c.req.json();
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof HTTPException) throw err; // e.g. the body limit
    throw new AppError('invalid_json', 'the request body is not valid JSON');
  }
  await next();
});
