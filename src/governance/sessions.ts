import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConsoleSession, ConsoleSessions } from '../contracts/console.js';
import type { SessionStore, StoredSession, StoredToken } from './ports.js';

/** A console session lasts a working day; logging in again makes a new one. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** A rendered form may be submitted within two hours (then the page must be reloaded). */
export const FORM_TTL_MS = 2 * 60 * 60 * 1000;

/** The cookie value: 32 random bytes, base64url (43 characters). */
const COOKIE_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const NONCE_SHAPE = /^[A-Za-z0-9_-]{22}$/;
const MAC_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

/**
 * Console sessions over the session store: a token is exchanged once for a
 * random cookie; only the cookie's sha256 is stored, so a copy of the
 * database opens no session. Forms carry a one-time token signed with the
 * session's own secret: a form made for another session (or by another
 * site) fails the signature, and one submitted twice is refused by the
 * nonce the store records.
 */
export function createSessionService(deps: {
  store: SessionStore;
  tokens: { authenticate(token: string): Promise<StoredToken | undefined> };
  ttlMs?: number;
}): ConsoleSessions {
  const ttlMs = deps.ttlMs ?? SESSION_TTL_MS;
  return {
    async login(token, now) {
      const found = await deps.tokens.authenticate(token);
      if (!found) return undefined;
      const cookie = randomBytes(32).toString('base64url');
      const idHash = sha256(cookie);
      const csrfSecret = randomBytes(32).toString('hex');
      const expiresAt = new Date(now.getTime() + ttlMs);
      await deps.store.create({ idHash, tokenId: found.id, csrfSecret, expiresAt });
      const session: ConsoleSession = {
        tenantId: found.tenantId,
        tenantSlug: found.tenantSlug,
        tokenName: found.name,
        scopes: [...found.scopes],
        idHash,
        csrfSecret,
        expiresAt,
      };
      return { cookie, session };
    },

    async resolve(cookie, now) {
      if (!COOKIE_SHAPE.test(cookie)) return undefined;
      const idHash = sha256(cookie);
      const found = await deps.store.find(idHash, now);
      // The store answers live sessions of unrevoked tokens; the expiry is checked here too, so a store that
      // forgot it cannot keep a session alive.
      if (!found || found.expiresAt.getTime() <= now.getTime()) return undefined;
      return sessionOf(idHash, found);
    },

    async logout(cookie) {
      if (!COOKIE_SHAPE.test(cookie)) return;
      await deps.store.remove(sha256(cookie));
    },

    formToken(session, now) {
      const nonce = randomBytes(16).toString('base64url');
      const expires = Math.floor((now.getTime() + FORM_TTL_MS) / 1000);
      return `${nonce}.${expires}.${mac(session.csrfSecret, `${nonce}.${expires}`)}`;
    },

    async checkForm(session, token, now) {
      const parts = token?.split('.') ?? [];
      if (parts.length !== 3) return 'forged';
      const [nonce, expires, signature] = parts as [string, string, string];
      if (!NONCE_SHAPE.test(nonce) || !/^\d{1,12}$/.test(expires) || !MAC_SHAPE.test(signature)) return 'forged';
      const expected = Buffer.from(mac(session.csrfSecret, `${nonce}.${expires}`));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'forged';
      if (Number(expires) * 1000 <= now.getTime()) return 'forged';
      return (await deps.store.useForm(session.idHash, nonce, now)) ? 'ok' : 'replayed';
    },
  };
}

function sessionOf(idHash: string, s: StoredSession): ConsoleSession {
  return {
    tenantId: s.tenantId,
    tenantSlug: s.tenantSlug,
    tokenName: s.tokenName,
    scopes: [...s.scopes],
    idHash,
    csrfSecret: s.csrfSecret,
    expiresAt: s.expiresAt,
  };
}
