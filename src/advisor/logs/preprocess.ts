import { maskLine, maskToken, WILDCARD } from './mask.js';

/**
 * A raw log line → its level and its masked content tokens, the input of the
 * template miner. Steps, in order:
 *
 * 1. Text hygiene: at most MAX_LINE_CHARS characters; control characters
 *    and lone surrogates become U+FFFD (binary garbage stays one line of
 *    odd tokens, never a crash).
 * 2. A JSON object line (structured logging) becomes `level msg key=value…`
 *    without its time fields, so it is mined like a logfmt line.
 * 3. The line pass and token pass of mask.ts.
 * 4. Runs of `<*>` become one `<*>`: a volatile value that sometimes takes
 *    two tokens ("12 ms", a date and a time) must not change the token count.
 * 5. The header: leading masked tokens and punctuation (timestamps, pids,
 *    `- -`) are dropped; a level word among the first tokens (`INFO`,
 *    `[error]`, `level=warn`, `<E>`) is taken out and canonicalised, and the
 *    bracketed or masked tokens before it (`[main]`, `[pool-<*>-thread-<*>]`)
 *    go with it. The level is kept apart from the content: the miner files
 *    lines by level and never merges an ERROR into an INFO.
 * 6. At most MAX_TOKENS content tokens; the rest becomes one trailing `<*>`.
 */

export const MAX_LINE_CHARS = 10_000;
export const MAX_TOKENS = 128;

export interface PreparedLine {
  /** Canonical level (INFO, WARN, ERROR, …) or '' when the line has none. */
  level: string;
  tokens: string[];
  /**
   * Whether the line starts a record: it had a header (a timestamp, a number
   * or a level). A line without one (`\tat …`, `Caused by: …`, `goroutine 7
   * [running]:`) continues the record above it, as a stack trace does.
   */
  headed: boolean;
}

const LEVELS: Record<string, string> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  dbg: 'DEBUG',
  info: 'INFO',
  inf: 'INFO',
  notice: 'NOTICE',
  log: 'LOG',
  warn: 'WARN',
  warning: 'WARN',
  wrn: 'WARN',
  error: 'ERROR',
  err: 'ERROR',
  eror: 'ERROR',
  severe: 'ERROR',
  crit: 'FATAL',
  critical: 'FATAL',
  fatal: 'FATAL',
  panic: 'FATAL',
  emerg: 'FATAL',
  alert: 'FATAL',
};

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]|\p{Cs}/gu;
// Without the u flag a surrogate pair is two code units: this finds lines that MAY need cleaning, cheaply.
const MAYBE_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\ud800-\udfff]/;

/** The line as text that can be stored and shown: control characters (not tab) and lone surrogates replaced by U+FFFD. */
export function cleanLine(line: string): string {
  const cut = line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line;
  return MAYBE_CONTROL.test(cut) ? cut.replace(CONTROL, '\ufffd') : cut;
}

const TIME_KEYS = new Set(['ts', 'time', 'timestamp', '@timestamp', '@t', 'date', 'datetime', 't']);
const LEVEL_KEYS = ['level', 'lvl', 'severity', '@l', 'log.level', 'loglevel'];
const MESSAGE_KEYS = ['msg', 'message', '@m', '@mt', 'event', 'log'];

/** `{"level":"info","msg":"…","k":v}` → `info msg k=v …`; null when the line is not a JSON object. */
function fromJson(line: string): string | null {
  const t = line.trim();
  if (t.length < 2 || t[0] !== '{' || t[t.length - 1] !== '}') return null;
  let obj: unknown;
  try {
    obj = JSON.parse(t);
  } catch {
    return null;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return null;
  const rec = obj as Record<string, unknown>;
  const levelKey = LEVEL_KEYS.find((k) => typeof rec[k] === 'string');
  const msgKey = MESSAGE_KEYS.find((k) => typeof rec[k] === 'string');
  const parts: string[] = [];
  if (levelKey) parts.push(`level=${String(rec[levelKey]).replace(/\s+/g, '')}`);
  if (msgKey) parts.push(String(rec[msgKey]));
  for (const [k, v] of Object.entries(rec)) {
    if (k === levelKey || k === msgKey || TIME_KEYS.has(k)) continue;
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    const key = k.replace(/\s+/g, '_');
    // A one-word value stays key=value (mask.ts keeps status codes and outcome words, masks the rest); a longer one is
    // quoted, so the line pass masks it whole, or unquotes it after a message key (err, reason) to keep its words.
    if (typeof v !== 'object' && /^\S+$/.test(text) && !text.includes('"')) parts.push(`${key}=${text}`);
    else parts.push(`${key}="${text.replace(/["\\]/g, ' ')}"`);
  }
  return parts.join(' ');
}

function isPunctuation(token: string): boolean {
  return !/[A-Za-z0-9<]/.test(token);
}

/** A token that belongs to a line header rather than the message: masked, punctuation, bracketed (`[main]`, `(12)`), `time=<*>`. */
function isHeaderish(token: string): boolean {
  return token === WILDCARD || isPunctuation(token) || /^[[(<].*[\])>]:?$/.test(token) || /^[\w.@-]+=<\*>$/.test(token);
}

/** The canonical level a token spells, if it spells one: INFO, [INFO], INFO:, <info>, level=info, "E" of klog is handled by mask.ts. */
function levelOf(token: string, strict: boolean): string | undefined {
  const kv = /^(?:level|lvl|severity|loglevel)=(.+)$/i.exec(token);
  if (kv) return LEVELS[kv[1]!.replace(/[^A-Za-z]/g, '').toLowerCase()];
  const bracketed = /^[[(<]([A-Za-z]+)[\])>]:?$/.exec(token);
  if (bracketed) return LEVELS[bracketed[1]!.toLowerCase()];
  const bare = /^([A-Za-z]+):?$/.exec(token);
  if (!bare) return undefined;
  const word = bare[1]!;
  // A bare lowercase word ("error connecting …") counts only at the very start or right after a header.
  if (strict && word !== word.toUpperCase()) return undefined;
  return LEVELS[word.toLowerCase()];
}

/** Where the header ends: drops it and returns the level found in it, and whether there was a header at all. */
function stripHeader(tokens: string[]): { level: string; tokens: string[]; headed: boolean } {
  // A record starts with a masked value (timestamp, pid, client address) or a level; `... 48 more` does not.
  const masked = tokens[0] === WILDCARD;
  let start = 0;
  while (start < tokens.length && (tokens[start] === WILDCARD || isPunctuation(tokens[start]!))) start++;
  if (start === tokens.length) return { level: '', tokens: tokens.length ? [WILDCARD] : [], headed: masked };
  let rest = tokens.slice(start);
  for (let i = 0; i < Math.min(4, rest.length); i++) {
    const headerBefore = rest.slice(0, i).every(isHeaderish);
    const level = levelOf(rest[i]!, !headerBefore);
    if (level) {
      const before = rest.slice(0, i).filter((t) => !isHeaderish(t));
      rest = [...before, ...rest.slice(i + 1)];
      // What followed the level may itself be header (`INFO [main] 148 …`).
      let s = 0;
      while (s < rest.length - 1 && before.length === 0 && (rest[s] === WILDCARD || isPunctuation(rest[s]!))) s++;
      return { level, tokens: rest.slice(s), headed: true };
    }
  }
  return { level: '', tokens: rest, headed: masked };
}

/** A raw line → level and masked content tokens (see the steps above). */
export function prepareLine(raw: string): PreparedLine {
  const clean = cleanLine(raw);
  const text = maskLine(fromJson(clean) ?? clean);
  const rawTokens = text.split(/\s+/).filter((t) => t !== '');
  const tokens: string[] = [];
  for (let i = 0; i < rawTokens.length; i++) {
    const masked = maskToken(rawTokens[i]!, rawTokens[i - 1], rawTokens[i - 2]);
    if (masked === WILDCARD && tokens[tokens.length - 1] === WILDCARD) continue;
    tokens.push(masked);
  }
  const { level, tokens: content, headed } = stripHeader(tokens);
  if (content.length > MAX_TOKENS) {
    content.length = MAX_TOKENS - 1;
    content.push(WILDCARD);
  }
  return { level, tokens: content, headed };
}

/** The template text of a level and tokens: `ERROR connection to <*> refused`. */
export function templateText(level: string, tokens: readonly string[]): string {
  const body = tokens.join(' ');
  return level ? (body ? `${level} ${body}` : level) : body;
}
