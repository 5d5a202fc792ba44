import { scoreGroupsDesc } from './ranking.js';
import { checkPair, type Label } from './validate.js';

/**
 * Average precision as scikit-learn defines it: AP = Σ_k (R_k − R_{k−1})·P_k over
 * the distinct thresholds, highest first. It is a step sum, not a trapezoid:
 * linear interpolation between PR points is optimistic (Davis & Goadrich 2006).
 * Tied scores form a single threshold. Null without failures (recall undefined).
 */
export function prAuc(p: readonly number[], y: readonly Label[]): number | null {
  checkPair(p, y);
  const groups = scoreGroupsDesc(p, y);
  let nPos = 0;
  for (const g of groups) nPos += g.positives;
  if (nPos === 0) return null;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (const g of groups) {
    tp += g.positives;
    seen += g.positives + g.negatives;
    // Recall only moves when the group holds failures, so only those steps add area.
    if (g.positives > 0) ap += (g.positives / nPos) * (tp / seen);
  }
  return ap;
}
