import { checkEffort, checkPair, countFailures, type Label } from './validate.js';

/**
 * Effort-aware ranking (Kamei et al., TSE 2013; Yang et al., FSE 2016): a reviewer
 * pays per changed line, so a model is judged by failures found per line read.
 *
 * Effective effort is max(effort, 1) everywhere — for ranking AND for the effort
 * axis — so a zero-line change (rename, mode flip, binary) still costs one unit to
 * look at, densities stay finite, and total effort is never 0.
 */
export function effectiveEffort(e: number): number {
  return Math.max(e, 1);
}

/**
 * Model inspection order: predicted density p/effort descending; ties go to the
 * smaller change first (cheaper to read), then to input order so it is deterministic.
 */
export function modelOrder(p: readonly number[], effort: readonly number[]): number[] {
  const density = p.map((pi, i) => pi / effectiveEffort(effort[i]!));
  return Array.from(p.keys()).sort(
    (a, b) => density[b]! - density[a]! || effectiveEffort(effort[a]!) - effectiveEffort(effort[b]!) || a - b,
  );
}

/**
 * Recall at an effort budget (default 20% of all changed lines): walk the model's
 * order and count changes while the cumulative effort stays ≤ budget. The change
 * that would cross the line is NOT counted, not even fractionally: a reviewer
 * cannot half-inspect a change, and this matches the usual implementations
 * (Yang et al. 2016; Zeng et al. ISSTA 2021: `cum_effort <= 0.2 * total`).
 * Null without failures.
 */
export function recallAtEffort(p: readonly number[], y: readonly Label[], effort: readonly number[], fraction = 0.2): number | null {
  checkPair(p, y);
  checkEffort(effort, p.length);
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`fraction must lie in [0, 1], got ${fraction}`);
  const failures = countFailures(y);
  if (failures === 0) return null;
  let total = 0;
  for (const e of effort) total += effectiveEffort(e);
  // A hair of slack so that 0.2·total computed in floating point does not drop a change sitting exactly on the line.
  const budget = fraction * total * (1 + 1e-12);
  let spent = 0;
  let found = 0;
  for (const i of modelOrder(p, effort)) {
    spent += effectiveEffort(effort[i]!);
    if (spent > budget) break;
    found += y[i]!;
  }
  return found / failures;
}

/**
 * Popt (Kamei et al. 2013): 1 − Δopt, Δopt = (A_opt − A_model) / (A_opt − A_worst),
 * where A is the trapezoid area under cumulative-%-failures vs cumulative-%-effort,
 * starting at (0,0). Optimal orders by actual density y/effort descending, worst
 * ascending (ties: smaller effort first, as for the model). 1 = optimal, 0 = worst.
 * Null without failures, or when optimal and worst coincide (nothing to rank).
 */
export function popt(p: readonly number[], y: readonly Label[], effort: readonly number[]): number | null {
  checkPair(p, y);
  checkEffort(effort, p.length);
  if (countFailures(y) === 0) return null;
  const eff = effort.map(effectiveEffort);
  const actual = y.map((yi, i) => yi / eff[i]!);
  const byActual = (dir: 1 | -1) => Array.from(y.keys()).sort((a, b) => dir * (actual[b]! - actual[a]!) || eff[a]! - eff[b]! || a - b);
  const model = areaUnderEffortCurve(modelOrder(p, effort), y, eff);
  const optimal = areaUnderEffortCurve(byActual(1), y, eff);
  const worst = areaUnderEffortCurve(byActual(-1), y, eff);
  if (optimal - worst <= 0) return null;
  return 1 - (optimal - model) / (optimal - worst);
}

/** Trapezoid area under (cum effort share, cum failure share) from (0,0) to (1,1). */
function areaUnderEffortCurve(order: readonly number[], y: readonly Label[], eff: readonly number[]): number {
  let totalEffort = 0;
  let totalFailures = 0;
  for (let i = 0; i < y.length; i++) {
    totalEffort += eff[i]!;
    totalFailures += y[i]!;
  }
  let area = 0;
  let x = 0;
  let r = 0;
  for (const i of order) {
    const nx = x + eff[i]! / totalEffort;
    const nr = r + y[i]! / totalFailures;
    area += ((nx - x) * (r + nr)) / 2;
    x = nx;
    r = nr;
  }
  return area;
}
