import { scoreGroupsDesc } from './ranking.js';
import { checkPair, type Label } from './validate.js';

/**
 * ROC AUC as the Mann–Whitney U statistic: the probability that a random failure
 * scores above a random success, ties counting ½ (average ranks). Null when only
 * one class is present — the figure is undefined there, and 0.5 would be a silent lie.
 */
export function rocAuc(p: readonly number[], y: readonly Label[]): number | null {
  checkPair(p, y);
  const order = Array.from(p.keys()).sort((a, b) => p[a]! - p[b]!);
  let rankSumPos = 0;
  let nPos = 0;
  // Walk runs of equal scores; each member gets the run's average 1-based rank.
  for (let start = 0; start < order.length; ) {
    let end = start;
    const s = p[order[start]!]!;
    while (end + 1 < order.length && p[order[end + 1]!] === s) end++;
    const avgRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (y[order[k]!] === 1) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    start = end + 1;
  }
  const nNeg = p.length - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
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
