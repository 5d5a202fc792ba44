/**
 * One fuzzed request, built from an operation of the OpenAPI document and
 * the Rng of its index alone: request i is the same whatever ran before it
 * (only the ids the seed phase created differ between runs).
 */
import { Rng } from '../../bench/rng.js';
import type { Operation } from './spec.js';
import { type GenContext, mutateBody, ODD_IDS, ODD_QUERY, oddValue, type Pools, Raw, toJson, uuid, validValue } from './values.js';

/** The tokens a run uses: tenant A's (all the seed data), and tenant B's admin for cross-tenant probes. */
export interface Credentials {
  admin: string;
  reader: string;
  ingester: string;
  revoked: string;
  foreign: string;
}

export interface FuzzRequest {
  index: number;
  /** The operation as the document names it, e.g. "GET /v1/releases/{id}". */
  route: string;
  method: string;
  /** Path and query, as sent (percent-encoding included). */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Which token was sent (never the token itself, so reports can be shared). */
  token: string;
  /** What was done to the request, for the report. */
  mutations: string[];
  /** Set when the request names another tenant's record: anything but a 4xx is a leak. */
  crossTenant?: boolean;
}

const CONTENT_TYPES = [
  'application/json;;;',
  'application/json; charset=utf-8',
  'application/json;charset="UTF-8"',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/json ',
  'application/json; charset',
  'application/vnd.api+json',
  'application/jsonx',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '*/*',
  'application/json, text/plain',
  'application/json;' + ' ;'.repeat(2000),
  'application',
];

const BAD_AUTH: [string, (c: Credentials) => string | undefined][] = [
  ['none', () => undefined],
  ['garbage', () => 'Bearer sc_notarealtoken'],
  ['empty bearer', () => 'Bearer '],
  ['basic', () => 'Basic dXNlcjpwYXNz'],
  ['lower-case bearer', (c) => `bearer ${c.admin}`],
  ['long', () => `Bearer sc_${'x'.repeat(8000)}`],
  ['two tokens', (c) => `Bearer ${c.admin} ${c.reader}`],
];

/** Percent-encodes like encodeURIComponent, but writes a lone surrogate as the bytes a broken client sends (WTF-8). */
export function encodeLoose(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
    if (pair) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(s[i]!);
    }
  }
  return out;
}

const asText = (v: unknown): string => (v instanceof Raw ? v.text : typeof v === 'string' ? encodeLoose(v) : encodeLoose(toJson(v)));

/** A known id for a path parameter of this route, or (when `foreign`) another tenant's. */
function knownId(route: string, method: string, pools: Pools, rng: Rng, foreign: boolean): string | undefined {
  const area = route.split('/')[2];
  if (area === 'documents') {
    if (foreign) return rng.pick(pools.foreign.documents);
    // Deletes take documents seeded for that, so the rest stay for the other routes.
    return method === 'DELETE' ? rng.pick(pools.disposable) : rng.pick(pools.documents);
  }
  if (area === 'releases') return rng.pick(foreign ? pools.foreign.releases : pools.releases);
  if (area === 'evidence') {
    if (foreign) return `release:${rng.pick(pools.foreign.releases)}`;
    return rng.weighted<string>([
      [rng.pick(pools.chunks), 3],
      [`release:${rng.pick(pools.releases)}`, 2],
      [`change:${rng.pick(pools.changes)}`, 2],
    ]);
  }
  return undefined;
}

function malformedBody(json: string, rng: Rng): { body: Buffer; what: string } {
  const cut = rng.int(0, Math.max(0, json.length - 1));
  const choice = rng.int(0, 11);
  switch (choice) {
    case 0:
      return { body: Buffer.from(json.slice(0, cut)), what: 'truncated JSON' };
    case 1:
      return { body: Buffer.from(json.replace(/}$/, ',}')), what: 'trailing comma' };
    case 2:
      return { body: Buffer.from(`\ufeff${json}`), what: 'byte-order mark' };
    case 3:
      return { body: Buffer.from(rng.pick(['', 'NaN', 'null', '[]', '"x"', '1', 'true', '{}', '{', '}'])), what: 'not an object' };
    case 4:
      return { body: Buffer.from(json + json), what: 'two documents' };
    case 5:
      return {
        body: Buffer.concat([
          Buffer.from(json.slice(0, cut)),
          Buffer.from([0xff, 0xfe, 0xc0, 0xed, 0xa0, 0x80]),
          Buffer.from(json.slice(cut)),
        ]),
        what: 'invalid UTF-8 bytes',
      };
    case 6:
      return { body: Buffer.from(json, 'utf16le'), what: 'UTF-16 body' };
    case 7:
      return { body: Buffer.from(json.replaceAll('"', "'")), what: 'single quotes' };
    case 8:
      return { body: Buffer.from(' '.repeat(rng.pick([1000, 300_000])) + json), what: 'leading whitespace' };
    case 9:
      return { body: Buffer.from('['.repeat(100_000) + ']'.repeat(100_000)), what: 'deep nesting at the root' };
    case 10:
      return { body: Buffer.from(json.replace(/"([a-zA-Z]+)":/, '"$1":null,"$1":')), what: 'duplicate key' };
    default:
      return { body: Buffer.from(json.replace(/\d+/, '1e999')), what: 'number overflow' };
  }
}

export function buildRequest(
  index: number,
  seed: number,
  ops: readonly Operation[],
  pools: Pools,
  creds: Credentials,
  hints: GenContext['hints'],
): FuzzRequest {
  const rng = new Rng(seed, `request:${index}`);
  const ctx: GenContext = { rng, pools, hints };
  // Routes that take a body are where input reaches the database: they get twice the share.
  const op = rng.weighted(ops.map((o) => [o, o.body ? 2 : 1] as const));
  const mutations: string[] = [];
  let method = op.method;
  let crossTenant = false;

  // Token: the admin of tenant A, mostly; sometimes another kind, or another tenant's.
  const headers: Record<string, string> = {};
  let token = 'admin';
  let auth: string | undefined = `Bearer ${creds.admin}`;
  if (rng.chance(0.15)) {
    const [label, make] = rng.weighted<[string, (c: Credentials) => string | undefined]>([
      [['reader', (c) => `Bearer ${c.reader}`], 2],
      [['ingester', (c) => `Bearer ${c.ingester}`], 2],
      [['revoked', (c) => `Bearer ${c.revoked}`], 1],
      [['foreign', (c) => `Bearer ${c.foreign}`], 2],
      [rng.pick(BAD_AUTH), 2],
    ]);
    token = label;
    auth = make(creds);
  }
  if (auth !== undefined) headers.authorization = auth;

  // Path parameters.
  let path = op.path;
  for (const p of op.pathParams) {
    let value: string;
    const r = rng.float();
    if (r < 0.7) {
      const known = knownId(op.path, method, pools, rng, false);
      value = encodeURIComponent(known ?? uuid(rng));
      // Tenant A's record asked for with tenant B's token.
      if (known && token === 'foreign') crossTenant = true;
    } else if (r < 0.78) {
      const known = knownId(op.path, method, pools, rng, true);
      value = encodeURIComponent(known ?? uuid(rng));
      if (known && token !== 'foreign') crossTenant = true;
      mutations.push(`${p.name}: the other tenant's`);
    } else if (r < 0.85) {
      value = uuid(rng);
      mutations.push(`${p.name}: unknown uuid`);
    } else {
      value = rng.pick(ODD_IDS);
      mutations.push(`${p.name}: odd (${value.slice(0, 40)})`);
    }
    path = path.replace(`{${p.name}}`, value);
  }

  // Query parameters.
  const query: string[] = [];
  for (const p of op.query) {
    if (!p.required && !rng.chance(0.5)) continue;
    let value: string;
    if (rng.chance(0.25)) {
      value = rng.chance(0.5) ? rng.pick(ODD_QUERY) : asText(oddValue(p.schema, rng).value);
      mutations.push(`?${p.name}: odd (${value.slice(0, 40)})`);
    } else {
      value = encodeLoose(String(validValue(p.schema, p.name, ctx)));
    }
    query.push(`${p.name}=${value}`);
    if (rng.chance(0.03)) {
      query.push(`${p.name}=${encodeLoose(String(validValue(p.schema, p.name, ctx)))}`);
      mutations.push(`?${p.name} twice`);
    }
  }
  if (rng.chance(0.04)) {
    query.push(`${rng.pick(['unknown', 'tenant', '__proto__', 'limit[]', ''])}=${rng.pick(ODD_QUERY)}`);
    mutations.push('unknown query parameter');
  }

  // Body.
  let body: Buffer | undefined;
  if (op.body) {
    let value = validValue(op.body.schema, '', ctx);
    if (rng.chance(0.65)) {
      const n = rng.int(1, 3);
      for (let i = 0; i < n; i++) {
        const m = mutateBody(value, op.body.schema, ctx);
        value = m.body;
        mutations.push(m.what);
      }
    }
    const json = toJson(value);
    if (rng.chance(0.06)) {
      const m = malformedBody(json, rng);
      body = m.body;
      mutations.push(m.what);
    } else {
      body = Buffer.from(json, 'utf8');
    }
    headers['content-type'] = 'application/json';
    if (rng.chance(0.08)) {
      headers['content-type'] = rng.pick(CONTENT_TYPES);
      mutations.push(`content-type: ${headers['content-type'].slice(0, 40)}`);
    } else if (rng.chance(0.02)) {
      delete headers['content-type'];
      mutations.push('no content-type');
    }
  } else if (method === 'POST' && rng.chance(0.05)) {
    body = Buffer.from(rng.pick(['{}', '{"x":1}', 'not json', '']));
    headers['content-type'] = rng.pick(['application/json', 'text/plain', 'application/json;;;']);
    mutations.push('body on a route without one');
  }

  // The request line itself.
  if (rng.chance(0.03)) {
    const other = rng.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'].filter((m) => m !== method));
    mutations.push(`method ${method} → ${other}`);
    method = other;
  }
  if (rng.chance(0.03)) {
    const variant = rng.int(0, 4);
    path = [`${path}/`, path.replace('/v1/', '/v1//'), path.toUpperCase(), `${path}/extra`, path.replace('/v1/', '/v1/%2e%2e/v1/')][
      variant
    ]!;
    mutations.push('odd path');
  }
  if (rng.chance(0.02)) {
    headers['x-request-id'] = rng.pick(['a'.repeat(300), 'ü', '../../x', 'id with spaces', '']);
    mutations.push('odd x-request-id');
  }

  return {
    index,
    route: `${op.method} ${op.path}`,
    method,
    url: query.length ? `${path}?${query.join('&')}` : path,
    headers,
    ...(body !== undefined ? { body } : {}),
    token,
    mutations,
    ...(crossTenant ? { crossTenant } : {}),
  };
}
