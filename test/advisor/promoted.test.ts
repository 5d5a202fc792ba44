import { describe, expect, it } from 'vitest';
import { MetricConfig } from '../../src/contracts/advisor.js';
import type { Series } from '../../src/advisor/judge/types.js';
import type { Rollout } from '../../src/advisor/ports.js';
import { judgeAfterPromotion } from '../../src/advisor/promoted.js';

/** After promotion the streaming detector watches the service: an alert asks for a person, learning is not a pass. */
const T0 = Date.UTC(2026, 0, 1);
const rollout = (promotedAtIndex: number): Rollout => ({
  releaseId: 'r',
  watchId: 'w',
  tenantId: 't',
  state: 'promoted_watch',
  strategy: 'canary',
  canaryWeight: 0.1,
  startedAt: new Date(T0),
  stoppedAt: new Date(T0 + promotedAtIndex * 60_000),
  minDurationSeconds: 0,
  watchAfterPromotionSeconds: 3600,
  metrics: [MetricConfig.parse({ name: 'latency_p99_ms', critical: true })],
  prometheus: null,
});
/** A minute series with mild, deterministic wiggle and an optional step from `stepAt`. */
function latency(n: number, stepAt = Number.POSITIVE_INFINITY, group: Series['group'] = 'canary'): Series {
  const points = Array.from(
    { length: n },
    (_, i) => [T0 + i * 60_000, 200 + 10 * Math.sin(i / 7) + (i % 5) + (i >= stepAt ? 150 : 0)] as const,
  );
  return { metric: 'latency_p99_ms', group, points };
}

describe('the watch after promotion', () => {
  it('stays quiet on a steady series, and asks for a person when it steps up after promotion', () => {
    const quiet = judgeAfterPromotion({ rollout: rollout(300), nowMs: T0 + 400 * 60_000, series: [latency(400)], state: undefined });
    expect(quiet.action).toBe('continue');
    expect(quiet.metrics[0]!.verdict).toBe('pass');
    const step = judgeAfterPromotion({ rollout: rollout(300), nowMs: T0 + 400 * 60_000, series: [latency(400, 350)], state: undefined });
    expect(step.action).toBe('needs_human');
    expect(step.metrics[0]!.verdict).toBe('fail');
    expect(step.metrics[0]!.rule).toMatch(/alerted at 2026-01-01T05:5/);
  });

  it('is inconclusive while the detector is still learning the series, and sees nothing after `now`', () => {
    const young = judgeAfterPromotion({ rollout: rollout(40), nowMs: T0 + 60 * 60_000, series: [latency(60)], state: undefined });
    expect(young.metrics[0]!.verdict).toBe('inconclusive');
    expect(young.action).toBe('insufficient_data');
    const before = judgeAfterPromotion({ rollout: rollout(300), nowMs: T0 + 340 * 60_000, series: [latency(400, 350)], state: undefined });
    expect(before.action).toBe('continue');
  });

  it('reads the whole service (`all`) after promotion, warmed up on the canary before it', () => {
    const canary = latency(300);
    const all = { ...latency(400, 350, 'all'), points: latency(400, 350, 'all').points.slice(300) };
    const r = judgeAfterPromotion({ rollout: rollout(300), nowMs: T0 + 400 * 60_000, series: [canary, all], state: undefined });
    expect(r.action).toBe('needs_human');
    expect(r.metrics[0]!.n.canary).toBe(100);
  });

  it('no sample since promotion is stale data, never a pass', () => {
    const r = judgeAfterPromotion({ rollout: rollout(300), nowMs: T0 + 400 * 60_000, series: [latency(300)], state: undefined });
    expect(r.metrics[0]!.verdict).toBe('no_data');
    expect(r.action).toBe('insufficient_data');
    expect(r.integrity[0]).toMatchObject({ kind: 'stale', severity: 'blocking' });
  });
});
