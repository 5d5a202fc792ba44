import { checkPair, type Label } from './validate.js';

export interface ThresholdMetrics {
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

/**
 * Confusion counts when every change with p ≥ threshold is flagged. Each figure is
 * null exactly when its own denominator is 0: precision with nothing flagged,
 * recall with no failures, F1 = 2TP/(2TP+FP+FN) only when both are absent. F1 is
 * computed from counts, so flagging nothing while failures exist scores 0, not null.
 */
export function thresholdMetrics(p: readonly number[], y: readonly Label[], threshold: number): ThresholdMetrics {
  checkPair(p, y);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < p.length; i++) {
    const flagged = p[i]! >= threshold;
    if (y[i] === 1) {
      if (flagged) tp++;
      else fn++;
    } else if (flagged) fp++;
    else tn++;
  }
  const ratio = (num: number, den: number) => (den === 0 ? null : num / den);
  return {
    threshold,
    tp,
    fp,
    fn,
    tn,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
  };
}
