/** Builders for the judge's tests: seeded telemetry for a canary and a baseline, one sample per interval. */
import { Rng } from '../../bench/rng.js';
import type { JudgeInput, Series } from '../../src/advisor/judge/types.js';
import { MetricConfig, type MetricConfigInput } from '../../src/contracts/advisor.js';

export const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
export const STEP = 30_000;

export function gaussian(rng: Rng): number {
  const u = Math.max(rng.float(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float());
}

export function poisson(rng: Rng, mean: number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rng)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.float();
  while (p > limit) k++, (p *= rng.float());
  return k;
}

export const metric = (m: MetricConfigInput) => MetricConfig.parse(m);

/** n samples of a gauge per group: value(i, group) at T0 + i·STEP. */
export function gauge(name: string, n: number, value: (i: number, group: 'canary' | 'baseline') => number): Series[] {
  return (['canary', 'baseline'] as const).map((group) => ({
    metric: name,
    group,
    points: Array.from({ length: n }, (_, i) => [T0 + i * STEP, value(i, group)] as const),
  }));
}

/** Errors and requests per group: requests per interval and an error rate per group (and index). */
export function errorsAndRequests(
  rng: Rng,
  n: number,
  opts: { requests: { canary: number; baseline: number }; rate: (i: number, group: 'canary' | 'baseline') => number },
): Series[] {
  const out: Series[] = [];
  for (const group of ['canary', 'baseline'] as const) {
    const req = Array.from({ length: n }, () => opts.requests[group]);
    out.push({ metric: 'requests', group, points: req.map((r, i) => [T0 + i * STEP, r] as const) });
    out.push({
      metric: 'errors',
      group,
      points: req.map((r, i) => [T0 + i * STEP, Math.min(r, poisson(rng, r * opts.rate(i, group)))] as const),
    });
  }
  return out;
}

/** A look with sensible defaults: canary strategy started at T0, now at the last sample. */
export function look(over: Partial<JudgeInput> & Pick<JudgeInput, 'metrics' | 'series'>): JudgeInput {
  const last = Math.max(T0, ...over.series.flatMap((s) => s.points.map((p) => p[0])));
  return {
    strategy: 'canary',
    startedAt: T0,
    now: last,
    canaryWeight: null,
    riskLevel: null,
    minDurationMs: 10 * 60_000,
    expectedIntervalMs: STEP,
    ...over,
  };
}

export { Rng };
