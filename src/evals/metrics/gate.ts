import { scoreGroupsDesc, type ScoreGroup } from './ranking.js';
import { checkPair, countFailures, type Label } from './validate.js';

/**
 * Gate capture: if the release gate holds back the top `percent`% riskiest changes,
 * what share of all failures does it catch? This is the number an operator feels
 * ("gate 10% of deploys, stop 40% of the bad ones").
 *
 * The gate holds k = ceil(n·percent/100) changes (ceil: a gate set to 5% of 10
 * changes still holds one). Ties at the cut-off are averaged: if the k-th slot
 * falls inside a group of m equally scored changes of which r are admitted,
 * each member counts r/m, so the group contributes r/m of its failures. That is
 * the expectation over random tie-breaking, and stops a constant predictor from
 * scoring by accident of sort order.
 */
export function gateCapture(p: readonly number[], y: readonly Label[], percent: number): number | null {
  checkPair(p, y);
  checkPercent(percent);
  const failures = countFailures(y);
  if (failures === 0) return null;
  return capturedAt(scoreGroupsDesc(p, y), gateSize(p.length, percent)) / failures;
}

export interface GatePoint {
  percent: number;
  captured: number;
}

/** gateCapture at every whole percent 0..100 (one sort); empty when there are no failures. */
export function gateCurve(p: readonly number[], y: readonly Label[]): GatePoint[] {
  checkPair(p, y);
  const failures = countFailures(y);
  if (failures === 0) return [];
  const groups = scoreGroupsDesc(p, y);
  const curve: GatePoint[] = [];
  for (let percent = 0; percent <= 100; percent++) {
    curve.push({ percent, captured: capturedAt(groups, gateSize(p.length, percent)) / failures });
  }
  return curve;
}

function checkPercent(percent: number): void {
  if (!(percent >= 0 && percent <= 100)) throw new RangeError(`percent must lie in [0, 100], got ${percent}`);
}

/** ceil(n·percent/100), shaved by a relative epsilon so 7.000000000000001 does not become 8. */
function gateSize(n: number, percent: number): number {
  const exact = (n * percent) / 100;
  return Math.min(n, Math.max(0, Math.ceil(exact - 1e-9 * Math.max(1, exact))));
}

/** Expected failures among the first k items, with the boundary group admitted fractionally. */
function capturedAt(groups: readonly ScoreGroup[], k: number): number {
  let taken = 0;
  let caught = 0;
  for (const g of groups) {
    if (taken >= k) break;
    const size = g.positives + g.negatives;
    if (taken + size <= k) {
      taken += size;
      caught += g.positives;
    } else {
      caught += (g.positives * (k - taken)) / size;
      taken = k;
    }
  }
  return caught;
}
