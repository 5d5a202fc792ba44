/**
 * Turns one metric's raw samples for one group into what the tests read,
 * defensively: samples after `now` are not seen (a look never knows the
 * future); the rest are sorted by time and deduplicated (the first sample of
 * a timestamp wins; a second one with another value is counted as a
 * conflict); non-finite values, and negative values of counts, are dropped
 * and counted; running counters are differenced into per-interval counts,
 * a decrease being a counter reset (the value after a reset is the count
 * since it, as Prometheus' increase() reads it).
 */
import type { Series } from './types.js';

export interface PreparedSeries {
  /** Epoch ms, ascending, unique. For a differenced counter: the end of each interval. */
  times: number[];
  values: number[];
  /** For counts: the length of time each value covers, ms (the sample interval, or the time since the previous counter reading). */
  spans: number[];
  /** Samples at or before `now` that were received (before cleaning). */
  received: number;
  /** Dropped: NaN, ±Infinity, or a negative count. */
  invalid: number;
  /** Same timestamp twice with different values (the first kept). */
  conflicts: number;
  /** Decreases of a running counter. */
  resets: number;
  /** The last sample's time before cleaning dropped anything (null when nothing was received): a series of NaNs is still "reporting". */
  lastReceived: number | null;
}

export interface PrepareOptions {
  now: number;
  count: boolean;
  cumulative: boolean;
  intervalMs: number;
}

/** The samples in time order; a stable sort, so among equal timestamps the first received stays first (skipped when already in order, the usual case). */
function inTimeOrder(points: ReadonlyArray<readonly [number, number]>): ReadonlyArray<readonly [number, number]> {
  for (let i = 1; i < points.length; i++) {
    if (points[i]![0] < points[i - 1]![0]) return [...points].sort((a, b) => a[0] - b[0]);
  }
  return points;
}

export function prepareSeries(series: Series | undefined, opts: PrepareOptions): PreparedSeries {
  const raw = (series?.points ?? []).filter((p) => Number.isFinite(p[0]) && p[0] <= opts.now);
  const sorted = inTimeOrder(raw);
  const times: number[] = [];
  const values: number[] = [];
  let invalid = 0;
  let conflicts = 0;
  let lastTs = Number.NaN;
  let lastValue = Number.NaN;
  for (const [ts, value] of sorted) {
    if (ts === lastTs) {
      if (!Object.is(value, lastValue)) conflicts++;
      continue;
    }
    lastTs = ts;
    lastValue = value;
    if (!Number.isFinite(value) || (opts.count && value < 0)) {
      invalid++;
      continue;
    }
    times.push(ts);
    values.push(value);
  }
  const base = {
    received: raw.length,
    invalid,
    conflicts,
    lastReceived: sorted.length ? sorted[sorted.length - 1]![0] : null,
  };
  if (!opts.count || !opts.cumulative) {
    return { ...base, times, values, spans: times.map(() => opts.intervalMs), resets: 0 };
  }
  // A running counter: each reading minus the previous one is the count in between.
  const out: PreparedSeries = { ...base, times: [], values: [], spans: [], resets: 0 };
  for (let i = 1; i < times.length; i++) {
    let increase = values[i]! - values[i - 1]!;
    if (increase < 0) {
      out.resets++;
      increase = values[i]!;
    }
    out.times.push(times[i]!);
    out.values.push(increase);
    out.spans.push(times[i]! - times[i - 1]!);
  }
  return out;
}

/**
 * The median spacing of consecutive distinct timestamps across the raw
 * series (ms, samples up to `now`), or null when no series has two.
 */
export function inferInterval(seriesList: readonly Series[], now: number): number | null {
  const gaps: number[] = [];
  for (const s of seriesList) {
    const ts = [...new Set(s.points.map((p) => p[0]).filter((t) => Number.isFinite(t) && t <= now))].sort((a, b) => a - b);
    for (let i = 1; i < ts.length; i++) gaps.push(ts[i]! - ts[i - 1]!);
  }
  if (!gaps.length) return null;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor((gaps.length - 1) / 2)]!;
}
