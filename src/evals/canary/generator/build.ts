/**
 * Builds canary scenarios from real series. Each scenario takes a real
 * segment as the baseline and makes the canary another view of the same
 * behaviour (views.ts); about 60% then get one change from some index on
 * (inject.ts, or a higher error rate, or missing data), the rest stay
 * untouched controls. Error-rate scenarios need counts the real data does
 * not have: their requests are a real series (scaled to a request rate)
 * and their errors are drawn from it at a base error rate.
 */
import type { Direction } from '../../../contracts/advisor.js';
import type { Scenario, ScenarioPoint } from '../scenario.js';
import { type GaugeChange, injectGauge } from './inject.js';
import type { NabSeries } from './nab.js';
import { Rng } from '../../rng.js';
import { median, resampled, sameBehaviour, type View, VIEWS, withNoise } from './views.js';

export interface GeneratorOptions {
  n: number;
  seed: number;
  /** Share of untouched controls. */
  controlShare?: number;
}

export const MAGNITUDES: Record<Exclude<ChangeType, 'missing_data'>, number[]> = {
  step: [1.5, 2, 3],
  ramp: [1.5, 2, 3],
  spikes: [3, 5],
  variance: [2, 3],
  error_rate: [1.5, 2, 3],
  drop: [0.7, 0.5],
};
type ChangeType = GaugeChange | 'error_rate' | 'missing_data';
const TYPES: ChangeType[] = ['step', 'ramp', 'spikes', 'variance', 'error_rate', 'drop', 'missing_data'];

/** Scenario length in points. */
export const MIN_LENGTH = 120;
export const MAX_LENGTH = 240;
/** A day-later canary is kept only if its 5th, 50th and 95th percentiles are within this of the baseline's: otherwise the two days do not show the same behaviour. */
export const DAY_APART_TOLERANCE = 0.1;

export interface GeneratorStats {
  scenarios: number;
  /** Day-later segments refused because the next day behaved differently (then another segment was drawn). */
  dayApartRefused: number;
  /** Segments refused for overlapping a labelled anomaly, irregular timestamps or a median ≤ 0. */
  segmentsRefused: number;
}

interface Segment {
  series: NabSeries;
  offset: number;
  interval: number;
  times: number[];
  values: number[];
  later: number[] | null;
}

const round = (v: number) => Number(v.toPrecision(6));

function regular(times: readonly number[], from: number, length: number, interval: number): boolean {
  return from + length <= times.length && times[from + length - 1]! - times[from]! === (length - 1) * interval;
}

function inAnomaly(s: NabSeries, from: number, to: number): boolean {
  return s.windows.some(([a, b]) => s.times[from]! <= b && s.times[to - 1]! >= a);
}

/** A real segment of `length` points (and, for the day-later view, the one a day after it) that passes the checks. */
function drawSegment(series: readonly NabSeries[], rng: Rng, length: number, view: View, stats: GeneratorStats): Segment {
  for (let attempt = 0; attempt < 500; attempt++) {
    const s = rng.pick(series);
    const interval = s.times[1]! - s.times[0]!;
    const day = Math.round(86_400_000 / interval);
    const room = s.times.length - length - (view === 'day_later' ? day : 0);
    if (room <= 0) continue;
    const offset = rng.int(0, room - 1);
    const values = s.values.slice(offset, offset + length);
    const ok = regular(s.times, offset, length, interval) && !inAnomaly(s, offset, offset + length) && median(values) > 0;
    if (!ok) {
      stats.segmentsRefused++;
      continue;
    }
    let later: number[] | null = null;
    if (view === 'day_later') {
      const from = offset + day;
      if (!regular(s.times, from, length, interval) || inAnomaly(s, from, from + length)) {
        stats.segmentsRefused++;
        continue;
      }
      later = s.values.slice(from, from + length);
      if (!sameBehaviour(values, later, DAY_APART_TOLERANCE)) {
        stats.dayApartRefused++;
        continue;
      }
    }
    return { series: s, offset, interval, times: s.times.slice(offset, offset + length), values, later };
  }
  throw new Error('no usable segment found in 500 draws: give more or longer series');
}

function canaryView(seg: Segment, view: View, rng: Rng, values = seg.values, later = seg.later): number[] {
  if (view === 'noise') return withNoise(values, rng);
  if (view === 'resample') return resampled(values, rng);
  return [...later!];
}

const metricName = (file: string) =>
  file
    .replace(/^.*\//, '')
    .replace(/\.csv$/, '')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .replace(/^([^A-Za-z_])/, '_$1');

function directionFor(type: ChangeType | null, kind: 'gauge' | 'count', rng: Rng): Direction {
  if (kind === 'count') return 'increase_is_bad';
  if (type === 'step' || type === 'ramp' || type === 'spikes') return rng.chance(0.8) ? 'increase_is_bad' : 'either';
  if (type === 'drop') return rng.chance(0.8) ? 'decrease_is_bad' : 'either';
  if (type === 'variance') return rng.chance(0.5) ? 'increase_is_bad' : 'either';
  return rng.weighted<Direction>([
    ['increase_is_bad', 0.6],
    ['decrease_is_bad', 0.2],
    ['either', 0.2],
  ]);
}

/** The missing points of a missing-data change: a gap, a late start or a canary that stops reporting. */
function missingRange(rng: Rng, length: number): { start: number; count: number } {
  const variant = rng.pick(['gap', 'late_start', 'stops_reporting'] as const);
  if (variant === 'late_start') return { start: 0, count: rng.int(10, 40) };
  if (variant === 'stops_reporting') {
    const start = rng.int(Math.floor(length / 3), length - 10);
    return { start, count: length - start };
  }
  const start = rng.int(20, length - 40);
  return { start, count: rng.int(10, Math.min(30, length - start - 10)) };
}

export function buildScenario(series: readonly NabSeries[], i: number, opts: GeneratorOptions, stats: GeneratorStats): Scenario {
  const rng = new Rng(opts.seed, `scenario:${i}`);
  const control = rng.chance(opts.controlShare ?? 0.4);
  const type: ChangeType | null = control ? null : rng.pick(TYPES);
  // Error counts among controls and missing data in the same share as among the changes.
  const kind: 'gauge' | 'count' =
    type === 'error_rate' || ((type === null || type === 'missing_data') && rng.chance(1 / TYPES.length)) ? 'count' : 'gauge';
  const view = rng.pick(VIEWS);
  const length = rng.int(MIN_LENGTH, MAX_LENGTH);
  const seg = drawSegment(series, rng, length, view, stats);
  const direction = directionFor(type, kind, rng);
  const start = type === null || type === 'missing_data' ? 0 : rng.int(10, Math.floor(length / 2));
  const magnitude = type === null || type === 'missing_data' ? 0 : rng.pick(MAGNITUDES[type]);
  const ts = seg.times.map((t) => Math.round(t / 1000));

  let baseline: number[];
  let canary: number[];
  let denominator: Scenario['denominator'];
  if (kind === 'count') {
    // Requests: the real series scaled to a typical rate; errors drawn at a base rate (×magnitude on the canary after the change).
    const scale = Math.exp(rng.uniform(Math.log(300), Math.log(15000))) / median(seg.values);
    const toRequests = (vs: readonly number[]) => vs.map((v) => Math.max(1, Math.round(v * scale)));
    const reqB = toRequests(seg.values);
    const reqC = toRequests(canaryView(seg, view, rng));
    const rate = Math.exp(rng.uniform(Math.log(0.002), Math.log(0.03)));
    baseline = reqB.map((r) => Math.min(r, rng.poisson(r * rate)));
    canary = reqC.map((r, t) => Math.min(r, rng.poisson(r * rate * (type === 'error_rate' && t >= start ? magnitude : 1))));
    denominator = { name: 'requests', baseline: reqB.map((r, t) => [ts[t]!, r]), canary: reqC.map((r, t) => [ts[t]!, r]) };
  } else {
    baseline = seg.values;
    canary = canaryView(seg, view, rng);
    if (type !== null && type !== 'missing_data' && type !== 'error_rate') canary = injectGauge(canary, type, start, magnitude, rng);
  }

  let injected: Scenario['injected'] = null;
  const canaryPoints: ScenarioPoint[] = canary.map((v, t) => [ts[t]!, round(v)]);
  if (type === 'missing_data') {
    const gap = missingRange(rng, length);
    for (let t = gap.start; t < gap.start + gap.count; t++) canaryPoints[t] = [ts[t]!, null];
    if (denominator) for (let t = gap.start; t < gap.start + gap.count; t++) denominator.canary[t] = [ts[t]!, null];
    injected = { type, startIndex: gap.start, magnitude: gap.count };
  } else if (type !== null) {
    injected = { type, startIndex: start, magnitude };
  }
  return {
    id: `nab-${String(i).padStart(5, '0')}`,
    metric: kind === 'count' ? 'errors' : metricName(seg.series.name),
    direction,
    intervalSeconds: seg.interval / 1000,
    baseline: baseline.map((v, t) => [ts[t]!, round(v)]),
    canary: canaryPoints,
    injected,
    expected: type === null || type === 'missing_data' ? 'continue' : 'rollback',
    ...(kind === 'count' ? { kind } : {}),
    ...(denominator ? { denominator } : {}),
    source: {
      file: seg.series.name,
      offset: seg.offset,
      view,
      ...(view === 'day_later' ? { canaryOffsetPoints: Math.round(86_400_000 / seg.interval) } : {}),
    },
  };
}

export function generateScenarios(series: readonly NabSeries[], opts: GeneratorOptions): { scenarios: Scenario[]; stats: GeneratorStats } {
  const stats: GeneratorStats = { scenarios: 0, dayApartRefused: 0, segmentsRefused: 0 };
  const scenarios = Array.from({ length: opts.n }, (_, i) => buildScenario(series, i, opts, stats));
  stats.scenarios = scenarios.length;
  return { scenarios, stats };
}
