import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateId } from '../../src/advisor/logs/index.js';
import { csvQuote as csvCell } from '../../src/contracts/text.js';
import { splitLogLines } from '../../src/evals/logs/index.js';
import { runCli } from '../support/cli.js';
import { readCsv } from '../support/csv.js';

describe('splitting and quoting', () => {
  it('splits LF and CRLF the same way; a final newline ends the last line', () => {
    expect(splitLogLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLogLines('a\r\nb\r\n')).toEqual(['a', 'b']);
    expect(splitLogLines('a\n\nb')).toEqual(['a', '', 'b']);
    expect(splitLogLines('')).toEqual([]);
    expect(splitLogLines('\n')).toEqual(['']);
  });

  it('quotes a CSV field only when it must, doubling quotes', () => {
    expect(csvCell('GET <*> 200')).toBe('GET <*> 200');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi')).toBe('"say ""hi"');
  });
});

describe('shipcheck eval logs', () => {
  let dir: string;
  const file = (name: string, content: string | Buffer) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, content);
    return f;
  };
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-eval-logs-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const LOG = [
    '2024-06-12 10:11:12,001 [main] INFO  c.a.Orders - order 1 placed, total 12.50 EUR',
    '2024-06-12 10:11:13,002 [main] WARN  c.a.Parser - bad token say "hi at offset 4',
    '2024-06-12 10:11:14,003 [main] INFO  c.a.Orders - order 2 placed, total 99.00 EUR',
    '',
    '2024-06-12 10:11:15,004 [main] WARN  c.a.Parser - bad token say "hi at offset 9',
  ];

  it('writes templates.csv: a header, one row per input line in order from 1, ids of the template text, CSV quoting', async () => {
    const out = path.join(dir, 'out');
    const r = await runCli(['eval', 'logs', '--input', file('app.log', LOG.join('\n') + '\n'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/app\.log: 5 lines, 3 templates, [\d,]+ lines\/s/);
    const text = fs.readFileSync(path.join(out, 'templates.csv'), 'utf8');
    const rows = readCsv(text);
    expect(rows[0]).toEqual(['line', 'templateId', 'template']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['1', '2', '3', '4', '5']);
    expect(rows.slice(1).map((r) => r[2])).toEqual([
      'INFO c.a.Orders - order <*> placed, total <*> EUR',
      'WARN c.a.Parser - bad token say "hi at offset <*>',
      'INFO c.a.Orders - order <*> placed, total <*> EUR',
      '',
      'WARN c.a.Parser - bad token say "hi at offset <*>',
    ]);
    for (const row of rows.slice(1)) expect(row[1]).toBe(templateId(row[2]!));
    // The comma and the quote made the writer quote those fields.
    expect(text).toContain(',"INFO c.a.Orders - order <*> placed, total <*> EUR"\n');
    expect(text).toContain(',"WARN c.a.Parser - bad token say ""hi at offset <*>"\n');
  });

  it('scores grouping against labels and prints the --json summary', async () => {
    const input = file('l.log', LOG.join('\n') + '\n');
    const labels = file('l.labels', ['placed', 'token', 'placed', 'blank', 'token'].join('\n') + '\n');
    const r = await runCli(['eval', 'logs', '--input', input, '--labels', labels, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      input: 'l.log',
      lines: 5,
      templates: 3,
      groupingAccuracy: 1,
      trueGroups: 3,
      correctGroups: 3,
    });
    const wrong = file('w.labels', ['a', 'a', 'a', 'b', 'c'].join('\n'));
    const r2 = await runCli(['eval', 'logs', '--input', input, '--labels', wrong]);
    expect(r2.out).toContain('grouping accuracy 0.200');
  });

  it('reads a CRLF file exactly as the LF one', async () => {
    const lf = path.join(dir, 'lf');
    const crlf = path.join(dir, 'crlf');
    await runCli(['eval', 'logs', '--input', file('a.log', LOG.join('\n')), '--out', lf]);
    await runCli(['eval', 'logs', '--input', file('b.log', LOG.join('\r\n') + '\r\n'), '--out', crlf]);
    expect(fs.readFileSync(path.join(crlf, 'templates.csv'), 'utf8')).toBe(fs.readFileSync(path.join(lf, 'templates.csv'), 'utf8'));
  });

  it('refuses an empty file (exit 1), a missing --input and mismatched labels (exit 2)', async () => {
    const empty = await runCli(['eval', 'logs', '--input', file('empty.log', '')]);
    expect(empty.code).toBe(1);
    expect(empty.err).toContain('empty, no log lines');
    const missing = await runCli(['eval', 'logs']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('missing --input');
    const gone = await runCli(['eval', 'logs', '--input', path.join(dir, 'nope.log')]);
    expect(gone.code).toBe(2);
    const mismatch = await runCli(['eval', 'logs', '--input', file('m.log', 'a\nb\n'), '--labels', file('m.labels', 'x\n')]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.err).toContain('1 labels for 2 log lines');
  });

  it('mines a very long line and binary garbage without failing, one row per line, and warns about the garbage', async () => {
    const out = path.join(dir, 'bad');
    const garbage = Buffer.from([0x00, 0xff, 0xfe, 0x41, 0x0d, 0x42, 0x00, 0x9c, 0x2c, 0x22]);
    const content = Buffer.concat([Buffer.from(`INFO ${'payload '.repeat(20_000)}end\n`), garbage, Buffer.from('\nINFO done\n')]);
    const r = await runCli(['eval', 'logs', '--input', file('bad.log', content), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('1 of 3 lines are not clean UTF-8 text');
    const rows = readCsv(fs.readFileSync(path.join(out, 'templates.csv'), 'utf8'));
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.length)).toEqual([3, 3, 3, 3]);
    expect(rows[1]![2]!.length).toBeLessThan(2000);
    expect(rows[2]![2]).not.toContain('\u0000');
    expect(rows[3]![2]).toBe('INFO done');
  });

  it('shows its usage with --help and is named in eval --help', async () => {
    expect((await runCli(['eval', 'logs', '--help'])).out).toContain('usage: shipcheck eval logs --input FILE');
    expect((await runCli(['eval', '--help'])).out).toContain('shipcheck eval logs --input FILE');
  });
});
