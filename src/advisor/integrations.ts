import type { Advisory, AdvisorAction } from '../contracts/advisor.js';
import type { ArgoAnswer, FlaggerAnswerBody, FlaggerCheck, IntegrationAction, RecordedDecision } from '../contracts/integrations.js';

/**
 * What Argo Rollouts and Flagger are told, from the latest advisory and the
 * latest recorded human decision. Pure: the HTTP routes look both up and
 * send these answers as they are.
 *
 * The one rule both share (`effectiveAction`):
 * - a person's `rollback` decision stands for the rest of the release;
 * - a person's `continue`, `promote` or `halt` stands while the advice they
 *   answered is still the advice (their `advised` equals the latest action);
 *   once the advice changes, the new advice stands until someone decides again;
 * - otherwise the latest advisory's action, or `none` before the first one.
 * An `override` decision is a label for the evals: it changes no answer.
 * - the release policy comes last: while it does not allow promotion (approvals missing, a freeze, a hold,
 *   a rejection), a `continue` or `promote` is answered `halt` (Argo: inconclusive, the rollout pauses;
 *   Flagger: promotion not confirmed), with what is missing in the summary.
 *
 * Argo reads the action with these conditions (docs/integrations/argo-analysis-template.yaml):
 * continue/promote pass, rollback fails, everything else is inconclusive.
 * Flagger reads only the HTTP status: 200 is yes, any other is no.
 */

/** The AnalysisTemplate's conditions, as written in the YAML (a test holds the two to each other). */
export const ARGO_SUCCESS_CONDITION = "result in ['continue', 'promote']";
export const ARGO_FAILURE_CONDITION = "result == 'rollback'";

/** The status shipcheck answers Flagger with for "no": any non-2xx is no; 412 says a condition is not met. */
export const FLAGGER_NO = 412;

export interface Effective {
  action: IntegrationAction;
  decidedBy: 'advice' | 'decision' | 'policy';
  /** Why the policy held it (what is missing), when it did. */
  held?: string;
}

/** The release policy as the integrations read it: whether promotion is allowed, and what is missing if not. */
export interface PolicyGate {
  allows: boolean;
  missing: string[];
}

/** The action the integrations answer on (see the rule above). */
export function effectiveAction(
  advisory: Advisory | null,
  decision: RecordedDecision | null = null,
  policy: PolicyGate | null = null,
): Effective {
  const effective = adviceOrDecision(advisory, decision);
  if (policy && !policy.allows && (effective.action === 'continue' || effective.action === 'promote'))
    return { action: 'halt', decidedBy: 'policy', held: policy.missing.join('; ') || 'the release policy does not allow it yet' };
  return effective;
}

function adviceOrDecision(advisory: Advisory | null, decision: RecordedDecision | null): Effective {
  const advised: AdvisorAction | null = advisory?.action ?? null;
  if (decision?.action === 'rollback') return { action: 'rollback', decidedBy: 'decision' };
  if (
    decision &&
    (decision.action === 'continue' || decision.action === 'promote' || decision.action === 'halt') &&
    decision.advised === advised
  ) {
    return { action: decision.action, decidedBy: 'decision' };
  }
  return { action: advised ?? 'none', decidedBy: 'advice' };
}

/** The body of GET /v1/integrations/argo: `action` is what the AnalysisTemplate's jsonPath reads. */
export function argoResult(
  advisory: Advisory | null,
  decision: RecordedDecision | null = null,
  releaseId: string | null = null,
  policy: PolicyGate | null = null,
): ArgoAnswer {
  const effective = effectiveAction(advisory, decision, policy);
  return {
    action: effective.action,
    releaseId: advisory?.releaseId ?? releaseId,
    advisoryId: advisory?.id ?? null,
    sequence: advisory?.sequence ?? null,
    createdAt: advisory?.createdAt ?? null,
    decidedBy: effective.decidedBy,
    summary: summary(effective, advisory),
  };
}

/** Whether each Flagger check says yes to an action (yes = HTTP 200). */
const FLAGGER_YES: Record<FlaggerCheck, (e: Effective) => boolean> = {
  // Every analysis iteration; a no counts a failed check, and `threshold` failed checks roll the canary back.
  rollout: (e) => e.action !== 'rollback',
  // Before each weight increase; a no holds the weight without counting a failure. Before any traffic there is
  // no data, so no data cannot hold it (the canary would never get traffic); halt, needs_human and rollback do.
  'confirm-traffic-increase': (e) => !['halt', 'needs_human', 'rollback'].includes(e.action),
  // Before promotion: only a promote (the judge's, or a person's) lets the canary become the primary.
  'confirm-promotion': (e) => e.action === 'promote',
  // A yes makes Flagger roll back at once. Only a person's recorded rollback says yes: shipcheck never rolls back
  // by itself (advice to roll back fails the `rollout` check instead, under Flagger's own threshold).
  rollback: (e) => e.action === 'rollback' && e.decidedBy === 'decision',
};

/** The answer to a Flagger webhook of type `check`: 200 for yes, 412 for no, with a body Flagger shows in its events. */
export function flaggerAnswer(
  check: FlaggerCheck,
  advisory: Advisory | null,
  decision: RecordedDecision | null = null,
  policy: PolicyGate | null = null,
): { status: 200 | typeof FLAGGER_NO; body: FlaggerAnswerBody } {
  // The policy gates promotion only: the canary's own checks (traffic, rollout, rollback) follow the advice.
  const effective = effectiveAction(advisory, decision, check === 'confirm-promotion' ? policy : null);
  const pass = FLAGGER_YES[check](effective);
  return {
    status: pass ? 200 : FLAGGER_NO,
    body: {
      check,
      pass,
      action: effective.action,
      decidedBy: effective.decidedBy,
      advisoryId: advisory?.id ?? null,
      reason: `${check} ${pass ? YES_WORDS[check] : NO_WORDS[check]}: ${summary(effective, advisory)}`,
    },
  };
}

const YES_WORDS: Record<FlaggerCheck, string> = {
  rollout: 'passes',
  'confirm-traffic-increase': 'confirmed',
  'confirm-promotion': 'confirmed',
  rollback: 'says roll back now',
};
const NO_WORDS: Record<FlaggerCheck, string> = {
  rollout: 'fails',
  'confirm-traffic-increase': 'held',
  'confirm-promotion': 'held',
  rollback: 'says no rollback',
};

/** "rollback advised (advisory #7): error rate up 3.1× on the canary", or why there is nothing to go on. */
function summary(effective: Effective, advisory: Advisory | null): string {
  if (effective.decidedBy === 'policy') return `held by the release policy: ${effective.held}`;
  if (effective.decidedBy === 'decision') {
    return `a person decided ${effective.action}${advisory ? ` (latest advice: ${advisory.action}, advisory #${advisory.sequence})` : ''}`;
  }
  if (!advisory) return 'no advisory yet for this release (no data judged): neither a pass nor a fail';
  const reason = advisory.reasons[0]?.text.replace(/\s+/g, ' ').trim();
  const text = `${advisory.action} advised (advisory #${advisory.sequence})${reason ? `: ${reason}` : ''}`;
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
