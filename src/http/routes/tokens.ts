import { z } from '@hono/zod-openapi';
import { ErrorEnvelope } from '../../contracts/errors.js';
import { Text } from '../../contracts/text.js';
import { Scope } from '../../contracts/tokens.js';
import type { TokenService } from '../../governance/tokens.js';
import { scopedRoute } from '../route.js';
import { newRouter } from '../router.js';
import { errorResponses } from './release-common.js';

const TokenInput = z.object({ name: Text.trim().min(1).max(200), scopes: z.array(Scope).min(1).max(10) }).strict();

const TokenListing = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const createToken = scopedRoute('admin', {
  method: 'post',
  path: '/v1/tokens',
  tags: ['governance'],
  summary: "Create a token in the caller's own tenant (shown once, stored only as a hash)",
  description:
    'The name is who the token acts as: decisions and audit entries carry it. Works while the server runs on the embedded ' +
    'database (where `shipcheck tokens create` cannot open it).',
  request: { body: { required: true, content: { 'application/json': { schema: TokenInput } } } },
  responses: {
    201: {
      description: 'The token, shown once',
      content: {
        'application/json': { schema: z.object({ id: z.string(), name: z.string(), scopes: z.array(z.string()), token: z.string() }) },
      },
    },
    ...errorResponses,
    409: { description: 'An active token of the tenant has this name', content: { 'application/json': { schema: ErrorEnvelope } } },
  },
});

const listTokens = scopedRoute('admin', {
  method: 'get',
  path: '/v1/tokens',
  tags: ['governance'],
  summary: "The tenant's tokens (never the tokens themselves)",
  responses: {
    200: { description: 'Tokens', content: { 'application/json': { schema: z.object({ tokens: z.array(TokenListing) }) } } },
    ...errorResponses,
  },
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function tokenRoutes(tokens: TokenService) {
  const app = newRouter();
  app.openapi(createToken, async (c) => {
    const { tenantSlug, tokenName } = c.get('auth');
    const body = c.req.valid('json');
    const created = await tokens.create({ tenant: tenantSlug, name: body.name, scopes: body.scopes, actor: tokenName });
    return c.json({ id: created.id, name: body.name, scopes: [...new Set(body.scopes)], token: created.token }, 201);
  });
  app.openapi(listTokens, async (c) => {
    const rows = await tokens.list(c.get('auth').tenantId);
    return c.json(
      {
        tokens: rows.map((t) => ({
          ...t,
          createdAt: t.createdAt.toISOString(),
          lastUsedAt: iso(t.lastUsedAt),
          revokedAt: iso(t.revokedAt),
        })),
      },
      200,
    );
  });
  return app;
}
