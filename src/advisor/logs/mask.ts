/**
 * Masking of volatile values in log lines, so that two lines printed by the
 * same statement look the same before the template miner sees them.
 *
 * Two passes. The line pass masks values that may contain spaces
 * (timestamps, quoted strings), because the line is split on whitespace
 * afterwards and a value must not change the number of tokens. The token
 * pass masks values inside one token (numbers, ids, addresses), keeping the
 * constant parts around them: `blk_-1608999687919862906` → `blk_<*>`,
 * `/api/users/42/orders` → `/api/users/<*>/orders`, `user=alice` → `user=<*>`.
 *
 * What is deliberately NOT masked, because it carries the signal a rollout
 * reader looks for: HTTP status codes in a status position (`"GET /pay
 * HTTP/1.1" 500`, `status=503`), outcome words in key=value pairs
 * (`result=failed`), and digits inside words (`node01`, `sha256`, `v2`:
 * the miner still treats such tokens as variable when lines differ there).
 */

export const WILDCARD = '<*>';

// ---- Line pass -------------------------------------------------------------------------------------------------------

const ZONE = '(?:Z|[+-]\\d{2}:?\\d{2}|\\s?(?:UTC|GMT|CET|CEST|EET|EEST|EST|EDT|CST|CDT|MST|MDT|PST|PDT))';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIMESTAMPS: RegExp[] = [
  // ISO 8601 / RFC 3339 and its relatives: 2024-06-12T10:11:12.123Z, 2024-06-12 10:11:12,123 (log4j, Python), … UTC (Postgres)
  new RegExp(`\\b\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?${ZONE}?`, 'g'),
  // Go's log package: 2024/06/12 10:11:12.123456
  /\b\d{4}\/\d{2}\/\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?/g,
  // Common log format (nginx, Apache access): 12/Jun/2024:10:11:12 +0000
  new RegExp(`\\b\\d{2}\\/${MONTH}\\/\\d{4}:\\d{2}:\\d{2}:\\d{2}(?: [+-]\\d{4})?`, 'g'),
  // syslog and ctime: [Wed] Jun 12 10:11:12[.123] [2024]
  new RegExp(`\\b(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) )?${MONTH} +\\d{1,2} \\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?: \\d{4})?\\b`, 'g'),
];

const TIMESTAMP = new RegExp(TIMESTAMPS.map((re) => re.source).join('|'), 'g');
const HH_MM = /\d:\d\d/;

/** klog / glog header letter and date (`I0612 10:11:12.123456 …`): the letter is the level. */
const KLOG = /^([IWEF])\d{4} (?=\d{2}:\d{2}:\d{2})/;
const KLOG_LEVEL: Record<string, string> = { I: 'INFO', W: 'WARN', E: 'ERROR', F: 'FATAL' };

const DOUBLE_QUOTED = /"((?:[^"\\\n]|\\.)*)"/g;
// Not an apostrophe inside a word ("can't", "users' data").
const SINGLE_QUOTED = /(?<![\w])'([^'\n]*)'(?![\w])/g;
/** A quoted value after one of these keys is the message itself: its words are kept, its volatile parts masked token by token. */
const MESSAGE_KEY = /(?:^|[\s,{(])"?(?:msg|message|err|error|reason|event|description|detail|exception)"?\s*[=:]\s*$/i;
/** An HTTP request line in quotes (access logs): the method and route are the event. */
const REQUEST_LINE = /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE) \S/;

/** klog's structured lines put the message first, quoted, right after the caller: `server.go:88] "Probe failed" pod="…"`. */
const AFTER_CALLER = /\.\w+:\d+\]\s*$/;

function maskQuoted(line: string, re: RegExp): string {
  return line.replace(re, (whole: string, inner: string, offset: number, all: string) => {
    if (REQUEST_LINE.test(inner)) return inner;
    const before = all.slice(Math.max(0, offset - 24), offset);
    if (MESSAGE_KEY.test(before) || AFTER_CALLER.test(before)) return inner;
    return whole.length > 2 ? WILDCARD : whole;
  });
}

/** Common/combined log format header (`client ident user [time] "request"`): client, ident and user are parameters. */
const CLF_HEAD = /^\S+ \S+ \S+ \[[^\]]{10,40}\] (?=")/;

/** The line pass: klog and access-log headers, timestamps, quoted values. */
export function maskLine(line: string): string {
  let t = line.replace(KLOG, (_m, letter: string) => `${KLOG_LEVEL[letter]} `);
  if (t.includes('] "')) t = t.replace(CLF_HEAD, `${WILDCARD} `);
  if (HH_MM.test(t)) t = t.replace(TIMESTAMP, WILDCARD);
  if (t.includes('"')) t = maskQuoted(t, DOUBLE_QUOTED);
  if (t.includes("'")) t = maskQuoted(t, SINGLE_QUOTED);
  return t;
}

// ---- Token pass ------------------------------------------------------------------------------------------------------

/**
 * Words that say how something ended. Key=value values that are one of these
 * are kept, and the miner never generalises a position where one of them
 * differs: "payment ok" and "payment failed" must stay two templates.
 */
export const OUTCOME_WORDS = new Set([
  'ok',
  'success',
  'succeeded',
  'successful',
  'successfully',
  'error',
  'errors',
  'err',
  'fail',
  'failed',
  'failure',
  'failing',
  'fatal',
  'panic',
  'exception',
  'timeout',
  'timedout',
  'refused',
  'denied',
  'rejected',
  'unauthorized',
  'forbidden',
  'invalid',
  'unavailable',
  'unreachable',
  'unhealthy',
  'abort',
  'aborted',
  'crash',
  'crashed',
  'killed',
  'oomkilled',
  'evicted',
  'crashloopbackoff',
  'deadlock',
  'corrupt',
  'corrupted',
  'lost',
  'dropped',
]);

/** A token with its surrounding punctuation removed and lowercased, as OUTCOME_WORDS spells words. */
export function bareWord(token: string): string {
  return token.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '').toLowerCase();
}

const STATUS_CODE = /^[1-5]\d\d$/;
const STATUS_KEY = /^(?:status|code|status_?code|http_?status|response_?code|resp_?status)$/i;
const PROTOCOL = /^HTTP\/[\d.]+$/;
const METHOD = /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE)$/;
/** Keys whose value is not volatile: the level (read by the header step), the HTTP method. */
const KEEP_VALUE_KEY = /^(?:level|lvl|severity|loglevel|method)$/i;
const MESSAGE_VALUE_KEY = /^(?:msg|message|err|error|reason|event|description|detail|exception)$/i;
const KEY_VALUE = /^([A-Za-z_@][\w.@-]*)=(.*)$/;

// Order matters: whole values (UUIDs, addresses, pod names) go before the
// generic number rule would shred them into `<*>-<*>-<*>`.
const UUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;
const EMAIL = /[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const MAC = /(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(?![0-9A-Fa-f])/g;
const IPV4 = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\d.])/g;
const IPV6 = /(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}(?![\w:])/g;
const HEX_LITERAL = /\b0x[0-9a-fA-F]+\b/g;
// Kubernetes pod names: <deployment>-<replicaset hash>-<5 chars>, or <daemonset>-<5 chars>,
// from the alphabet Kubernetes uses for generated names (no vowels, no 0/1/3).
const K8S = 'bcdfghjklmnpqrstvwxz2456789';
const POD_SUFFIX = new RegExp(`-[${K8S}]{6,10}-[${K8S}]{5}(?![A-Za-z0-9])|-(?=[${K8S}]{0,4}\\d)[${K8S}]{5}(?![A-Za-z0-9-])`, 'g');
// SHAs and hex ids: 7+ hex characters with at least one digit and one letter.
const HEX_ID = /(?<![A-Za-z0-9])(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{7,}(?![A-Za-z0-9])/g;
const ALNUM_RUN = /(?<![A-Za-z0-9])[A-Za-z0-9]{5,}(?![A-Za-z0-9])/g;
const DURATION_UNIT = '(?:ns|us|µs|ms|h|m|s|d)';
// Numbers with an optional unit: durations (Go's 1m30.5s too), sizes, percentages. Not digits inside a word.
const NUMBER = new RegExp(
  `(?:(?<=^|[_=:(\\[,#])-)?(?<![A-Za-z0-9])\\d+(?:[.,]\\d+)*(?:${DURATION_UNIT}(?:\\d+(?:\\.\\d+)?${DURATION_UNIT})*|kib|mib|gib|tib|kb|mb|gb|tb|b|k|x|%)?(?![A-Za-z0-9])`,
  'gi',
);
// Fast paths: most tokens are plain words or plain numbers.
const PLAIN_WORD = /^[A-Za-z_.,;!?()/]*$/;
const PLAIN_NUMBER = /^[([]?\d+(?:\.\d+)?[)\],;]?$/;
const WILDCARD_RUN = /<\*>(?:[-.:/_,#+]*<\*>)+/g;
const ONLY_WILDCARD = /^[^A-Za-z0-9]*<\*>[^A-Za-z0-9]*$/;

/** Random-looking ids without separators (`x7Kq2Lm9`, base62 request ids): letters and digits alternating three times or more. */
function isMixedId(run: string): boolean {
  let switches = 0;
  let digits = 0;
  let prevDigit = run.charCodeAt(0) <= 57;
  for (let i = 0; i < run.length; i++) {
    const d = run.charCodeAt(i) <= 57;
    if (d) digits++;
    if (d !== prevDigit) switches++;
    prevDigit = d;
  }
  return digits > 0 && digits < run.length && (switches >= 3 || (run.length >= 16 && digits >= 2));
}

/** Volatile values inside one token (no key=value handling). */
function maskValue(token: string): string {
  if (PLAIN_WORD.test(token)) return token;
  if (PLAIN_NUMBER.test(token)) return WILDCARD;
  let t = token;
  if (t.includes('-')) t = t.replace(UUID, WILDCARD);
  if (t.includes('@')) t = t.replace(EMAIL, WILDCARD);
  if (!/\d/.test(t)) {
    if (t.includes(':') || t.includes('-')) t = t.replace(MAC, WILDCARD);
    return t.includes('<*>') && ONLY_WILDCARD.test(t) ? WILDCARD : t;
  }
  if (t.includes(':') || t.includes('-')) t = t.replace(MAC, WILDCARD);
  if (t.includes('.')) t = t.replace(IPV4, WILDCARD);
  if (t.includes(':')) t = t.replace(IPV6, (m) => (/\d/.test(m) && m.length > 2 ? WILDCARD : m));
  if (t.includes('0x') || t.includes('0X')) t = t.replace(HEX_LITERAL, WILDCARD);
  if (t.includes('-')) t = t.replace(POD_SUFFIX, `-${WILDCARD}`);
  t = t.replace(HEX_ID, WILDCARD);
  t = t.replace(ALNUM_RUN, (run) => (isMixedId(run) ? WILDCARD : run));
  t = t.replace(NUMBER, WILDCARD);
  if (t.includes('<*>')) {
    t = t.replace(WILDCARD_RUN, WILDCARD);
    if (ONLY_WILDCARD.test(t)) t = WILDCARD;
  }
  return t;
}

/**
 * One whitespace-separated token with its volatile parts masked. `prev` and
 * `prev2` are the raw tokens before it: a 3-digit status after `HTTP/1.1`,
 * `status`, or a method and a path, is kept.
 */
export function maskToken(token: string, prev: string | undefined, prev2: string | undefined): string {
  if (STATUS_CODE.test(token)) {
    if (prev !== undefined && (PROTOCOL.test(prev) || STATUS_KEY.test(prev.replace(/[:=]$/, '')))) return token;
    if (prev2 !== undefined && METHOD.test(prev2)) return token;
  }
  const eq = token.indexOf('=');
  if (eq > 0) {
    const kv = KEY_VALUE.exec(token);
    if (kv) {
      const key = kv[1]!;
      const value = kv[2]!;
      if (value === '' || value === WILDCARD) return token;
      if (KEEP_VALUE_KEY.test(key) || OUTCOME_WORDS.has(bareWord(value))) return token;
      if (STATUS_KEY.test(key) && STATUS_CODE.test(value)) return token;
      if (MESSAGE_VALUE_KEY.test(key)) return `${key}=${maskValue(value)}`;
      return `${key}=${WILDCARD}`;
    }
  }
  return maskValue(token);
}
