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
    const s =
      q.series.find((x) => x.metric === m.name && x.group === 'all') ?? q.series.find((x) => x.metric === m.name && x.group === 'canary');
    const points = (s?.points ?? []).filter((p) => p[0] <= q.nowMs && Number.isFinite(p[1]));
    const detector = createStreamDetector();
    let alertAt: number | null = null;
    let maxScore = 0;
    let after = 0;
    for (const [ts, v] of points) {
      const { score, alert } = detector.push(ts, v);
      if (ts < promotedAt) continue;
      after++;
      maxScore = Math.max(maxScore, score);
      if (alert && alertAt === null) alertAt = ts;
    }
    const verdict: MetricVerdict['verdict'] = after === 0 ? 'no_data' : alertAt !== null ? 'fail' : 'pass';
    if (after === 0 && m.role !== 'diagnostic')
      integrity.push({ kind: 'stale', metric: m.name, group: s?.group ?? null, severity: 'blocking', detail: 'no sample since promotion' });
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
      : deciding.every((m) => m.verdict === 'no_data')
        ? ('insufficient_data' as const)
        : ('continue' as const);
  return { action, confidence: alerting.length > 0 ? 0.6 : 0.5, metrics, integrity, state: q.state ?? {} };
}
