import { type EventSpec, type LogStyle, one } from './types.js';
import type { Gen } from './vocab.js';

/**
 * An nginx front end: access lines in the combined log format and the
 * error log's lines, interleaved as a container's stdout has them.
 *
 * Labelling of access lines: one format string prints every request, and
 * the HTTP status is part of the event (`… 200` and `… 502` are different
 * events to an operator, and the rollback advisor keeps them apart); the
 * method, route, client, sizes, referer and user agent are parameters. The
 * label is `nginx-access:<status>`; drop the `:<status>` for the strict
 * one-label-per-format-string reading.
 */
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'curl/8.5.0',
  'kube-probe/1.29',
  'python-requests/2.31.0',
  'Go-http-client/1.1',
];

function route(g: Gen, method: string): string {
  if (method === 'POST') return g.pick(['/api/v1/orders', '/api/v1/payments', '/login', `/api/v1/users/${g.uuid()}/cart`]);
  if (method === 'PUT') return `/api/v1/orders/${g.int(1000, 99999)}`;
  if (method === 'DELETE') return `/api/v1/users/${g.uuid()}/cart/items/${g.int(1, 500)}`;
  return g.pick([
    `/api/v1/orders/${g.int(1000, 99999)}`,
    '/api/v1/orders',
    `/api/v1/search?q=${g.pick(['shoes', 'lamp', 'desk', 'red+chair'])}&page=${g.int(1, 20)}`,
    `/static/js/app.${g.sha(8)}.js`,
    `/static/css/main.${g.sha(8)}.css`,
    '/favicon.ico',
    `/api/v1/products/${g.int(1, 5000)}/reviews`,
  ]);
}

function access(method: string, status: number, weight: number): EventSpec {
  return one(`nginx-access:${status}`, weight, (g) => {
    const user = g.chance(0.8) ? '-' : g.user();
    const referer = g.chance(0.6) ? '-' : `https://shop.example.com/${g.pick(['', 'cart', 'checkout', `p/${g.int(1, 5000)}`])}`;
    const bytes = status === 304 || status === 204 ? 0 : g.bytes();
    return `${g.publicIp()} - ${user} [${g.clfTime()}] "${method} ${route(g, method)} HTTP/1.1" ${status} ${bytes} "${referer}" "${g.pick(AGENTS)}"`;
  });
}

const err = (g: Gen, level: string) => `${g.slashTime()} [${level}] ${g.int(20, 60)}#${g.int(20, 60)}: `;
const ctx = (g: Gen) =>
  `client: ${g.publicIp()}, server: shop.example.com, request: "${g.pick(['GET', 'POST'])} ${route(g, 'GET')} HTTP/1.1", upstream: "http://${g.ip()}:8080${route(g, 'GET')}", host: "shop.example.com"`;

export const nginx: LogStyle = {
  name: 'nginx',
  about: 'nginx access log (combined format) with its error log interleaved',
  events: [
    access('GET', 200, 60),
    access('GET', 304, 10),
    access('GET', 404, 6),
    access('GET', 500, 2),
    access('GET', 502, 2),
    access('POST', 201, 12),
    access('POST', 400, 3),
    access('POST', 401, 2),
    access('POST', 500, 1),
    access('POST', 503, 1),
    access('PUT', 200, 4),
    access('PUT', 409, 1),
    access('DELETE', 204, 3),
    one(
      'nginx-upstream-refused',
      2,
      (g) => err(g, 'error') + `*${g.int(1, 99999)} connect() failed (111: Connection refused) while connecting to upstream, ${ctx(g)}`,
    ),
    one(
      'nginx-upstream-timeout',
      1.5,
      (g) =>
        err(g, 'error') +
        `*${g.int(1, 99999)} upstream timed out (110: Connection timed out) while reading response header from upstream, ${ctx(g)}`,
    ),
    one(
      'nginx-open-failed',
      1.5,
      (g) =>
        err(g, 'error') +
        `*${g.int(1, 99999)} open() "/usr/share/nginx/html/${g.pick(['robots.txt', 'favicon.ico', 'apple-touch-icon.png'])}" failed (2: No such file or directory), client: ${g.publicIp()}, server: shop.example.com, request: "GET /${g.pick(['robots.txt', 'favicon.ico'])} HTTP/1.1", host: "shop.example.com"`,
    ),
    one(
      'nginx-buffered',
      1,
      (g) =>
        err(g, 'warn') +
        `*${g.int(1, 99999)} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/${g.int(1, 9)}/${g.int(10, 99)}/00000${g.int(10000, 99999)} while reading upstream, ${ctx(g)}`,
    ),
    one(
      'nginx-limiting',
      1,
      (g) => err(g, 'error') + `*${g.int(1, 99999)} limiting requests, excess: ${(g.float() * 20).toFixed(3)} by zone "api", ${ctx(g)}`,
    ),
    one('nginx-signal', 0.3, (g) => err(g, 'notice') + `signal process started`),
    one(
      'nginx-reopen',
      0.2,
      (g) => err(g, 'notice') + `signal ${g.int(10, 17)} (SIGUSR1) received from ${g.int(100, 9999)}, reopening logs`,
    ),
    one(
      'nginx-ssl-handshake',
      0.5,
      (g) =>
        err(g, 'crit') +
        `*${g.int(1, 99999)} SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: ${g.publicIp()}, server: 0.0.0.0:443`,
    ),
  ],
};
