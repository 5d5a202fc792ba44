import { type LikelihoodState, likelihood, newLikelihood } from './likelihood.js';
import type { StreamDetectorOptions } from './options.js';
import { median, ringLast, ringPush } from './robust.js';

/**
 * Prediction evidence: the next value is forecast as the median of the last
 * few (robust to a lone spike, follows a step within a few points), and the
 * error is measured in units of the recent errors' median. A burst of large
 * errors is what this catches: spikes, sudden noise, a broken rhythm.
 */
export interface ForecastState {
  recent: number[];
  recentPos: number;
  errors: number[];
  errorsPos: number;
  /** Robust scale of recent errors, refreshed every SCALE_EVERY points (a median of 1,000 each point would cost too much). */
  scale: number;
  sinceScale: number;
  likelihood: LikelihoodState;
}

const SCALE_EVERY = 16;
/** A 1.4826 × MAD scale makes the error a z-score for Gaussian noise. */
const MAD_TO_SIGMA = 1.4826;
/** An error of 3 robust sigmas counts as half the maximal evidence. */
const HALF_EVIDENCE_Z = 3;

export function newForecast(): ForecastState {
  return { recent: [], recentPos: 0, errors: [], errorsPos: 0, scale: 0, sinceScale: 0, likelihood: newLikelihood() };
}

/** Scale floor: a flat series has no error to speak of, yet must not divide by zero. */
export function scaleFloor(level: number, range: number): number {
  return Math.max(1e-3 * range, 1e-9 * Math.abs(level), 1e-12);
}

export function forecastEvidence(f: ForecastState, value: number, range: number, o: StreamDetectorOptions): number {
  const window = ringLast(f.recent, f.recentPos, o.forecastPoints);
  f.recentPos = ringPush(f.recent, f.recentPos, o.forecastPoints, value);
  if (window.length === 0) return 0;
  const prediction = median(window);
  const error = Math.abs(value - prediction);
  if (f.sinceScale++ >= SCALE_EVERY || f.scale === 0) {
    f.sinceScale = 0;
    f.scale = Math.max(MAD_TO_SIGMA * (f.errors.length ? median(f.errors) : 0), scaleFloor(prediction, range));
  }
  f.errorsPos = ringPush(f.errors, f.errorsPos, o.errorWindow, error);
  // error / (error + 3·scale) is z / (z + 3) without forming z, which could overflow.
  const raw = error / (error + HALF_EVIDENCE_Z * f.scale);
  return likelihood(f.likelihood, raw, { average: o.errorAverage, halfLife: o.halfLife, minStd: o.minStd });
}
