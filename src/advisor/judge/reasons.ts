/**
 * The judge's reasons in plain words, built from the numbers it computed
 * (so every number in them is grounded). The advisory cites each metric's
 * evidence; an LLM may reword these, never change them.
 */
import type { IntegrityFinding, MetricVerdict } from '../../contracts/advisor.js';
import { fmt } from './gauge.js';
import type { Judgement, JudgeReason } from './types.js';

const pct = (v: number) => `${v >= 0 ? '+' : ''}${fmt(v * 100)}%`;
const pText = (p: number | null) => (p === null ? '' : p < 0.0001 ? ', p < 0.0001' : `, p = ${fmt(p)}`);

/** One metric's verdict in a sentence: what was compared, the shift, its interval and the verdict. */
export function describeVerdict(v: MetricVerdict): string {
  const who = `${v.name} (${v.critical ? 'critical ' : ''}${v.role})`;
  if (v.verdict === 'no_data') return `${who}: not enough data to judge (${v.rule.replace(/^not judged: /, '')}).`;
  const m = v.medians;
  const levels = m.canary !== null && m.baseline !== null ? `canary ${fmt(m.canary)} against baseline ${fmt(m.baseline)}` : '';
  const shift =
    v.shift !== null
      ? `, shift ${v.shift >= 0 ? '+' : ''}${fmt(v.shift)}${v.effect !== null ? ` (${pct(v.effect)})` : ''}` +
        (v.interval ? `, interval [${fmt(v.interval[0])}, ${fmt(v.interval[1])}]` : '')
      : '';
  const n = ` on ${v.n.canary} canary and ${v.n.baseline} baseline samples`;
  const what =
    v.verdict === 'fail'
      ? 'worse than the baseline by more than the smallest effect that matters'
      : v.verdict === 'pass'
        ? 'within the smallest effect that matters'
        : 'not yet decided';
  return `${who} is ${what}: ${levels}${shift}${pText(v.pValue)}${n}.`;
}

/** One integrity finding in a sentence. */
export function describeFinding(f: IntegrityFinding): string {
  const where = [f.metric, f.group].filter(Boolean).join(' ');
  const label = f.kind.replaceAll('_', ' ');
  return `${label[0]!.toUpperCase()}${label.slice(1)}${where ? ` (${where})` : ''}: ${f.detail}${f.severity === 'blocking' ? '' : ' (warning)'}.`;
}

const ACTION_TEXT = {
  rollback: 'Roll back: a critical guardrail is worse than the baseline, with strong evidence.',
  halt: 'Halt the rollout and look: a metric is worse than the baseline, but the evidence is not yet strong enough to roll back.',
  needs_human: 'A person must look: the telemetry contradicts itself, so no comparison is trusted.',
  insufficient_data: 'Not enough data yet: the judge will neither pass nor fail a guardrail without it.',
  promote: 'Promote: every guardrail is within the smallest effect that matters.',
  continue: 'Continue: nothing is failing, and the guardrails cannot pass yet.',
} as const;

export function judgementReasons(
  j: Pick<Judgement, 'action' | 'metrics' | 'integrity'>,
  ctx: { deciding: readonly string[]; minDurationMs: number; elapsedMs: number },
): JudgeReason[] {
  const out: JudgeReason[] = [{ text: ACTION_TEXT[j.action], metrics: [...ctx.deciding] }];
  if (j.action === 'continue' && ctx.elapsedMs < ctx.minDurationMs && j.metrics.some((m) => m.role === 'guardrail')) {
    out[0]!.text = `Continue: nothing is failing; promotion waits for the minimum duration (${fmt(ctx.minDurationMs / 60_000)} min, ${fmt(ctx.elapsedMs / 60_000)} so far).`;
  }
  const byName = new Map(j.metrics.map((m) => [m.name, m]));
  for (const name of ctx.deciding) {
    const v = byName.get(name);
    if (v) out.push({ text: describeVerdict(v), metrics: [name] });
  }
  for (const f of j.integrity) {
    if (f.severity === 'blocking') out.push({ text: describeFinding(f), metrics: f.metric ? [f.metric] : [] });
  }
  return out;
}
