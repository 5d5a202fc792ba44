import { type EpisodeState, newEpisode } from './episode.js';
import { type ForecastState, newForecast } from './forecast.js';
import { type LevelState, newLevels } from './levels.js';
import type { LikelihoodState } from './likelihood.js';
import { resolveOptions, type StreamDetectorOptions } from './options.js';

/**
 * Everything the detector knows, as plain JSON (no Infinity, no NaN), so the
 * service can store it between polls and resume exactly where it stopped.
 */
export interface StreamDetectorState {
  version: 1;
  options: StreamDetectorOptions;
  /** Finite points learned from. */
  seen: number;
  /** The last accepted timestamp; points at or before it are ignored. */
  lastTs: number | null;
  /** The range seen so far (null before the first point). */
  low: number | null;
  high: number | null;
  forecast: ForecastState;
  levels: LevelState;
  episode: EpisodeState;
}

export function newState(options: Partial<StreamDetectorOptions> = {}): StreamDetectorState {
  return {
    version: 1,
    options: resolveOptions(options),
    seen: 0,
    lastTs: null,
    low: null,
    high: null,
    forecast: newForecast(),
    levels: newLevels(),
    episode: newEpisode(),
  };
}

/** A stored state that cannot be resumed: the caller starts a new detector (and says so). */
export class StreamStateError extends Error {}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const count = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const numbers = (v: unknown, max: number) => Array.isArray(v) && v.length <= max && v.every(finite);
const finiteOrNull = (v: unknown) => v === null || finite(v);
/** A ring position: 0 until the ring is full, then below its capacity. */
const below = (v: unknown, capacity: number) => count(v) && (v as number) < Math.max(capacity, 1);

function likelihoodOk(v: unknown, average: number): v is LikelihoodState {
  return (
    isObj(v) &&
    numbers(v.recent, average) &&
    below(v.pos, average) &&
    finite(v.sum) &&
    finite(v.mean) &&
    finite(v.variance) &&
    (v.variance as number) >= 0 &&
    count(v.seen)
  );
}

/** Checks a state read back from storage: shape, ranges and the options it was made with. */
export function checkState(input: unknown): StreamDetectorState {
  const fail = (what: string): never => {
    throw new StreamStateError(`not a stream detector state: ${what}`);
  };
  if (!isObj(input)) return fail('expected an object');
  if (input.version !== 1) return fail(`unknown version ${JSON.stringify(input.version)}`);
  let options: StreamDetectorOptions;
  try {
    options = resolveOptions(isObj(input.options) ? (input.options as Partial<StreamDetectorOptions>) : fail('no options'));
  } catch (err) {
    return fail((err as Error).message);
  }
  const { forecast: f, levels: l, episode: e } = input;
  if (!count(input.seen) || !finiteOrNull(input.lastTs) || !finiteOrNull(input.low) || !finiteOrNull(input.high))
    return fail('bad counters');
  if (
    !isObj(f) ||
    !numbers(f.recent, options.forecastPoints) ||
    !below(f.recentPos, options.forecastPoints) ||
    !numbers(f.errors, options.errorWindow) ||
    !below(f.errorsPos, options.errorWindow) ||
    !finite(f.scale) ||
    (f.scale as number) < 0 ||
    !count(f.sinceScale) ||
    !likelihoodOk(f.likelihood, options.errorAverage)
  ) {
    return fail('bad forecast');
  }
  if (
    !isObj(l) ||
    !numbers(l.warmup, options.warmup) ||
    !finiteOrNull(l.origin) ||
    !finiteOrNull(l.width) ||
    (l.origin === null) !== (l.width === null) ||
    (l.width !== null && !((l.width as number) > 0)) ||
    !isObj(l.counts) ||
    !Object.values(l.counts).every(count) ||
    !count(l.total) ||
    l.bins !== Object.keys(l.counts as object).length ||
    !count(l.reach) ||
    !count(l.sinceReach) ||
    !likelihoodOk(l.likelihood, options.rarityAverage)
  ) {
    return fail('bad levels');
  }
  if (!isObj(e) || typeof e.active !== 'boolean' || !count(e.quiet)) return fail('bad episode');
  return structuredClone({ ...(input as unknown as StreamDetectorState), options });
}
