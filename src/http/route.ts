import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { Context, Next } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import { AppError } from '../contracts/errors.js';
import type { Scope } from '../contracts/tokens.js';
import { hasScope } from '../governance/tokens.js';
import type { AppEnv } from './env.js';

/** The scope guards routes declare: the deny-by-default check looks for one among a request's handlers. */
const guards = new WeakSet<object>();
/** The API's own middleware (auth, limits, logging): the only handlers a request may pass without a guard. */
const middlewares = new WeakSet<object>();

/** Marks a middleware the app registers for every request, so the deny-by-default check can tell it from a route. */
export function appMiddleware<T extends object>(handler: T): T {
  middlewares.add(handler);
  return handler;
}

function scopeGuard(scope: Scope) {
  const guard = createMiddleware<AppEnv>(async (c, next) => {
    if (!hasScope(c.get('auth').scopes, scope)) throw new AppError('forbidden', `this token lacks the "${scope}" scope`);
    await next();
  });
  guards.add(guard);
  return guard;
}

/**
 * A route with its scope, declared where the route is defined: the scope
 * guard runs before the request is validated, and the OpenAPI document
 * names the scope. Every /v1 route must be made this way (denyUnscoped).
 */
export function scopedRoute<const R extends Omit<RouteConfig, 'middleware'>>(scope: Scope, config: R) {
  return createRoute({
    ...config,
    description: `${config.description ? `${config.description}\n\n` : ''}Needs a token with the \`${scope}\` scope.`,
    security: [{ bearer: [] }],
    middleware: [scopeGuard(scope)] as const,
  });
}

/**
 * Access is denied by default: a request that reaches any /v1 handler
 * (whatever its method, `app.all` and `app.use` included) other than the
 * API's marked middleware, and whose route declared no scope, is answered
 * 403, so a route added without one is closed, not open. Unknown paths fall
 * through to the 404.
 */
export const denyUnscoped = createMiddleware<AppEnv>(async (c: Context<AppEnv>, next: Next) => {
  const handlers = matchedRoutes(c).filter((r) => r.handler !== denyUnscoped && !middlewares.has(r.handler));
  if (handlers.length > 0 && !handlers.some((r) => guards.has(r.handler))) {
    throw new AppError('forbidden', `${c.req.method} ${c.req.path} declares no scope, so it is closed to every token`);
  }
  await next();
});

/** For tests and start-up checks: whether a handler is a scope guard. */
export const isScopeGuard = (handler: unknown): boolean => typeof handler === 'function' && guards.has(handler);
