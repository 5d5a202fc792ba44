import type { ChangeLabel } from './types.js';

export type LabelAsOf = 'bug' | 'clean' | 'unknown';

/** How long a change must go unfixed before its silence counts as clean. */
export const DEFAULT_MATURITY_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * What could be known about a change at time `t`, with no look into the
 * future: bug-inducing only once a fix exists (`labelKnownAt <= t`); with no
 * fix yet, clean only when the change is older than the maturity window
 * (most bugs are fixed within it), else unknown. A change made after `t` is
 * unknown. Replays and training at `t` must use this, not the label the whole
 * history gives: that label was not known then.
 */
export function labelAsOf(
  change: Pick<ChangeLabel, 'at' | 'labelKnownAt'>,
  t: Date,
  maturityDays: number = DEFAULT_MATURITY_DAYS,
): LabelAsOf {
  if (change.at.getTime() > t.getTime()) return 'unknown';
  if (change.labelKnownAt && change.labelKnownAt.getTime() <= t.getTime()) return 'bug';
  return t.getTime() - change.at.getTime() >= maturityDays * DAY_MS ? 'clean' : 'unknown';
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}
