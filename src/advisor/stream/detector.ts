import { episodeStep } from './episode.js';
import { forecastEvidence } from './forecast.js';
import { levelEvidence } from './levels.js';
import type { StreamDetectorOptions } from './options.js';
import { checkState, newState, type StreamDetectorState } from './state.js';

/**
 * What one point gave.
 * - `score` in [0, 1]: how anomalous the point is, given only the points before it.
 * - `alert`: true on the one point where an anomalous episode starts.
 * - `status`: learning (warm-up, score 0), normal, anomalous (an episode is on),
 *   missing (NaN, ±Infinity: ignored), out_of_order (a timestamp at or before the
 *   last one, or not finite: ignored).
 * - `cause`: the evidence behind a positive score.
 */
export interface StreamPoint {
  score: number;
  alert: boolean;
  status: 'learning' | 'normal' | 'anomalous' | 'missing' | 'out_of_order';
  cause?: StreamCause;
}

/** new_extreme: beyond the range seen so far; unpredicted: far from the forecast, repeatedly; rare_level: at levels the series seldom visits. */
export type StreamCause = 'new_extreme' | 'unpredicted' | 'rare_level';

export interface StreamDetector {
  push(ts: number, value: number): StreamPoint;
  /** A copy of the state, plain JSON, to store and resume with restoreStreamDetector. */
  state(): StreamDetectorState;
}

/** Values beyond this magnitude are clamped to it, so no difference of two values overflows. */
const MAX_MAGNITUDE = 1e300;

/**
 * Numenta's "spatial anomaly": beyond the whole range seen so far, by a share
 * of that range. A series that has been perfectly constant has no range to
 * take a share of: there the margin is the same share of its level (any
 * departure from a constant 0).
 */
function beyondRange(s: StreamDetectorState, value: number, range: number, tolerance: number): boolean {
  if (s.low === null || s.high === null) return false;
  if (range > 0) return value > s.high + tolerance * range || value < s.low - tolerance * range;
  return Math.abs(value - s.low) > tolerance * Math.abs(s.low);
}

function step(s: StreamDetectorState, ts: number, input: number): StreamPoint {
  const o = s.options;
  if (!Number.isFinite(ts) || (s.lastTs !== null && ts <= s.lastTs)) return { score: 0, alert: false, status: 'out_of_order' };
  if (!Number.isFinite(input)) return { score: 0, alert: false, status: 'missing' };
  s.lastTs = ts;
  const value = Math.max(-MAX_MAGNITUDE, Math.min(MAX_MAGNITUDE, input));
  const range = s.low !== null && s.high !== null ? s.high - s.low : 0;
  const unpredicted = forecastEvidence(s.forecast, value, range, o);
  const rare = levelEvidence(s.levels, value, o);
  const extreme = s.seen >= o.warmup && beyondRange(s, value, range, o.rangeTolerance);
  s.low = s.low === null ? value : Math.min(s.low, value);
  s.high = s.high === null ? value : Math.max(s.high, value);
  s.seen++;
  if (s.seen <= o.warmup) return { score: 0, alert: false, status: 'learning' };

  const [raw, cause]: [number, StreamCause] = extreme
    ? [1, 'new_extreme']
    : unpredicted >= rare
      ? [unpredicted, 'unpredicted']
      : [rare, 'rare_level'];
  const { score, alert } = episodeStep(s.episode, Math.min(1, Math.max(0, raw)), o);
  return { score, alert, status: s.episode.active ? 'anomalous' : 'normal', ...(score > 0 ? { cause } : {}) };
}

function wrap(s: StreamDetectorState): StreamDetector {
  return {
    push: (ts, value) => step(s, ts, value),
    state: () => structuredClone(s),
  };
}

/** A new detector for one series (options default to DEFAULT_STREAM_OPTIONS; a bad option throws a RangeError). */
export function createStreamDetector(options: Partial<StreamDetectorOptions> = {}): StreamDetector {
  return wrap(newState(options));
}

/** Resumes from a stored state(); throws StreamStateError when it is not one. */
export function restoreStreamDetector(state: unknown): StreamDetector {
  return wrap(checkState(state));
}
