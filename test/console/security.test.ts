import { describe, expect, it, vi } from 'vitest';
import { CSP } from '../../src/console/security.js';
import { browser, consoleApp, formFor, ORIGIN } from './client.js';
import { ACME, ALICE, BOB, CAROL, DAVE, fakeDeps, MARKUP_TITLE, NOW, OTHER, OTHER_RELEASE, REDACTED_TITLE, RELEASE } from './fakes.js';

const PAGES = [
  '/console',
  `/console/releases/${RELEASE}`,
  `/console/evidence/change:${RELEASE}`,
  '/console/audit',
  '/console/dora',
  '/console/policy',
];
const DECIDE = `/console/releases/${RELEASE}/decisions`;

function setup(overrides = {}) {
  const f = fakeDeps(overrides);
  return { f, app: consoleApp(f.deps) };
}

async function loggedIn(token = ALICE, overrides = {}) {
  const { f, app } = setup(overrides);
  const b = browser(app);
  const res = await b.login(token);
  expect(res.status).toBe(303);
  return { f, app, b };
}

function expectHeaders(h: Headers, page = true) {
  expect(h.get('content-security-policy')).toBe(CSP);
  expect(h.get('x-content-type-options')).toBe('nosniff');
  expect(h.get('referrer-policy')).toBe('no-referrer');
  if (page) expect(h.get('cache-control')).toBe('no-store');
}

describe('console: sessions and login', () => {
  it('sends every page to the login without a session (303), POSTs included', async () => {
    const { app } = setup();
    const b = browser(app);
    for (const path of [...PAGES, '/console/no-such-page']) {
      const res = await b.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe('/console/login');
      expectHeaders(res.headers);
    }
    const post = await b.post(DECIDE, { action: 'approve', reason: 'ok' });
    expect(post.status).toBe(303);
    expect(post.headers.get('location')).toBe('/console/login');
    b.cookie = 'A'.repeat(43);
    expect((await b.get('/console')).status).toBe(303);
  });

  it('exchanges a valid token for a HttpOnly, SameSite=Strict cookie on /console that lasts the session', async () => {
    const { app } = setup();
    const b = browser(app);
    const res = await b.login(ALICE);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console');
    const set = res.headers.get('set-cookie')!;
    expect(set).toMatch(/^sc_console=[A-Za-z0-9_-]{43};/);
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
    expect(set).toContain('Path=/console');
    expect(set).toContain('Max-Age=43200');
    expect(set).not.toContain('Secure');
    expect((await b.get('/console')).status).toBe(200);

    // Logging in again replaces the browser's session: the old cookie opens nothing any more.
    const old = b.cookie!;
    expect((await b.login(ALICE)).status).toBe(303);
    expect(b.cookie).not.toBe(old);
    const stale = browser(app);
    stale.cookie = old;
    expect((await stale.get('/console')).status).toBe(303);

    const secure = browser(setup({ secureCookies: true }).app);
    expect((await secure.login(ALICE)).headers.get('set-cookie')).toContain('Secure');
  });

  it('answers a bad token 401 without echoing it, and sets no cookie', async () => {
    const { app } = setup();
    const planted = 'sc_PLANTED_secret_value_0123456789abcdef';
    const res = await browser(app).login(planted);
    expect(res.status).toBe(401);
    expect(res.text).toContain('invalid or revoked token');
    expect(res.text).not.toContain(planted);
    expect(res.text).not.toContain('PLANTED');
    expect(res.headers.get('set-cookie')).toBeNull();
    expectHeaders(res.headers);
    const blank = await browser(app).login('  ');
    expect(blank.status).toBe(400);
  });

  it('the login form is same-origin only (login CSRF)', async () => {
    const { app } = setup();
    for (const opts of [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: null },
      { origin: null, site: 'cross-site' },
      { site: 'cross-site' },
    ]) {
      const res = await browser(app).post('/console/login', { token: ALICE }, opts);
      expect(res.status, JSON.stringify(opts)).toBe(403);
      expect(res.text).toContain('forbidden');
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    // A scheme that differs from the server's own is another origin too (unless cookies are Secure: an https proxy).
    expect((await browser(app).post('/console/login', { token: ALICE }, { origin: ORIGIN.replace('http:', 'https:') })).status).toBe(403);
    const proxied = browser(setup({ secureCookies: true }).app);
    expect((await proxied.post('/console/login', { token: ALICE }, { origin: ORIGIN.replace('http:', 'https:') })).status).toBe(303);
    // A browser that sends no Origin (or `null`, as under no-referrer) but says same-origin is accepted.
    expect((await browser(app).post('/console/login', { token: ALICE }, { origin: null, site: 'same-origin' })).status).toBe(303);
    expect((await browser(app).post('/console/login', { token: ALICE }, { origin: 'null', site: 'same-origin' })).status).toBe(303);
    expect((await browser(app).post('/console/login', { token: ALICE }, { origin: 'null', site: 'same-site' })).status).toBe(403);
    expect((await browser(app).post('/console/login', { token: ALICE }, { origin: ORIGIN, site: 'cross-site' })).status).toBe(403);
  });

  it('the login page never fills in the token field', async () => {
    const { app } = setup();
    const page = await browser(app).get('/console/login');
    expect(page.status).toBe(200);
    expectHeaders(page.headers);
    expect(page.text).toMatch(/<input id="token" name="token" type="password"[^>]*>/);
    expect(page.text).not.toMatch(/name="token"[^>]*value=/);
  });

  it('logs out with its one-time form: the cookie is cleared and the session ends', async () => {
    const { b } = await loggedIn();
    const cookie = b.cookie!;
    const page = await b.get('/console');
    const res = await b.post('/console/logout', formFor(page.text, '/console/logout').fields);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/login');
    expect(res.headers.get('set-cookie')).toMatch(/sc_console=;.*Max-Age=0/);
    b.cookie = cookie;
    expect((await b.get('/console')).status).toBe(303);
  });

  it('a revoked token ends its sessions at the next request', async () => {
    const { f, b } = await loggedIn();
    expect((await b.get('/console')).status).toBe(200);
    f.revoke(ALICE);
    const res = await b.get('/console');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/login');
  });
});

describe('console: headers and markup', () => {
  it('every page carries the CSP and the other headers, and holds no script or inline style', async () => {
    const { b } = await loggedIn();
    for (const path of PAGES) {
      const res = await b.get(path);
      expectHeaders(res.headers);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.text, path).not.toMatch(/<script|\sstyle=|\son[a-z]+=|javascript:/i);
    }
  });

  it('serves the stylesheet as text/css with a cache lifetime', async () => {
    const { app } = setup();
    const res = await browser(app).get('/console/assets/console.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expectHeaders(res.headers, false);
    expect(res.text).toContain('.lvl-critical');
  });
});

describe('console: forms', () => {
  it('refuses a form without its token, or with one made for another session (403)', async () => {
    const { f, b, app } = await loggedIn();
    const missing = await b.post(DECIDE, { action: 'approve', reason: 'looks fine' });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('forbidden');
    expect(missing.text).toContain('this form was not issued to your session — reload the page');

    const other = browser(app);
    await other.login(ALICE);
    const theirs = formFor((await other.get(`/console/releases/${RELEASE}`)).text, DECIDE, 'approval');
    const stolen = await b.post(DECIDE, { ...theirs.fields, action: 'approve', reason: 'looks fine' });
    expect(stolen.status).toBe(403);
    expect(f.decisions).toHaveLength(0);
  });

  it('refuses a form submitted twice (409) and records the decision once', async () => {
    const { f, b } = await loggedIn();
    const form = formFor((await b.get(`/console/releases/${RELEASE}`)).text, DECIDE, 'rollout');
    const first = await b.post(DECIDE, { ...form.fields, action: 'halt', reason: 'errors up' });
    expect(first.status).toBe(303);
    const again = await b.post(DECIDE, { ...form.fields, action: 'halt', reason: 'errors up' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('this form was already submitted');
    expect(f.decisions.map((d) => d.action)).toEqual(['halt']);
  });

  it('refuses a genuine form posted from another site (403), without using it up', async () => {
    const { f, b } = await loggedIn();
    const form = formFor((await b.get(`/console/releases/${RELEASE}`)).text, DECIDE, 'rollout');
    const fields = { ...form.fields, action: 'rollback', reason: 'errors up' };
    const cross = await b.post(DECIDE, fields, { origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
    expect(cross.text).toContain('another site');
    const noOrigin = await b.post(DECIDE, fields, { origin: null });
    expect(noOrigin.status).toBe(403);
    expect(f.decisions).toHaveLength(0);
    expect((await b.post(DECIDE, fields)).status).toBe(303);
  });

  it('refuses a form that is not form-encoded', async () => {
    const { b, app } = await loggedIn();
    const res = await app.request(`${ORIGIN}${DECIDE}`, {
      method: 'POST',
      headers: { cookie: `sc_console=${b.cookie}`, origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'approve', reason: 'x' }),
    });
    expect(res.status).toBe(415);
  });
});

describe('console: scopes', () => {
  it('a read-only token sees no decision or notes forms, and its POST is 403', async () => {
    const { f, b } = await loggedIn(BOB);
    const page = await b.get(`/console/releases/${RELEASE}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('lacks the "approve" scope');
    expect(page.text).not.toContain(`action="${DECIDE}"`);
    expect(page.text).not.toContain('/notes/approve');
    expect(page.text).not.toContain(`action="/console/releases/${RELEASE}/notes"`);
    // A genuine form token of its own session (the logout form's) does not lend it the scope.
    for (const [path, fields] of [
      [DECIDE, { action: 'approve', reason: 'ok' }],
      [`/console/releases/${RELEASE}/notes/approve`, { version: '1' }],
      [`/console/releases/${RELEASE}/notes`, { basedOn: '1', 'text.0': 'x' }],
    ] as const) {
      const token = formFor((await b.get('/console')).text, '/console/logout').fields._form!;
      const res = await b.post(path, { ...fields, _form: token });
      expect(res.status, path).toBe(403);
      expect(res.text).toContain('this token lacks the &quot;approve&quot; scope');
    }
    expect(f.decisions).toHaveLength(0);
    expect(f.notesVersions).toHaveLength(1);
    expect(f.notesVersions[0]!.status).toBe('draft');
  });

  it('a token without "read" may log in but sees nothing', async () => {
    const { f, b } = await loggedIn(CAROL);
    for (const path of PAGES) {
      const res = await b.get(path);
      expect(res.status, path).toBe(403);
      expect(res.text).toContain('this token lacks the &quot;read&quot; scope');
      expect(res.text).not.toContain('payments');
    }
    expect(f.calls).toEqual([]);
  });
});

describe('console: tenants and secrets', () => {
  it("another tenant's release, evidence and lists are not found; every read names the session's tenant", async () => {
    const { f, b } = await loggedIn(DAVE);
    const release = await b.get(`/console/releases/${RELEASE}`);
    expect(release.status).toBe(404);
    expect(release.text).toContain('not_found');
    expect(release.text).not.toContain('2.14.0');
    expect((await b.get(`/console/evidence/change:${RELEASE}`)).status).toBe(404);
    const list = await b.get('/console');
    expect(list.text).toContain('ledger 5.0.0');
    expect(list.text).not.toContain('payments');
    const form = formFor(list.text, '/console/logout');
    const post = await b.post(DECIDE, { ...form.fields, action: 'approve', reason: 'mine now' });
    expect(post.status).toBe(404);
    expect(f.decisions).toHaveLength(0);
    expect(new Set(f.calls.map((c) => c.tenantId))).toEqual(new Set([OTHER.id]));

    const alice = await loggedIn(ALICE);
    expect((await alice.b.get(`/console/releases/${OTHER_RELEASE}`)).status).toBe(404);
    expect(new Set(alice.f.calls.map((c) => c.tenantId))).toEqual(new Set([ACME.id]));
  });

  it('renders no token, cookie or form secret; stored titles are shown as stored and as text', async () => {
    const { f, b } = await loggedIn();
    const session = (await f.deps.sessions.resolve(b.cookie!, new Date(NOW)))!;
    for (const path of PAGES) {
      const { text } = await b.get(path);
      for (const secret of [ALICE, b.cookie!, session.csrfSecret, session.idHash]) expect(text, path).not.toContain(secret);
    }
    const release = (await b.get(`/console/releases/${RELEASE}`)).text;
    expect(release).toContain(REDACTED_TITLE);
    expect(release).not.toContain(MARKUP_TITLE);
    expect(release).toContain('Escape &lt;script&gt;alert(1)&lt;/script&gt; in &quot;names&quot; &amp; labels');
  });
});

describe('console: failures', () => {
  it('answers a failure nobody classified with a 500 page and the request id, never its message', async () => {
    const logError = vi.fn();
    const { b } = await loggedIn(ALICE, { logError });
    const broken = await loggedIn(ALICE, {
      logError,
      governance: {
        ...fakeDeps().deps.governance,
        policies: async () => {
          throw new Error('connection to 10.0.0.7 refused');
        },
      },
    });
    const res = await broken.b.get('/console/policy');
    expect(res.status).toBe(500);
    expect(res.text).toContain('internal error; quote the request id');
    expect(res.text).not.toContain('10.0.0.7');
    expectHeaders(res.headers);
    expect(logError).toHaveBeenCalledWith('console request failed', expect.objectContaining({ path: '/console/policy' }));
    expect((await b.get('/console/policy')).status).toBe(200);
  });
});
