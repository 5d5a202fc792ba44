/** Whether a person's decision goes along with the advice it answers (else it is kept as an override label). Pure. */
import type { AdvisorAction, DecisionAction } from '../contracts/advisor.js';

const AGREEING: Record<AdvisorAction, readonly DecisionAction[]> = {
  continue: ['continue'],
  promote: ['promote', 'continue'],
  halt: ['halt', 'rollback'],
  rollback: ['rollback'],
  // The data could not say: waiting (halt) or going on (continue) both follow it; promoting or rolling back goes beyond it.
  insufficient_data: ['halt', 'continue'],
  // The advice was to ask a person: whatever they decide answers it.
  needs_human: ['halt', 'rollback', 'continue', 'promote'],
};

export function overridesAdvice(advised: AdvisorAction | null, action: DecisionAction): boolean {
  if (action === 'override') return true;
  // Seeing an advisory is not deciding against it.
  if (action === 'acknowledge') return false;
  if (advised === null) return false;
  return !AGREEING[advised].includes(action);
}
