import { binIndex } from './calibration.js';
import { checkPair, checkProbabilities, type Label } from './validate.js';

export interface OutcomeHistogram {
  /** Bin edges, numpy-style: bins + 1 values from 0 to 1. */
  bins: number[];
  /** Counts of successes (y = 0) per bin. */
  success: number[];
  /** Counts of failures (y = 1) per bin. */
  failure: number[];
}

/**
 * Predicted probabilities split by outcome over equal-width bins on [0, 1] (p = 1
 * in the last bin, as in the reliability table). Raw counts, not densities: the
 * renderer decides whether to normalise, and counts keep class imbalance visible.
 */
export function histogramByOutcome(p: readonly number[], y: readonly Label[], bins = 20): OutcomeHistogram {
  checkPair(p, y);
  checkProbabilities(p);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const success = new Array<number>(bins).fill(0);
  const failure = new Array<number>(bins).fill(0);
  for (let i = 0; i < p.length; i++) {
    const b = binIndex(p[i]!, bins);
    if (y[i] === 1) failure[b]!++;
    else success[b]!++;
  }
  return { bins: Array.from({ length: bins + 1 }, (_, k) => k / bins), success, failure };
}
