import { looksRandom } from './entropy.js';
import { classifyKey, type PairTier } from './keys.js';
import type { Found } from './types.js';
import { isPathLike, isPlaceholder, isPlainUrl, isTrivial } from './values.js';

/*
 * Generic `key=value`, `key: value`, `"key": "value"`, `key => 'value'` pairs.
 * Only the value is redacted; the key stays so readers know what was there.
 *
 * Decision on which values are secrets (see also keys.ts):
 * - never: empty, placeholders/templates/masks (`***`, `<redacted>`,
 *   `${SECRET}`), literals and numbers (`null`, `true`, `42`), status words
 *   (`password: required`), filesystem paths, URLs without a password.
 * - password-pair keys: any other value of 8+ chars. Entropy is not required
 *   because people choose passwords (`hunter2hunter2`, `changeme`) and a weak
 *   real password is still a credential. Under 8 chars, a `key: value` line is
 *   more often prose ("password: reset") than a password; short passwords are
 *   still caught in URLs and connection strings, which need no minimum.
 * - token-pair keys: the value must also look random (entropy.ts), because
 *   `auth=basic` or `token=pagination-cursor` are settings, not credentials.
 */
export const PASSWORD_MIN_LENGTH = 8;

/**
 * The key and its separator only. Starts only at an identifier boundary (the
 * lookbehind excludes every key char), so each char is tried once: linear.
 * Leading dashes admit CLI flags (`--password=…`), a leading underscore
 * npm's `_authToken=` and `_auth=`. After a `/` (a path:
 * `config/DB_PASSWORD=…`), but not right after `//`: in
 * `https://x-access-token:…@host` the "key" is a URL user, and
 * url-credentials owns that password.
 */
const KEY_RE = /(?<![A-Za-z0-9_.-])(?<!\/\/)(["']?)(-{0,2}_?[A-Za-z][A-Za-z0-9_.-]{0,63})\1[ \t]*(?:=>|:=|=|:)[ \t]*/g;

/**
 * The value, read only after a secret key matched (sticky at the separator).
 * Quoted values honour backslash escapes and may contain spaces. Templates are
 * read whole so `${A B}` is judged as one placeholder. Unquoted values stop at
 * whitespace, quotes, `,` `;` `&` (field/query separators) and `=`, except a
 * trailing base64 `=`/`==` pad. Every repeat is bounded so a missing closing
 * quote costs at most 4 KB of rescanning.
 */
const VALUE_RE =
  /"((?:[^"\\\r\n]|\\.){0,4096})"|'((?:[^'\\\r\n]|\\.){0,4096})'|(\$\{[^}\r\n]{0,128}\}|\{\{[^}\r\n]{0,128}\}\}|<[^>\r\n]{0,128}>|[^\s"'`,;&=]{1,4096}(?:={1,2}(?![A-Za-z0-9_]))?)/dy;

function isSecretValue(tier: PairTier, value: string): boolean {
  if (isPlaceholder(value) || isTrivial(value) || isPathLike(value) || isPlainUrl(value)) return false;
  return tier === 'password-pair' ? value.length >= PASSWORD_MIN_LENGTH : looksRandom(value);
}

/**
 * XML elements (`<password>…</password>` in Maven settings, .NET configs).
 * The value cannot contain `<`, so each scan stops at the next tag: linear.
 */
const XML_RE = /<([A-Za-z][A-Za-z0-9_.:-]{0,63})>([^<\r\n]{1,4096})<\/\1>/dg;

export function findPairs(text: string, tier: PairTier): Found[] {
  const found: Found[] = [];
  for (const m of text.matchAll(XML_RE)) {
    const span = m.indices?.[2];
    const value = m[2];
    if (span && value !== undefined && classifyKey(m[1] ?? '') === tier && isSecretValue(tier, value)) {
      found.push({ start: span[0], end: span[1] });
    }
  }
  const keyRe = new RegExp(KEY_RE.source, KEY_RE.flags);
  const valueRe = new RegExp(VALUE_RE.source, VALUE_RE.flags);
  for (let k = keyRe.exec(text); k; k = keyRe.exec(text)) {
    if (classifyKey(k[2] ?? '') !== tier) continue; // value not read: keep scanning inside it
    valueRe.lastIndex = keyRe.lastIndex;
    const v = valueRe.exec(text);
    if (!v) continue;
    const group = v[1] !== undefined ? 1 : v[2] !== undefined ? 2 : 3;
    const span = v.indices?.[group];
    const value = v[group];
    if (span && value !== undefined && isSecretValue(tier, value)) found.push({ start: span[0], end: span[1] });
    // Resume after the value: a value is read at most once, which keeps
    // `password:password:password:…` linear.
    keyRe.lastIndex = valueRe.lastIndex;
  }
  return found;
}
