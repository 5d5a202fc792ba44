import type { TrainingRow } from '../types.js';

/** When a row's outcome became known (epoch ms): its `knownAt`, else its release time. */
export const knownAt = (r: TrainingRow) => (r.knownAt ?? r.at).getTime();

/**
 * How long a success takes to become known: the 90th percentile of
 * (known − released) over the successes. Labels can arrive unevenly: SZZ
 * knows a failure as soon as its fix lands, a success only once the change
 * has lived a maturity window (90 days) with no fix. Trained at time t on
 * every label known by t, a model would see the young failures and none of
 * the young successes, and learn that the recent past fails. Rows released
 * within the horizon before t are left out, failures and successes alike.
 * Outcomes recorded as they happen (the API) make it near zero: nothing is lost.
 */
export function labelHorizonMs(rows: readonly TrainingRow[]): number {
  const lags = rows
    .filter((r) => r.y === 0)
    .map((r) => knownAt(r) - r.at.getTime())
    .sort((a, b) => a - b);
  if (lags.length === 0) return 0;
  return Math.max(0, lags[Math.min(lags.length - 1, Math.floor(lags.length * 0.9))]!);
}

/** The rows a model fitted at `at` may learn from: released before it, outcome known by it, older than the horizon. */
export function trainableAt(rows: readonly TrainingRow[], at: number, horizonMs: number): number[] {
  const keep: number[] = [];
  rows.forEach((r, i) => {
    const t = r.at.getTime();
    if (t < at && knownAt(r) <= at && t <= at - horizonMs) keep.push(i);
  });
  return keep;
}
