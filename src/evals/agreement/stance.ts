/**
 * Each recommendation and decision as stop or go, the one question both
 * sides answer. Promoting with approval is a go (with a person in the loop);
 * an override is a go (it goes against a stop). An acknowledgement records
 * that a person saw an advisory, not what they chose: it takes no stance.
 */
import type { Decided, Recommended, Stance } from './types.js';

const RECOMMENDED: Record<Recommended, Stance | null> = {
  promote: 'go',
  promote_with_approval: 'go',
  continue: 'go',
  hold: 'stop',
  halt: 'stop',
  rollback: 'stop',
  insufficient_data: null,
  needs_human: null,
};

const DECIDED: Record<Decided, Stance | null> = {
  approve: 'go',
  promote: 'go',
  continue: 'go',
  override: 'go',
  reject: 'stop',
  rollback: 'stop',
  halt: 'stop',
  acknowledge: null,
};

/** A value outside the known actions is a caller's bug: refusing it beats counting it on a side by guess. */
export function recommendedStance(r: Recommended): Stance | null {
  if (!Object.hasOwn(RECOMMENDED, r)) throw new Error(`unknown recommendation "${r}"; known: ${Object.keys(RECOMMENDED).join(', ')}`);
  return RECOMMENDED[r];
}

export function decidedStance(d: Decided): Stance | null {
  if (!Object.hasOwn(DECIDED, d)) throw new Error(`unknown decision "${d}"; known: ${Object.keys(DECIDED).join(', ')}`);
  return DECIDED[d];
}
