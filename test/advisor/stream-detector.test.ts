import { describe, expect, it } from 'vitest';
import {
  createStreamDetector,
  DEFAULT_STREAM_OPTIONS,
  restoreStreamDetector,
  type StreamPoint,
  StreamStateError,
} from '../../src/advisor/stream/index.js';
import { mulberry32 } from '../../fixtures/demo/rng.js';

/** A seeded stream of uniform numbers (mulberry32): tests never use Math.random. */
const rng = mulberry32;

/** A CPU-like series: a daily wave plus noise, 15-minute points (the warm-up sees more than a whole day). */
function cpu(n: number, seed = 1): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => 40 + 10 * Math.sin((2 * Math.PI * i) / 96) + 3 * (r() + r() + r() - 1.5));
}

const T0 = 1_700_000_000;
function run(values: readonly number[], detector = createStreamDetector()): StreamPoint[] {
  return values.map((v, i) => detector.push(T0 + 300 * i, v));
}

const alertsAt = (points: readonly StreamPoint[]) => points.flatMap((p, i) => (p.alert ? [i] : []));

describe('streaming detector', () => {
  it('scores every point in [0, 1], and nothing while it learns', () => {
    const values = cpu(3000);
    values[2000] = 200;
    values[2500] = -300;
    const points = run(values);
    for (const p of points) expect(p.score >= 0 && p.score <= 1).toBe(true);
    expect(points.slice(0, DEFAULT_STREAM_OPTIONS.warmup).every((p) => p.status === 'learning' && p.score === 0 && !p.alert)).toBe(true);
  });

  it('has no look-ahead: the scores of a prefix are the prefix of the scores', () => {
    const values = cpu(2500, 7);
    values[1800] = 90;
    const full = run(values);
    for (const cut of [1, 150, 151, 1234, 1800, 1801]) expect(run(values.slice(0, cut))).toEqual(full.slice(0, cut));
  });

  it('is deterministic', () => {
    const values = cpu(2000, 3);
    expect(run(values)).toEqual(run(values));
  });

  it('raises one alert per episode, on the point where it starts', () => {
    // A sustained shift to a level the series never visited: one episode, one alert.
    const values = cpu(3000, 5);
    for (let i = 2000; i < 2300; i++) values[i]! += 60;
    const points = run(values);
    const alerts = alertsAt(points);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toBe(2000);
    expect(points[2000]).toMatchObject({ alert: true, score: 1, cause: 'new_extreme', status: 'anomalous' });
    // Inside the episode the score stays below the alert level, so a threshold there sees the episode once.
    expect(points.slice(2001, 2300).every((p) => p.score < DEFAULT_STREAM_OPTIONS.alertScore)).toBe(true);
  });

  it('alerts again for a second, separate incident', () => {
    const values = cpu(4000, 9);
    values[1500] = 150;
    values[3000] = 400;
    expect(alertsAt(run(values))).toEqual([1500, 3000]);
  });

  it('sees a plateau at a rarely visited level inside the usual range', () => {
    // Two alternating levels; then the series sits half-way between them, where it never stayed.
    const r = rng(11);
    const values = Array.from({ length: 3000 }, (_, i) => (Math.floor(i / 144) % 2 ? 80 : 20) + r());
    for (let i = 2200; i < 2350; i++) values[i] = 50 + r();
    const points = run(values);
    const alerts = alertsAt(points);
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    expect(alerts[0]).toBeGreaterThanOrEqual(2200);
    expect(alerts[0]).toBeLessThan(2260);
    expect(points[alerts[0]!]!.cause).toBe('rare_level');
    expect(alerts.filter((i) => i < 2200)).toEqual([]);
  });

  it('learns a new normal: a calm warm-up, then daily swings, alerts once when the swings start', () => {
    const r = rng(29);
    const values = Array.from({ length: 4000 }, (_, i) =>
      i < 200 ? 20 + r() : 50 + 30 * Math.sin((2 * Math.PI * (i - 200)) / 96 - Math.PI / 2) + r(),
    );
    const alerts = alertsAt(run(values));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toBeGreaterThanOrEqual(200);
    expect(alerts[0]).toBeLessThan(230);
  });

  it('stays quiet on a constant series, and alerts when it moves', () => {
    const values = Array.from({ length: 1000 }, () => 45);
    expect(run(values).every((p) => p.score === 0 && !p.alert)).toBe(true);
    // A jump of more than a tenth of the level is a new extreme at once.
    expect(alertsAt(run(values.map((v, i) => (i === 800 ? 50 : v))))).toEqual([800]);
    // A small step is not, but staying there is: the new level is rare.
    const step = alertsAt(run(values.map((v, i) => (i >= 800 ? 45.5 : v))));
    expect(step).toHaveLength(1);
    expect(step[0]).toBeGreaterThan(800);
    expect(step[0]).toBeLessThan(830);
    // At zero (an error count that never moved), any departure is.
    expect(alertsAt(run(values.map((_, i) => (i === 800 ? 1 : 0))))).toEqual([800]);
  });

  it('skips missing values and out-of-order or repeated timestamps without learning from them', () => {
    const values = cpu(600, 13);
    const d = createStreamDetector();
    const clean = createStreamDetector();
    for (let i = 0; i < 400; i++) {
      d.push(T0 + 300 * i, values[i]!);
      clean.push(T0 + 300 * i, values[i]!);
    }
    expect(d.push(T0 + 300 * 400, Number.NaN)).toEqual({ score: 0, alert: false, status: 'missing' });
    expect(d.push(T0 + 300 * 400, Number.POSITIVE_INFINITY)).toMatchObject({ status: 'missing' });
    expect(d.push(T0 + 300 * 399, 1e6)).toEqual({ score: 0, alert: false, status: 'out_of_order' });
    expect(d.push(Number.NaN, 1e6)).toMatchObject({ status: 'out_of_order' });
    expect(d.state()).toEqual(clean.state());
    // The gap does not stop it: the next point is judged as usual.
    expect(d.push(T0 + 300 * 401, values[401]!)).toEqual(clean.push(T0 + 300 * 401, values[401]!));
  });

  it('keeps scores finite and in [0, 1] with huge values, and its state valid JSON', () => {
    const values = cpu(800, 17);
    for (const [i, v] of [
      [300, 1e308],
      [301, -1e308],
      [302, Number.MAX_VALUE],
      [400, -Number.MAX_VALUE],
      [500, 1e-300],
    ] as const)
      values[i] = v;
    const d = createStreamDetector();
    const points = run(values, d);
    for (const p of points) expect(Number.isFinite(p.score) && p.score >= 0 && p.score <= 1).toBe(true);
    expect(points[300]).toMatchObject({ alert: true, cause: 'new_extreme' });
    const state = d.state();
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('keeps its state small on a long series that keeps reaching new levels', () => {
    // A slow climb: every few points a level never seen, tens of thousands of distinct bins in all.
    const r = rng(31);
    const d = createStreamDetector();
    let firstWidth = 0;
    for (let i = 0; i < 30_000; i++) {
      d.push(T0 + i, i + r());
      if (i === DEFAULT_STREAM_OPTIONS.warmup) firstWidth = d.state().levels.width!;
    }
    const state = d.state();
    expect(state.levels.bins).toBeLessThanOrEqual(1024);
    // The bins were merged (each merge doubles their width) rather than the histogram growing.
    expect(state.levels.width!).toBeGreaterThanOrEqual(2 * firstWidth);
    expect(JSON.stringify(state).length).toBeLessThan(60_000);
    // Still resumable after the bins were merged.
    expect(() => restoreStreamDetector(JSON.parse(JSON.stringify(state)))).not.toThrow();
  });

  it('round-trips its state: stored and restored mid-series, it continues exactly as if never stopped', () => {
    const values = cpu(3000, 19);
    values[2000] = 150;
    const whole = run(values);
    for (const cut of [50, 150, 1000, 2000]) {
      const first = createStreamDetector();
      const before = values.slice(0, cut).map((v, i) => first.push(T0 + 300 * i, v));
      const stored = JSON.stringify(first.state());
      const resumed = restoreStreamDetector(JSON.parse(stored));
      const after = values.slice(cut).map((v, i) => resumed.push(T0 + 300 * (cut + i), v));
      expect([...before, ...after]).toEqual(whole);
    }
  });

  it('state() is a copy: changing it does not change the detector', () => {
    const d = createStreamDetector();
    run(cpu(300, 23), d);
    const s = d.state();
    s.seen = 0;
    s.forecast.recent.length = 0;
    expect(d.state().seen).toBe(300);
  });

  it('refuses a state that is not one, and options out of range', () => {
    expect(() => restoreStreamDetector(null)).toThrow(StreamStateError);
    expect(() => restoreStreamDetector({ version: 2 })).toThrow(/unknown version/);
    const s = createStreamDetector().state() as unknown as Record<string, unknown>;
    expect(() => restoreStreamDetector({ ...s, seen: -1 })).toThrow(StreamStateError);
    expect(() => restoreStreamDetector({ ...s, levels: { ...(s.levels as object), counts: { 0: 'x' } } })).toThrow(/bad levels/);
    expect(() => createStreamDetector({ warmup: 0 })).toThrow(RangeError);
    expect(() => createStreamDetector({ episodeCap: 0.6 })).toThrow(/below alertScore/);
  });
});
