import { rankAuc } from '../../risk/model/index.js';
import { scoreGroupsDesc } from './ranking.js';
import { checkPair, type Label } from './validate.js';

/**
 * ROC AUC as the Mann–Whitney U statistic (ties counting ½), null when only one
 * class is present. The same function the risk model's selection compares its
 * candidates with, so the harness and the service agree on every figure.
 */
export function rocAuc(p: readonly number[], y: readonly Label[]): number | null {
  checkPair(p, y);
  return rankAuc(p, y);
}

export interface RocPoint {
  fpr: number;
  tpr: number;
}

/**
 * One point per distinct threshold, from (0,0) to (1,1). A group of tied scores
 * moves diagonally, so the trapezoid area under this curve equals rocAuc exactly.
 * Empty when one class is absent (either axis would divide by zero).
 */
export function rocCurve(p: readonly number[], y: readonly Label[]): RocPoint[] {
  checkPair(p, y);
  const groups = scoreGroupsDesc(p, y);
  let nPos = 0;
  for (const g of groups) nPos += g.positives;
  const nNeg = p.length - nPos;
  if (nPos === 0 || nNeg === 0) return [];
  const points: RocPoint[] = [{ fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (const g of groups) {
    tp += g.positives;
    fp += g.negatives;
    points.push({ fpr: fp / nNeg, tpr: tp / nPos });
  }
  return points;
}
