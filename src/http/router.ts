import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';
import { AppError } from '../contracts/errors.js';

/**
 * Every router validates with the same hook: a failed schema becomes our
 * `validation_failed` envelope listing each field and its problem.
 */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issues = result.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
        const first = issues[0];
        throw new AppError('validation_failed', first ? `${first.path || '(body)'}: ${first.message}` : 'invalid request', {
          details: { issues },
        });
      }
    },
  });
}
