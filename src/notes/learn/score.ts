/**
 * Selection figures, micro-averaged over releases: the change keys a draft
 * keeps (D) against the keys maintainers cited (G). F1 = 2·TP / (|D| + |G|),
 * so a release whose notes cite nothing still counts what a draft invents.
 */
import type { LabelledRelease } from '../dataset.js';

export interface SelectionFigures {
  releases: number;
  tp: number;
  /** |D|: changes the draft kept. */
  drafted: number;
  /** |G|: changes maintainers cited. */
  gold: number;
  precision: number;
  recall: number;
  f1: number;
}

export function figuresOf(counts: { releases: number; tp: number; drafted: number; gold: number }): SelectionFigures {
  const { tp, drafted, gold } = counts;
  return {
    ...counts,
    precision: drafted === 0 ? 0 : tp / drafted,
    recall: gold === 0 ? 0 : tp / gold,
    f1: drafted + gold === 0 ? 0 : (2 * tp) / (drafted + gold),
  };
}

/** Figures of one decision per release: `kept(release)` answers the keys a draft of it keeps. */
export function selectionFigures(releases: readonly LabelledRelease[], kept: (r: LabelledRelease) => Iterable<string>): SelectionFigures {
  let tp = 0;
  let drafted = 0;
  let gold = 0;
  for (const r of releases) {
    const d = new Set(kept(r));
    drafted += d.size;
    gold += r.cited.size;
    for (const k of d) if (r.cited.has(k)) tp++;
  }
  return figuresOf({ releases: releases.length, tp, drafted, gold });
}

/**
 * The probability threshold that maximises micro F1 over scored changes
 * (`gold` counts every cited key, including ones no threshold can reach).
 * Keeps the highest threshold among equal F1s; the threshold returned lies
 * halfway between the last kept score and the next one, so it does not sit
 * on a training score.
 */
export function bestThreshold(scored: readonly { p: number; cited: boolean }[], gold: number): { threshold: number; f1: number } {
  const sorted = [...scored].sort((a, b) => b.p - a.p);
  let best = { threshold: sorted.length > 0 ? (1 + sorted[0]!.p) / 2 : 0.5, f1: 0 };
  let tp = 0;
  for (let k = 0; k < sorted.length; k++) {
    tp += sorted[k]!.cited ? 1 : 0;
    const next = sorted[k + 1];
    if (next && next.p === sorted[k]!.p) continue; // equal scores are kept together
    const f1 = gold + k + 1 === 0 ? 0 : (2 * tp) / (gold + k + 1);
    if (f1 > best.f1) best = { threshold: next ? (sorted[k]!.p + next.p) / 2 : sorted[k]!.p / 2, f1 };
  }
  return best;
}
