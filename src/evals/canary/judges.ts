/**
 * The judges the canary eval compares: shipcheck's (sequential, with the
 * integrity checks and the policy) and a fixed-window Mann-Whitney judge
 * in the style of Kayenta's canary judge (Spinnaker): a 98% interval of
 * the Hodges–Lehmann shift, a verdict at every look, no sequential
 * correction, no data read as a pass, and the first failure ending the
 * canary.
 */
import type { AdvisorAction, MetricConfig } from '../../contracts/advisor.js';
import { judge } from '../../advisor/judge/index.js';
import { shiftInterval } from '../../advisor/judge/stats/hodges-lehmann.js';
import { normalQuantile } from '../../advisor/judge/stats/distributions.js';
import type { JudgeState, Series } from '../../advisor/judge/types.js';
import type { LookJudge } from './replay.js';
import { presentPoints } from './replay.js';
import type { Scenario } from './scenario.js';

/** The smallest effect that matters in the eval, for every judge: 20% of the baseline's level. */
export const EVAL_RELATIVE_EFFECT = 0.2;
/** Samples each side needs (shipcheck's judge). */
export const EVAL_MIN_SAMPLES = 10;
/** shipcheck's judge may promote after this many intervals. */
export const EVAL_MIN_DURATION_POINTS = 60;

export function evalMetricConfig(s: Scenario): MetricConfig {
  return {
    name: s.metric,
    kind: s.kind ?? 'gauge',
    ...(s.denominator ? { denominator: s.denominator.name } : {}),
    cumulative: false,
    direction: s.direction,
    role: 'guardrail',
    critical: true,
    minEffect: { relative: EVAL_RELATIVE_EFFECT },
    minSamples: EVAL_MIN_SAMPLES,
  };
}

/** shipcheck's judge on one scenario: canary strategy from the first timestamp, state carried from look to look. */
export function shipcheckJudge(s: Scenario): LookJudge {
  const metric = evalMetricConfig(s);
  const sides = [
    { metric: s.metric, group: 'baseline' as const, ...presentPoints(s.baseline) },
    { metric: s.metric, group: 'canary' as const, ...presentPoints(s.canary) },
    ...(s.denominator
      ? [
          { metric: s.denominator.name, group: 'baseline' as const, ...presentPoints(s.denominator.baseline) },
          { metric: s.denominator.name, group: 'canary' as const, ...presentPoints(s.denominator.canary) },
        ]
      : []),
  ];
  const startedAt = (s.baseline[0]?.[0] ?? s.canary[0]?.[0] ?? 0) * 1000;
  const intervalMs = s.intervalSeconds * 1000;
  let state: JudgeState | undefined;
  return (i) => {
    const now = (s.baseline[i]?.[0] ?? s.canary[i]![0]) * 1000;
    // Only the points up to this index exist yet.
    const series: Series[] = sides.map((x) => ({
      metric: x.metric,
      group: x.group,
      points: x.points.slice(0, x.upTo[i] ?? x.points.length),
    }));
    const j = judge({
      strategy: 'canary',
      startedAt,
      now,
      metrics: [metric],
      series,
      canaryWeight: null,
      riskLevel: null,
      minDurationMs: EVAL_MIN_DURATION_POINTS * intervalMs,
      expectedIntervalMs: intervalMs,
      state,
    });
    state = j.state;
    return j.action;
  };
}

const Z_98 = normalQuantile(0.99);

/** Values of a side up to index i (within the lookback), rates per request for a count with a denominator. */
function sideValues(points: Scenario['baseline'], den: Scenario['baseline'] | null, from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = from; t <= to && t < points.length; t++) {
    const v = points[t]![1];
    if (v === null) continue;
    if (den) {
      const r = den[t]?.[1];
      if (r === null || r === undefined || r <= 0) continue;
      out.push(v / r);
    } else out.push(v);
  }
  return out;
}

/**
 * The fixed-window comparator. `lookback`: null judges everything since the
 * start at every look (Kayenta's default, a growing window); a number
 * judges only the last that many points (a sliding window).
 */
export function fixedWindowJudge(s: Scenario, lookback: number | null): LookJudge {
  let failed = false;
  return (i) => {
    if (failed) return 'rollback';
    const from = lookback === null ? 0 : Math.max(0, i - lookback + 1);
    const x = sideValues(s.baseline, s.denominator?.baseline ?? null, from, i).sort((a, b) => a - b);
    const y = sideValues(s.canary, s.denominator?.canary ?? null, from, i).sort((a, b) => a - b);
    // No data is no failure: the canary goes on.
    if (x.length === 0 || y.length === 0) return 'continue';
    const interval = shiftInterval(x, y, Z_98);
    if (!interval) return 'continue';
    const mid = x.length >> 1;
    const med = x.length % 2 ? x[mid]! : (x[mid - 1]! + x[mid]!) / 2;
    const m = EVAL_RELATIVE_EFFECT * Math.abs(med);
    const up = interval[0] > m;
    const down = interval[1] < -m;
    const bad = s.direction === 'increase_is_bad' ? up : s.direction === 'decrease_is_bad' ? down : up || down;
    if (bad) failed = true;
    return bad ? 'rollback' : 'continue';
  };
}

export const JUDGES: Record<string, { title: string; make: (s: Scenario) => LookJudge }> = {
  shipcheck: { title: 'shipcheck (sequential)', make: shipcheckJudge },
  'kayenta-growing': { title: 'fixed-window MWU, growing window (Kayenta default)', make: (s) => fixedWindowJudge(s, null) },
  'kayenta-sliding': { title: 'fixed-window MWU, last 30 points', make: (s) => fixedWindowJudge(s, 30) },
};

export type JudgeName = keyof typeof JUDGES;
export const allActions: readonly AdvisorAction[] = ['continue', 'halt', 'rollback', 'promote', 'insufficient_data', 'needs_human'];
