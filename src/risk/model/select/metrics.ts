/**
 * ROC AUC as the Mann–Whitney U statistic: the probability that a random
 * failure scores above a random success, ties counting ½ (average ranks).
 * Null when only one class is present: the figure is undefined there, and
 * 0.5 would be a silent lie. (The eval harness reports the same function.)
 */
export function rankAuc(p: readonly number[], y: readonly (0 | 1)[]): number | null {
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

/** Mean log-loss, probabilities clipped to [1e-6, 1 − 1e-6] so one confident miss stays finite. */
export function logLoss(p: readonly number[], y: readonly (0 | 1)[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - 1e-6, Math.max(1e-6, p[i]!));
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / Math.max(1, p.length);
}

export function brierScore(p: readonly number[], y: readonly (0 | 1)[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i]! - y[i]!) ** 2;
  return s / Math.max(1, p.length);
}

/** ECE over 15 equal-width bins (the eval harness reports this function): Σ_b (n_b / n)·|mean p_b − failure rate_b|; p = 1 joins the last bin. */
export function calibrationError(p: readonly number[], y: readonly (0 | 1)[], bins = 15): number {
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(Math.floor(p[i]! * bins), bins - 1);
    count[b]!++;
    sumP[b]! += p[i]!;
    sumY[b]! += y[i]!;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) ece += Math.abs(sumP[b]! - sumY[b]!) / Math.max(1, p.length);
  return ece;
}
