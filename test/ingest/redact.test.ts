import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { redact, RULE_IDS } from '../../src/ingest/redact/index.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/secrets/${name}`, import.meta.url), 'utf8');
const h4 = (secret: string): string => createHash('sha256').update(secret).digest('hex').slice(0, 4);
const ph = (rule: string, secret: string): string => `[REDACTED:${rule}:${h4(secret)}]`;

const planted = fixture('planted.txt');
const nearMisses = fixture('near-misses.txt');

/** Every planted value in planted.txt and the rule that must catch it. */
const PLANTED: ReadonlyArray<readonly [rule: string, secret: string]> = [
  ['aws-access-key', 'AKIAIOSFODNN7EXAMPLE'],
  ['aws-access-key', 'ASIAFAKEFAKEFAKE0123'],
  ['aws-secret-key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['github-token', 'ghp_FAKEfakeFAKEfake0123456789abcdefABCD'],
  ['github-token', 'gho_FAKEfakeFAKEfake0123456789abcdefGHIJ'],
  ['github-token', 'ghs_FAKEfakeFAKEfake0123456789abcdefKLMN'],
  ['github-token', 'ghu_FAKEfakeFAKEfake0123456789abcdefOPQR'],
  ['github-token', 'ghr_FAKEfakeFAKEfake0123456789abcdefSTUV'],
  ['github-token', 'github_pat_11FAKEFAKE0fakefakefake0_FAKEfakeFAKEfake0123456789abcdefFAKEfakeFAKEfake0123456789ab'],
  ['gitlab-token', 'glpat-FAKEfakeFAKEfake0123'],
  ['slack-token', 'xoxb-0000000000-0000000000000-FAKEfakeFAKEfakeFAKEfake'],
  ['slack-webhook', 'T00000000/B00000000/FAKEfakeFAKEfakeFAKEfake'],
  ['stripe-key', 'sk_live_FAKEfakeFAKEfake0123456789'],
  ['stripe-key', 'rk_live_FAKEfakeFAKEfake9876543210'],
  ['stripe-key', 'sk_test_FAKEfakeFAKEfake5555555555'],
  ['google-api-key', 'AIzaFAKEfakeFAKEfake0123456789_-abcdefg'],
  [
    'jwt',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJmYWtlLXVzZXIiLCJuYW1lIjoiRmFrZSBFeGFtcGxlIiwiaWF0IjoxNzAwMDAwMDAwfQ.FAKEsignatureFAKEsignature0123456789abcd',
  ],
  ['bearer-token', 'FAKEopaqueToken0123456789abcdefXYZ'],
  ['bearer-token', '9f8e7d6c5b4a3210FAKEfakeBearer'],
  ['basic-auth', 'ZmFrZXVzZXI6ZmFrZXBhc3N3b3JkMTIz'],
  ['basic-auth', 'FAKEcurlPass55'],
  ['url-credentials', 'FAKEpgPassw0rd'],
  ['url-credentials', 'FAKEm0ng0Secret'],
  ['url-credentials', 'FAKEredisPass99'],
  ['connection-string', 'FAKE-ado-P@ss!'],
  ['connection-string', 'Fk9x'],
  ['connection-string', 'FAKEmysqlPw42'],
  ['connection-string', 'RkFLRWZha2VGQUtFZmFrZUZBS0VmYWtlMDEyMzQ1Njc4OWFiY2RlZkZBS0VmYWtl'],
  ['password-pair', 'hunter2hunter2'],
  ['password-pair', 'correct horse battery staple'],
  ['password-pair', 'changeme'],
  ['password-pair', 'FAKEspringPw1'],
  ['password-pair', 'FAKEclientSecretValue123'],
  ['password-pair', 'FAKEcliFlagPw7'],
  ['password-pair', 'FAKEmavenPw321'],
  ['token-pair', '7f3a9c2e1b8d4f6a0e5c3b9d7a1f2e4c'],
  ['token-pair', 'FAKEapiKEY0123456789xyz'],
  ['token-pair', 'FAKEheaderKey0123456789abc'],
  ['token-pair', 'FAKErefresh0123456789ABCDEF'],
  ['token-pair', 'FAKEcred-0123456789-abcdef'],
  ['npm-token', 'npm_FAKEfakeFAKEfake0123456789abcdefABCD'],
  ['pypi-token', 'pypi-AgEIcHlwaS5vcmcFAKEfakeFAKEfake0123456789abcdefFAKEfakeFAKEfake0123456789'],
  ['anthropic-key', 'sk-ant-api03-FAKEfakeFAKEfake0123456789abcdef'],
  ['openai-key', 'sk-proj-FAKEfakeFAKEfake0123456789abcdef'],
  ['sendgrid-key', 'SG.FAKEfakeFAKEfake012345.FAKEfakeFAKEfake0123456789abcdefFAKEfakeFAK'],
  ['huggingface-token', 'hf_FAKEfakeFAKEfakeFAKEfakeFAKEfakeAB'],
];

/** Bodies of the two private-key blocks in planted.txt (whole blocks are replaced). */
const KEY_BODIES = ['MIIEFAKEfakeFAKEfakeKEYnotAREALkey', 'MIIEvFAKEfakeFAKEfakePKCS8notAREALkey0123456789'];

describe('redact: planted corpus', () => {
  const result = redact(planted);

  it.each(PLANTED)('%s removes %s', (rule, secret) => {
    expect(planted).toContain(secret); // the fixture and this table stay in sync
    expect(result.text).not.toContain(secret);
    expect(result.text).toContain(ph(rule, secret)); // right rule, exact span
  });

  it('replaces both private-key blocks whole, header to footer', () => {
    for (const body of KEY_BODIES) expect(result.text).not.toContain(body);
    expect(result.text).not.toMatch(/PRIVATE KEY/);
    expect(result.byRule['private-key']).toBe(2);
  });

  it('keeps the context around a secret: keys, users, scheme and host', () => {
    expect(result.text).toContain(`DATABASE_URL=postgres://app:${ph('url-credentials', 'FAKEpgPassw0rd')}@db.internal:5432/app`);
    expect(result.text).toContain(`level=warn msg="login retry" password=${ph('password-pair', 'hunter2hunter2')} user=deploy`);
    expect(result.text).toContain(
      `https://hooks.slack.com/services/${ph('slack-webhook', 'T00000000/B00000000/FAKEfakeFAKEfakeFAKEfake')}`,
    );
    expect(result.text).toContain(
      `git clone https://x-access-token:${ph('github-token', 'ghs_FAKEfakeFAKEfake0123456789abcdefKLMN')}@github.com/acme/payments.git`,
    );
  });

  it('counts every finding, per rule', () => {
    const expected: Record<string, number> = { 'private-key': 2 };
    for (const [rule] of PLANTED) expected[rule] = (expected[rule] ?? 0) + 1;
    expect(result.byRule).toEqual(expected);
    expect(result.count).toBe(PLANTED.length + 2);
    for (const rule of Object.keys(result.byRule)) expect(RULE_IDS).toContain(rule);
  });

  it('uses every rule at least once', () => {
    expect(Object.keys(result.byRule).sort()).toEqual([...RULE_IDS].sort());
  });
});

describe('redact: near misses', () => {
  const lines = nearMisses.split('\n').filter((l) => l.length > 0);

  it.each(lines)('leaves %s unchanged', (line) => {
    const r = redact(line);
    expect(r.text).toBe(line);
    expect(r.count).toBe(0);
  });

  it('leaves the whole file unchanged', () => {
    expect(redact(nearMisses)).toEqual({ text: nearMisses, count: 0, byRule: {} });
  });

  it('leaves short passwords in key=value pairs alone (documented limit) but not in URLs', () => {
    expect(redact('password=hunter2').count).toBe(0);
    expect(redact('redis://:hunter2@cache:6379').text).toBe(`redis://:${ph('url-credentials', 'hunter2')}@cache:6379`);
  });
});

describe('redact: placeholders', () => {
  it('gives the same secret the same placeholder in different documents', () => {
    const a = redact('deploy log: GITHUB_TOKEN=ghp_FAKEfakeFAKEfake0123456789abcdefABCD').text;
    const b = redact('incident 12: leaked ghp_FAKEfakeFAKEfake0123456789abcdefABCD in a runbook').text;
    const p = ph('github-token', 'ghp_FAKEfakeFAKEfake0123456789abcdefABCD');
    expect(a).toContain(p);
    expect(b).toContain(p);
  });

  it('gives different secrets different placeholders', () => {
    const r = redact('a=AKIAIOSFODNN7EXAMPLE b=AKIAFAKEFAKEFAKE0000');
    expect(r.text).toBe(`a=${ph('aws-access-key', 'AKIAIOSFODNN7EXAMPLE')} b=${ph('aws-access-key', 'AKIAFAKEFAKEFAKE0000')}`);
    expect(h4('AKIAIOSFODNN7EXAMPLE')).not.toBe(h4('AKIAFAKEFAKEFAKE0000'));
  });

  it('merges overlapping findings into one placeholder named by the most specific rule', () => {
    const r = redact('password=ghp_FAKEfakeFAKEfake0123456789abcdefABCD');
    expect(r.text).toBe(`password=${ph('github-token', 'ghp_FAKEfakeFAKEfake0123456789abcdefABCD')}`);
    expect(r.byRule).toEqual({ 'github-token': 1 });
  });

  it('is idempotent and a no-op on already-redacted text', () => {
    const once = redact(planted);
    const twice = redact(once.text);
    expect(twice).toEqual({ text: once.text, count: 0, byRule: {} });
    const ready = 'password=[REDACTED:password-pair:1a2b] token [REDACTED:jwt:ab12] postgres://u:[REDACTED:url-credentials:ab12]@db';
    expect(redact(ready).text).toBe(ready);
  });

  it('handles empty input', () => {
    expect(redact('')).toEqual({ text: '', count: 0, byRule: {} });
  });
});

describe('redact: private keys', () => {
  const block = [
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
    'FAKEfakeFAKEfakeNOTaREALkeyJUSTtestDATA0123456789==',
    '-----END OPENSSH PRIVATE KEY-----',
  ].join('\n');

  it('replaces a multi-line block with one placeholder and keeps the lines around it', () => {
    const r = redact(`before\n${block}\nafter`);
    expect(r.text).toBe(`before\n${ph('private-key', block)}\nafter`);
    expect(r.count).toBe(1);
  });

  it('redacts a truncated block (no END) through the end of its body', () => {
    const r = redact('key dump:\n-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nMIIEpFAKEfake0123\n');
    expect(r.text).toMatch(/^key dump:\n\[REDACTED:private-key:[0-9a-f]{4}\]\n$/);
  });

  it('keeps two separate blocks separate', () => {
    const r = redact(`${block}\nmiddle\n${block.replace('FAKEfake', 'OTHERkey')}`);
    expect(r.byRule).toEqual({ 'private-key': 2 });
    expect(r.text).toContain('\nmiddle\n');
  });
});

describe('redact: pathological input completes, with the right answer', () => {
  const MB2 = 2 * 1024 * 1024;
  const fill = (unit: string): string => unit.repeat(Math.ceil(MB2 / unit.length)).slice(0, MB2);
  /** Every run ends as it started: the result is stable under a second redact(). */
  const run = (text: string) => {
    const r = redact(text);
    expect(redact(r.text)).toEqual({ text: r.text, count: 0, byRule: {} });
    return r;
  };

  it.each([
    ['a run', fill('a')],
    ['= run', fill('=')],
    ['- run', fill('-')],
    ['ENDs only', fill('-----END PRIVATE KEY-----')],
    ['a:a:a', fill('a:')],
    ['unclosed templates', fill('token=${')],
    ['unclosed angle brackets', fill('token=<')],
    ['scheme runs', fill('a://b:')],
    ['AKIA prefixes', fill('AKIA')],
    ['secret key then spaces', `aws secret key${fill(' ')}`],
  ])('%s: nothing secret, so nothing changes', (_, text) => {
    expect(run(text)).toEqual({ text, count: 0, byRule: {} });
  });

  it('BEGIN without END: each truncated key runs into the next header, whose label is all that is left', () => {
    const header = '-----BEGIN RSA PRIVATE KEY-----\n';
    const r = run(fill(header));
    // The body of a key with no END may hold `-` and letters, so it swallows the next "-----BEGIN".
    const unit = `${ph('private-key', `${header}-----BEGIN`)} RSA PRIVATE KEY-----\n`;
    expect(r.text).toBe(unit.repeat(MB2 / header.length / 2));
    expect(r.byRule).toEqual({ 'private-key': MB2 / header.length / 2 });
  });

  it('BEGIN then a body that never ends: one placeholder for the whole block', () => {
    const text = `-----BEGIN PRIVATE KEY-----\n${fill('A')}`;
    expect(run(text)).toEqual({ text: ph('private-key', text), count: 1, byRule: { 'private-key': 1 } });
  });

  it('nested keys: every key that is read has its value replaced (values are read once, at most 4096 chars)', () => {
    const r = run(fill('password:'));
    const afterKeys = r.text.split('password:').slice(1);
    expect(afterKeys.length).toBe(r.count);
    for (const part of afterKeys) expect(part).toMatch(/^\[REDACTED:password-pair:[0-9a-f]{4}\]/);
    expect(r.byRule).toEqual({ 'password-pair': r.count });
    expect(r.count).toBeGreaterThan(500);
  });

  it('unclosed quotes: each quote is closed by the next, and every quoted value is replaced', () => {
    const text = fill('password="');
    const cycle = 'password="password="';
    const cycles = Math.floor(MB2 / cycle.length);
    const r = run(text);
    expect(r.text).toBe(`password="${ph('password-pair', 'password=')}"`.repeat(cycles) + text.slice(cycles * cycle.length));
    expect(r.byRule).toEqual({ 'password-pair': cycles });
  });

  it('JWT prefixes: every five segments make one token; a tail of two is not a token', () => {
    const text = fill('eyJaaaaa.');
    const token = Array(5).fill('eyJaaaaa').join('.');
    const tokens = Math.floor(MB2 / (token.length + 1));
    const r = run(text);
    const tail = text.slice(tokens * (token.length + 1));
    expect(tail.split('.').length).toBeLessThan(3);
    expect(r.text).toBe(`${ph('jwt', token)}.`.repeat(tokens) + tail);
    expect(r.byRule).toEqual({ jwt: tokens });
  });

  it('dense secrets: every secret of every whole line is replaced', () => {
    const line = 'password=hunter2hunter2 AKIAIOSFODNN7EXAMPLE https://u:p@h ghp_FAKEfakeFAKEfake0123456789abcdefABCD\n';
    const redactedLine =
      `password=${ph('password-pair', 'hunter2hunter2')} ${ph('aws-access-key', 'AKIAIOSFODNN7EXAMPLE')} ` +
      `https://u:${ph('url-credentials', 'p')}@h ${ph('github-token', 'ghp_FAKEfakeFAKEfake0123456789abcdefABCD')}\n`;
    const whole = Math.floor(MB2 / line.length);
    const r = run(fill(line));
    expect(r.text.startsWith(redactedLine.repeat(whole))).toBe(true);
    expect(r.count).toBeGreaterThanOrEqual(4 * whole);
  });
});

describe('redact: secrets a decoder or a terminal would rebuild', () => {
  const token = 'ghp_FAKEfakeFAKEfake0123456789abcdefABCD';

  it.each([
    ['a JSON \\u escape', String.raw`{"value":"ghp_\u0046AKEfakeFAKEfake0123456789abcdefABCD"}`],
    ['a JS \\x escape', String.raw`repr: 'ghp_\x46AKEfakeFAKEfake0123456789abcdefABCD'`],
    ['escapes twice over (JSON in JSON)', String.raw`{"msg":"{\"v\":\"ghp_\\u0046AKEfakeFAKEfake0123456789abcdefABCD\"}"}`],
    ['an ANSI colour code inside it', `token ghp_FAKEfakeFAKE\x1b[0mfake0123456789abcdefABCD`],
    ['a JSON-escaped ANSI code inside it', String.raw`{"msg":"ghp_FAKEfakeFAKE\u001b[0mfake0123456789abcdefABCD"}`],
    ['a NUL inside it', 'ghp_FAKEfakeFAKE\x00fake0123456789abcdefABCD'],
    ['a backspace inside it', 'ghp_FAKEfakeFAKE\x08fake0123456789abcdefABCD'],
    ['a C1 control inside it', 'ghp_FAKEfakeFAKE\u0085fake0123456789abcdefABCD'],
    ['a zero-width space inside it', 'ghp_FAKEfakeFAKE\u200bfake0123456789abcdefABCD'],
  ])('finds a token behind %s, replaces the whole original span, and names it by the token as read', (_, text) => {
    const r = redact(text);
    expect(r.byRule).toEqual({ 'github-token': 1 });
    // One placeholder, the same one the plain token gets: the escapes were part of the span.
    expect(r.text.replace(ph('github-token', token), '')).not.toMatch(/FAKE|fake|0123|ABCD/);
    expect(r.text).toContain(ph('github-token', token));
    expect(redact(r.text).count).toBe(0);
  });

  it('keeps the word boundary a removed character made: a control code or colour before a token', () => {
    expect(redact('region=eu-west-1\x07AKIAIOSFODNN7EXAMPLE').text).toBe(
      `region=eu-west-1\x07${ph('aws-access-key', 'AKIAIOSFODNN7EXAMPLE')}`,
    );
    expect(redact('\x1b[32mok\x1b[0mAKIAIOSFODNN7EXAMPLE').text).toBe(`\x1b[32mok\x1b[0m${ph('aws-access-key', 'AKIAIOSFODNN7EXAMPLE')}`);
  });

  it('reads JSON-escaped slashes and quotes: URL passwords and pairs inside escaped JSON', () => {
    const dsn = String.raw`{"dsn":"postgres:\/\/svc:FAKEpgPw42x@db.internal:5432\/app"}`;
    expect(redact(dsn).text).toBe(String.raw`{"dsn":"postgres:\/\/svc:${ph('url-credentials', 'FAKEpgPw42x')}@db.internal:5432\/app"}`);
    const nested = String.raw`value="{\"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}"`;
    expect(redact(nested).text).toBe(
      String.raw`value="{\"SecretAccessKey\": \"${ph('aws-secret-key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')}\"}"`,
    );
    const pair = String.raw`{"msg":"{\"password\": \"FAKEhunter2x\"}"}`;
    expect(redact(pair).text).toBe(String.raw`{"msg":"{\"password\": \"${ph('password-pair', 'FAKEhunter2x')}\"}"}`);
  });

  it('leaves escaped text that holds no secret exactly as it was', () => {
    for (const text of [String.raw`{"msg":"a\nb \"q\" C:\\tmp \u00e9"}`, 'colour \x1b[31mred\x1b[0m text', 'tab\tand\u200bzero-width']) {
      expect(redact(text)).toEqual({ text, count: 0, byRule: {} });
    }
  });
});

describe('redact: URL passwords holding #, / or ?', () => {
  it.each([
    ['postgres://svc:FAKEp#ss1x@db.internal:5432/app', 'FAKEp#ss1x', '@db.internal:5432/app'],
    ['redis://:FAKEp/ss1x@cache.internal:6379', 'FAKEp/ss1x', '@cache.internal:6379'],
    ['amqp://svc:FAKEp?ss1x@mq.internal', 'FAKEp?ss1x', '@mq.internal'],
    ['mongodb://admin:FAKE#/?p4ss@mongo.internal:27017/admin', 'FAKE#/?p4ss', '@mongo.internal:27017/admin'],
    ['https://ci:FAKEp@#ss1x@git.internal/acme/app.git', 'FAKEp@#ss1x', '@git.internal/acme/app.git'],
  ])('%s', (url, password, rest) => {
    const user = url.slice(0, url.indexOf(password));
    expect(redact(url).text).toBe(`${user}${ph('url-credentials', password)}${rest}`);
  });

  it('keeps hosts, ports and paths that only look like them, and a later @ in the query', () => {
    for (const url of [
      'https://example.com:8443/users/bob@example.com',
      'http://localhost:3000/users@me',
      'ssh://git@github.com:22/a.git',
    ]) {
      expect(redact(url).count).toBe(0);
    }
    expect(redact('https://u:FAKEpw12@host/x?next=a@b.com').text).toBe(
      `https://u:${ph('url-credentials', 'FAKEpw12')}@host/x?next=a@b.com`,
    );
  });
});

describe('redact: secrets where a diff or a path puts them', () => {
  it('finds tokens and URLs on the removed (-) and added (+) lines of a diff', () => {
    const diff = [
      '-AIzaFAKEfakeFAKEfake0123456789_-abcdefg',
      '+glpat-FAKEfakeFAKEfake0123',
      '-postgres://app:FAKEoldPw1@db:5432/app',
      '+postgres://app:FAKEnewPw2@db:5432/app',
    ].join('\n');
    expect(redact(diff).text).toBe(
      [
        `-${ph('google-api-key', 'AIzaFAKEfakeFAKEfake0123456789_-abcdefg')}`,
        `+${ph('gitlab-token', 'glpat-FAKEfakeFAKEfake0123')}`,
        `-postgres://app:${ph('url-credentials', 'FAKEoldPw1')}@db:5432/app`,
        `+postgres://app:${ph('url-credentials', 'FAKEnewPw2')}@db:5432/app`,
      ].join('\n'),
    );
  });

  it('still does not start a token inside a word (x-AIza…) or a scheme inside a scheme (mongodb+srv)', () => {
    expect(redact('x-AIzaFAKEfakeFAKEfake0123456789_-abcdefg').count).toBe(0);
    expect(redact('mongodb+srv://u:FAKEm0ng0@c.net').text).toBe(`mongodb+srv://u:${ph('url-credentials', 'FAKEm0ng0')}@c.net`);
  });

  it('reads a key=value pair at the end of a file path', () => {
    expect(redact('config/DB_PASSWORD=FAKEhunter22').text).toBe(`config/DB_PASSWORD=${ph('password-pair', 'FAKEhunter22')}`);
    expect(redact('//registry.npmjs.org/:_authToken=00000000-FAKE-4fak-8fak-0123456789ab').byRule).toEqual({ 'token-pair': 1 });
  });
});

describe('redact: git SHAs, UUIDs and versions used as identifiers', () => {
  const sha = '9fceb02d0ae598e95dc970b74767f19372d61af8';
  const uuid = '550e8400-e29b-41d4-a716-446655440000';

  it('keeps them wherever they name something: bare, as commit/sha/ref/id values, in ranges and versions', () => {
    for (const text of [
      sha,
      uuid,
      `commit=${sha}`,
      `sha: ${sha}`,
      `ref=${sha}`,
      `id: ${uuid}`,
      `${sha}..${sha}`,
      `2.14.3-rc.1+${sha.slice(0, 7)}`,
    ]) {
      expect(redact(text)).toEqual({ text, count: 0, byRule: {} });
    }
  });

  it('redacts a 40-hex value in a credential slot, deliberately: legacy GitHub and many API tokens are 40-hex', () => {
    // The entropy rule cannot tell a SHA from a hex token; only the key can. A SHA under `token:` is over-redacted.
    expect(redact(`token: ${sha}`).text).toBe(`token: ${ph('token-pair', sha)}`);
    expect(redact(`api_key=${sha}`).text).toBe(`api_key=${ph('token-pair', sha)}`);
  });
});
