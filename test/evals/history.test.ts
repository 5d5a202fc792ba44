import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../src/contracts/evals.js';
import {
  CsvRecordReader,
  fileLines,
  formatHistoryError,
  METRIC_NAMES,
  parseCsvLine,
  parseWhen,
  readHistory,
  readHistoryFile,
  summariseHistory,
  type HistoryReadError,
  type ReadHistoryOptions,
} from '../../src/evals/history/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/history/${name}`, import.meta.url));

async function collect(items: AsyncIterable<{ record?: HistoryRecord; error?: HistoryReadError }>) {
  const records: HistoryRecord[] = [];
  const errors: HistoryReadError[] = [];
  for await (const it of items) {
    if (it.record) records.push(it.record);
    if (it.error) errors.push(it.error);
  }
  return { records, errors };
}

const read = (lines: string[], opts: ReadHistoryOptions = {}) => collect(readHistory(lines, opts));
const byId = (records: HistoryRecord[], id: string) => {
  const r = records.find((x) => x.id === id);
  if (!r) throw new Error(`no record ${id}`);
  return r;
};

/** A line exactly as in the shared jit/ data (npm.jsonl, first line). */
const SHARED_LINE =
  '{"id":"npm-000000","service":"npm","deployedAt":"2009-09-29T17:21:33Z","outcome":"success","metrics":{"ns":2,"nd":2,"nf":6,"entropy":2.104222504,"la":288,"ld":0,"lt":0,"fix":0,"ndev":1,"age":0,"nuc":0,"exp":2.5,"rexp":0,"sexp":1}}';

const jsonl = (id: string, deployedAt: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id, service: 'svc', deployedAt, outcome: 'success', metrics: { la: 1, ld: 0 }, ...extra });

describe('release-history JSONL', () => {
  it('reads the 14 metrics of the shared-data line shape', async () => {
    const { records, errors } = await read([SHARED_LINE]);
    expect(errors).toEqual([]);
    expect(records).toEqual([
      {
        id: 'npm-000000',
        service: 'npm',
        at: new Date('2009-09-29T17:21:33Z'),
        outcome: 'success',
        metrics: {
          ns: 2,
          nd: 2,
          nf: 6,
          entropy: 2.104222504,
          la: 288,
          ld: 0,
          lt: 0,
          fix: 0,
          ndev: 1,
          age: 0,
          nuc: 0,
          exp: 2.5,
          rexp: 0,
          sexp: 1,
        },
      },
    ]);
    expect(Object.keys(records[0]?.metrics ?? {}).sort()).toEqual([...METRIC_NAMES].sort());
  });

  it('maps the demo superset fixture: rolled_back is a failure, changes-only rows get derived metrics', async () => {
    const { records, errors } = await collect(readHistoryFile(fixture('releases.jsonl')));
    expect(errors).toEqual([]);
    expect(records.map((r) => r.id)).toEqual([
      'rel-storefront-1.0.0',
      'rel-storefront-1.0.1',
      'rel-storefront-1.0.2',
      'rel-storefront-1.1.0',
      'rel-storefront-1.1.1',
      'rel-storefront-1.1.2',
    ]);
    expect(byId(records, 'rel-storefront-1.1.1')).toEqual({
      id: 'rel-storefront-1.1.1',
      service: 'storefront',
      at: new Date('2025-01-17T16:40:00Z'),
      outcome: 'failure',
      metrics: {
        ns: 3,
        nd: 4,
        nf: 7,
        entropy: 0.92,
        la: 510,
        ld: 120,
        lt: 2300,
        fix: 0,
        ndev: 5,
        age: 20,
        nuc: 30,
        exp: 2,
        rexp: 0.9,
        sexp: 1,
      },
    });
    // Hand-computed in fixtures/history/README.md; history-dependent metrics absent, not 0.
    const derived = byId(records, 'rel-storefront-1.1.0');
    expect(derived.outcome).toBe('success');
    expect(derived.metrics).toEqual({ ns: 3, nd: 3, nf: 4, entropy: 0.875, la: 6, ld: 2, fix: 1 });

    const s = summariseHistory(records);
    expect(s).toMatchObject({ records: 6, failures: 2, successes: 4, sortedByTime: true, outOfOrder: 0 });
    expect(s.failureRate).toBeCloseTo(1 / 3, 12);
    expect(s.services).toEqual([{ service: 'storefront', records: 6, failures: 2, failureRate: 2 / 6 }]);
    expect(s.firstAt).toEqual(new Date('2025-01-06T10:00:00Z'));
    expect(s.spanDays).toBeCloseTo(14 + 15 / 1440, 9);
    expect(s.metricCoverage.la).toBe(6);
    expect(s.metricCoverage.lt).toBe(5);
    expect(s.notes.join('\n')).toContain('history-dependent metrics missing');
  });

  it('rejects bad rows whole, with their line and every reason, and keeps reading', async () => {
    const lines = [
      jsonl('a', '2024-01-01T00:00:00Z'),
      '{"id":"b", "service":',
      '',
      jsonl('c', 'yesterday'),
      jsonl('d', '2024-01-04T00:00:00Z', { outcome: 'meh', metrics: { la: 'abc', ld: 2 } }),
      JSON.stringify({ id: 'e', deployedAt: '2024-01-05T00:00:00Z', outcome: 'failure', metrics: {} }),
      JSON.stringify({ id: 'f', service: 'svc', deployedAt: '2024-01-06T00:00:00Z', outcome: 'success' }),
      '[1,2]',
      jsonl('g', '2024-01-08T00:00:00Z', { outcome: 'rolled_back' }),
    ];
    const { records, errors } = await read(lines);
    expect(records.map((r) => [r.id, r.outcome])).toEqual([
      ['a', 'success'],
      ['g', 'failure'],
    ]);
    expect(errors.map((e) => e.line)).toEqual([2, 4, 5, 6, 7, 8]);
    expect(errors[0]?.message).toMatch(/^invalid JSON/);
    expect(formatHistoryError(errors[1]!)).toBe("line 4: bad date in deployedAt: 'yesterday'");
    expect(errors[2]?.message).toBe("unknown outcome 'meh' (expected success, failure or rolled_back); metric la is not a number: 'abc'");
    expect(formatHistoryError(errors[3]!)).toBe('line 6: no service: pass --service');
    expect(errors[4]?.message).toBe('neither metrics nor changes');
    expect(errors[5]?.message).toBe('not a JSON object');
  });

  it('lets --service override the rows', async () => {
    const { records } = await read(
      [SHARED_LINE, JSON.stringify({ id: 'x', deployedAt: '2024-01-01T00:00:00Z', outcome: 'success', metrics: {} })],
      { service: 'web' },
    );
    expect(records.map((r) => r.service)).toEqual(['web', 'web']);
  });

  it('reports malformed changes instead of deriving from half of them', async () => {
    const row = {
      id: 'r1',
      service: 's',
      deployedAt: '2024-01-01T00:00:00Z',
      outcome: 'success',
      changes: [
        {
          files: [
            { path: 'a.ts', additions: 1, deletions: 0 },
            { path: 'b.ts', additions: 'many', deletions: 0 },
          ],
        },
      ],
    };
    const { records, errors } = await read([JSON.stringify(row)]);
    expect(records).toEqual([]);
    expect(errors).toEqual([{ line: 1, message: "changes[0].files[1].additions is not a line count: 'many'" }]);
  });
});

describe('Commit Guru CSV', () => {
  it('maps columns by name, flags in any spelling, and reports the bad row by line', async () => {
    const { records, errors } = await collect(readHistoryFile(fixture('commit-guru.csv')));
    expect(errors).toEqual([{ line: 7, message: "metric la is not a number: 'abc'" }]);
    expect(formatHistoryError(errors[0]!)).toBe("line 7: metric la is not a number: 'abc'");
    expect(records).toHaveLength(9);
    expect(records[0]).toEqual({
      id: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345601',
      service: 'widgets',
      at: new Date(1_700_000_000_000),
      outcome: 'success',
      metrics: {
        ns: 1,
        nd: 2,
        nf: 3,
        entropy: 1.459147917,
        la: 420,
        ld: 0,
        lt: 0,
        fix: 0,
        ndev: 1,
        age: 0,
        nuc: 0,
        exp: 0,
        rexp: 0,
        sexp: 0,
      },
    });
    const fix = byId(records, 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345603'); // quoted message with doubled quotes
    expect(fix).toMatchObject({ outcome: 'success', at: new Date('2023-11-16T22:13:20Z') });
    expect(fix.metrics).toMatchObject({ fix: 1, la: 6, ld: 2, lt: 180, ndev: 2, rexp: 0.9 });
    expect(byId(records, 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345602').outcome).toBe('failure'); // True
    expect(records.slice(5).map((r) => r.outcome)).toEqual(['success', 'failure', 'success', 'success']); // false, 1, 0, False
    expect(summariseHistory(records).sortedByTime).toBe(true);
  });

  it('lets --service override repository_id', async () => {
    const { records } = await collect(readHistoryFile(fixture('commit-guru.csv'), { service: 'acme' }));
    expect(new Set(records.map((r) => r.service))).toEqual(new Set(['acme']));
  });

  it('ignores unknown columns, accepts entropy or entrophy, and fields in any order', async () => {
    const { records, errors } = await read(
      ['Extra, LA ,contains_bug,Entropy,commit_hash,author_date_unix_timestamp,project', 'zz,10,true,0.5,abc123,1600000000,web'],
      { format: 'csv' },
    );
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { id: 'abc123', service: 'web', at: new Date(1_600_000_000_000), outcome: 'failure', metrics: { la: 10, entropy: 0.5 } },
    ]);
  });

  it('rejects a header without an id, time or outcome column, listing the accepted names, and reads no further', async () => {
    const { records, errors } = await read(['sha,when,la', 'x,1600000000,1'], { format: 'csv', service: 's' });
    expect(records).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(1);
    for (const name of ['commit_hash', 'commit_id', '_id', 'author_date_unix_timestamp', 'date', 'contains_bug', 'bug'])
      expect(errors[0]?.message).toContain(name);
  });

  it('needs a service column or --service', async () => {
    const lines = ['commit_hash,author_date_unix_timestamp,contains_bug', 'a,1600000000,0'];
    expect((await read(lines)).errors).toEqual([
      { line: 1, message: 'no service: pass --service (or add a service / project / repository_id column)' },
    ]);
    expect((await read(lines, { service: 'api' })).records.map((r) => r.service)).toEqual(['api']);
  });

  it('reports rows of the wrong width, bad flags and bad dates by line', async () => {
    const { records, errors } = await read(
      [
        'commit_hash,author_date_unix_timestamp,contains_bug,fix,la',
        'a,1600000000,0,0,1',
        'b,1600000001,0',
        'c,soon,maybe,2,1',
        'd,1600000003,1,True,4',
      ],
      { service: 's', format: 'csv' },
    );
    expect(records.map((r) => [r.id, r.metrics.fix])).toEqual([
      ['a', 0],
      ['d', 1],
    ]);
    expect(errors).toEqual([
      { line: 3, message: 'has 3 fields, the header has 5' },
      {
        line: 4,
        message:
          "bad date in author_date_unix_timestamp: 'soon'; unknown outcome 'maybe' in contains_bug (expected True/False or 1/0); metric fix is not True/False/1/0: '2'",
      },
    ]);
  });
});

describe('replication-package CSV', () => {
  it('maps _id / date / bug with ISO, offset, zone-less (UTC), date-only and unix-second dates', async () => {
    const { records, errors } = await collect(readHistoryFile(fixture('replication.csv')));
    expect(errors).toEqual([]);
    expect(records).toHaveLength(8);
    expect(records[1]).toEqual({
      id: '8e1d6c5',
      service: 'parser',
      at: new Date('2021-03-07T07:10:00Z'),
      outcome: 'failure',
      metrics: {
        fix: 0,
        ns: 2,
        nd: 3,
        nf: 5,
        entropy: 0.82,
        la: 240,
        ld: 31,
        lt: 900,
        ndev: 4,
        age: 11.2,
        nuc: 14,
        exp: 7,
        rexp: 2.1,
        sexp: 3,
      },
    });
    expect(records.slice(2, 5).map((r) => [r.id, r.at.toISOString(), r.outcome])).toEqual([
      ['7d2c5b4', '2021-03-06T10:10:00.000Z', 'success'],
      ['6c3b4a3', '2021-03-05T14:00:00.000Z', 'success'],
      ['5b4a392', '2021-03-04T00:00:00.000Z', 'failure'],
    ]);
    const s = summariseHistory(records);
    expect(s).toMatchObject({ records: 8, failures: 3, sortedByTime: false, outOfOrder: 7 });
    expect(s.notes.join('\n')).toContain('input was not sorted by time');
  });

  it('accepts commit_id as the id column', async () => {
    const { records } = await read(['commit_id,date,bug,la', 'c1,2020-01-01T00:00:00Z,0,3'], { service: 's', format: 'csv' });
    expect(records.map((r) => [r.id, r.metrics.la])).toEqual([['c1', 3]]);
  });
});

describe('duplicates, empty files, format choice', () => {
  it('rejects a duplicate id, naming the line of the first', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => jsonl(`npm-${String(i).padStart(6, '0')}`, '2024-01-01T00:00:00Z'));
    lines[39] = jsonl('npm-000006', '2024-02-01T00:00:00Z');
    const { records, errors } = await read(lines);
    expect(records).toHaveLength(39);
    expect(errors.map(formatHistoryError)).toEqual(['line 40: duplicate id npm-000006 (first at line 7)']);
  });

  it('rejects a duplicate in CSV too', async () => {
    const { errors } = await read(['_id,date,bug', 'x,2020-01-01,0', 'y,2020-01-02,0', 'x,2020-01-03,1'], {
      service: 's',
      fileName: 'h.csv',
    });
    expect(errors).toEqual([{ line: 4, message: 'duplicate id x (first at line 2)' }]);
  });

  it('says "empty file" for nothing or only blank lines, and "no rows" for a header alone', async () => {
    expect(await read([])).toEqual({ records: [], errors: [{ line: 0, message: 'empty file' }] });
    expect(await read(['', '  ', '\r'], { fileName: 'x.jsonl' })).toEqual({ records: [], errors: [{ line: 0, message: 'empty file' }] });
    expect(await read(['commit_hash,author_date_unix_timestamp,contains_bug,la', ''], { service: 's' })).toEqual({
      records: [],
      errors: [{ line: 0, message: 'no rows' }],
    });
  });

  it('picks the format by extension, by explicit option, or by the first line', async () => {
    const csv = ['_id,date,bug', 'a,2020-01-01,1'];
    expect((await read(csv, { service: 's' })).records).toHaveLength(1);
    expect((await read(csv, { service: 's', fileName: 'x.jsonl' })).errors[0]?.message).toMatch(/^invalid JSON/);
    expect((await read(['\uFEFF' + SHARED_LINE], { fileName: 'npm.txt' })).records).toHaveLength(1);
    expect((await read([SHARED_LINE], { format: 'csv', service: 's' })).errors[0]?.message).toMatch(/^header:/);
  });

  it('splits an item that holds several lines, and numbers lines through it', async () => {
    const { records, errors } = await read([`${jsonl('a', '2024-01-01')}\nnot json\r\n${jsonl('b', '2024-01-02')}`]);
    expect(records.map((r) => r.id)).toEqual(['a', 'b']);
    expect(errors.map((e) => e.line)).toEqual([2]);
  });
});

describe('summariseHistory', () => {
  const rec = (id: string, at: string, outcome: 'success' | 'failure', service = 'a'): HistoryRecord => ({
    id,
    service,
    at: new Date(at),
    outcome,
    metrics: {},
  });

  it('detects unsorted input and counts per service', () => {
    const s = summariseHistory([
      rec('1', '2024-01-02', 'success'),
      rec('2', '2024-01-01', 'failure', 'b'),
      rec('3', '2024-01-05', 'failure'),
      rec('4', '2024-01-03', 'success'),
    ]);
    expect(s).toMatchObject({ records: 4, failures: 2, failureRate: 0.5, sortedByTime: false, outOfOrder: 2, spanDays: 4 });
    expect(s.services).toEqual([
      { service: 'a', records: 3, failures: 1, failureRate: 1 / 3 },
      { service: 'b', records: 1, failures: 1, failureRate: 1 },
    ]);
    expect(s.notes[0]).toBe('input was not sorted by time (2 records earlier than the one before); the replay sorts by time');
  });

  it('treats equal times as sorted, and an empty history as empty', () => {
    expect(summariseHistory([rec('1', '2024-01-01', 'success'), rec('2', '2024-01-01', 'failure')]).sortedByTime).toBe(true);
    expect(summariseHistory([])).toMatchObject({
      records: 0,
      failureRate: null,
      firstAt: null,
      spanDays: null,
      sortedByTime: true,
      notes: ['no records'],
    });
  });

  it('warns when entropy is on the raw (bits) scale', () => {
    const r = { ...rec('1', '2024-01-01', 'success'), metrics: { entropy: 2.1 } };
    expect(summariseHistory([r, rec('2', '2024-01-02', 'failure')]).notes.join('\n')).toContain('entropy above 1 in 1 records');
  });
});

describe('CSV reading', () => {
  it('handles quoted commas and doubled quotes within a line', () => {
    expect(parseCsvLine('a,"b, c","say ""hi""",,"",x"y')).toEqual(['a', 'b, c', 'say "hi"', '', '', 'x"y']);
    expect(parseCsvLine('"a"b,c')).toEqual({ error: 'unexpected "b" after a closing quote in field 1' });
  });

  it('joins a quoted field across lines, and gives up on one left open', () => {
    const r = new CsvRecordReader(3);
    expect(r.push('1,"two', 5)).toEqual({ kind: 'pending' });
    expect(r.push('lines",3', 6)).toEqual({ kind: 'record', fields: ['1', 'two\nlines', '3'], line: 5 });
    expect(r.push('2,"open', 7).kind).toBe('pending');
    r.push('still', 8);
    expect(r.push('and still', 9)).toEqual({
      kind: 'error',
      line: 7,
      message: 'unterminated quoted field: the record runs past 3 lines; lines 7-9 skipped',
    });
    expect(r.push('3,x', 10)).toEqual({ kind: 'record', fields: ['3', 'x'], line: 10 });
    r.push('4,"never closed', 11);
    expect(r.end(11)).toEqual({ kind: 'error', line: 11, message: 'unterminated quoted field at end of file; lines 11-11 skipped' });
  });

  it('reads a multi-line commit message in a history file by its starting line', async () => {
    const { records, errors } = await read(
      [
        'commit_hash,commit_message,author_date_unix_timestamp,contains_bug',
        'a,"Fix it',
        '',
        'really",1600000000,1',
        'b,plain,1600000001,0',
        'c,"oops,1600000002,0',
      ],
      {
        service: 's',
        format: 'csv',
      },
    );
    expect(records.map((r) => r.id)).toEqual(['a', 'b']);
    expect(errors).toEqual([{ line: 6, message: 'unterminated quoted field at end of file; lines 6-6 skipped' }]);
  });
});

describe('dates', () => {
  it('reads unix seconds, milliseconds, ISO with and without zone, and git-style dates; rejects impossible ones', () => {
    expect(parseWhen('1600000000')).toEqual(new Date(1_600_000_000_000));
    expect(parseWhen(1_600_000_000_123)).toEqual(new Date(1_600_000_000_123));
    expect(parseWhen('2021-03-05 14:00:00')).toEqual(new Date('2021-03-05T14:00:00Z'));
    expect(parseWhen('2021-03-05T14:00:00.5+0200')).toEqual(new Date('2021-03-05T12:00:00.500Z'));
    expect(parseWhen('Tue Apr 3 12:00:00 2012 +0200')).toEqual(new Date('2012-04-03T10:00:00Z'));
    for (const bad of ['2014-02-30', '2014-13-01', 'yesterday', 'Tue Apr 3 12:00:00 2012', '', '0x10'])
      expect(parseWhen(bad)).toBeUndefined();
  });
});

describe('streaming', () => {
  it('reads 200k lines from a generator', async () => {
    async function* lines() {
      for (let i = 0; i < 200_000; i++) {
        yield `{"id":"s-${i}","service":"svc","deployedAt":"${new Date(1_600_000_000_000 + i * 60_000).toISOString()}","outcome":"${i % 4 === 0 ? 'failure' : 'success'}","metrics":{"la":${i % 500},"ld":3,"nf":2}}`;
      }
    }
    let records = 0;
    let failures = 0;
    let errors = 0;
    for await (const it of readHistory(lines())) {
      if (it.record) {
        records++;
        if (it.record.outcome === 'failure') failures++;
      } else errors++;
    }
    expect({ records, failures, errors }).toEqual({ records: 200_000, failures: 50_000, errors: 0 });
  });

  it('reads 200k CSV lines too', async () => {
    function* lines() {
      yield 'commit_hash,author_date_unix_timestamp,contains_bug,la,ld,entrophy';
      for (let i = 0; i < 200_000; i++) yield `h${i},${1_600_000_000 + i},${i % 5 === 0 ? 'True' : 'False'},${i % 300},2,0.5`;
    }
    let n = 0;
    let failures = 0;
    for await (const it of readHistory(lines(), { service: 's' })) {
      if (!it.record) throw new Error(formatHistoryError(it.error));
      n++;
      if (it.record.outcome === 'failure') failures++;
    }
    expect({ n, failures }).toEqual({ n: 200_000, failures: 40_000 });
  });

  it('pulls lines only as records are asked for', async () => {
    let pulled = 0;
    async function* lines() {
      for (let i = 0; i < 1_000_000; i++) {
        pulled++;
        yield jsonl(`id-${i}`, '2024-01-01T00:00:00Z');
      }
    }
    const it = readHistory(lines());
    const first = await it.next();
    expect(first.value?.record?.id).toBe('id-0');
    await it.return(undefined);
    expect(pulled).toBe(1);
  });
});

describe('fixture files', () => {
  it('are read line by line from disk', async () => {
    let n = 0;
    for await (const line of fileLines(fixture('releases.jsonl'))) if (line.trim()) n++;
    expect(n).toBe(6);
  });
});
