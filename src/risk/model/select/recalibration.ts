import type { CandidateName } from '../candidates.js';
import type { TrainingRow } from '../types.js';
import { logLoss } from './metrics.js';
import { BaseRateTracker } from './base-rate.js';
import { knownAt } from './label-horizon.js';
import type { RollingOrigin } from './rolling-origin.js';

/** Forgetting half-lives tried, in days; null = never forget. `off` (no recalibration) is always tried too. */
export const HALF_LIVES: readonly (number | null)[] = [30, 90, 180, 365, null];

export interface RecalibrationChoice {
  /** 'off': the validation said the model's own probabilities were better as they were. */
  halfLifeDays: number | null | 'off';
  /** Validation log-loss without and with the chosen layer. */
  logLossBefore: number;
  logLossAfter: number;
}

/**
 * Chooses how fast the recalibration forgets, by replaying each validation
 * fold as the service would have lived it: the layer starts from what the
 * fold's model said about its own training rows, then each scored release
 * is recalibrated with only the outcomes known before it was asked, and
 * scored. The half-life with the lowest log-loss wins, and only if it beats
 * no recalibration at all.
 */
export function chooseRecalibration(
  rows: readonly TrainingRow[],
  validation: RollingOrigin,
  candidate: CandidateName,
): RecalibrationChoice {
  const scored = validation.scored[candidate] ?? [];
  const y = scored.map((s) => rows[s.row]!.y);
  const before = logLoss(
    scored.map((s) => s.probability),
    y,
  );
  let best: RecalibrationChoice = { halfLifeDays: 'off', logLossBefore: before, logLossAfter: before };
  if (scored.length === 0) return best;
  for (const h of HALF_LIVES) {
    const after = logLoss(recalibratedFolds(rows, validation, candidate, h), y);
    if (after < best.logLossAfter - 1e-9) best = { halfLifeDays: h, logLossBefore: before, logLossAfter: after };
  }
  return best;
}

/** The candidate's validation answers, each recalibrated as of its own time (same order as `scored`). */
export function recalibratedFolds(
  rows: readonly TrainingRow[],
  validation: RollingOrigin,
  candidate: CandidateName,
  halfLife: number | null,
): number[] {
  const scored = validation.scored[candidate]!;
  const out: number[] = [];
  for (let start = 0; start < scored.length; ) {
    const fold = scored[start]!.fold;
    let end = start;
    while (end < scored.length && scored[end]!.fold === fold) end++;
    const seed = validation.inSample[candidate]!.get(fold)!;
    const tracker = seededTracker(
      seed.rows.map((i, j) => ({ row: rows[i]!, probability: seed.probabilities[j]! })),
      halfLife,
      rows[scored[start]!.row]!.at.getTime(),
    );
    // The fold's own outcomes arrive as they become known, in that order.
    const arrivals = scored.slice(start, end).sort((a, b) => knownAt(rows[a.row]!) - knownAt(rows[b.row]!));
    let next = 0;
    for (let i = start; i < end; i++) {
      const asked = rows[scored[i]!.row]!.at.getTime();
      // Strictly before: an outcome known at the very moment the release is asked about is not known to the answer.
      while (next < arrivals.length && knownAt(rows[arrivals[next]!.row]!) < asked) {
        const a = arrivals[next++]!;
        tracker.observe(a.probability, rows[a.row]!.y, knownAt(rows[a.row]!));
      }
      out.push(tracker.apply(scored[i]!.probability, asked));
    }
    start = end;
  }
  return out;
}

/** A layer holding every given outcome known by `now`, each with what the serving model says about it. */
export function seededTracker(
  seen: readonly { row: TrainingRow; probability: number }[],
  halfLife: number | null,
  now: number,
): BaseRateTracker {
  const known = seen.filter((s) => knownAt(s.row) <= now).sort((a, b) => knownAt(a.row) - knownAt(b.row));
  const tracker = new BaseRateTracker(halfLife, known.length > 0 ? knownAt(known[0]!.row) : now);
  for (const s of known) tracker.observe(s.probability, s.row.y, knownAt(s.row));
  return tracker;
}
