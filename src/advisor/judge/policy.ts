/**
 * From metric verdicts to one action. Guardrails decide; a primary metric
 * can halt but never roll back or hold back promotion; diagnostics never
 * decide. In order:
 *
 * 1. rollback: a critical guardrail fails with strong evidence at this look
 *    (its corrected anytime p-value ≤ ALPHA_ROLLBACK and its interval wholly
 *    beyond the margin, in a window tested now), and it was failing at the
 *    look before too (confirmed: no rollback on a single look).
 * 2. halt: a guardrail or primary metric fails at ALPHA_HALT but is not (yet,
 *    or no longer) confirmed with strong evidence, or a non-critical
 *    guardrail fails; or, before any failure, one is significantly worse
 *    than the baseline at all (at ALPHA_HALT) with its estimate beyond the
 *    margin: an early warning that stops the rollout while evidence grows.
 * 3. needs_human: a guardrail's data contradicts itself (traffic split,
 *    invalid values): a person must look before anything is concluded.
 * 4. insufficient_data: a guardrail has no data or too little to judge.
 * 5. promote: the minimum duration has passed and every guardrail passes
 *    (its interval wholly inside the margin, no window leaning bad, no gap).
 * 6. continue.
 */
import type { AdvisorAction, MetricRole } from '../../contracts/advisor.js';

/** The error budget of a halt, and of a rollback: family-wise over the metrics of a rollout and over all its looks. */
export const ALPHA_HALT = 0.05;
export const ALPHA_ROLLBACK = 0.01;

export interface PolicyMetric {
  name: string;
  role: MetricRole;
  critical: boolean;
  verdict: 'pass' | 'fail' | 'inconclusive' | 'no_data';
  /** Corrected anytime p-value of failing, the strongest so far (1 when not judged). */
  pFail: number;
  /** The same from this look's data alone. */
  pFailNow: number;
  /** It failed at an earlier look too, without a break since. */
  confirmed: boolean;
  /** Not failing, but significantly worse than the baseline at all, by an estimate beyond the margin: an early warning. */
  degrading: boolean;
  /** Its corrected anytime p-value of being worse at all. */
  pWorse: number;
  /** Anytime p-value of passing, window 0 (1 when not judged). */
  pPass: number;
  /** The data contradicts itself (blocking traffic-split or invalid-value finding). */
  contradictory: boolean;
  /** A gap in the metric's data during the rollout. */
  gap: boolean;
}

export interface PolicyResult {
  action: AdvisorAction;
  confidence: number;
  /** The metrics that decided the action (for its reasons). */
  deciding: string[];
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export function decide(metrics: readonly PolicyMetric[], opts: { elapsedMs: number; minDurationMs: number }): PolicyResult {
  const guardrails = metrics.filter((m) => m.role === 'guardrail');
  const judged = metrics.filter((m) => m.role !== 'diagnostic');
  const names = (ms: readonly PolicyMetric[]) => ms.map((m) => m.name);
  const worst = (ms: readonly PolicyMetric[]) => Math.min(...ms.map((m) => m.pFail));

  // Strong evidence, and still there: a failure that has since faded (a transient episode) halts instead.
  const strong = guardrails.filter((m) => m.critical && m.verdict === 'fail' && m.confirmed && m.pFailNow <= ALPHA_ROLLBACK);
  if (strong.length) {
    return { action: 'rollback', confidence: clamp01(1 - Math.min(...strong.map((m) => m.pFailNow))), deciding: names(strong) };
  }

  const failing = judged.filter((m) => m.verdict === 'fail');
  if (failing.length) return { action: 'halt', confidence: clamp01(1 - worst(failing)), deciding: names(failing) };
  const degrading = judged.filter((m) => m.degrading);
  if (degrading.length) {
    return { action: 'halt', confidence: clamp01(1 - Math.min(...degrading.map((m) => m.pWorse))), deciding: names(degrading) };
  }

  const broken = guardrails.filter((m) => m.contradictory);
  if (broken.length) return { action: 'needs_human', confidence: 1, deciding: names(broken) };

  const missing = guardrails.filter((m) => m.verdict === 'no_data');
  if (guardrails.length === 0 || missing.length) return { action: 'insufficient_data', confidence: 1, deciding: names(missing) };

  if (opts.elapsedMs >= opts.minDurationMs && guardrails.every((m) => m.verdict === 'pass' && !m.gap)) {
    return { action: 'promote', confidence: clamp01(1 - Math.max(...guardrails.map((m) => m.pPass))), deciding: names(guardrails) };
  }
  // Continue: as sure as the guardrail closest to failing is far from it.
  return { action: 'continue', confidence: clamp01(worst(guardrails)), deciding: [] };
}
