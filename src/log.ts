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

/** Strings are redacted on the way out: a secret that slipped into an error message still never reaches a log. */
function scrub(v: unknown): unknown {
  if (typeof v === 'string') return redact(v).text;
  if (v instanceof Error) return redact(`${v.name}: ${v.message}`).text;
  return v;
}

/** JSON lines on stderr (stdout stays free for command output). */
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
