import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { Log } from '../../log.js';
import type { AppEnv } from '../env.js';

/** The two levels the HTTP layer writes at. */
export interface HttpLog {
  info: Log;
  error: Log;
}

/**
 * The route pattern a request matched (`/v1/documents/:id`), or null when
 * none did (a 404). Middleware registered with `use` matches every method;
 * the endpoint is the last match with a method of its own.
 */
export function routePattern(c: Context): string | null {
  const endpoint = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
  return endpoint?.path ?? null;
}

/**
 * One JSON line per request: id, method, route pattern, status and time.
 * Never the path, query string, headers or body: they may hold search text,
 * ids a caller typed, tokens or documents. A 5xx is written at error level.
 */
export function requestLog(log: HttpLog) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const status = c.res.status;
      (status >= 500 ? log.error : log.info)('request', {
        requestId: c.get('requestId'),
        method: c.req.method,
        route: routePattern(c),
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        tenant: c.get('auth')?.tenantSlug,
      });
    }
  });
}
