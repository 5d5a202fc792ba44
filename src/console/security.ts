import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { ConsoleSession } from '../contracts/console.js';
import { AppError } from '../contracts/errors.js';
import type { Scope } from '../contracts/tokens.js';
import { hasScope } from '../governance/tokens.js';
import type { ConsoleDeps } from './deps.js';
import type { ConsoleEnv } from './env.js';

export const COOKIE = 'sc_console';

/** No script, no inline style, no frames, forms post only here: markup that slipped through escaping could do nothing. */
export const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Security headers on every console response; pages (not the stylesheet) are never cached: they show tenant data. */
export const securityHeaders = createMiddleware<ConsoleEnv>(async (c, next) => {
  await next();
  c.res.headers.set('Content-Security-Policy', CSP);
  c.res.headers.set('X-Content-Type-Options', 'nosniff');
  c.res.headers.set('Referrer-Policy', 'no-referrer');
  c.res.headers.set('X-Frame-Options', 'DENY');
  if (!c.req.path.startsWith('/console/assets/')) c.res.headers.set('Cache-Control', 'no-store');
});

export const now = (deps: ConsoleDeps) => new Date(deps.clock?.() ?? Date.now());

/** Every page but the login needs a session: without one, the browser is sent to log in. */
export function requireSession(deps: ConsoleDeps) {
  return createMiddleware<ConsoleEnv>(async (c, next) => {
    const cookie = getCookie(c, COOKIE);
    const session = cookie ? await deps.sessions.resolve(cookie, now(deps)) : undefined;
    if (!cookie || !session) {
      if (cookie) clearSessionCookie(c, deps);
      return c.redirect('/console/login', 303);
    }
    c.set('session', session);
    c.set('cookie', cookie);
    // Nothing of a tenant is shown to a token that may not read.
    requireScope(session, 'read');
    await next();
  });
}

export function requireScope(session: ConsoleSession, scope: Scope): void {
  if (!hasScope(session.scopes, scope)) throw new AppError('forbidden', `this token lacks the "${scope}" scope`);
}

export function setSessionCookie(c: Context, deps: ConsoleDeps, value: string, expiresAt: Date): void {
  setCookie(c, COOKIE, value, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/console',
    secure: deps.secureCookies,
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - now(deps).getTime()) / 1000)),
  });
}

export function clearSessionCookie(c: Context, deps: ConsoleDeps): void {
  deleteCookie(c, COOKIE, { path: '/console', httpOnly: true, sameSite: 'Strict', secure: deps.secureCookies });
}

/**
 * A POST must come from a page of this console. The browser's
 * `Sec-Fetch-Site` must say same-origin (or a typed URL) when sent; an
 * `Origin` must be this server's own. Pages are served with
 * `Referrer-Policy: no-referrer`, under which browsers send `Origin: null`
 * with a form: then `Sec-Fetch-Site` alone vouches for it, and without
 * either the form is refused. Behind an https proxy the request reaches the
 * server as http; an https Origin for the same host is the public URL (when
 * cookies are marked Secure, the console is served over https).
 */
export function assertSameOrigin(c: Context, deps: ConsoleDeps): void {
  const origin = c.req.header('origin');
  const site = c.req.header('sec-fetch-site');
  const refused = () => new AppError('forbidden', 'this form was sent from another site; open the console and submit it from there');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw refused();
  if (origin === undefined || origin === 'null') {
    if (site === undefined) throw refused();
    return;
  }
  let from: URL;
  try {
    from = new URL(origin);
  } catch {
    throw refused();
  }
  const own = new URL(c.req.url);
  const sameScheme = from.protocol === own.protocol || (deps.secureCookies && from.protocol === 'https:');
  if (from.host !== own.host || !sameScheme) throw refused();
}

/** The form fields of a console POST, after the same-origin check and the form's one-time token. */
export async function checkedForm(c: Context<ConsoleEnv>, deps: ConsoleDeps): Promise<Record<string, string>> {
  assertSameOrigin(c, deps);
  const body = await formFields(c);
  const verdict = await deps.sessions.checkForm(c.get('session'), body._form, now(deps));
  if (verdict === 'forged') throw new AppError('forbidden', 'this form was not issued to your session — reload the page');
  if (verdict === 'replayed') throw new AppError('conflict', 'this form was already submitted');
  return body;
}

/** Text fields only (the console has no file inputs); a field sent twice keeps its last value. */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data'))
    throw new AppError('unsupported_media_type', 'send the form as application/x-www-form-urlencoded');
  const parsed = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    const value = Array.isArray(v) ? v.at(-1) : v;
    if (typeof value === 'string') out[k] = value;
  }
  return out;
}
