import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SessionStore, StoredSession, StoredToken } from '../../src/governance/ports.js';
import { createSessionService, FORM_TTL_MS, SESSION_TTL_MS } from '../../src/governance/sessions.js';

const TOKEN = 'sc_valid-token-for-tests';
const stored: StoredToken = { id: 'tok-1', tenantId: 't-1', tenantSlug: 'acme', name: 'alice', scopes: ['read', 'approve'] };

/** Sessions in memory; `find` joins the token the way the store does (a revoked token ends its sessions). */
function fakeStore() {
  const rows = new Map<string, { tokenId: string; csrfSecret: string; expiresAt: Date }>();
  const used = new Set<string>();
  const revoked = new Set<string>();
  const store: SessionStore = {
    async create(s) {
      rows.set(s.idHash, { tokenId: s.tokenId, csrfSecret: s.csrfSecret, expiresAt: s.expiresAt });
    },
    async find(idHash, now): Promise<StoredSession | undefined> {
      const r = rows.get(idHash);
      if (!r || r.expiresAt <= now || revoked.has(r.tokenId)) return undefined;
      return {
        id: idHash.slice(0, 8),
        tenantId: 't-1',
        tenantSlug: 'acme',
        tokenName: 'alice',
        scopes: stored.scopes,
        ...r,
      };
    },
    async remove(idHash) {
      rows.delete(idHash);
    },
    async useForm(idHash, nonce) {
      const key = `${idHash}/${nonce}`;
      if (used.has(key)) return false;
      used.add(key);
      return true;
    },
  };
  return { store, rows, revoked };
}

function service() {
  const fake = fakeStore();
  const sessions = createSessionService({
    store: fake.store,
    tokens: { authenticate: async (t) => (t === TOKEN ? stored : undefined) },
  });
  return { ...fake, sessions };
}

const now = new Date('2026-12-07T09:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);

describe('console sessions', () => {
  it('exchanges a valid token for a random cookie whose sha256 alone is stored', async () => {
    const { sessions, rows } = service();
    const out = await sessions.login(TOKEN, now);
    expect(out).toBeDefined();
    const { cookie, session } = out!;
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.idHash).toBe(createHash('sha256').update(cookie).digest('hex'));
    expect([...rows.keys()]).toEqual([session.idHash]);
    expect(JSON.stringify([...rows.values()])).not.toContain(cookie);
    expect(session.csrfSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(session.expiresAt.getTime()).toBe(now.getTime() + SESSION_TTL_MS);
    expect(session).toMatchObject({ tenantId: 't-1', tenantSlug: 'acme', tokenName: 'alice', scopes: ['read', 'approve'] });
    const again = await sessions.login(TOKEN, now);
    expect(again!.cookie).not.toBe(cookie);
    expect(again!.session.csrfSecret).not.toBe(session.csrfSecret);
  });

  it('refuses an unknown token and opens no session', async () => {
    const { sessions, rows } = service();
    expect(await sessions.login('sc_wrong', now)).toBeUndefined();
    expect(rows.size).toBe(0);
  });

  it('resolves the cookie until it expires, is logged out, or its token is revoked', async () => {
    const { sessions, revoked } = service();
    const { cookie, session } = (await sessions.login(TOKEN, now))!;
    expect((await sessions.resolve(cookie, later(1000)))?.idHash).toBe(session.idHash);
    expect(await sessions.resolve(cookie, later(SESSION_TTL_MS))).toBeUndefined();
    expect(await sessions.resolve('not a cookie', now)).toBeUndefined();
    expect(await sessions.resolve('A'.repeat(43), now)).toBeUndefined();

    revoked.add('tok-1');
    expect(await sessions.resolve(cookie, later(1000))).toBeUndefined();
    revoked.clear();
    await sessions.logout(cookie);
    expect(await sessions.resolve(cookie, later(1000))).toBeUndefined();
  });

  it('a form token is accepted once, for its own session, within two hours', async () => {
    const { sessions } = service();
    const a = (await sessions.login(TOKEN, now))!.session;
    const b = (await sessions.login(TOKEN, now))!.session;
    const form = sessions.formToken(a, now);
    expect(form).toMatch(/^[A-Za-z0-9_-]{22}\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(await sessions.checkForm(b, form, now)).toBe('forged');
    expect(await sessions.checkForm(a, form, later(1000))).toBe('ok');
    expect(await sessions.checkForm(a, form, later(2000))).toBe('replayed');

    const old = sessions.formToken(a, now);
    expect(await sessions.checkForm(a, old, later(FORM_TTL_MS + 1000))).toBe('forged');
  });

  it('refuses missing, malformed and tampered form tokens as forged', async () => {
    const { sessions } = service();
    const s = (await sessions.login(TOKEN, now))!.session;
    const form = sessions.formToken(s, now);
    const [nonce, expires, sig] = form.split('.') as [string, string, string];
    expect(await sessions.checkForm(s, undefined, now)).toBe('forged');
    expect(await sessions.checkForm(s, '', now)).toBe('forged');
    expect(await sessions.checkForm(s, 'a.b.c', now)).toBe('forged');
    // A later expiry with the old signature: the signature covers the expiry.
    expect(await sessions.checkForm(s, `${nonce}.${Number(expires) + 3600}.${sig}`, now)).toBe('forged');
    const flipped = sig[0] === 'A' ? `B${sig.slice(1)}` : `A${sig.slice(1)}`;
    expect(await sessions.checkForm(s, `${nonce}.${expires}.${flipped}`, now)).toBe('forged');
    // The genuine one still works: the refused attempts used nothing up.
    expect(await sessions.checkForm(s, form, now)).toBe('ok');
  });
});
