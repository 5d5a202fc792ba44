import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenService, TOUCH_EVERY_MS } from '../../src/governance/tokens.js';
import { openDatabase } from '../../src/store/database.js';
import { createStore } from '../../src/store/index.js';

describe('token service', () => {
  afterEach(() => vi.useRealTimers());

  it('records last use at most once a minute per token, and authenticates every call', async () => {
    const database = await openDatabase({ kind: 'pglite' });
    await database.migrate();
    const store = createStore(database);
    let touches = 0;
    const tokens = createTokenService({
      tenants: store.tenants,
      tokens: { ...store.tokens, touch: async (id) => (touches++, store.tokens.touch(id)) },
    });
    const { token } = await tokens.create({ tenant: 'acme', name: 'ci', scopes: ['read'] });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-06T10:00:00Z'));
    for (let i = 0; i < 5; i++) expect(await tokens.authenticate(token)).toMatchObject({ tenantSlug: 'acme' });
    expect(touches).toBe(1);
    vi.setSystemTime(new Date(Date.parse('2026-12-06T10:00:00Z') + TOUCH_EVERY_MS));
    await tokens.authenticate(token);
    expect(touches).toBe(2);
    expect(await tokens.authenticate('sc_forged')).toBeUndefined();
    await database.close();
  });
});
