import { scaleFloor } from './forecast.js';
import { type LikelihoodState, likelihood, newLikelihood } from './likelihood.js';
import type { StreamDetectorOptions } from './options.js';

/**
 * Rarity evidence: a histogram of the levels the series has visited, with
 * bins fixed at the end of the warm-up (levelBins across its 2nd–98th
 * percentile; values outside fall in bins of their own). A point's evidence
 * is -log10 of its bin's frequency so far. A level shift, a plateau at an
 * unusual height, a flat stretch where the series used to swing: all of them
 * keep the series in rarely visited bins, which a single bad point does not.
 */
export interface LevelState {
  /** Values seen during the warm-up, dropped once the bins are set. */
  warmup: number[];
  origin: number | null;
  width: number | null;
  counts: Record<string, number>;
  total: number;
  likelihood: LikelihoodState;
}

/** Far-out bins share one index, so a wild value cannot make an unbounded key. */
const MAX_BIN = 1e9;

export function newLevels(): LevelState {
  return { warmup: [], origin: null, width: null, counts: {}, total: 0, likelihood: newLikelihood() };
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.round(q * (sorted.length - 1))]!;
}

function binOf(l: LevelState, value: number): string {
  const b = Math.floor((value - l.origin!) / l.width!);
  return String(Math.max(-MAX_BIN, Math.min(MAX_BIN, b)));
}

function count(l: LevelState, value: number) {
  const key = binOf(l, value);
  l.counts[key] = (l.counts[key] ?? 0) + 1;
  l.total++;
}

/** Learns the value; returns evidence once the bins exist (0 before). */
export function levelEvidence(l: LevelState, value: number, o: StreamDetectorOptions): number {
  if (l.width === null) {
    l.warmup.push(value);
    if (l.warmup.length >= o.warmup) {
      const sorted = l.warmup.slice().sort((a, b) => a - b);
      const lo = percentile(sorted, 0.02);
      const hi = percentile(sorted, 0.98);
      l.origin = lo;
      l.width = Math.max((hi - lo) / o.levelBins, scaleFloor(lo, 0));
      for (const v of l.warmup) count(l, v);
      l.warmup = [];
    }
    return 0;
  }
  const frequency = ((l.counts[binOf(l, value)] ?? 0) + 0.5) / (l.total + 1);
  const raw = Math.min(1, -Math.log10(frequency) / o.rarityCap);
  count(l, value);
  return likelihood(l.likelihood, raw, { average: o.rarityAverage, halfLife: o.halfLife, minStd: o.minStd });
}
