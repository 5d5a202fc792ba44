import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../contracts/errors.js';
import { ALL_SCOPES, Scope, TenantSlug } from '../contracts/tokens.js';
import type { StoredToken, Tenant, TenantStore, TokenListing, TokenStore } from './ports.js';

/** Recognisable prefix: secret scanners and people can tell a shipcheck token at a glance. */
export const TOKEN_PREFIX = 'sc_';

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** Tokens are 256-bit random: a plain sha256 is enough (no dictionary to guard against). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** `admin` implies every scope. */
export function hasScope(granted: readonly string[], needed: Scope): boolean {
  return granted.includes('admin') || granted.includes(needed);
}

export function parseScopes(list: string): Scope[] {
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new Error(`no scopes given; choose from ${ALL_SCOPES.join(', ')}`);
  return items.map((s) => {
    const r = Scope.safeParse(s);
    if (!r.success) throw new Error(`unknown scope "${s}"; choose from ${ALL_SCOPES.join(', ')}`);
    return r.data;
  });
}

/**
 * last_used_at is written at most once a minute per token: a write on every
 * request cost each call a queued statement (1 ms in PGlite, one thread).
 */
export const TOUCH_EVERY_MS = 60_000;

export function createTokenService(store: { tenants: TenantStore; tokens: TokenStore }) {
  const touched = new Map<string, number>();
  return {
    /**
     * Creates the tenant when it does not exist. The token is returned once and never stored. Its name is who it
     * acts as: an active token of the tenant with the same name is a conflict (revoke it first). `actor`: who made
     * it, for the audit log.
     */
    async create(input: { tenant: string; name: string; scopes: Scope[]; actor?: string }) {
      const slug = TenantSlug.parse(input.tenant);
      const { tenant, created } = await store.tenants.ensure(slug);
      const token = generateToken();
      const name = input.name.trim();
      const id = await store.tokens.insert({
        tenantId: tenant.id,
        name,
        tokenHash: hashToken(token),
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        scopes: [...new Set(input.scopes)],
        actor: input.actor ?? 'shipcheck',
      });
      if (typeof id !== 'string')
        throw new AppError(
          'conflict',
          `tenant "${slug}" has an active token named "${name}" (${id.conflict}); revoke it first, or choose another name`,
          {
            details: { tokenId: id.conflict },
          },
        );
      return { id, token, tenant, tenantCreated: created };
    },

    tenantCount(): Promise<number> {
      return store.tenants.count();
    },

    tenantBySlug(slug: string): Promise<Tenant | undefined> {
      return store.tenants.bySlug(slug);
    },

    /** The tenant, created on first mention (the CLI's embedded commands and the demo). */
    async ensureTenant(slug: string): Promise<Tenant> {
      return (await store.tenants.ensure(TenantSlug.parse(slug))).tenant;
    },

    list(tenantId: string): Promise<TokenListing[]> {
      return store.tokens.list(tenantId);
    },

    revoke(tenantId: string, id: string, actor = 'shipcheck'): Promise<boolean> {
      return store.tokens.revoke(tenantId, id, actor);
    },

    async authenticate(token: string): Promise<StoredToken | undefined> {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
      const found = await store.tokens.findActiveByHash(hashToken(token));
      if (found && Date.now() - (touched.get(found.id) ?? 0) >= TOUCH_EVERY_MS) {
        touched.set(found.id, Date.now());
        void store.tokens.touch(found.id).catch(() => {});
      }
      return found;
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
