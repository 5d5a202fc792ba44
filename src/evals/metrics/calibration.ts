import { calibrationError } from '../../risk/model/index.js';
import type { ReliabilityBin } from '../../contracts/evals.js';
import { checkNonEmpty, checkPair, checkProbabilities, type Label } from './validate.js';

/** 15 equal-width bins: the common default in the calibration literature (Guo et al. 2017). */
export const DEFAULT_CALIBRATION_BINS = 15;

/**
 * Equal-width bin of a probability: [k/bins, (k+1)/bins), except that p = 1 joins
 * the last bin instead of opening a bin of its own.
 */
export function binIndex(p: number, bins: number): number {
  return Math.min(Math.floor(p * bins), bins - 1);
}

function checkBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
}

/**
 * Per-bin mean prediction against observed failure rate, for reliability diagrams.
 * Every bin is returned (empty ones with nulls) so plots share an x axis.
 */
export function reliabilityTable(p: readonly number[], y: readonly Label[], bins = DEFAULT_CALIBRATION_BINS): ReliabilityBin[] {
  checkPair(p, y);
  checkProbabilities(p);
  checkBins(bins);
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  for (let i = 0; i < p.length; i++) {
    const b = binIndex(p[i]!, bins);
    count[b]!++;
    sumP[b]! += p[i]!;
    sumY[b]! += y[i]!;
  }
  return count.map((c, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: c,
    meanPredicted: c > 0 ? sumP[b]! / c : null,
    observedRate: c > 0 ? sumY[b]! / c : null,
  }));
}

/**
 * ECE = Σ_b (n_b / n)·|mean_p_b − rate_b| over the equal-width bins; empty bins weigh 0. The risk model's
 * selection computes the same figure with the same function (risk/model), so the two never disagree.
 */
export function expectedCalibrationError(p: readonly number[], y: readonly Label[], bins = DEFAULT_CALIBRATION_BINS): number {
  checkPair(p, y);
  checkProbabilities(p);
  checkBins(bins);
  checkNonEmpty(p.length, 'ECE');
  return calibrationError(p, y, bins);
}
