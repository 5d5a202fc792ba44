/** What governance reads and writes, in its own terms; `store/` implements it. */
export interface Tenant {
  id: string;
  slug: string;
}

export interface StoredToken {
  id: string;
  tenantId: string;
  tenantSlug: string;
  name: string;
  scopes: string[];
}

export interface TokenListing {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface TenantStore {
  ensure(slug: string): Promise<{ tenant: Tenant; created: boolean }>;
  bySlug(slug: string): Promise<Tenant | undefined>;
  count(): Promise<number>;
}

export interface TokenStore {
  insert(row: { tenantId: string; name: string; tokenHash: string; prefix: string; scopes: string[] }): Promise<string>;
  findActiveByHash(tokenHash: string): Promise<StoredToken | undefined>;
  touch(id: string): Promise<void>;
  list(tenantId: string): Promise<TokenListing[]>;
  revoke(tenantId: string, id: string): Promise<boolean>;
  count(): Promise<number>;
}
