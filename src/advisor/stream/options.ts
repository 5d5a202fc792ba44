/**
 * The streaming detector's settings. The defaults were chosen on the whole
 * NAB development corpus (artificialNoAnomaly, artificialWithAnomaly,
 * realAWSCloudwatch: 28 series, 36 windows) by the grid in
 * bench/advisor-stream.ts, never per file; docs/advisor-stream.md gives the
 * grid and the figures.
 */
export interface StreamDetectorOptions {
  /** Points the detector learns from before it scores anything (no alert while learning). */
  warmup: number;
  /** The next value is forecast as the median of this many last values. */
  forecastPoints: number;
  /** Forecast errors kept to scale the current one (their median, in robust units). */
  errorWindow: number;
  /** Prediction evidence is averaged over this many points before it is judged (Numenta: 10). */
  errorAverage: number;
  /** Bins across the warm-up's 2nd–98th percentile for the histogram of levels. */
  levelBins: number;
  /** Rarity evidence (-log10 of a level's frequency) is averaged over this many points. */
  rarityAverage: number;
  /** -log10 frequency at which a level counts as entirely rare (3: one point in a thousand). */
  rarityCap: number;
  /** Half-life, in points, of the history each kind of evidence is compared with. */
  halfLife: number;
  /** Floor of that history's standard deviation (evidence is in [0, 1]). */
  minStd: number;
  /** A value beyond the range seen so far by this share of the range is anomalous at once (Numenta's "spatial anomaly" uses 0.05). */
  rangeTolerance: number;
  /** Score at which an episode starts and one alert fires (0.5 is a tail probability of 1e-5). */
  alertScore: number;
  /** An episode ends after `quietPoints` points in a row below this score. */
  releaseScore: number;
  quietPoints: number;
  /** Inside an episode scores are capped here, below alertScore: the episode was reported once. */
  episodeCap: number;
}

export const DEFAULT_STREAM_OPTIONS: Readonly<StreamDetectorOptions> = Object.freeze({
  warmup: 150,
  forecastPoints: 3,
  errorWindow: 1000,
  errorAverage: 10,
  levelBins: 12,
  rarityAverage: 20,
  rarityCap: 3,
  halfLife: 2000,
  minStd: 0.05,
  rangeTolerance: 0.1,
  alertScore: 0.5,
  releaseScore: 0.3,
  quietPoints: 30,
  episodeCap: 0.3,
});

const INTEGER_AT_LEAST_1 = [
  'warmup',
  'forecastPoints',
  'errorWindow',
  'errorAverage',
  'levelBins',
  'rarityAverage',
  'quietPoints',
] as const;
const POSITIVE = ['rarityCap', 'halfLife', 'minStd'] as const;
const SCORES = ['alertScore', 'releaseScore', 'episodeCap'] as const;

/** Defaults filled in and every setting checked: a bad setting is an error, never a silently odd detector. */
export function resolveOptions(options: Partial<StreamDetectorOptions> = {}): StreamDetectorOptions {
  const o = { ...DEFAULT_STREAM_OPTIONS, ...options };
  const bad = (key: string, why: string) =>
    new RangeError(`stream detector option ${key}: ${why} (got ${JSON.stringify(o[key as keyof StreamDetectorOptions])})`);
  for (const k of INTEGER_AT_LEAST_1)
    if (!Number.isInteger(o[k]) || o[k] < 1 || o[k] > 1_000_000) throw bad(k, 'an integer from 1 to 1,000,000');
  for (const k of POSITIVE) if (!(Number.isFinite(o[k]) && o[k] > 0)) throw bad(k, 'a positive number');
  for (const k of SCORES) if (!(o[k] >= 0 && o[k] <= 1)) throw bad(k, 'a score in [0, 1]');
  if (!(Number.isFinite(o.rangeTolerance) && o.rangeTolerance >= 0)) throw bad('rangeTolerance', 'a non-negative number');
  if (o.episodeCap >= o.alertScore) throw bad('episodeCap', 'below alertScore, or an episode would alert again');
  return o;
}
