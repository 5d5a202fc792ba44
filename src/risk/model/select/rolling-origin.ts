import { blendProbabilities } from '../blend-risk.js';
import { BLEND_OF, CANDIDATES, type CandidateName, CandidateFitError, fitCandidate } from '../candidates.js';
import type { InputName } from '../transform.js';
import type { RiskModel, TrainingRow } from '../types.js';
import { knownAt, labelHorizonMs, trainableAt } from './label-horizon.js';

/** How the history is cut for validation. */
export interface RollingOriginOptions {
  /** Slices scored (default 4). */
  folds?: number;
  /** The newest share of the rows that is scored, slice by slice (default 0.5: the oldest half only trains). */
  scoredShare?: number;
  candidates?: readonly CandidateName[];
  /** The inputs the candidates may use (all by default). */
  among?: readonly InputName[] | undefined;
}

/** One candidate's out-of-sample answer for one scored row. */
export interface OutOfSample {
  row: number;
  fold: number;
  probability: number;
}

export interface FoldResult {
  fold: number;
  /** The slice's first release time: every model scoring it saw only outcomes known before it. */
  origin: Date;
  trainRows: number;
  scoredRows: number;
  /** Candidates that could not be fitted on this fold's past, with why. */
  unfitted: Partial<Record<CandidateName, string>>;
}

export interface RollingOrigin {
  folds: FoldResult[];
  /** Per candidate, its out-of-sample probabilities in row order (only folds it could be fitted for). */
  scored: Record<CandidateName, OutOfSample[]>;
  /**
   * Per candidate and fold, what the fold's model said about its own training rows (row indices and
   * probabilities): where a recalibration layer starts when that model is the one serving.
   */
  inSample: Record<CandidateName, Map<number, { rows: number[]; probabilities: number[] }>>;
}

/**
 * Rolling-origin validation: train on the past, score the next slice,
 * move on. The newest `scoredShare` of the rows is cut into `folds` slices;
 * each slice is scored by every candidate fitted on the rows before it
 * whose outcome was known by the slice's first release (an SZZ label whose
 * fix came later is not yet a label then), older than the label horizon
 * (label-horizon.ts). Rows must be in time order.
 */
export function rollingOrigin(rows: readonly TrainingRow[], opts: RollingOriginOptions = {}): RollingOrigin {
  const folds = opts.folds ?? 4;
  const scoredShare = opts.scoredShare ?? 0.5;
  const candidates = opts.candidates ?? CANDIDATES;
  const n = rows.length;
  const first = Math.floor(n * (1 - scoredShare));
  const scored = Object.fromEntries(candidates.map((c) => [c, [] as OutOfSample[]])) as Record<CandidateName, OutOfSample[]>;
  const inSample = Object.fromEntries(candidates.map((c) => [c, new Map()])) as RollingOrigin['inSample'];
  const results: FoldResult[] = [];

  /** The blend's answers are its members' combined: validated without fitting anything again. */
  const blendFold = (c: CandidateName, k: number, unfitted: FoldResult['unfitted']) => {
    const members = BLEND_OF.map((m) => ({ scored: scored[m]?.filter((s) => s.fold === k) ?? [], seed: inSample[m]?.get(k) }));
    if (members.some((m) => m.scored.length === 0 || !m.seed)) {
      unfitted[c] = `blend: a member (${BLEND_OF.join(', ')}) could not be fitted on this fold`;
      return;
    }
    members[0]!.scored.forEach((s, i) => {
      scored[c].push({ row: s.row, fold: k, probability: blendProbabilities(members.map((m) => m.scored[i]!.probability)) });
    });
    const seed = members[0]!.seed!;
    inSample[c].set(k, {
      rows: seed.rows,
      probabilities: seed.probabilities.map((_, j) => blendProbabilities(members.map((m) => m.seed!.probabilities[j]!))),
    });
  };
  for (let k = 0; k < folds; k++) {
    const lo = first + Math.floor(((n - first) * k) / folds);
    const hi = first + Math.floor(((n - first) * (k + 1)) / folds);
    if (hi <= lo) continue;
    const origin = rows[lo]!.at.getTime();
    // The horizon as it could be measured then: from the successes known by the slice's start.
    const past = rows.slice(0, lo);
    const trainRows = trainableAt(past, origin, labelHorizonMs(past.filter((r) => knownAt(r) <= origin)));
    const train = trainRows.map((i) => rows[i]!);
    const unfitted: FoldResult['unfitted'] = {};
    for (const c of candidates) {
      if (c === 'blend') continue; // after its members

      let model: RiskModel;
      try {
        model = fitCandidate(c, train, undefined, opts.among);
      } catch (err) {
        if (!(err instanceof CandidateFitError)) throw err;
        unfitted[c] = err.message;
        continue;
      }
      for (let i = lo; i < hi; i++) scored[c].push({ row: i, fold: k, probability: model.probability(rows[i]!.features) });
      inSample[c].set(k, { rows: trainRows, probabilities: train.map((r) => model.probability(r.features)) });
    }
    if (candidates.includes('blend')) blendFold('blend', k, unfitted);
    results.push({ fold: k, origin: new Date(origin), trainRows: train.length, scoredRows: hi - lo, unfitted });
  }
  return { folds: results, scored, inSample };
}
