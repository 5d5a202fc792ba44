import { CANDIDATES, type CandidateName } from '../candidates.js';
import type { TrainingRow } from '../types.js';
import { brierScore, logLoss, rankAuc } from './metrics.js';
import { chooseRecalibration, type RecalibrationChoice, recalibratedFolds } from './recalibration.js';
import type { RollingOrigin } from './rolling-origin.js';

/** Within this validation AUC of the best, a simpler candidate ties with it and serves. */
export const AUC_TIE = 0.002;
/** A candidate needs this many scored folds (with both outcomes) to be compared at all. */
export const MIN_FOLDS = 2;

export interface CandidateFigures {
  candidate: CandidateName;
  /** Folds scored with both outcomes present. */
  folds: number;
  /**
   * AUC over every scored release, each recalibrated as of its own time by the candidate's own
   * base-rate layer (what serving it would have answered; null: fewer than MIN_FOLDS folds).
   */
  auc: number | null;
  /** Over every row it scored. */
  logLoss: number | null;
  brier: number | null;
  rows: number;
}

export interface Choice {
  chosen: CandidateName;
  recalibration: RecalibrationChoice;
  /** Why, in words: "best validation AUC", "ties with stacked-lr (0.003 apart): the simpler serves", … */
  why: string;
  figures: CandidateFigures[];
}

/**
 * Picks the candidate with the best validation AUC (as served: recalibrated
 * as of each release's time, pooled over the slices every compared
 * candidate scored), then walks the simpler
 * ones: a simpler candidate within AUC_TIE of it serves instead. (A margin
 * of the slices' standard error was tried: with four slices it is itself
 * noisy, and in the monthly replay of one public history it handed early
 * retrains to lines added alone often enough to cost 0.012 AUC.) Without MIN_FOLDS comparable folds for any
 * candidate, the fallback serves (the caller's default), and says so.
 */
export function chooseCandidate(rows: readonly TrainingRow[], validation: RollingOrigin, fallback: CandidateName): Choice {
  const perFold = new Map<CandidateName, Map<number, number>>();
  const answers = new Map<CandidateName, Map<number, { p: number[]; y: (0 | 1)[] }>>();
  const recalibrations = new Map<CandidateName, RecalibrationChoice>();
  for (const c of CANDIDATES) {
    const scored = validation.scored[c];
    if (!scored) continue;
    const recal = chooseRecalibration(rows, validation, c);
    recalibrations.set(c, recal);
    const p = recal.halfLifeDays === 'off' ? scored.map((s) => s.probability) : recalibratedFolds(rows, validation, c, recal.halfLifeDays);
    const byFold = new Map<number, { p: number[]; y: (0 | 1)[] }>();
    scored.forEach((s, i) => {
      const f = byFold.get(s.fold) ?? { p: [], y: [] };
      f.p.push(p[i]!);
      f.y.push(rows[s.row]!.y);
      byFold.set(s.fold, f);
    });
    const aucs = new Map<number, number>();
    for (const [fold, f] of byFold) {
      const a = rankAuc(f.p, f.y);
      if (a !== null) aucs.set(fold, a);
    }
    perFold.set(c, aucs);
    answers.set(c, byFold);
  }
  // Compared on the same releases: the slices every compared candidate scored (one that needs more history, like
  // the stacked model, may miss the first slice; it is left out of the comparison rather than the slice, when
  // keeping it would leave fewer than MIN_FOLDS slices).
  let compared = [...perFold.keys()].filter((c) => perFold.get(c)!.size >= MIN_FOLDS);
  let common = commonFolds(compared, perFold);
  while (compared.length > 1 && common.length < MIN_FOLDS) {
    const fewest = compared.reduce((a, b) => (perFold.get(b)!.size < perFold.get(a)!.size ? b : a));
    compared = compared.filter((c) => c !== fewest);
    common = commonFolds(compared, perFold);
  }
  if (common.length < MIN_FOLDS) compared = [];
  const figures: CandidateFigures[] = [...answers.keys()].map((c) => {
    const folds = compared.includes(c) ? common : [...perFold.get(c)!.keys()];
    const p = folds.flatMap((k) => answers.get(c)!.get(k)?.p ?? []);
    const y = folds.flatMap((k) => answers.get(c)!.get(k)?.y ?? []);
    return {
      candidate: c,
      folds: folds.length,
      auc: compared.includes(c) ? rankAuc(p, y) : null,
      logLoss: p.length > 0 ? logLoss(p, y) : null,
      brier: p.length > 0 ? brierScore(p, y) : null,
      rows: p.length,
    };
  });
  const recalibrationOf = (c: CandidateName): RecalibrationChoice =>
    recalibrations.get(c) ?? { halfLifeDays: 'off', logLossBefore: 0, logLossAfter: 0 };
  const comparable = figures.filter((f) => f.auc !== null);
  if (comparable.length === 0) {
    return {
      chosen: fallback,
      recalibration: recalibrationOf(fallback),
      why: `too little history to compare the candidates (fewer than ${MIN_FOLDS} validation slices with both outcomes): ${fallback} serves`,
      figures,
    };
  }
  const best = comparable.reduce((b, f) => (f.auc! > b.auc! ? f : b));
  for (const f of comparable) {
    if (f.candidate === best.candidate) break;
    if (best.auc! - f.auc! <= AUC_TIE) {
      return {
        chosen: f.candidate,
        recalibration: recalibrationOf(f.candidate),
        why: `ties with ${best.candidate} (AUC ${fmt(f.auc!)} vs ${fmt(best.auc!)}, within ${AUC_TIE}): the simpler serves`,
        figures,
      };
    }
  }
  const runnerUp = comparable
    .filter((f) => f !== best)
    .reduce<CandidateFigures | undefined>((b, f) => (!b || f.auc! > b.auc! ? f : b), undefined);
  const why = runnerUp
    ? `best validation AUC (${fmt(best.auc!)}; next ${runnerUp.candidate} ${fmt(runnerUp.auc!)})`
    : `the only candidate with enough validation (AUC ${fmt(best.auc!)})`;
  return { chosen: best.candidate, recalibration: recalibrationOf(best.candidate), why, figures };
}

const fmt = (x: number) => x.toFixed(3);

function commonFolds(candidates: readonly CandidateName[], perFold: Map<CandidateName, Map<number, number>>): number[] {
  if (candidates.length === 0) return [];
  return [...perFold.get(candidates[0]!)!.keys()].filter((k) => candidates.every((c) => perFold.get(c)!.has(k)));
}
