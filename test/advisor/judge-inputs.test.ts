/**
 * Bad input has a defined behaviour, and none of it turns into a false
 * continue, promote or rollback.
 */
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/advisor/judge/index.js';
import type { Judgement, Series } from '../../src/advisor/judge/types.js';
import { errorsAndRequests, gaussian, gauge, look, metric, Rng, STEP, T0 } from './judge-fixtures.js';

const latency = metric({ name: 'latency_ms', critical: true, minEffect: { relative: 0.2 }, minSamples: 10 });
const errors = metric({ name: 'errors', kind: 'count', denominator: 'requests', critical: true, minEffect: { relative: 0.5 } });

/** A healthy canary: latency alike on both sides, 120 samples. */
function healthy(seed = 1, n = 120): Series[] {
  const rng = new Rng(seed, 'healthy');
  return gauge('latency_ms', n, () => 200 * (1 + 0.05 * gaussian(rng)));
}

const kinds = (j: Judgement) => j.integrity.map((f) => `${f.kind}:${f.severity}`);
const verdictOf = (j: Judgement, name = 'latency_ms') => j.metrics.find((m) => m.name === name)!;
const withPoints = (s: Series, points: Series['points']): Series => ({ ...s, points });

describe('samples out of order or repeated', () => {
  it('are sorted and deduplicated: the same judgement as clean input', () => {
    const clean = healthy();
    const rng = new Rng(3, 'shuffle');
    const messy = clean.map((s) => {
      const pts = [...s.points, ...s.points.slice(0, 30)];
      for (let i = pts.length - 1; i > 0; i--) {
        const k = Math.floor(rng.float() * (i + 1));
        [pts[i], pts[k]] = [pts[k]!, pts[i]!];
      }
      return withPoints(s, pts);
    });
    const a = judge(look({ metrics: [latency], series: clean }));
    const b = judge(look({ metrics: [latency], series: messy }));
    expect(b.action).toBe(a.action);
    expect(b.metrics).toEqual(a.metrics);
    expect(b.integrity).toEqual([]);
  });

  it('a timestamp sent twice with different values keeps the first and says so', () => {
    const s = healthy();
    const canary = s.find((x) => x.group === 'canary')!;
    const twice = withPoints(canary, [...canary.points, [canary.points[5]![0], 9999]]);
    const j = judge(look({ metrics: [latency], series: [twice, s.find((x) => x.group === 'baseline')!] }));
    expect(kinds(j)).toEqual(['invalid_value:warning']);
    expect(j.integrity[0]!.detail).toMatch(/twice/);
    expect(verdictOf(j)).toEqual(verdictOf(judge(look({ metrics: [latency], series: s }))));
  });
});

describe('values that are not numbers', () => {
  it('a few NaN or ±Infinity are dropped with a warning; the verdict is the one without them', () => {
    const s = healthy();
    const canary = s.find((x) => x.group === 'canary')!;
    const bad = withPoints(
      canary,
      canary.points.map((p, i) =>
        i === 3 ? [p[0], Number.NaN] : i === 7 ? [p[0], Number.POSITIVE_INFINITY] : i === 9 ? [p[0], Number.NEGATIVE_INFINITY] : p,
      ),
    );
    const dropped = withPoints(
      canary,
      canary.points.filter((_, i) => i !== 3 && i !== 7 && i !== 9),
    );
    const base = s.find((x) => x.group === 'baseline')!;
    const j = judge(look({ metrics: [latency], series: [bad, base] }));
    expect(kinds(j)).toEqual(['invalid_value:warning']);
    expect(verdictOf(j)).toEqual(verdictOf(judge(look({ metrics: [latency], series: [dropped, base] }))));
  });

  it('many of them block the metric: inconclusive, and a person must look (never promote, never roll back)', () => {
    const s = healthy();
    const canary = s.find((x) => x.group === 'canary')!;
    const bad = withPoints(
      canary,
      canary.points.map((p, i) => (i % 4 === 0 ? [p[0], Number.NaN] : p)),
    );
    const j = judge(look({ metrics: [latency], series: [bad, s.find((x) => x.group === 'baseline')!] }));
    expect(kinds(j)).toEqual(['invalid_value:blocking']);
    expect(verdictOf(j).verdict).toBe('inconclusive');
    expect(j.action).toBe('needs_human');
  });

  it('negative counts are dropped as invalid', () => {
    const rng = new Rng(4, 'neg');
    const series = errorsAndRequests(rng, 120, { requests: { canary: 1000, baseline: 1000 }, rate: () => 0.01 });
    const canaryErrors = series.find((s) => s.metric === 'errors' && s.group === 'canary')!;
    const i = series.indexOf(canaryErrors);
    series[i] = withPoints(
      canaryErrors,
      canaryErrors.points.map((p, k) => (k === 10 ? [p[0], -5] : p)),
    );
    const j = judge(look({ metrics: [errors], series }));
    expect(j.integrity).toEqual([
      expect.objectContaining({ kind: 'invalid_value', metric: 'errors', group: 'canary', severity: 'warning' }),
    ]);
    expect(j.integrity[0]!.detail).toMatch(/negative counts/);
  });
});

describe('samples after the look', () => {
  it('are never seen: the judgement equals the one without them', () => {
    const s = healthy(1, 200);
    const now = T0 + 99 * STEP;
    const cut = s.map((x) =>
      withPoints(
        x,
        x.points.filter((p) => p[0] <= now),
      ),
    );
    // The future is dramatic: if the judge saw it, it would fail the metric.
    const future = s.map((x) =>
      withPoints(
        x,
        x.points.map((p) => (p[0] > now && x.group === 'canary' ? [p[0], p[1] * 5] : p)),
      ),
    );
    const a = judge(look({ metrics: [latency], series: cut, now }));
    const b = judge(look({ metrics: [latency], series: future, now }));
    expect(b).toEqual(a);
  });
});

describe('data that goes missing', () => {
  it('a metric that disappears mid-rollout blocks: insufficient_data, not continue or promote', () => {
    const s = healthy();
    const first = judge(look({ metrics: [latency], series: s, now: T0 + 59 * STEP }));
    expect(first.action).toBe('promote');
    const gone = judge(look({ metrics: [latency], series: [], state: first.state }));
    expect(kinds(gone)).toEqual(['metric_disappeared:blocking', 'metric_disappeared:blocking']);
    expect(verdictOf(gone).verdict).toBe('no_data');
    expect(gone.action).toBe('insufficient_data');
  });

  it('a canary that stops reporting is stale: insufficient_data even though its earlier samples passed', () => {
    const s = healthy();
    const canary = s.find((x) => x.group === 'canary')!;
    const stopped = withPoints(canary, canary.points.slice(0, 80));
    const j = judge(look({ metrics: [latency], series: [stopped, s.find((x) => x.group === 'baseline')!] }));
    expect(kinds(j)).toEqual(['stale:blocking']);
    expect(j.integrity[0]!.group).toBe('canary');
    expect(j.action).toBe('insufficient_data');
  });

  it('a canary with no traffic at all: no_traffic, insufficient_data', () => {
    const base = healthy().filter((x) => x.group === 'baseline');
    const j = judge(look({ metrics: [latency], series: base }));
    expect(kinds(j)).toEqual(['no_traffic:blocking']);
    expect(j.action).toBe('insufficient_data');
  });

  it('a canary that reports but serves no requests: no_traffic, insufficient_data', () => {
    const rng = new Rng(6, 'idle');
    const series = errorsAndRequests(rng, 120, { requests: { canary: 0, baseline: 1000 }, rate: () => 0.01 });
    const j = judge(look({ metrics: [errors], series }));
    expect(kinds(j)).toContain('no_traffic:blocking');
    expect(j.action).toBe('insufficient_data');
  });

  it('a canary that starts late is reported, and promotion waits (part of the rollout went unseen)', () => {
    const s = healthy();
    const canary = s.find((x) => x.group === 'canary')!;
    const late = withPoints(canary, canary.points.slice(20));
    const j = judge(look({ metrics: [latency], series: [late, s.find((x) => x.group === 'baseline')!] }));
    expect(kinds(j)).toEqual(['late_start:warning']);
    expect(verdictOf(j).verdict).toBe('pass');
    expect(j.action).toBe('continue');
  });

  it('a gap is reported, the data around it is judged, and promotion waits', () => {
    const s = healthy();
    const canary = s.find((x) => x.group === 'canary')!;
    const gappy = withPoints(canary, [...canary.points.slice(0, 40), ...canary.points.slice(60)]);
    const j = judge(look({ metrics: [latency], series: [gappy, s.find((x) => x.group === 'baseline')!] }));
    expect(kinds(j)).toEqual(['gap:warning']);
    expect(j.integrity[0]!.detail).toMatch(/20 samples missing/);
    expect(verdictOf(j).verdict).toBe('pass');
    expect(j.action).toBe('continue');
  });
});

describe('traffic and counters', () => {
  it('a canary that gets four times its share of traffic: the split is broken, a person must look', () => {
    const rng = new Rng(7, 'srm');
    const series = errorsAndRequests(rng, 120, { requests: { canary: 250, baseline: 750 }, rate: () => 0.01 });
    const j = judge(look({ metrics: [errors], series, canaryWeight: 0.05 }));
    expect(kinds(j)).toEqual(['traffic_ratio_mismatch:blocking']);
    expect(verdictOf(j, 'errors').verdict).toBe('inconclusive');
    expect(j.action).toBe('needs_human');
    // The same traffic at the weight it was given is fine.
    expect(kinds(judge(look({ metrics: [errors], series, canaryWeight: 0.25 })))).toEqual([]);
  });

  it('running counters are differenced, a reset is reported, and the rates are the per-interval ones', () => {
    const rng = new Rng(8, 'counter');
    const perInterval = errorsAndRequests(rng, 120, {
      requests: { canary: 1000, baseline: 1000 },
      rate: (_, g) => (g === 'canary' ? 0.03 : 0.01),
    });
    const running = perInterval.map((s) => {
      let total = 0;
      // A restart of the canary's process at sample 60: its counters start again from zero.
      return withPoints(
        s,
        s.points.map((p, i) => {
          if (s.group === 'canary' && i === 60) total = 0;
          total += p[1];
          return [p[0], total];
        }),
      );
    });
    const cumulative = { ...errors, cumulative: true };
    const j = judge(look({ metrics: [cumulative], series: running }));
    expect(kinds(j)).toEqual(expect.arrayContaining(['counter_reset:warning']));
    const v = verdictOf(j, 'errors');
    expect(v.medians.canary).toBeGreaterThan(0.025);
    expect(v.medians.canary).toBeLessThan(0.035);
    expect(v.medians.baseline).toBeGreaterThan(0.007);
    expect(v.medians.baseline).toBeLessThan(0.013);
  });
});

describe('other edges', () => {
  it('a malformed state is ignored (a fresh start), not trusted', () => {
    const s = healthy();
    const j = judge(look({ metrics: [latency], series: s, state: { version: 1, fails: { latency_ms: { p: 'x' } }, seen: 'no' } as never }));
    expect(j.action).toBe('promote');
  });

  it('a look before the start is insufficient_data', () => {
    expect(judge(look({ metrics: [latency], series: healthy(), now: T0 - 1 })).action).toBe('insufficient_data');
  });

  it('rolling: the whole service after the deploy against before it', () => {
    const rng = new Rng(9, 'rolling');
    const points = Array.from({ length: 200 }, (_, i) => [T0 + i * STEP, (i >= 100 ? 300 : 200) * (1 + 0.05 * gaussian(rng))] as const);
    const series: Series[] = [{ metric: 'latency_ms', group: 'all', points }];
    let state: Judgement['state'] | undefined;
    let j: Judgement | undefined;
    for (const end of [150, 199]) {
      j = judge(look({ strategy: 'rolling', startedAt: T0 + 100 * STEP, now: T0 + end * STEP, metrics: [latency], series, state }));
      state = j.state;
    }
    expect(verdictOf(j!).verdict).toBe('fail');
    expect(verdictOf(j!).n).toEqual({ canary: expect.any(Number), baseline: 100 });
    expect(j!.action).toBe('rollback');
  });
});
