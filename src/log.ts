import { redact } from './ingest/redact/index.js';

export type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type Log = (msg: string, fields?: Record<string, unknown>) => void;
export interface Logger {
  debug: Log;
  info: Log;
  warn: Log;
  error: Log;
}

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** A log line names a failure; it never carries the data that failed (a document body can be megabytes, and private). */
const MAX_TEXT = 1000;
/** drizzle's "Failed query: <sql>\nparams: <values>": the values are request data (bodies, titles), never logged. */
const QUERY_PARAMS = /\nparams: [\s\S]*$/;

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length - MAX_TEXT} more characters)` : text;
}

/** A string safe to log: secrets redacted, query parameters withheld, length bounded. */
export function safeText(text: string): string {
  return clip(redact(text.replace(QUERY_PARAMS, '\nparams: (withheld)')).text);
}

/** A SQLSTATE: the database's own error (PostgreSQL or PGlite), whose message may quote the value it refused. */
const SQLSTATE = /^[0-9A-Z]{5}$/;
/** Quoted text in a database message that is not an identifier (relation "documents" stays) is a value. */
const QUOTED_VALUE = /"(?![A-Za-z_][A-Za-z0-9_$.]{0,62}")[^"]*"/g;

/**
 * An error in one line for a log: its name and message, the SQL of a failed
 * query without its parameters, and each cause the same way. A database
 * error keeps its SQLSTATE and wording but not the values it quotes
 * (`invalid input syntax for type uuid: "…"`): those are request data too.
 */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    if (!(e instanceof Error)) {
      parts.push(String(e));
      break;
    }
    const query = (e as { query?: unknown }).query;
    const code = (e as { code?: unknown }).code;
    const sqlstate = typeof code === 'string' && SQLSTATE.test(code);
    let text = e.message.replace(QUERY_PARAMS, '');
    // drizzle's wrapper (its message would list the parameters); the driver's error below it says what failed.
    if (!sqlstate && typeof query === 'string' && 'params' in e) text = `failed query: ${query}`;
    if (sqlstate) text = text.replace(QUOTED_VALUE, '"(value withheld)"');
    // drizzle's error class leaves `name` as "Error": its class name says more (unless minified, as PGlite's is).
    const name = e.name === 'Error' && e.constructor.name.length > 3 ? e.constructor.name : e.name;
    parts.push(`${name}${typeof code === 'string' ? ` [${code}]` : ''}: ${text}`);
    e = e.cause;
  }
  return safeText(parts.join(' (cause: ') + ')'.repeat(parts.length - 1));
}

function scrub(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return safeText(v);
  if (v instanceof Error) return describeError(v);
  if (v === null || typeof v !== 'object') return v;
  if (depth >= 3) return safeText(JSON.stringify(v) ?? String(v));
  if (Array.isArray(v)) return v.map((x) => scrub(x, depth + 1));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x, depth + 1)]));
}

/**
 * JSON lines on stderr (stdout stays free for command output). Every string
 * is scrubbed on the way out: a secret or a query's parameters that slipped
 * into an error message still never reach a log.
 */
export function createLogger(level: Level, write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const at = (lvl: Exclude<Level, 'silent'>): Log => {
    if (ORDER[lvl] < ORDER[level]) return () => {};
    return (msg, fields = {}) => {
      const entry: Record<string, unknown> = { t: new Date().toISOString(), level: lvl, msg: scrub(msg) };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) entry[k] = scrub(v);
      write(JSON.stringify(entry));
    };
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
