import type { ConsoleSession } from '../contracts/console.js';
import { postForm } from './components.js';
import type { PageContext } from './env.js';
import { type Html, h } from './html.js';

const NAV = [
  {
    href: '/console',
    label: 'Releases',
    match: (p: string) => p === '/console' || p.startsWith('/console/releases') || p.startsWith('/console/evidence'),
  },
  { href: '/console/audit', label: 'Audit', match: (p: string) => p.startsWith('/console/audit') },
  { href: '/console/dora', label: 'DORA', match: (p: string) => p.startsWith('/console/dora') },
  { href: '/console/policy', label: 'Policy', match: (p: string) => p.startsWith('/console/policy') },
];

function shell(title: string, header: Html, main: Html): Html {
  return h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · shipcheck</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/console.css">
</head>
<body>
${header}
<main id="main">
${main}
</main>
</body>
</html>`;
}

/** A page of a logged-in session: the nav, who is logged in, and the logout button. */
export function page(ctx: PageContext, title: string, main: Html): Html {
  const nav = NAV.map((n) => h`<a href="${n.href}"${n.match(ctx.path) ? h` aria-current="page"` : ''}>${n.label}</a>`);
  const header = h`<header class="top">
<a class="brand" href="/console">shipcheck</a>
<nav aria-label="Console">${nav}</nav>
<div class="who">${who(ctx.session)}
${postForm(ctx, '/console/logout', h`<button type="submit" class="btn btn-quiet">Log out</button>`, { className: 'logout', label: 'Log out' })}
</div>
</header>`;
  return shell(title, header, main);
}

const who = (s: ConsoleSession) =>
  h`<span class="who-name" title="token name @ tenant">${s.tokenName} <span class="muted">@ ${s.tenantSlug}</span></span>`;

/** A page outside a session (login, an error before any session). */
export function barePage(title: string, main: Html): Html {
  return shell(title, h`<header class="top"><a class="brand" href="/console">shipcheck</a></header>`, main);
}
