import { scaleFloor } from './forecast.js';
import { type LikelihoodState, likelihood, newLikelihood } from './likelihood.js';
import type { StreamDetectorOptions } from './options.js';

/**
 * Rarity evidence: a histogram of the levels the series has visited. A
 * point's evidence is -log10 of how often the series has been near its level
 * so far. A level shift, a plateau at an unusual height, a flat stretch where
 * the series used to swing: each keeps the series at rarely visited levels
 * for a while, which a single noisy point does not.
 *
 * The bins are fixed at the end of the warm-up (levelBins across its 2nd–98th
 * percentile) so the counts stay comparable. "Near" is then read over a
 * neighbourhood of bins sized to the series' current 2nd–98th percentile
 * span: a warm-up that saw only a calm stretch (fine bins) does not make
 * every later level look rare.
 */
export interface LevelState {
  /** Values seen during the warm-up, dropped once the bins are set. */
  warmup: number[];
  origin: number | null;
  width: number | null;
  counts: Record<string, number>;
  /** Distinct bins in counts; past MAX_BINS neighbouring bins are merged (the width doubles), so the state stays small. */
  bins: number;
  total: number;
  /** Half-width, in bins, of the neighbourhood a level's frequency is read over (0: its own bin). */
  reach: number;
  sinceReach: number;
  likelihood: LikelihoodState;
}

/** Far-out bins share one index, so a wild value cannot make an unbounded key. */
const MAX_BIN = 1e9;
/** The neighbourhood is re-sized every so many points (it sorts the bins), and never wider than this. */
const REACH_EVERY = 64;
const MAX_REACH = 200;
const MAX_BINS = 1024;

export function newLevels(): LevelState {
  return { warmup: [], origin: null, width: null, counts: {}, bins: 0, total: 0, reach: 0, sinceReach: 0, likelihood: newLikelihood() };
}

function binOf(l: LevelState, value: number): number {
  return Math.max(-MAX_BIN, Math.min(MAX_BIN, Math.floor((value - l.origin!) / l.width!)));
}

function count(l: LevelState, value: number) {
  const key = String(binOf(l, value));
  const old = l.counts[key];
  l.counts[key] = (old ?? 0) + 1;
  l.total++;
  if (old === undefined && ++l.bins > MAX_BINS) coarsen(l);
}

/** Merges bins pairwise (2k and 2k+1 become k at twice the width): the same histogram, coarser. */
function coarsen(l: LevelState) {
  const merged: Record<string, number> = {};
  for (const [key, c] of Object.entries(l.counts)) {
    const k = String(Math.floor(Number(key) / 2));
    merged[k] = (merged[k] ?? 0) + c;
  }
  l.counts = merged;
  l.bins = Object.keys(merged).length;
  l.width = l.width! * 2;
  l.reach = Math.floor(l.reach / 2);
}

/** Half of the histogram's 2nd–98th percentile span, in levelBins parts, counted in bins. */
function reachOf(l: LevelState, levelBins: number): number {
  const bins = Object.keys(l.counts)
    .map(Number)
    .sort((a, b) => a - b);
  let cumulative = 0;
  let lo: number | null = null;
  let hi = bins[bins.length - 1]!;
  for (const b of bins) {
    cumulative += l.counts[String(b)]!;
    if (lo === null && cumulative >= 0.02 * l.total) lo = b;
    if (cumulative >= 0.98 * l.total) {
      hi = b;
      break;
    }
  }
  return Math.min(MAX_REACH, Math.floor((hi - (lo ?? hi) + 1) / levelBins / 2));
}

function setBins(l: LevelState, levelBins: number) {
  const sorted = l.warmup.slice().sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.round(q * (sorted.length - 1))]!;
  l.origin = at(0.02);
  l.width = Math.max((at(0.98) - at(0.02)) / levelBins, scaleFloor(l.origin, 0));
  for (const v of l.warmup) count(l, v);
  l.warmup = [];
}

/** Learns the value; returns evidence once the bins exist (0 during the warm-up). */
export function levelEvidence(l: LevelState, value: number, o: StreamDetectorOptions): number {
  if (l.width === null) {
    l.warmup.push(value);
    if (l.warmup.length >= o.warmup) setBins(l, o.levelBins);
    return 0;
  }
  if (++l.sinceReach >= REACH_EVERY) {
    l.sinceReach = 0;
    l.reach = reachOf(l, o.levelBins);
  }
  const b = binOf(l, value);
  let near = 0;
  for (let k = b - l.reach; k <= b + l.reach; k++) near += l.counts[String(k)] ?? 0;
  const raw = Math.min(1, -Math.log10((near + 0.5) / (l.total + 1)) / o.rarityCap);
  count(l, value);
  return likelihood(l.likelihood, raw, { average: o.rarityAverage, halfLife: o.halfLife, minStd: o.minStd });
}
