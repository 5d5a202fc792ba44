/**
 * The actions a rollout sees as its telemetry arrives in batches: a bad
 * canary goes insufficient_data → halt → rollback, a good one ends in
 * promote; plus the rules of the policy that the demo does not reach.
 */
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/advisor/judge/index.js';
import { ALPHA_ROLLBACK, decide, type PolicyMetric } from '../../src/advisor/judge/policy.js';
import type { JudgeState, Series } from '../../src/advisor/judge/types.js';
import { DEFAULT_METRICS } from '../../src/contracts/advisor.js';
import { errorsAndRequests, gaussian, gauge, look, metric, Rng, STEP, T0 } from './judge-fixtures.js';

const METRICS = DEFAULT_METRICS.map(metric);

/** Telemetry of a rollout: errors/requests, p99 latency and CPU, the canary's error rate and latency given per group. */
function rollout(seed: number, n: number, canary: { errorRate: number; latency: number }): Series[] {
  const rng = new Rng(seed, 'rollout');
  const series = errorsAndRequests(rng, n, {
    requests: { canary: 200, baseline: 3800 },
    rate: (_, g) => (g === 'canary' ? canary.errorRate : 0.01),
  });
  series.push(...gauge('latency_p99_ms', n, (_, g) => (g === 'canary' ? canary.latency : 250) * (1 + 0.08 * gaussian(rng))));
  series.push(...gauge('cpu_utilisation', n, () => 40 + 4 * gaussian(rng)));
  return series;
}

/** Looks after each batch of `batch` samples; the distinct actions in order. */
function batches(series: Series[], n: number, batch: number, minDurationMs = 15 * 60_000) {
  const actions: string[] = [];
  const all: string[] = [];
  let state: JudgeState | undefined;
  for (let end = batch; end <= n; end += batch) {
    const now = T0 + (end - 1) * STEP;
    const j = judge(look({ metrics: METRICS, series, now, state, canaryWeight: 0.05, minDurationMs }));
    state = j.state;
    all.push(j.action);
    if (actions[actions.length - 1] !== j.action) actions.push(j.action);
  }
  return { actions, all };
}

describe('the demo rollout', () => {
  it('a bad canary (3× the error rate, +40% latency) goes insufficient_data, then halt, then rollback', () => {
    const { actions } = batches(rollout(1, 120, { errorRate: 0.03, latency: 350 }), 120, 6);
    expect(actions).toEqual(['insufficient_data', 'halt', 'rollback']);
  });

  it('a good canary ends in promote, and never halts or rolls back on the way', () => {
    const { actions, all } = batches(rollout(2, 120, { errorRate: 0.01, latency: 250 }), 120, 6);
    expect(actions[0]).toBe('insufficient_data');
    expect(all[all.length - 1]).toBe('promote');
    expect(all).not.toContain('halt');
    expect(all).not.toContain('rollback');
  });

  it('the reasons name the failing metric and its numbers; a single look halts, the next one confirms', () => {
    const series = rollout(1, 120, { errorRate: 0.03, latency: 350 });
    const first = judge(look({ metrics: METRICS, series, canaryWeight: 0.05, now: T0 + 110 * STEP }));
    expect(first.action).toBe('halt');
    const j = judge(look({ metrics: METRICS, series, canaryWeight: 0.05, state: first.state }));
    expect(j.action).toBe('rollback');
    expect(j.confidence).toBeGreaterThan(1 - ALPHA_ROLLBACK);
    expect(j.reasons[0]!.text).toMatch(/^Roll back/);
    const errors = j.metrics.find((m) => m.name === 'errors')!;
    expect(errors.verdict).toBe('fail');
    expect(j.reasons.some((r) => r.metrics.includes('errors') && r.text.includes('errors (critical guardrail)'))).toBe(true);
    // Diagnostics are shown and never decide.
    expect(j.metrics.find((m) => m.name === 'cpu_utilisation')!.role).toBe('diagnostic');
  });
});

describe('the policy', () => {
  const m = (over: Partial<PolicyMetric>): PolicyMetric => ({
    name: 'm',
    role: 'guardrail',
    critical: true,
    verdict: 'pass',
    pFail: 1,
    pFailNow: 1,
    confirmed: true,
    degrading: false,
    pWorse: 1,
    pPass: 0.001,
    contradictory: false,
    gap: false,
    ...over,
  });
  const at = { elapsedMs: 3_600_000, minDurationMs: 600_000 };

  it('rolls back only on a critical guardrail failing with strong evidence now', () => {
    expect(decide([m({ verdict: 'fail', pFail: 0.001, pFailNow: 0.001 })], at).action).toBe('rollback');
    // Not yet confirmed at an earlier look: halt first.
    expect(decide([m({ verdict: 'fail', pFail: 0.001, pFailNow: 0.001, confirmed: false })], at).action).toBe('halt');
    // A failure that has faded (strong only in the past) halts.
    expect(decide([m({ verdict: 'fail', pFail: 0.001, pFailNow: 0.2 })], at).action).toBe('halt');
    // Not critical, or a primary metric: halt.
    expect(decide([m({ critical: false, verdict: 'fail', pFail: 0.001, pFailNow: 0.001 })], at).action).toBe('halt');
    expect(decide([m({}), m({ name: 'p', role: 'primary', verdict: 'fail', pFail: 0.001, pFailNow: 0.001 })], at).action).toBe('halt');
  });

  it('halts early when a guardrail is significantly worse at all, by an estimate beyond the margin', () => {
    const d = decide([m({ verdict: 'inconclusive', pFail: 0.2, degrading: true, pWorse: 0.01 })], at);
    expect(d).toMatchObject({ action: 'halt', confidence: 0.99, deciding: ['m'] });
  });

  it('diagnostics never decide', () => {
    const diag = m({ name: 'd', role: 'diagnostic', verdict: 'fail', pFail: 0.0001, pFailNow: 0.0001 });
    expect(decide([m({}), diag], at).action).toBe('promote');
    expect(decide([m({}), { ...diag, verdict: 'no_data' }], at).action).toBe('promote');
  });

  it('contradictory data needs a human; missing data is insufficient; neither ever passes', () => {
    expect(decide([m({ verdict: 'inconclusive', contradictory: true })], at).action).toBe('needs_human');
    expect(decide([m({ verdict: 'no_data' })], at).action).toBe('insufficient_data');
    expect(decide([], at).action).toBe('insufficient_data');
  });

  it('promotes only after the minimum duration, with every guardrail passing and no gap', () => {
    expect(decide([m({})], { elapsedMs: 60_000, minDurationMs: 600_000 }).action).toBe('continue');
    expect(decide([m({}), m({ name: 'b', verdict: 'inconclusive' })], at).action).toBe('continue');
    expect(decide([m({ gap: true })], at).action).toBe('continue');
    const p = decide([m({ pPass: 0.002 }), m({ name: 'b', pPass: 0.01 })], at);
    expect(p.action).toBe('promote');
    expect(p.confidence).toBeCloseTo(0.99, 12);
  });

  it('continue is as confident as the guardrail closest to failing is far from it', () => {
    const c = decide([m({ verdict: 'inconclusive', pFail: 0.3 }), m({ name: 'b', verdict: 'inconclusive', pFail: 0.8 })], at);
    expect(c).toMatchObject({ action: 'continue', confidence: 0.3 });
  });
});

describe('risk level', () => {
  it('a high-risk release fails on a smaller regression (the margin × 0.75, × 0.5 when critical)', () => {
    const rng = new Rng(5, 'risk');
    // +15% latency: inside the 20% margin for an ordinary release, beyond the 10% of a critical-risk one.
    const series = gauge('latency_p99_ms', 200, (_, g) => (g === 'canary' ? 287.5 : 250) * (1 + 0.03 * gaussian(rng)));
    const latency = [metric({ name: 'latency_p99_ms', critical: true, minEffect: { relative: 0.2 } })];
    expect(judge(look({ metrics: latency, series, riskLevel: 'low' })).metrics[0]!.verdict).not.toBe('fail');
    expect(judge(look({ metrics: latency, series, riskLevel: 'critical' })).metrics[0]!.verdict).toBe('fail');
  });
});
