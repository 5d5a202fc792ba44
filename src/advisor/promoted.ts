/**
 * After promotion: the streaming detector watches each guardrail of the whole
 * service (group `all`, else the canary's series, which is now everyone's)
 * for the configured time. It is replayed over the series at every look (it
 * is online and sees no point after the one it scores), so no detector state
 * needs storing between looks.
 */
import type { IntegrityFinding, MetricVerdict } from '../contracts/advisor.js';
import type { JudgeState, Series } from './judge/types.js';
import type { Rollout } from './ports.js';
import { createStreamDetector } from './stream/index.js';

export function judgeAfterPromotion(q: { rollout: Rollout; nowMs: number; series: readonly Series[]; state: JudgeState | undefined }) {
  const promotedAt = (q.rollout.stoppedAt ?? q.rollout.startedAt).getTime();
  const integrity: IntegrityFinding[] = [];
  const metrics: MetricVerdict[] = q.rollout.metrics.map((m) => {
    // The canary's series before promotion warms the detector up; after it, the whole service's (`all`) when sent.
    const points = mergedSeries(q.series, m.name).filter((p) => p[0] <= q.nowMs);
    const detector = createStreamDetector();
    let alertAt: number | null = null;
    let maxScore = 0;
    let after = 0;
    let learning = 0;
    for (const [ts, v] of points) {
      const { score, alert, status } = detector.push(ts, v);
      if (ts < promotedAt) continue;
      after++;
      if (status === 'learning') learning++;
      maxScore = Math.max(maxScore, score);
      if (alert && alertAt === null) alertAt = ts;
    }
    const s = { group: points.length ? ('all' as const) : null };
    // A detector still learning the series' normal cannot vouch for it: inconclusive, not a pass.
    const verdict: MetricVerdict['verdict'] =
      after === 0 ? 'no_data' : alertAt !== null ? 'fail' : learning === after ? 'inconclusive' : 'pass';
    if (after === 0 && m.role !== 'diagnostic')
      integrity.push({ kind: 'stale', metric: m.name, group: s.group, severity: 'blocking', detail: 'no sample since promotion' });
    const first = points.find((p) => p[0] >= promotedAt)?.[0];
    const last = points.at(-1)?.[0];
    return {
      name: m.name,
      role: m.role,
      critical: m.critical,
      verdict,
      n: { canary: after, baseline: points.length - after },
      medians: { canary: null, baseline: null },
      shift: null,
      interval: null,
      effect: null,
      pValue: null,
      rule:
        alertAt !== null
          ? `streaming detector alerted at ${new Date(alertAt).toISOString()} (highest anomaly score ${maxScore.toFixed(2)})`
          : `streaming detector: no alert since promotion (highest anomaly score ${maxScore.toFixed(2)})`,
      window: {
        from: first !== undefined ? new Date(first).toISOString() : null,
        to: last !== undefined ? new Date(last).toISOString() : null,
      },
    };
  });
  const deciding = metrics.filter((m) => m.role !== 'diagnostic');
  const alerting = deciding.filter((m) => m.verdict === 'fail');
  const action =
    alerting.length > 0
      ? ('needs_human' as const)
      : // Nothing decides yet (no data, or a detector still learning): never a pass.
        deciding.length > 0 && deciding.every((m) => m.verdict === 'no_data' || m.verdict === 'inconclusive')
        ? ('insufficient_data' as const)
        : ('continue' as const);
  return { action, confidence: alerting.length > 0 ? 0.6 : 0.5, metrics, integrity, state: q.state ?? {} };
}

/** One series of a metric: `all` and `canary` points in time order, one per timestamp (`all` wins a tie). */
function mergedSeries(series: readonly Series[], metric: string): [number, number][] {
  const byTs = new Map<number, number>();
  for (const group of ['canary', 'all'] as const)
    for (const [ts, v] of series.find((x) => x.metric === metric && x.group === group)?.points ?? []) byTs.set(ts, v);
  return [...byTs].sort((a, b) => a[0] - b[0]);
}
