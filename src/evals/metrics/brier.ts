import { brierScore } from '../../risk/model/index.js';
import { checkNonEmpty, checkPair, checkProbabilities, type Label } from './validate.js';

/** Mean squared error of the predicted probability: 0 is perfect, lower is better. */
export function brier(p: readonly number[], y: readonly Label[]): number {
  checkPair(p, y);
  checkProbabilities(p);
  checkNonEmpty(p.length, 'Brier score');
  return brierScore(p, y);
}

/**
 * Brier skill score: 1 − brier / brier_ref, where brier_ref is the Brier score of
 * always predicting `baseRate`. Pass the TRAINING base rate: the reference must be
 * a forecast that could have been made at prediction time. Using the test set's
 * own rate would hand the reference knowledge of the future (it is the best
 * constant in hindsight) and, under class-imbalance drift, makes every model look
 * worse than a forecaster nobody could have had. > 0 beats the climatology, < 0
 * loses to it. Null when brier_ref = 0 (the constant was perfect: nothing to beat).
 */
export function brierSkill(p: readonly number[], y: readonly Label[], baseRate: number): number | null {
  if (!(baseRate >= 0 && baseRate <= 1)) throw new RangeError(`baseRate ${baseRate} is not a probability in [0, 1]`);
  const b = brier(p, y);
  let ref = 0;
  for (const yi of y) ref += (baseRate - yi) ** 2;
  ref /= y.length;
  if (ref === 0) return null;
  return 1 - b / ref;
}
