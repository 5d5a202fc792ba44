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
  times: Float64Array;
  values: Float64Array;
  /** For counts: the length of time each value covers, ms (the sample interval, or the time since the previous counter reading); empty for gauges. */
  spans: Float64Array;
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

/**
 * The samples at or before `now`, in time order: a stable sort (among equal
 * timestamps the first received stays first). Usually they arrive in order,
 * and the ones seen are then a prefix: no copy.
 */
function seenInOrder(
  points: ReadonlyArray<readonly [number, number]>,
  now: number,
): { points: ReadonlyArray<readonly [number, number]>; end: number } {
  let ordered = true;
  let end = 0;
  for (let i = 0; i < points.length; i++) {
    const t = points[i]![0];
    if (i > 0 && !(t >= points[i - 1]![0])) ordered = false;
    if (t <= now) end = i + 1;
  }
  // In order (NaN times never are): the samples seen are a prefix.
  if (ordered) return { points, end };
  const seen = points.filter((p) => p[0] <= now).sort((a, b) => a[0] - b[0]);
  return { points: seen, end: seen.length };
}

export function prepareSeries(series: Series | undefined, opts: PrepareOptions): PreparedSeries {
  const { points: sorted, end } = seenInOrder(series?.points ?? [], opts.now);
  const times = new Float64Array(end);
  const values = new Float64Array(end);
  let kept = 0;
  let invalid = 0;
  let conflicts = 0;
  let lastTs = Number.NaN;
  let lastValue = Number.NaN;
  for (let i = 0; i < end; i++) {
    const ts = sorted[i]![0];
    const value = sorted[i]![1];
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
    times[kept] = ts;
    values[kept++] = value;
  }
  const base = {
    received: end,
    invalid,
    conflicts,
    lastReceived: end ? sorted[end - 1]![0] : null,
  };
  const t = times.subarray(0, kept);
  const v = values.subarray(0, kept);
  if (!opts.count || !opts.cumulative) {
    // Gauges never read spans; counts without a running counter cover one interval each.
    return {
      ...base,
      times: t,
      values: v,
      spans: opts.count ? new Float64Array(kept).fill(opts.intervalMs) : new Float64Array(0),
      resets: 0,
    };
  }
  // A running counter: each reading minus the previous one is the count in between.
  const n = Math.max(0, kept - 1);
  const out: PreparedSeries = { ...base, times: new Float64Array(n), values: new Float64Array(n), spans: new Float64Array(n), resets: 0 };
  for (let i = 1; i < kept; i++) {
    let increase = v[i]! - v[i - 1]!;
    if (increase < 0) {
      out.resets++;
      increase = v[i]!;
    }
    out.times[i - 1] = t[i]!;
    out.values[i - 1] = increase;
    out.spans[i - 1] = t[i]! - t[i - 1]!;
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
