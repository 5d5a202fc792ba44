/**
 * The web console's sessions: a token exchanged for a cookie, and the
 * one-time tokens its forms carry. The console uses this interface;
 * governance implements it over the session store.
 */

/** The who of a request: from the session, never from the form. */
export interface ConsoleActor {
  tenantId: string;
  tenantSlug: string;
  tokenName: string;
  scopes: string[];
}

/** A logged-in console session: who, and the secret its forms are signed with. */
export interface ConsoleSession extends ConsoleActor {
  /** sha256 of the cookie value (the value itself is never stored). */
  idHash: string;
  csrfSecret: string;
  expiresAt: Date;
}

export interface ConsoleSessions {
  /** A valid token → a new session and the cookie value for it; undefined for an unknown or revoked token. */
  login(token: string, now: Date): Promise<{ cookie: string; session: ConsoleSession } | undefined>;
  resolve(cookie: string, now: Date): Promise<ConsoleSession | undefined>;
  logout(cookie: string): Promise<void>;
  /** A one-time token for one rendered form, bound to the session. */
  formToken(session: ConsoleSession, now: Date): string;
  /** `forged`: not made for this session (or expired); `replayed`: submitted before. */
  checkForm(session: ConsoleSession, token: string | undefined, now: Date): Promise<'ok' | 'forged' | 'replayed'>;
}
