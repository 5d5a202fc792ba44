import type { Scope } from '../contracts/tokens.js';

export interface AuthContext {
  tokenId: string;
  /** The token's name: the actor a decision records. */
  tokenName: string;
  tenantId: string;
  tenantSlug: string;
  scopes: string[];
}

/** Variables the middleware sets on every request. */
export interface AppEnv {
  Variables: {
    requestId: string;
    auth: AuthContext;
  };
}

export type { Scope };
