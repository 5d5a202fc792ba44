/**
 * The Numenta Anomaly Benchmark's scoring, re-implemented from its definition
 * (NAB v1.1, github.com/numenta/NAB: nab/sweeper.py, nab/optimizer.py,
 * nab/runner.py) so that figures here can sit beside the published ones.
 *
 * - The first 15% of each file's rows, at most 750 (0.15 × 5000), are a
 *   probationary period: they are not scored at all, and a window lying in it
 *   is neither rewarded nor missed.
 * - A row whose anomaly score reaches the threshold is a detection.
 * - Inside a window only the best (= earliest) detection counts:
 *   σ(−(right − i + 1)/width) / σ(−1) × tpWeight, with σ the scaled sigmoid
 *   below, so a detection on the window's first row earns exactly tpWeight.
 *   A window without detection costs fnWeight.
 * - Every detection outside the windows costs σ(distance) × fpWeight, the
 *   distance being (i − right)/(width − 1) of the window that ended last: close
 *   behind a window it costs almost nothing, three window-widths on the full
 *   weight. Before the first window it costs the full fpWeight.
 * - One threshold per detector and profile for the whole corpus: the one
 *   that maximises the summed raw score (on ties, the highest).
 * - Normalised: 100 × (raw − null) / (perfect − null), null = the score of a
 *   detector that never detects (−fnWeight per scored window), perfect =
 *   tpWeight per window.
 */

export interface CostProfile {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

/** A file with its detector output and its labelled windows (instants, inclusive bounds). */
export interface ScoredSeries {
  name: string;
  /** Row instants in ms, in order (repeats allowed). */
  timestamps: readonly number[];
  scores: readonly number[];
  windows: readonly (readonly [number, number])[];
}

const PROBATION_SHARE = 0.15;
/** NAB caps the probationary period at 15% of 5,000 rows. */
const PROBATION_CAP = PROBATION_SHARE * 5000;

export function probationaryLength(rows: number): number {
  return Math.min(Math.floor(PROBATION_SHARE * rows), PROBATION_CAP);
}

/** NAB's scaled sigmoid: +0.987 at −1 (a window's start), 0 at 0 (its end), −1 beyond 3. */
export function scaledSigmoid(position: number): number {
  if (position > 3) return -1;
  return 2 / (1 + Math.exp(5 * position)) - 1;
}

const MAX_TP = scaledSigmoid(-1);

/**
 * One file, ready to score under any profile and threshold: for each scored
 * row its anomaly score, the window it lies in (−1: none) and its profile-free
 * reward (inside a window, as a share of tpWeight) or cost factor (outside, as
 * a share of fpWeight, negative).
 */
export interface PreparedSeries {
  name: string;
  rows: number;
  probation: number;
  /** Windows that cover at least one row (in order). */
  windows: number;
  /** Of those, windows with at least one row after the probationary period: the ones a detector can hit or miss. */
  scoredWindows: number;
  score: Float64Array;
  window: Int32Array;
  factor: Float64Array;
}

/** Rows from first (the first at or after start) to last (the last at or before end) of each window. */
function windowRows(timestamps: readonly number[], windows: ScoredSeries['windows']) {
  const spans: { left: number; right: number }[] = [];
  let i = 0;
  for (const [start, end] of windows) {
    while (i < timestamps.length && timestamps[i]! < start) i++;
    let j = i;
    while (j < timestamps.length && timestamps[j]! <= end) j++;
    if (j > i) spans.push({ left: i, right: j - 1 });
    i = j;
  }
  return spans;
}

export function prepareSeries(series: ScoredSeries): PreparedSeries {
  const n = series.timestamps.length;
  if (series.scores.length !== n) throw new Error(`${series.name}: ${series.scores.length} scores for ${n} rows`);
  const probation = probationaryLength(n);
  const spans = windowRows(series.timestamps, series.windows);
  const m = Math.max(0, n - Math.ceil(probation));
  const out: PreparedSeries = {
    name: series.name,
    rows: n,
    probation,
    windows: spans.length,
    scoredWindows: spans.filter((s) => s.right >= probation).length,
    score: new Float64Array(m),
    window: new Int32Array(m),
    factor: new Float64Array(m),
  };
  let k = 0;
  let w = 0;
  let prev: { right: number; width: number } | null = null;
  for (let i = 0; i < n; i++) {
    while (w < spans.length && spans[w]!.right < i) {
      prev = { right: spans[w]!.right, width: spans[w]!.right - spans[w]!.left + 1 };
      w++;
    }
    const span = spans[w];
    const inside = span !== undefined && span.left <= i;
    if (i < probation) continue;
    out.score[k] = series.scores[i]!;
    if (inside) {
      const width = span.right - span.left + 1;
      out.window[k] = w;
      out.factor[k] = scaledSigmoid(-(span.right - i + 1) / width) / MAX_TP;
    } else {
      out.window[k] = -1;
      // A one-row window leaves NAB dividing by zero; we read it as "far behind" (full cost).
      out.factor[k] = prev === null ? -1 : scaledSigmoid(prev.width > 1 ? (i - prev.right) / (prev.width - 1) : Infinity);
    }
    k++;
  }
  return out;
}

export interface SeriesScore {
  name: string;
  raw: number;
  /** Windows with a detection / without, among the scored windows. */
  detected: number;
  missed: number;
  /** Detections outside every window (rows). */
  falsePositives: number;
  /** All windows covering rows (the "perfect" detector's count) and those that can be scored (the null detector's). */
  windows: number;
  scoredWindows: number;
}

/** One file's raw score at a threshold: detections are rows whose score is at least the threshold. */
export function scoreSeries(p: PreparedSeries, threshold: number, profile: CostProfile): SeriesScore {
  const best = new Map<number, number>();
  let fp = 0;
  let fpRows = 0;
  for (let k = 0; k < p.score.length; k++) {
    if (!(p.score[k]! >= threshold)) continue;
    const w = p.window[k]!;
    if (w < 0) {
      fp += p.factor[k]! * profile.fpWeight;
      fpRows++;
    } else {
      const v = p.factor[k]! * profile.tpWeight;
      const old = best.get(w);
      if (old === undefined || v > old) best.set(w, v);
    }
  }
  let tp = 0;
  for (const v of best.values()) tp += v;
  const missed = p.scoredWindows - best.size;
  return {
    name: p.name,
    raw: tp - missed * profile.fnWeight + fp,
    detected: best.size,
    missed,
    falsePositives: fpRows,
    windows: p.windows,
    scoredWindows: p.scoredWindows,
  };
}

export interface ThresholdChoice {
  threshold: number;
  raw: number;
}

/**
 * The corpus threshold sweep of NAB's optimiser: every distinct score (and
 * 1.1, which detects nothing) is a candidate; rows are added from the highest
 * score down, so each candidate's total is computed once.
 */
export function bestThreshold(corpus: readonly PreparedSeries[], profile: CostProfile): ThresholdChoice {
  let total = 0;
  for (const p of corpus) total += p.score.length;
  const score = new Float64Array(total);
  const win = new Int32Array(total);
  const factor = new Float64Array(total);
  let offset = 0;
  let windowBase = 0;
  let scoredWindows = 0;
  for (const p of corpus) {
    score.set(p.score, offset);
    factor.set(p.factor, offset);
    for (let k = 0; k < p.window.length; k++) win[offset + k] = p.window[k]! < 0 ? -1 : windowBase + p.window[k]!;
    offset += p.score.length;
    windowBase += p.windows;
    scoredWindows += p.scoredWindows;
  }
  const order = Array.from({ length: total }, (_, i) => i).sort((a, b) => score[b]! - score[a]!);
  const best = new Float64Array(windowBase).fill(-profile.fnWeight);
  let windowsPart = -profile.fnWeight * scoredWindows;
  let fpPart = 0;
  let current = 1.1;
  let choice: ThresholdChoice = { threshold: current, raw: windowsPart };
  const consider = (threshold: number) => {
    const raw = windowsPart + fpPart;
    if (raw > choice.raw) choice = { threshold, raw };
  };
  for (const i of order) {
    const s = score[i]!;
    if (s !== current) {
      consider(current);
      current = s;
    }
    const w = win[i]!;
    if (w < 0) fpPart += factor[i]! * profile.fpWeight;
    else {
      const v = factor[i]! * profile.tpWeight;
      if (v > best[w]!) {
        windowsPart += v - best[w]!;
        best[w] = v;
      }
    }
  }
  consider(current);
  return choice;
}

export interface Normalised {
  raw: number;
  null: number;
  perfect: number;
  /** 100 × (raw − null) / (perfect − null); null when there is no window to score. */
  score: number | null;
}

/** NAB's normalisation of summed per-file scores. */
export function normalise(parts: readonly SeriesScore[], profile: CostProfile): Normalised {
  let raw = 0;
  let windows = 0;
  let scored = 0;
  for (const s of parts) {
    raw += s.raw;
    windows += s.windows;
    scored += s.scoredWindows;
  }
  const nullScore = -profile.fnWeight * scored;
  const perfect = profile.tpWeight * windows;
  return { raw, null: nullScore, perfect, score: perfect === nullScore ? null : (100 * (raw - nullScore)) / (perfect - nullScore) };
}
