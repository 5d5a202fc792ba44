import { describe, expect, it } from 'vitest';
import { cleanLine, MAX_LINE_CHARS, MAX_TOKENS, prepareLine, templateText } from '../../src/advisor/logs/index.js';

/** The masked template text of one line, as the miner sees it before any merging. */
const t = (line: string) => {
  const p = prepareLine(line);
  return templateText(p.level, p.tokens);
};

describe('masking of volatile values', () => {
  it.each([
    ['numbers and decimals', 'retried 3 times, waited 2.5 then 10,000', 'retried <*> times, waited <*> then <*>'],
    ['signed ids after an underscore', 'Deleting block blk_-1608999687919862906 now', 'Deleting block blk_<*> now'],
    ['hex literals and SHAs', 'fault at 0x7f3a9c pc 0xDEADBEEF in commit 9f2c1ab', 'fault at <*> pc <*> in commit <*>'],
    ['UUIDs', 'session 8f14e45f-ceea-467f-a5c4-4b2b5b2a2a1e expired', 'session <*> expired'],
    ['IPv4 with and without port', 'from 10.0.0.5 to 192.168.1.20:5432 ok', 'from <*> to <*> ok'],
    ['IPv6', 'peer fe80::1ff:fe23:4567:890a and 2001:db8:0:0:0:0:2:1 up', 'peer <*> and <*> up'],
    ['MAC addresses', 'link aa:bb:cc:dd:ee:ff up', 'link <*> up'],
    [
      'durations and sizes',
      'took 87ms then 1.204s then 1m30.5s then 250µs, wrote 512KB (95%)',
      'took <*> then <*> then <*> then <*> wrote <*>',
    ],
    ['emails', 'invoice sent to carol.lee@mail.example.org', 'invoice sent to <*>'],
    ['paths with ids', 'GET /api/users/123/orders/8f14e45f-ceea-467f-a5c4-4b2b5b2a2a1e', 'GET /api/users/<*>/orders/<*>'],
    ['random ids without separators', 'request x7Kq2Lm9Pz4 done', 'request <*> done'],
    ['Kubernetes pod names', 'pod payments-api-7d9f8b6c5d-x2kqz and fluentd-x7k2p ready', 'pod payments-api-<*> and fluentd-<*> ready'],
    ['double- and single-quoted values', `relation "users_tmp" and table 'orders' missing`, 'relation <*> and table <*> missing'],
    ['key=value values', 'login user=alice tenant=acme took=12ms', 'login user=<*> tenant=<*> took=<*>'],
  ])('%s', (_kind, line, expected) => {
    expect(t(line)).toBe(expected);
  });

  it.each([
    ['ISO 8601 with zone', '2024-06-12T10:11:12.123Z job done'],
    ['log4j (comma millis)', '2024-06-12 10:11:12,123 job done'],
    ['Postgres (zone name)', '2024-06-12 10:11:12.345 UTC job done'],
    ["Go's log package", '2024/06/12 10:11:12 job done'],
    ['syslog', 'Jun 12 10:11:12 job done'],
    ['common log format in brackets', '[12/Jun/2024:10:11:12 +0000] job done'],
    ['HDFS (date, time, pid)', '081109 203615 148 job done'],
  ])('strips a leading timestamp: %s', (_kind, line) => {
    expect(t(line)).toBe('job done');
  });

  it('keeps what carries meaning: words with digits, apostrophes, outcome values, statuses in a status position', () => {
    expect(t('node01 uses sha256 on v2')).toBe('node01 uses sha256 on v2');
    expect(t("can't open the file")).toBe("can't open the file");
    expect(t('charge result=failed code=503 attempts=3')).toBe('charge result=failed code=503 attempts=<*>');
    expect(t('1.2.3.4 - - [12/Jun/2024:10:11:12 +0000] "GET /pay/42 HTTP/1.1" 502 87 "-" "curl/8.0"')).toBe(
      'GET /pay/<*> HTTP/<*> 502 <*>',
    );
    expect(t('GET /pay 503 in 12ms')).toBe('GET /pay 503 in <*>');
    // Not a status position: a number like any other.
    expect(t('batch 500 done')).toBe('batch <*> done');
  });

  it('reads the message of logfmt, klog and JSON lines instead of masking it as a quoted value', () => {
    expect(t('time=2024-06-12T10:11:12Z level=error msg="dial tcp 10.0.0.5:5432: connection refused" user=bob')).toBe(
      'ERROR msg=dial tcp <*> connection refused user=<*>',
    );
    expect(t('I0612 10:11:12.123456   12345 prober.go:107] "Probe failed" pod="default/web-7d9f8b6c5d-x2kqz"')).toBe(
      'INFO prober.go:<*>] Probe failed pod=<*>',
    );
    expect(t('{"ts":"2024-06-12T10:11:12Z","level":"warn","msg":"slow query","duration_ms":1234,"table":"orders","status":503}')).toBe(
      'WARN slow query duration_ms=<*> table=<*> status=503',
    );
  });
});

describe('the header: level and line prefix', () => {
  it.each([
    ['2024-06-12 10:11:12,123 [pool-1-thread-3] ERROR com.acme.Orders - failed', 'ERROR com.acme.Orders - failed'],
    ['[2024-06-12T10:11:12Z] [warn] disk almost full', 'WARN disk almost full'],
    ['2024-06-12 10:11:12.345 UTC [12345] WARNING:  no transaction in progress', 'WARN no transaction in progress'],
    ['E0612 10:11:12.123456   12345 server.go:88] lost leader', 'ERROR server.go:<*>] lost leader'],
    ['level=info msg=started', 'INFO msg=started'],
    ['081109 203615 148 INFO dfs.DataNode: Receiving block', 'INFO dfs.DataNode: Receiving block'],
  ])('%s', (line, expected) => {
    expect(t(line)).toBe(expected);
  });

  it('does not take a lowercase word inside a message for a level', () => {
    expect(t('cannot find error page')).toBe('cannot find error page');
  });

  it('files the same message at two levels as two templates (levels are kept apart)', () => {
    expect(prepareLine('INFO cache miss').level).toBe('INFO');
    expect(prepareLine('ERROR cache miss').level).toBe('ERROR');
  });
});

describe('records: which lines start one', () => {
  it.each([
    ['2024-06-12 10:11:12,123 [main] ERROR c.a.Orders - failed', true],
    ['INFO started', true],
    ['3 replicas ready', true],
    ['\tat com.acme.Orders.place(Orders.java:88)', false],
    ['\t... 48 more', false],
    ['Caused by: java.net.SocketTimeoutException: Read timed out', false],
    ['goroutine 7 [running]:', false],
  ])('%s → %s', (line, headed) => {
    expect(prepareLine(line).headed).toBe(headed);
  });
});

describe('text hygiene and bounds', () => {
  it('replaces control characters and lone surrogates, keeps tabs and well-formed text', () => {
    expect(cleanLine('a\u0000b\u001bc\td\ud800é🙂')).toBe('a\ufffdb\ufffdc\td\ufffdé🙂');
  });

  it(`cuts a line at ${MAX_LINE_CHARS} characters and a template at ${MAX_TOKENS} tokens`, () => {
    const words = Array.from({ length: 5000 }, (_, i) => `w${String.fromCharCode(97 + (i % 26))}x`).join(' ');
    const p = prepareLine(words);
    expect(p.tokens).toHaveLength(MAX_TOKENS);
    expect(p.tokens[MAX_TOKENS - 1]).toBe('<*>');
    expect(cleanLine('x'.repeat(MAX_LINE_CHARS + 50))).toHaveLength(MAX_LINE_CHARS);
  });

  it('gives a blank line no tokens and a timestamp-only line one <*>', () => {
    expect(prepareLine('   ')).toEqual({ level: '', tokens: [], headed: false });
    expect(prepareLine('2024-06-12T10:11:12Z')).toEqual({ level: '', tokens: ['<*>'], headed: true });
  });
});
