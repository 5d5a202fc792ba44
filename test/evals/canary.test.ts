import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateScenarios } from '../../src/evals/canary/generator/build.js';
import { type NabSeries, parseNabTime, readNab } from '../../src/evals/canary/generator/nab.js';
import { Rng } from '../../src/evals/rng.js';
import { sameBehaviour } from '../../src/evals/canary/generator/views.js';
import { fixedWindowJudge } from '../../src/evals/canary/judges.js';
import { type Decision, replay } from '../../src/evals/canary/replay.js';
import { categoryOf, parseScenarios, type Scenario } from '../../src/evals/canary/scenario.js';
import { percentile, scoreDecisions } from '../../src/evals/canary/score.js';

const scenario = (over: Partial<Scenario>): Scenario => ({
  id: 's',
  metric: 'cpu',
  direction: 'increase_is_bad',
  intervalSeconds: 60,
  baseline: Array.from({ length: 50 }, (_, i) => [1_700_000_000 + 60 * i, 10]),
  canary: Array.from({ length: 50 }, (_, i) => [1_700_000_000 + 60 * i, 10]),
  injected: null,
  expected: 'continue',
  source: { view: 'noise' },
  ...over,
});

describe('replay', () => {
  it('records changes of action and the index from which the final one held', () => {
    const actions = ['insufficient_data', 'insufficient_data', 'continue', 'halt', 'halt', 'rollback', 'rollback'] as const;
    const seen: number[] = [];
    const short = scenario({ baseline: scenario({}).baseline.slice(0, 7), canary: scenario({}).canary.slice(0, 7) });
    const d = replay(short, (i) => (seen.push(i), actions[i]!));
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(d).toEqual({
      id: 's',
      action: 'rollback',
      decidedAtIndex: 5,
      timeline: [
        [0, 'insufficient_data'],
        [2, 'continue'],
        [3, 'halt'],
        [5, 'rollback'],
      ],
    });
  });

  it('the fixed-window comparator rolls back on a large step and stays there; missing data is read as a pass', () => {
    const stepped = scenario({ canary: scenario({}).canary.map(([t], i) => [t, i >= 20 ? 30 + (i % 3) : 10 + (i % 3)]) });
    stepped.baseline = stepped.baseline.map(([t], i) => [t, 10 + ((i + 1) % 3)]);
    const d = replay(stepped, fixedWindowJudge(stepped, 30));
    expect(d.action).toBe('rollback');
    expect(d.decidedAtIndex).toBeGreaterThan(20);
    const empty = scenario({ canary: scenario({}).canary.map(([t]) => [t, null]) });
    expect(replay(empty, fixedWindowJudge(empty, null)).action).toBe('continue');
  });
});

describe('scoring', () => {
  const d = (id: string, action: Decision['action'], decidedAtIndex: number): Decision => ({
    id,
    action,
    decidedAtIndex,
    timeline: [[decidedAtIndex, action]],
  });

  it('counts detections at or after the change, premature ones apart, and false rollbacks per view', () => {
    const scenarios = [
      scenario({ id: 'c1', source: { view: 'noise' } }),
      scenario({ id: 'c2', source: { view: 'day_later' } }),
      scenario({ id: 'i1', injected: { type: 'step', startIndex: 10, magnitude: 2 }, expected: 'rollback' }),
      scenario({ id: 'i2', injected: { type: 'step', startIndex: 10, magnitude: 2 }, expected: 'rollback' }),
      scenario({ id: 'i3', injected: { type: 'spikes', startIndex: 20, magnitude: 3 }, expected: 'rollback' }),
      scenario({ id: 'i4', injected: { type: 'step', startIndex: 30, magnitude: 2 }, expected: 'rollback' }),
      scenario({ id: 'm1', injected: { type: 'missing_data', startIndex: 0, magnitude: 12 }, expected: 'continue' }),
      scenario({ id: 'm2', injected: { type: 'missing_data', startIndex: 30, magnitude: 20 }, expected: 'continue' }),
      scenario({ id: 'u1', injected: undefined, expected: undefined }),
    ];
    const f = scoreDecisions(scenarios, [
      d('c1', 'promote', 40),
      d('c2', 'rollback', 33),
      d('i1', 'rollback', 14),
      // Rolled back at 18, halted at 25, rolled back for good at 30: detected at 18.
      {
        id: 'i2',
        action: 'rollback',
        decidedAtIndex: 30,
        timeline: [
          [0, 'continue'],
          [18, 'rollback'],
          [25, 'halt'],
          [30, 'rollback'],
        ],
      },
      d('i3', 'halt', 40),
      d('i4', 'rollback', 12), // before its change began: premature
      d('m1', 'insufficient_data', 0),
      d('m2', 'continue', 10),
      d('u1', 'rollback', 5),
    ]);
    expect(f.unlabelled).toBe(1);
    expect(f.controls.falseRollback).toEqual({ k: 1, n: 2 });
    expect(f.controls.byView['day_later']!.rollback).toEqual({ k: 1, n: 1 });
    expect(f.controls.byView['noise']!.rollback).toEqual({ k: 0, n: 1 });
    expect(f.injected.all).toMatchObject({ k: 2, n: 4, premature: 1, ttdMedian: 6 });
    expect(f.injected.byMagnitude['step ×2']).toMatchObject({ k: 2, n: 3 });
    expect(f.missing.insufficient).toEqual({ k: 1, n: 2 });
    expect(f.missing.insufficientOrContinue).toEqual({ k: 2, n: 2 });
    expect(f.missing.byVariant).toEqual({ late_start: { n: 1, insufficient_data: 1 }, stops_reporting: { n: 1, continue: 1 } });
  });

  it('medians and percentiles interpolate as numpy does', () => {
    expect(percentile([4, 20], 50)).toBe(12);
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 12);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('the scenario format', () => {
  it("reads the issue's format, with missing points as null, and reports bad lines by number", () => {
    const good = JSON.stringify(
      scenario({
        canary: [
          [1, null],
          [2, 3],
        ],
      }),
    );
    const { scenarios, errors } = parseScenarios(`${good}\n\nnot json\n{"id":"x"}\n`);
    expect(scenarios).toHaveLength(1);
    expect(scenarios[0]!.canary[0]).toEqual([1, null]);
    expect(errors.map((e) => e.line)).toEqual([3, 4]);
    expect(categoryOf(scenarios[0]!)).toBe('control');
  });
});

/** A synthetic series in NAB's shape: a daily pattern at 5 minutes, six days. */
function synthetic(name: string, seed: number): NabSeries {
  const rng = new Rng(seed, name);
  const times = Array.from({ length: 6 * 288 }, (_, i) => Date.UTC(2014, 3, 1) + i * 300_000);
  const values = times.map((_, i) => 50 + 10 * Math.sin((2 * Math.PI * i) / 288) + 2 * rng.gaussian());
  return { name: `folder/${name}.csv`, times, values, windows: [] };
}

describe('the scenario generator', () => {
  const series = [synthetic('a', 1), synthetic('b', 2)];

  it('is deterministic, and scenario i does not depend on how many are made', () => {
    const a = generateScenarios(series, { n: 30, seed: 3 }).scenarios;
    const b = generateScenarios(series, { n: 60, seed: 3 }).scenarios;
    expect(b.slice(0, 30)).toEqual(a);
    expect(generateScenarios(series, { n: 30, seed: 4 }).scenarios).not.toEqual(a);
  });

  it('makes controls and injected changes in about 40/60, with the view and a label on each', () => {
    const { scenarios } = generateScenarios(series, { n: 300, seed: 1 });
    const controls = scenarios.filter((s) => s.injected === null).length;
    expect(controls / 300).toBeGreaterThan(0.3);
    expect(controls / 300).toBeLessThan(0.5);
    for (const s of scenarios) {
      expect(['noise', 'resample', 'day_later']).toContain(s.source?.view);
      expect(s.expected).toBe(s.injected && s.injected.type !== 'missing_data' ? 'rollback' : 'continue');
      expect(s.canary).toHaveLength(s.baseline.length);
      if (s.kind === 'count') expect(s.denominator?.canary).toHaveLength(s.canary.length);
    }
    const types = new Set(scenarios.flatMap((s) => (s.injected ? [s.injected.type] : [])));
    expect([...types].sort()).toEqual(['drop', 'error_rate', 'missing_data', 'ramp', 'spikes', 'step', 'variance']);
    // Missing data is null points in the canary, exactly where the label says.
    const gap = scenarios.find((s) => s.injected?.type === 'missing_data')!;
    const { startIndex, magnitude } = gap.injected!;
    expect(gap.canary.slice(startIndex, startIndex + magnitude).every(([, v]) => v === null)).toBe(true);
  });

  it('keeps a day-later canary only when the next day behaves the same', () => {
    const base = Array.from({ length: 100 }, (_, i) => 10 + (i % 5));
    expect(
      sameBehaviour(
        base,
        base.map((v) => v * 1.05),
        0.1,
      ),
    ).toBe(true);
    expect(
      sameBehaviour(
        base,
        base.map((v) => v * 1.3),
        0.1,
      ),
    ).toBe(false);
    // A burst in the last quarter only.
    expect(
      sameBehaviour(
        base,
        base.map((v, i) => (i > 85 ? v * 50 : v)),
        0.1,
      ),
    ).toBe(false);
  });

  it("reads NAB's layout and its windows (UTC, microseconds ignored)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nab-'));
    try {
      fs.mkdirSync(path.join(dir, 'data', 'f'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'data', 'f', 'x.csv'), 'timestamp,value\n2014-04-10 00:00:00,1.5\n2014-04-10 00:05:00,2\n');
      fs.writeFileSync(
        path.join(dir, 'w.json'),
        JSON.stringify({ 'f/x.csv': [['2014-04-10 00:00:00.000000', '2014-04-10 00:05:00.000000']] }),
      );
      const [s] = readNab(path.join(dir, 'data'), ['f'], path.join(dir, 'w.json'));
      expect(s).toEqual({
        name: 'f/x.csv',
        times: [Date.UTC(2014, 3, 10), Date.UTC(2014, 3, 10, 0, 5)],
        values: [1.5, 2],
        windows: [[Date.UTC(2014, 3, 10), Date.UTC(2014, 3, 10, 0, 5)]],
      });
      expect(parseNabTime('2014-04-10 00:05:00.000000')).toBe(Date.UTC(2014, 3, 10, 0, 5));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
