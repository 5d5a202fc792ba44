/**
 * Judging a candidate value. Two families, kept apart on purpose:
 * - placeholders (templates, masks, redaction markers) are never secrets,
 *   whatever rule found them: `${DB_PASSWORD}`, `***`, `<token>`.
 * - trivial values (null/true/numbers/status words) are never secrets in a
 *   key=value pair, but a URL or connection string password of `12345678`
 *   is still a password, so those rules only apply isPlaceholder().
 */

const TEMPLATE_RES: readonly RegExp[] = [
  /^\$\{[^}]*\}$/, // ${VAR}, ${{ secrets.X }}
  /^\$\([^)]*\)$/, // $(cat /run/secret)
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $VAR
  /^\{\{.*\}\}$/, // {{ .Values.password }}
  /^<[^<>]*>$/, // <token>, <redacted>
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %DB_PASSWORD%
  /^%\([A-Za-z_][A-Za-z0-9_]*\)s$/, // %(password)s
  /^(?:process\.env|os\.environ|os\.getenv|ENV|env|secrets|vault)[.[(]/, // code references
];

/** Only mask characters: `***`, `xxxxxxxx`, `••••`, `----`. */
const MASK_RE = /^[*xX•#.?_-]+$/;
/** `[redacted]`, `(hidden)`, `REDACTED`, and our own `[REDACTED:rule:abcd]`. */
const MARKER_RE = /^[[(<]?(?:redacted|hidden|masked|removed|omitted|filtered|sanitized|scrubbed)(?::[^\])>]*)?[\])>]?$/i;
/** Documentation filler: `your-api-key`, `insert_token_here`. */
const FILLER_RE = /^(?:your|insert|enter|replace)[_\- ]|[_\- ]here$/i;

export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  return MASK_RE.test(v) || MARKER_RE.test(v) || FILLER_RE.test(v) || TEMPLATE_RES.some((re) => re.test(v));
}

/**
 * Words that fill a password/token slot in logs and configs without being one:
 * literals, and status words from prose like "password: required".
 * Deliberately NOT here: `changeme`, `password`, `admin`: weak defaults that
 * are actually deployed are working credentials, so they are redacted.
 */
const TRIVIAL_WORDS = new Set([
  'null',
  'nil',
  'none',
  'undefined',
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'empty',
  'unset',
  'notset',
  'n/a',
  'na',
  'tbd',
  'todo',
  'string',
  'str',
  'required',
  'optional',
  'invalid',
  'incorrect',
  'expired',
  'missing',
  'mismatch',
  'provided',
  'supplied',
  'rotated',
  'changed',
  'unchanged',
  'updated',
  'accepted',
  'rejected',
  'enabled',
  'disabled',
  'verified',
  'protected',
  'sensitive',
  'encrypted',
  'generated',
]);

const NUMBER_RE = /^[+-]?\d+(?:\.\d+)?$/;

export function isTrivial(value: string): boolean {
  const v = value.trim();
  return NUMBER_RE.test(v) || TRIVIAL_WORDS.has(v.toLowerCase());
}

/**
 * `PWD=/home/deploy`, `credentials: ~/.aws/credentials`: a path names where a
 * secret lives, not the secret. Limit: a base64 secret that happens to start
 * with "/" and contain no "+" or "=" is skipped too (see docs/redaction.md).
 */
const PATH_RE = /^(?:~|\.{1,2})?\/[\w./-]*$/;
export function isPathLike(value: string): boolean {
  return PATH_RE.test(value.trim());
}

/** A URL without userinfo: url-credentials owns URLs that carry a password. */
const PLAIN_URL_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s@]*$/;
export function isPlainUrl(value: string): boolean {
  return PLAIN_URL_RE.test(value.trim());
}
