/**
 * Values for the fuzzer: a valid value for a JSON schema (so requests get
 * past validation into the routes and the database), and odd values that
 * replace parts of it (wrong types, huge and malformed strings, odd instants,
 * deep nesting). Everything comes from the seeded Rng, never Math.random.
 */
import type { Rng } from '../../bench/rng.js';
import type { JsonSchema } from './spec.js';

/** Text sent exactly as written: a JSON token JSON.stringify cannot produce (1e400, deep nesting), or a raw URL piece (%ED%A0%80). */
export class Raw {
  constructor(readonly text: string) {}
}

/** Known good values the seed phase created, by kind. */
export interface Pools {
  services: string[];
  documents: string[];
  /** Documents seeded for DELETE to remove. */
  disposable: string[];
  releases: string[];
  chunks: string[];
  changes: string[];
  changeExternalIds: string[];
  /** Ids in the other tenant: any answer but 404 from there is a leak. */
  foreign: { documents: string[]; releases: string[] };
  words: string[];
}

export interface GenContext {
  rng: Rng;
  pools: Pools;
  /** Schemas for parts the document leaves open (e.g. the items of POST /v1/documents), by property path. */
  hints: Record<string, JsonSchema>;
}

const MIN_MS = Date.parse('2019-01-01T00:00:00Z');
const MAX_MS = Date.parse('2026-06-01T00:00:00Z');

export function uuid(rng: Rng): string {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

function instant(rng: Rng): string {
  const d = new Date(MIN_MS + Math.floor(rng.float() * (MAX_MS - MIN_MS)));
  return rng.chance(0.2) ? d.toISOString().replace('Z', '+02:00') : d.toISOString();
}

function sentence(ctx: GenContext, words: number): string {
  return Array.from({ length: words }, () => ctx.rng.pick(ctx.pools.words)).join(' ');
}

/** A string for a field, by its name where the name says what it holds. */
function stringFor(name: string, schema: JsonSchema, ctx: GenContext): string {
  const { rng, pools } = ctx;
  if (schema.format === 'uuid') return uuid(rng);
  if (schema.format === 'date-time') return instant(rng);
  if (schema.format === 'date') return instant(rng).slice(0, 10);
  let s: string;
  if (name === 'service') s = rng.pick(pools.services);
  else if (name === 'version') s = `${rng.int(0, 9)}.${rng.int(0, 40)}.${rng.int(0, 99)}${rng.chance(0.2) ? `-rc.${rng.int(1, 5)}` : ''}`;
  else if (name === 'id') s = rng.chance(0.1) && pools.changeExternalIds.length ? rng.pick(pools.changeExternalIds) : rng.hex(12);
  else if (name === 'body' || name === 'diff') s = sentence(ctx, rng.int(5, 200));
  else if (name === 'q' || name === 'title') s = sentence(ctx, rng.int(1, 6));
  else if (name === 'path') s = `src/${rng.pick(pools.words)}/${rng.pick(pools.words)}.ts`;
  else if (name === 'incidentIds[]') s = `INC-${rng.int(1, 400)}`;
  else s = rng.chance(0.5) ? rng.pick(pools.words) : sentence(ctx, rng.int(1, 3));
  if (schema.pattern && !new RegExp(schema.pattern).test(s)) s = rng.pick(pools.services);
  const max = schema.maxLength ?? 10_000;
  s = s.slice(0, max);
  return s.length >= (schema.minLength ?? 0) ? s : s.padEnd(schema.minLength ?? 0, 'x');
}

/** A value the schema accepts (as far as a JSON schema can say). */
export function validValue(schema: JsonSchema, name: string, ctx: GenContext, depth = 0): unknown {
  const { rng } = ctx;
  const hint = ctx.hints[name];
  if (hint) return validValue(hint, `${name}.`, { ...ctx, hints: {} }, depth + 1);
  if (schema.enum) return rng.pick(schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.length) return validValue(rng.pick(branches), name, ctx, depth + 1);
  const type = Array.isArray(schema.type) ? rng.pick(schema.type) : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(key) || rng.chance(0.6)) out[key] = validValue(sub, key, ctx, depth + 1);
      }
      return out;
    }
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? 4, Math.max(min, depth > 2 ? 2 : 4));
      return Array.from({ length: rng.int(min, max) }, () => validValue(schema.items ?? {}, `${name}[]`, ctx, depth + 1));
    }
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? 0;
      const max = Math.min(schema.maximum ?? 1000, min + 200);
      return rng.int(min, max);
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'string':
      return stringFor(name, schema, ctx);
    default:
      return rng.pick(ctx.pools.words);
  }
}

const ODD_INSTANTS = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00+23:59',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59-23:59',
  '9999-12-31T23:59:59.999Z',
  '1899-12-31T23:59:59Z',
  '1900-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2026-02-29T00:00:00Z',
  '2024-02-29T12:00:00+14:00',
  '2026-03-01',
  '0000-01-01',
  '2026-13-01',
  '2026-03-01T24:00:00Z',
  '2026-03-01T23:59:60Z',
  '2026-03-01T00:00:00',
  '2026-03-01T00:00:00.123456789Z',
  '2026-03-01T00:00:00.1234567+05:45',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '2026-03-01T00:00:00+24:00',
  '2026-03-01T00:00:00\u221205:00',
  '20260301T000000Z',
  'infinity',
  '-infinity',
  'epoch',
  'now',
];

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\udc00\ud800',
  '\ud83d',
  '😀\u200d🔥',
  '\u202eevil',
  '\ufeffbom',
  'e\u0301\u0301\u0301',
  '\u001b[31mred\u001b[0m',
  '\r\n\r\n',
  '\uffff\ufffe',
  '\udbff\udfff',
  "'; drop table documents; --",
  '../../etc/passwd',
  '%00%ff',
  '$' + '{jndi:ldap://127.0.0.1/a}', // a log4j-style lookup
  '<script>alert(1)</script>',
  'null',
  'NaN',
  '-0',
  '1e400',
  'release:00000000-0000-0000-0000-000000000000',
];

const ODD_NUMBERS: unknown[] = [
  -1,
  0,
  1.5,
  -0.0001,
  2 ** 53 + 2,
  1e308,
  -1e308,
  new Raw('1e400'),
  new Raw('-0'),
  new Raw('1E-400'),
  '12',
  '1e2',
];

const WRONG_TYPES: unknown[] = [null, true, false, 0, 42, '', 'x', [], {}, [null], { a: 1 }, [[[]]]];
/**
 * A wrong-typed value, copied: a later mutation of the same body may add to it, and adding to the shared constant
 * could make it contain itself (a body no JSON can write, and a fuzzer that overflows its stack).
 */
const wrongType = (rng: Rng): unknown => structuredClone(rng.pick(WRONG_TYPES));

function hugeString(rng: Rng): string {
  const n = rng.weighted<number>([
    [5_000, 6],
    [70_000, 3],
    [600_000, 1],
    [2_100_000, 0.3],
  ]);
  const unit = rng.pick(['a', 'é', '😀', 'x\u0000', ' ', 'ab\ud800']);
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}

function deep(rng: Rng): Raw {
  const n = rng.pick([64, 1000, 20_000, 200_000]);
  return rng.chance(0.5) ? new Raw('['.repeat(n) + ']'.repeat(n)) : new Raw('{"a":'.repeat(n) + '1' + '}'.repeat(n));
}

/** A value that replaces a valid one, chosen by what the schema expects so that near misses (odd instants for instants) come often. */
export function oddValue(schema: JsonSchema | undefined, rng: Rng): { value: unknown; what: string } {
  const isInstant = Boolean(schema?.anyOf?.some((s) => s.format === 'date-time') || schema?.format === 'date-time');
  const isNumber = schema?.type === 'integer' || schema?.type === 'number';
  const kind = rng.weighted<string>([
    ['instant', isInstant ? 6 : 0.5],
    ['number', isNumber ? 4 : 0.5],
    ['string', 4],
    ['huge', 0.6],
    ['wrong-type', 2],
    ['deep', 0.3],
    ['big-array', 0.3],
    ['proto', 0.4],
  ]);
  switch (kind) {
    case 'instant':
      return { value: rng.pick(ODD_INSTANTS), what: 'odd instant' };
    case 'number':
      return { value: rng.pick(ODD_NUMBERS), what: 'odd number' };
    case 'string': {
      const s = rng.pick(ODD_STRINGS);
      return { value: rng.chance(0.5) ? `prefix ${s} suffix` : s, what: 'odd string' };
    }
    case 'huge':
      return { value: hugeString(rng), what: 'huge string' };
    case 'deep':
      return { value: deep(rng), what: 'deep nesting' };
    case 'big-array':
      return {
        value: Array.from({ length: rng.pick([1001, 2001, 10_001]) }, (_, i) => (rng.chance(0.5) ? i : `x${i}`)),
        what: 'big array',
      };
    case 'proto':
      return {
        value: new Raw(rng.pick(['{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"toString":1,"valueOf":2}'])),
        what: 'prototype keys',
      };
    default:
      return { value: wrongType(rng), what: 'wrong type' };
  }
}

/** Characters a near-miss mutation inserts into an otherwise valid string. */
const INJECTED = ['\u0000', '\ud800', '\udfff', '\u001b', '\u202e', '\ufeff', '\uffff', '\u0085', '\u2028', '\r'];

type Slot = { parent: Record<string, unknown> | unknown[] | undefined; key: string | number; path: string; schema: JsonSchema | undefined };

/** Every place in a value that a mutation may hit, with the schema that describes it. */
function slots(
  value: unknown,
  schema: JsonSchema | undefined,
  hints: Record<string, JsonSchema>,
  name: string,
  at: string,
  out: Slot[],
  depth = 0,
) {
  if (depth > 8 || value === null || typeof value !== 'object' || value instanceof Raw) return;
  const s = hints[name] ?? schema;
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      const path = at ? `${at}.${i}` : String(i);
      out.push({ parent: value, key: i, path, schema: s?.items });
      slots(v, s?.items, hints, `${name}[]`, path, out, depth + 1);
    });
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const sub = s?.properties?.[k] ?? (s?.anyOf?.find((b) => b.properties?.[k])?.properties?.[k] as JsonSchema | undefined);
    const path = at ? `${at}.${k}` : k;
    out.push({ parent: value as Record<string, unknown>, key: k, path, schema: sub });
    slots(v, sub, hints, k, path, out, depth + 1);
  }
}

/** Applies one mutation to a (valid) body in place; returns the body (which may be replaced whole) and what was done. */
export function mutateBody(body: unknown, schema: JsonSchema, ctx: GenContext): { body: unknown; what: string } {
  const { rng } = ctx;
  const all: Slot[] = [];
  slots(body, schema, ctx.hints, '', '', all);
  if (all.length === 0 || rng.chance(0.08)) {
    const odd = oddValue(schema, rng);
    return { body: odd.value, what: `body → ${odd.what}` };
  }
  const slot = rng.pick(all);
  const current = (slot.parent as Record<string | number, unknown>)[slot.key];
  if (typeof current === 'string' && rng.chance(0.45)) {
    // A near miss: the field stays what it was, with one character no text field should carry.
    const at = rng.int(0, current.length);
    const char = rng.pick(INJECTED);
    (slot.parent as Record<string | number, unknown>)[slot.key] = current.slice(0, at) + char + current.slice(at);
    return { body, what: `${slot.path}: ${JSON.stringify(char)} inserted` };
  }
  const action = rng.weighted<string>([
    ['replace', 8],
    ['drop', 1.5],
    ['extra', 1],
    ['repeat', 0.5],
  ]);
  const path = slot.path;
  if (action === 'drop' && !Array.isArray(slot.parent)) {
    delete (slot.parent as Record<string, unknown>)[path];
    return { body, what: `drop ${path}` };
  }
  if (action === 'extra' && !Array.isArray(slot.parent) && slot.parent) {
    (slot.parent as Record<string, unknown>)[rng.pick(['unknown', 'tenantId', 'id', '__proto__', 'status'])] = wrongType(rng);
    return { body, what: 'extra key' };
  }
  if (action === 'repeat' && Array.isArray(slot.parent)) {
    slot.parent.push(slot.parent[slot.key as number]);
    return { body, what: 'repeated item' };
  }
  const odd = oddValue(slot.schema, rng);
  (slot.parent as Record<string | number, unknown>)[slot.key] = odd.value;
  return { body, what: `${path} → ${odd.what}` };
}

/** JSON text with Raw tokens written as they are (JSON.stringify escapes lone surrogates and NUL as \\u escapes, as a client would). */
export function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const parts = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Odd query-string values, written raw (already percent-encoded or deliberately not). */
export const ODD_QUERY = [
  '',
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%F0%9F%98',
  '%zz',
  '%',
  '-1',
  '0',
  '1e2',
  '0x10',
  '%201',
  '99999999999999999999999',
  'NaN',
  'true',
  'TRUE',
  '2026-03-01',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00%2B23:59',
  '9999-12-31T23:59:59-23:59',
  'x'.repeat(3000),
  '%E2%80%AE',
  'release:x',
];

/** Odd path parameters (raw). */
export const ODD_IDS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-AFFF-FFFFFFFFFFFF',
  '%00',
  '%ED%A0%80',
  '%zz',
  '..%2F..%2Fetc',
  'a'.repeat(5000),
  'release:not-a-uuid',
  'release:00000000-0000-0000-0000-000000000000',
  'change:%00',
  'incident:00000000-0000-4000-a000-000000000000',
  '%20',
  '1',
  '-1',
  'null',
];
