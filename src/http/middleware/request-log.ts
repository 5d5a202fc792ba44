import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';

export type Logger = (msg: string, fields?: Record<string, unknown>) => void;

/**
 * One structured line per request. Only the path is logged: query strings
 * and headers may hold search text or tokens.
 */
export function requestLog(log: Logger) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    log('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      tenant: c.get('auth')?.tenantSlug,
    });
  });
}
