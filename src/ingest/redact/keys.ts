/**
 * Which key names hold secrets. A key is split into words (snake, kebab,
 * dotted and camelCase all work) and judged by its LAST word, because that is
 * the noun: `db_password` is a password, `password_reset` is a reset,
 * `token_count` is a count, `cache_key` is a key but not a credential.
 */

export type PairTier = 'password-pair' | 'token-pair';

/**
 * Human-chosen secrets: judged by "non-trivial", not by entropy, because
 * `hunter2hunter2` is a perfectly real password with ordinary entropy.
 * `secret` is here because app secrets (JWT_SECRET, client_secret) are often
 * typed by a person too.
 */
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode', 'secret']);
/** Glued compounds (`dbpassword`, `clientsecret`). `pass`/`pwd` excluded: bypass, compass, oldpwd. */
const PASSWORD_SUFFIX_RE = /(?:password|passwd|passphrase|secret)$/;

/** Machine-issued credentials: must also look random (see entropy.ts). */
const TOKEN_WORDS = new Set(['token', 'auth', 'credential', 'credentials', 'apikey', 'accesskey', 'secretkey', 'privatekey']);
const TOKEN_SUFFIX_RE = /(?:token|apikey|accesskey|secretkey|privatekey)$/;
/** `<qualifier>_key` is a credential; any other `_key` (cache_key, sort_key, s3_key) is not. */
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'secret',
  'private',
  'signing',
  'encryption',
  'master',
  'client',
  'service',
  'account',
  'app',
  'auth',
  'session',
  'license',
  'subscription',
]);

/** Cheap pre-filter so the common case (ordinary keys) skips word splitting. */
export const SECRET_KEY_HINT_RE = /pass|pwd|secret|token|key|auth|cred/i;

export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/**
 * Logs repeat the same few hundred keys millions of times; memoising the
 * verdict keeps the pair scan cheap. Bounded so hostile input with millions
 * of distinct keys cannot grow it without limit.
 */
const verdicts = new Map<string, PairTier | null>();
const MAX_MEMO = 4096;

export function classifyKey(key: string): PairTier | null {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = judgeKey(key);
    if (verdicts.size >= MAX_MEMO) verdicts.clear();
    verdicts.set(key, verdict);
  }
  return verdict;
}

function judgeKey(key: string): PairTier | null {
  if (!SECRET_KEY_HINT_RE.test(key)) return null;
  const words = keyWords(key);
  const last = words.at(-1);
  const prev = words.at(-2);
  if (last === undefined) return null;
  if (PASSWORD_WORDS.has(last) || PASSWORD_SUFFIX_RE.test(last)) return 'password-pair';
  if (TOKEN_WORDS.has(last) || TOKEN_SUFFIX_RE.test(last)) return 'token-pair';
  if (last === 'key' && prev !== undefined && KEY_QUALIFIERS.has(prev)) return 'token-pair';
  return null;
}
