import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const FIXTURES = path.resolve('fixtures/nab');
const DATA = path.join(FIXTURES, 'data');
const WINDOWS = path.join(FIXTURES, 'windows.json');
const PROFILES = path.join(FIXTURES, 'profiles.json');
const FILES = [
  'artificialNoAnomaly/art_flatline.csv',
  'artificialWithAnomaly/art_daily_jumpsup.csv',
  'realAWSCloudwatch/rds_cpu_utilization_e47b3b.csv',
];

const csv = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

describe('shipcheck eval nab', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-nab-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one scored row per input row, in order, with labels from the windows, and reports the three profiles', async () => {
    const out = path.join(dir, 'scored');
    const r = await runCli(['eval', 'nab', '--data', DATA, '--windows', WINDOWS, '--profiles', PROFILES, '--out', out]);
    expect(r.code).toBe(0);
    const windows = JSON.parse(fs.readFileSync(WINDOWS, 'utf8')) as Record<string, [string, string][]>;
    for (const key of FILES) {
      const input = csv(path.join(DATA, key));
      const output = csv(path.join(out, key));
      expect(output[0]).toEqual(['timestamp', 'value', 'anomaly_score', 'label']);
      expect(output.length).toBe(input.length);
      const instant = (t: string) => Date.parse(`${t.slice(0, 19).replace(' ', 'T')}Z`);
      for (let i = 1; i < input.length; i++) {
        const [ts, value, score, label] = output[i]!;
        expect([ts, value]).toEqual(input[i]);
        expect(Number(score) >= 0 && Number(score) <= 1).toBe(true);
        const inside = windows[key]!.some(([a, b]) => instant(ts!) >= instant(a) && instant(ts!) <= instant(b));
        expect(label).toBe(inside ? '1' : '0');
      }
    }
    expect(r.out).toMatch(/^NAB: 3 files, 3100 rows/);
    for (const profile of ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate']) expect(r.out).toContain(`${profile} (tp 1,`);
    expect(r.out).toContain('Numenta HTM  70.5 / 62.6 / 75.2');
    expect(r.out).toContain('realAWSCloudwatch: Numenta HTM 73.4');
    expect(r.err).toContain('nab files 3/3');
  });

  it('finds both labelled anomalies in the slices, without false alarms (--json)', async () => {
    const r = await runCli(['eval', 'nab', '--data', DATA, '--windows', WINDOWS, '--out', path.join(dir, 'json'), '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s).toMatchObject({ files: 3, rows: 3100, unlabelled: [] });
    const standard = s.scores.standard;
    expect(standard.overall).toMatchObject({ detected: 2, missed: 0, falsePositives: 0, null: -2, perfect: 2 });
    expect(standard.overall.score).toBeGreaterThan(80);
    expect(standard.folders.artificialNoAnomaly.score).toBeNull();
    expect(Object.keys(s.scores)).toEqual(['standard', 'reward_low_FP_rate', 'reward_low_FN_rate']);
  });

  it('without windows: scores only, no label column, no NAB score', async () => {
    const out = path.join(dir, 'plain');
    const r = await runCli(['eval', 'nab', '--data', DATA, '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).scores).toBeNull();
    expect(csv(path.join(out, FILES[2]!))[0]).toEqual(['timestamp', 'value', 'anomaly_score']);
  });

  it('explains a missing directory, a bad row (file and line), windows naming unknown files, a missing --out', async () => {
    const missing = await runCli(['eval', 'nab', '--data', path.join(dir, 'nope'), '--out', path.join(dir, 'x')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/data directory .*nope does not exist/);

    const bad = path.join(dir, 'bad');
    fs.mkdirSync(path.join(bad, 'real'), { recursive: true });
    fs.writeFileSync(path.join(bad, 'real', 'a.csv'), 'timestamp,value\n2014-01-01 00:00:00,1\n2014-01-01 00:05:00,oops\n');
    const badRow = await runCli(['eval', 'nab', '--data', bad, '--out', path.join(dir, 'y')]);
    expect(badRow.code).toBe(1);
    expect(badRow.err).toContain('real/a.csv:3: value "oops" is not a number');

    const unknown = path.join(dir, 'unknown.json');
    fs.writeFileSync(unknown, JSON.stringify({ 'realAWSCloudwatch/not_there.csv': [], [FILES[0]!]: [] }));
    const badWindows = await runCli(['eval', 'nab', '--data', DATA, '--windows', unknown, '--out', path.join(dir, 'z')]);
    expect(badWindows.code).toBe(1);
    expect(badWindows.err).toContain('names 1 file(s) not in the data directory: realAWSCloudwatch/not_there.csv');

    const noOut = await runCli(['eval', 'nab', '--data', DATA]);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toContain('missing --out');
  });
});
