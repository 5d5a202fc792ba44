import { createMiddleware } from 'hono/factory';
import type { TokenService } from '../../governance/tokens.js';
import type { AppEnv } from '../env.js';
import { AppError } from '../../contracts/errors.js';

/** Bearer token → tenant and scopes. The tenant comes from the token, never from the request. */
export function authenticate(tokens: TokenService) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new AppError('unauthorized', 'missing bearer token (Authorization: Bearer sc_…)');
    const found = await tokens.authenticate(match[1]!);
    if (!found) throw new AppError('unauthorized', 'invalid or revoked token');
    c.set('auth', {
      tokenId: found.id,
      tokenName: found.name,
      tenantId: found.tenantId,
      tenantSlug: found.tenantSlug,
      scopes: found.scopes,
    });
    await next();
  });
}
