import { anyOf, regexDetector, whenContains } from './detect.js';
import { looksRandom } from './entropy.js';
import type { Detector, Found } from './types.js';
import { isPlaceholder, isTrivial } from './values.js';

/*
 * Shape rules: the secret is recognisable by itself (vendor prefix, fixed
 * length) or by a tight context (header name, URL userinfo). Every regex
 * starts at a literal or behind a lookbehind boundary and has no nested
 * ambiguous quantifiers, so each scan is linear in the text length.
 *
 * Tokens whose alphabet has `-` must not start inside another token (`x-AIza…`),
 * but may follow a `-` that follows no token character: the marker of a
 * removed line in a diff (`-AIza…`) or a list item. Hence the pair of
 * lookbehinds `(?<![A-Za-z0-9_])(?<![A-Za-z0-9_]-)`; likewise a URL may follow
 * a diff's `+` or `-`, but not start inside a scheme (`mongodb+srv`).
 */

/** AWS access key id: 4-char prefix + 16 upper-case alphanumerics (AKIA long-term, ASIA STS, …). */
export const awsAccessKey = whenContains(
  ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
  regexDetector(/(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/dg),
);

/**
 * AWS secret access key: exactly 40 base64-ish chars. Only with context
 * (`aws_secret_access_key`, `SecretAccessKey`, "secret key"), because a bare
 * 40-char string is far more often a git SHA or a digest.
 */
export const awsSecretKey = regexDetector(
  /(?<![A-Za-z0-9])(?:aws[_.\- ]?)?secret[_.\- ]?(?:access[_.\- ]?)?key["']?[ \t]*(?:(?:=>|:=|=|:)[ \t]*)?["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
  1,
);

/** GitHub classic (ghp_/gho_/ghu_/ghs_/ghr_ + 36) and fine-grained (github_pat_) tokens. */
export const githubToken = whenContains(
  ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  regexDetector(/(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/dg),
);

/** GitLab personal/deploy/runner/trigger tokens. */
export const gitlabToken = whenContains(
  ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-', 'gloas-', 'glft-', 'glimt-'],
  regexDetector(/(?<![A-Za-z0-9_])(?<![A-Za-z0-9_]-)gl(?:pat|dt|rt|ptt|cbt|oas|ft|imt)-[A-Za-z0-9_-]{20,}/dg),
);

/**
 * Slack tokens: `xox?-<digits>-…` and app tokens `xapp-<digit>-…`. The digit
 * segment is required so doc filler like `xoxb-your-token` is left alone.
 */
export const slackToken = whenContains(
  ['xox', 'xapp-'],
  anyOf(
    regexDetector(/(?<![A-Za-z0-9_])(?<![A-Za-z0-9_]-)xox[abeoprs]-\d{1,20}-[A-Za-z0-9-]{8,}/dg),
    regexDetector(/(?<![A-Za-z0-9_])(?<![A-Za-z0-9_]-)xapp-\d-[A-Za-z0-9-]{8,}/dg),
  ),
);

/** Slack incoming-webhook URLs: the path is the credential; scheme and host stay. */
export const slackWebhook = whenContains(
  ['hooks.slack.com/'],
  regexDetector(/https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/-]{8,})/dg, 1),
);

/** Stripe secret and restricted keys (live and test) and webhook signing secrets. Publishable pk_ keys are public. */
export const stripeKey = whenContains(
  ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'whsec_'],
  regexDetector(/(?<![A-Za-z0-9_])(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}|whsec_[A-Za-z0-9]{20,})/dg),
);

/** Google API key: AIza + 35 chars. */
export const googleApiKey = whenContains(
  ['AIza'],
  regexDetector(/(?<![A-Za-z0-9_])(?<![A-Za-z0-9_]-)AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/dg),
);

/** npm access tokens: `npm_` + 36 alphanumerics (publish, automation and granular tokens). */
export const npmToken = whenContains(['npm_'], regexDetector(/(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/dg));

/** PyPI API tokens: `pypi-` + a base64 macaroon, which always begins `AgEIcHlwaS5vcmc` ("pypi.org"). */
export const pypiToken = whenContains(
  ['pypi-AgEIcHlwaS5vcmc'],
  regexDetector(/(?<![A-Za-z0-9_])(?<![A-Za-z0-9_]-)pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/dg),
);

/** Anthropic API keys: `sk-ant-api03-…`, admin and session keys. */
export const anthropicKey = whenContains(
  ['sk-ant-'],
  regexDetector(/(?<![A-Za-z0-9_])(?<![A-Za-z0-9_]-)sk-ant-(?:api|admin|sid)\d{2}-[A-Za-z0-9_-]{20,}/dg),
);

/**
 * OpenAI API keys: project, service-account and admin keys by their prefix;
 * older keys by `T3BlbkFJ` (base64 of "OpenAI") in the middle, since a bare
 * `sk-` prefix is too common to mean a key.
 */
export const openaiKey = whenContains(
  ['sk-'],
  regexDetector(
    /(?<![A-Za-z0-9_])(?<![A-Za-z0-9_]-)sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,})/dg,
  ),
);

/** SendGrid API keys: `SG.` + 22 + `.` + 43 base64url chars. */
export const sendgridKey = whenContains(
  ['SG.'],
  regexDetector(/(?<![A-Za-z0-9_])(?<![A-Za-z0-9_]-)SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/dg),
);

/** Hugging Face access tokens: `hf_` + 34 letters (30+ accepted). */
export const huggingfaceToken = whenContains(['hf_'], regexDetector(/(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}(?![A-Za-z0-9_])/dg));

/**
 * JWT / JWS (and up to 5-segment JWE): base64url segments joined by dots, the
 * header starting `eyJ` (base64 of `{"`). Empty signature allowed (alg=none).
 */
export const jwt = whenContains(
  ['eyJ'],
  regexDetector(/(?<![A-Za-z0-9_])(?<![A-Za-z0-9_]-)eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+){0,2}/dg),
);

const TOKEN68 = String.raw`([A-Za-z0-9._~+/-]+=*)`;

/**
 * Bearer tokens. In an Authorization header anything non-placeholder is a
 * credential, however short. Bare "bearer xyz" in prose must look random,
 * because "bearer authentication" and "bearer token" are English.
 */
export const bearerToken = anyOf(
  regexDetector(
    new RegExp(String.raw`(?<![A-Za-z0-9_])authorization["']?[ \t]*[:=][ \t]*["']?(?:bearer|token)[ \t]+${TOKEN68}`, 'dgi'),
    1,
    (v) => !isPlaceholder(v) && !isTrivial(v),
  ),
  regexDetector(new RegExp(String.raw`(?<![A-Za-z0-9_])bearer[ \t]+${TOKEN68}`, 'dgi'), 1, (v) => looksRandom(v)),
);

/**
 * Basic auth. `Authorization: Basic <base64(user:pass)>`: the whole base64 is
 * the credential. `curl -u user:pass` / `--user`: only the password (curl
 * turns it into the same header). Numeric pairs are skipped because `-u`
 * also means uid:gid (`docker run -u 1000:1000`).
 */
export const basicAuth = anyOf(
  regexDetector(
    /(?<![A-Za-z0-9_])authorization["']?[ \t]*[:=][ \t]*["']?basic[ \t]+([A-Za-z0-9+/]{4,}={0,2})/dgi,
    1,
    (v) => !isPlaceholder(v),
  ),
  regexDetector(
    /(?<![A-Za-z0-9_-])(?:-u|--user)[ \t]+["']?[^\s:"']{1,128}:([^\s"']{1,256})/dg,
    1,
    (v) => !isPlaceholder(v) && !isTrivial(v),
  ),
);

/** `scheme://user:`, the password's start; only the scheme and user are read by the regex, the rest by hand. */
const SCHEME_USER_RE = /(?<![A-Za-z0-9.])(?<![A-Za-z0-9.][+-])[A-Za-z][A-Za-z0-9+.-]{1,31}:\/\/[^\s:@/?#'"<>]{0,128}:/g;
const MAX_URL_PASSWORD = 256;
/** Ends a well-formed password: the authority ends there. */
const ENDS_AUTHORITY = new Set([...'/?#']);
const ENDS_RUN = new Set([...'\'"<>']);
const SPACE_RE = /\s/;
/** Whitespace, a quote or an angle bracket: a URL (and its password) cannot go on past these. */
const endsRun = (ch: string) => {
  const code = ch.charCodeAt(0);
  return code <= 32 || ENDS_RUN.has(ch) || (code > 127 && SPACE_RE.test(ch));
};
/** Where a host name can start (after the `@` that ends a password). */
const HOST_START_RE = /[A-Za-z0-9_[]/;
const PORT_RE = /^\d{1,5}(?:[/?#]|$)/;

/**
 * `scheme://user:password@host`: only the password is redacted; scheme, user
 * and host stay so the document still says which system was used. The
 * password may contain a raw `@` (greedy up to the last `@` of the
 * authority). A URL with a user and no password has nothing to redact.
 *
 * People paste passwords unencoded, so a password may also hold `/`, `?` or
 * `#`, where a URL parser would end the authority (`postgres://svc:p#ss/w@db`).
 * Such a password runs to the last `@` before whitespace that is followed by
 * a host name, unless what follows the colon is a port (`https://host:8443/a@b`
 * is a host and a path, not a password), and is used only where the
 * well-formed reading does not end at an `@` followed by a host (so
 * `https://u:p@host/x?next=a@b` keeps its host). When that `@` is still not the
 * password's own, more than the password is replaced: never less. One regex
 * finds `scheme://user:`; one walk of at most 257 chars reads the rest.
 */
export const urlCredentials: Detector = whenContains(['://'], (text) => {
  const found: Found[] = [];
  const re = new RegExp(SCHEME_USER_RE.source, SCHEME_USER_RE.flags);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const from = re.lastIndex;
    // One walk to the end of the run (whitespace, a quote or an angle bracket, or the length cap):
    // the last `@` before the authority would end (well-formed), and the last `@` followed by a host (loose).
    let strictAt = -1;
    let looseAt = -1;
    let authorityEnded = false;
    let i = from;
    for (; i < text.length && i - from <= MAX_URL_PASSWORD; i++) {
      const ch = text[i]!;
      if (endsRun(ch)) break;
      if (ch === '@') {
        if (!authorityEnded && i > from) strictAt = i;
        if (i > from && HOST_START_RE.test(text[i + 1] ?? '')) looseAt = i;
      } else if (ENDS_AUTHORITY.has(ch)) authorityEnded = true;
    }
    let end = -1;
    // The well-formed reading wins when its `@` is followed by a host: a later `@` belongs to something else.
    if (strictAt > 0 && HOST_START_RE.test(text[strictAt + 1] ?? '')) end = strictAt;
    else if (looseAt > 0 && /[/?#]/.test(text.slice(from, looseAt)) && !PORT_RE.test(text.slice(from, looseAt))) end = looseAt;
    else if (strictAt > 0) end = strictAt;
    if (end > from && !isPlaceholder(text.slice(from, end))) found.push({ start: from, end });
    // The password (or what was read of the run) is not scanned again for another URL.
    re.lastIndex = Math.max(re.lastIndex, end);
  }
  return found;
});

/**
 * Key/value connection strings: ADO.NET / JDBC `;Password=…;`, JDBC and ODBC
 * query strings `?user=a&password=…`, Azure `AccountKey=` /
 * `SharedAccessKey=`, SAS `&sig=`. Needs connection-string context (a `;`,
 * `?` or `&` before the key, or `;` after the value) so it does not compete
 * with the generic pair rule on ordinary log lines; in that context any
 * non-placeholder value counts, even `Pwd=abc;`.
 */
export const connectionString = regexDetector(
  /(?<![A-Za-z0-9_])(password|pwd|accountkey|sharedaccesskey|sig)[ \t]*=[ \t]*([^;&\s"']{1,4096})/dgi,
  2,
  (value, m, text) => {
    if (isPlaceholder(value)) return false;
    let i = m.index - 1;
    while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
    const before = text[i];
    const queryContext = before === '?' || before === '&';
    if ((m[1] ?? '').toLowerCase() === 'sig') return queryContext;
    return queryContext || before === ';' || text[m.index + m[0].length] === ';';
  },
);
