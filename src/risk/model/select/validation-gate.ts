import type { SelectionReport } from './artifact.js';

/** A served model must rank better than this on validation (0.5 is a coin). */
export const MIN_VALIDATION_AUC = 0.55;

/**
 * Why a retrain must not replace the model serving, or null. A model that
 * ranks like a coin, or whose probabilities lose to always answering the
 * training base rate, would make every answer worse than the one before it:
 * the previous model keeps serving and the retrain is kept, flagged, for
 * people to look at. A retrain too short to validate is not failed by this
 * (its report says it was not compared).
 */
export function validationFailure(s: Pick<SelectionReport, 'served'>): string | null {
  const { auc, brierSkill } = s.served;
  if (auc !== null && auc < MIN_VALIDATION_AUC)
    return `the chosen model ranks no better than chance on validation (AUC ${auc.toFixed(3)} < ${MIN_VALIDATION_AUC})`;
  if (brierSkill !== null && brierSkill <= 0)
    return `the chosen model's probabilities lose to the training base rate on validation (Brier skill ${brierSkill.toFixed(3)})`;
  return null;
}
