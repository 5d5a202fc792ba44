import { and, eq, isNull, sql } from 'drizzle-orm';
import type { StoredToken, Tenant, TenantStore, TokenListing, TokenStore } from '../governance/ports.js';
import type { ServiceRegistry } from '../ingest/ports.js';
import { appendAudit } from './audit.js';
import type { Db } from './database.js';
import { isUuid } from './sql-array.js';
import { apiTokens, services, tenants } from './schema.js';

export function tenantRepo(db: Db): TenantStore {
  return {
    async ensure(slug: string): Promise<{ tenant: Tenant; created: boolean }> {
      const inserted = await db.insert(tenants).values({ slug }).onConflictDoNothing().returning({ id: tenants.id, slug: tenants.slug });
      if (inserted[0]) return { tenant: inserted[0], created: true };
      const [row] = await db.select({ id: tenants.id, slug: tenants.slug }).from(tenants).where(eq(tenants.slug, slug));
      if (!row) throw new Error(`tenant ${slug} vanished while being created`);
      return { tenant: row, created: false };
    },
    async bySlug(slug: string): Promise<Tenant | undefined> {
      const [row] = await db.select({ id: tenants.id, slug: tenants.slug }).from(tenants).where(eq(tenants.slug, slug));
      return row;
    },
    async count(): Promise<number> {
      return db.$count(tenants);
    },
  };
}

async function findService(db: Db, tenantId: string, name: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.tenantId, tenantId), eq(services.name, name)));
  return row?.id;
}

/** Services appear on first mention; the id is stable per (tenant, name). Usable inside a transaction. */
export async function ensureService(db: Db, tenantId: string, name: string): Promise<string> {
  const inserted = await db.insert(services).values({ tenantId, name }).onConflictDoNothing().returning({ id: services.id });
  if (inserted[0]) return inserted[0].id;
  const id = await findService(db, tenantId, name);
  if (!id) throw new Error(`service ${name} vanished while being created`);
  return id;
}

export function serviceRepo(db: Db): ServiceRegistry & { list(tenantId: string): Promise<{ id: string; name: string }[]> } {
  return {
    ensure: (tenantId, name) => ensureService(db, tenantId, name),
    find: (tenantId, name) => findService(db, tenantId, name),
    async list(tenantId: string): Promise<{ id: string; name: string }[]> {
      return db
        .select({ id: services.id, name: services.name })
        .from(services)
        .where(eq(services.tenantId, tenantId))
        .orderBy(services.name);
    },
  };
}

export function tokenRepo(db: Db): TokenStore {
  return {
    async insert({ actor, ...row }) {
      return db.transaction(async (tx) => {
        // Under the tenant's audit lock (taken first): two creations of one name cannot both pass the check.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`audit:${row.tenantId}`}, 0))`);
        const [same] = await tx
          .select({ id: apiTokens.id })
          .from(apiTokens)
          .where(and(eq(apiTokens.tenantId, row.tenantId), eq(apiTokens.name, row.name), isNull(apiTokens.revokedAt)));
        if (same) return { conflict: same.id };
        const [created] = await tx.insert(apiTokens).values(row).returning({ id: apiTokens.id });
        await appendAudit(tx, row.tenantId, {
          at: new Date(),
          actor,
          action: 'token_create',
          subject: `token:${created!.id}`,
          subjectLabel: `token ${row.name}`,
          reason: `token for ${row.name} with ${row.scopes.join(', ')}`,
          answers: null,
          details: { name: row.name, scopes: row.scopes.join(','), prefix: row.prefix },
        });
        return created!.id;
      });
    },
    async findActiveByHash(tokenHash: string): Promise<StoredToken | undefined> {
      const [row] = await db
        .select({
          id: apiTokens.id,
          tenantId: apiTokens.tenantId,
          tenantSlug: tenants.slug,
          name: apiTokens.name,
          scopes: apiTokens.scopes,
        })
        .from(apiTokens)
        .innerJoin(tenants, eq(tenants.id, apiTokens.tenantId))
        .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
      return row;
    },
    async touch(id: string): Promise<void> {
      await db.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(eq(apiTokens.id, id));
    },
    async list(tenantId: string): Promise<TokenListing[]> {
      return db
        .select({
          id: apiTokens.id,
          name: apiTokens.name,
          prefix: apiTokens.prefix,
          scopes: apiTokens.scopes,
          createdAt: apiTokens.createdAt,
          lastUsedAt: apiTokens.lastUsedAt,
          revokedAt: apiTokens.revokedAt,
        })
        .from(apiTokens)
        .where(eq(apiTokens.tenantId, tenantId));
    },
    async revoke(tenantId: string, id: string, actor: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      return db.transaction(async (tx) => {
        const rows = await tx
          .update(apiTokens)
          .set({ revokedAt: sql`now()` })
          .where(and(eq(apiTokens.tenantId, tenantId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
          .returning({ id: apiTokens.id, name: apiTokens.name });
        if (rows.length === 0) return false;
        await appendAudit(tx, tenantId, {
          at: new Date(),
          actor,
          action: 'token_revoke',
          subject: `token:${id}`,
          subjectLabel: `token ${rows[0]!.name}`,
          reason: `token of ${rows[0]!.name} revoked`,
          answers: null,
          details: { name: rows[0]!.name },
        });
        return true;
      });
    },
    async count(): Promise<number> {
      return db.$count(apiTokens);
    },
  };
}
