import { Hono } from 'hono';
import { consoleRoutes } from '../../src/console/app.js';
import type { ConsoleDeps } from '../../src/console/deps.js';

export const ORIGIN = 'http://console.test';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** The console mounted as the HTTP app mounts it. */
export function consoleApp(deps: ConsoleDeps): Hono {
  return new Hono().route('/console', consoleRoutes(deps));
}

/** A browser in miniature: keeps the session cookie, sends the same-origin headers a browser sends with a form. */
export function browser(app: Hono) {
  let cookie: string | undefined;
  const send = async (path: string, init: RequestInit = {}): Promise<Answer> => {
    const headers = new Headers(init.headers);
    if (cookie && !headers.has('cookie')) headers.set('cookie', `sc_console=${cookie}`);
    const res = await app.request(`${ORIGIN}${path}`, { ...init, headers, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set?.startsWith('sc_console=')) {
      const value = set.slice('sc_console='.length).split(';')[0]!;
      cookie = /Max-Age=0/.test(set) || value === '' ? undefined : value;
    }
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  return {
    get cookie() {
      return cookie;
    },
    set cookie(v: string | undefined) {
      cookie = v;
    },
    get: (path: string) => send(path),
    /** Posts a form; the browser's Origin unless told otherwise (`origin: null` sends none). */
    post(path: string, fields: Record<string, string>, opts: { origin?: string | null; site?: string } = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (opts.origin !== null) headers.origin = opts.origin ?? ORIGIN;
      if (opts.site) headers['sec-fetch-site'] = opts.site;
      return send(path, { method: 'POST', headers, body: new URLSearchParams(fields).toString() });
    },
    async login(token: string): Promise<Answer> {
      return this.post('/console/login', { token });
    },
  };
}

export interface RenderedForm {
  action: string;
  fields: Record<string, string>;
}

/** The POST forms of a page with their hidden fields (the one-time `_form` token among them). */
export function forms(html: string): RenderedForm[] {
  return [...html.matchAll(/<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].map((m) => {
    const fields: Record<string, string> = {};
    for (const f of m[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[f[1]!] = decode(f[2]!);
    return { action: decode(m[1]!), fields };
  });
}

/** The first form posting to `action` (fails the test when there is none). */
export function formFor(html: string, action: string, hint?: string): RenderedForm {
  const found = forms(html).find((f) => f.action === action && (hint === undefined || f.fields.form === hint));
  if (!found) throw new Error(`no form posting to ${action}${hint ? ` (${hint})` : ''}`);
  return found;
}

const decode = (s: string) =>
  s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
