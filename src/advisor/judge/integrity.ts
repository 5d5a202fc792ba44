/**
 * Checks that the telemetry can be trusted before any metric is judged.
 * Each problem is a finding; a blocking one takes its metric out of the
 * judgement (no_data when data is missing, inconclusive when it
 * contradicts itself), so none can turn into a false continue, promote or
 * rollback. Warnings are reported and never change a verdict on their
 * own (a gap withholds promotion, see policy.ts).
 */
import type { IntegrityFinding, IntegrityKind, MetricGroup } from '../../contracts/advisor.js';
import type { PreparedSeries } from './prepare.js';
import { chisquareUpperTail } from './stats/distributions.js';

/** Consecutive samples further apart than this many intervals leave a gap. */
export const GAP_INTERVALS = 3;
/** A series whose newest sample is older than this many intervals before the look is stale. */
export const STALE_INTERVALS = 3;
/** A canary whose first sample comes this many intervals after the start started late. */
export const LATE_START_INTERVALS = 3;
/** More invalid samples than this share of those received blocks the metric. */
export const INVALID_SHARE_BLOCKS = 0.1;
/** Traffic split: a mismatch needs p below this (χ², 1 df) AND the observed canary share off by more than this relative amount. */
export const SRM_P = 0.001;
export const SRM_RELATIVE = 0.2;

/** Kinds that mean data is missing (the metric is no_data) rather than contradictory (inconclusive, a human should look). */
export const MISSING_KINDS: ReadonlySet<IntegrityKind> = new Set(['stale', 'no_traffic', 'metric_disappeared']);

const iso = (ms: number) => new Date(ms).toISOString();
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function finding(
  kind: IntegrityKind,
  metric: string | null,
  group: MetricGroup | null,
  severity: 'blocking' | 'warning',
  detail: string,
): IntegrityFinding {
  return { kind, metric, group, severity, detail };
}

/** Invalid values, conflicting duplicates and counter resets of one prepared series. */
export function cleaningFindings(metric: string, group: MetricGroup, s: PreparedSeries, count: boolean): IntegrityFinding[] {
  const out: IntegrityFinding[] = [];
  if (s.invalid > 0) {
    const share = s.invalid / Math.max(1, s.received);
    out.push(
      finding(
        'invalid_value',
        metric,
        group,
        share > INVALID_SHARE_BLOCKS ? 'blocking' : 'warning',
        `${plural(s.invalid, 'sample')} of ${s.received} ${count ? 'were not finite or were negative counts' : 'were not finite numbers'} and were dropped` +
          (share > INVALID_SHARE_BLOCKS ? ` (more than ${INVALID_SHARE_BLOCKS * 100}%: the metric is not judged)` : ''),
      ),
    );
  }
  if (s.conflicts > 0) {
    out.push(
      finding(
        'invalid_value',
        metric,
        group,
        'warning',
        `${plural(s.conflicts, 'timestamp')} came twice with different values; the first was kept`,
      ),
    );
  }
  if (s.resets > 0) {
    out.push(
      finding(
        'counter_reset',
        metric,
        group,
        'warning',
        `the running counter went down ${plural(s.resets, 'time')} (a restart); counted from zero after each reset`,
      ),
    );
  }
  return out;
}

/** Gaps inside [from, now] and staleness at `now` of one group's series. */
export function timingFindings(
  metric: string,
  group: MetricGroup,
  s: PreparedSeries,
  opts: { from: number; now: number; intervalMs: number; checkStale: boolean },
): IntegrityFinding[] {
  const out: IntegrityFinding[] = [];
  const { intervalMs } = opts;
  let gaps = 0;
  let missing = 0;
  let widest: [number, number] | null = null;
  let prev: number | null = null;
  for (const t of s.times) {
    if (t < opts.from) continue;
    if (prev !== null && t - prev > GAP_INTERVALS * intervalMs) {
      gaps++;
      missing += Math.round((t - prev) / intervalMs) - 1;
      if (!widest || t - prev > widest[1] - widest[0]) widest = [prev, t];
    }
    prev = t;
  }
  if (gaps > 0 && widest) {
    out.push(
      finding(
        'gap',
        metric,
        group,
        'warning',
        `${plural(gaps, 'gap')} (about ${plural(missing, 'sample')} missing); the widest from ${iso(widest[0])} to ${iso(widest[1])}`,
      ),
    );
  }
  const last = s.lastReceived;
  if (opts.checkStale && last !== null && opts.now - last > STALE_INTERVALS * intervalMs) {
    out.push(
      finding(
        'stale',
        metric,
        group,
        'blocking',
        `no sample since ${iso(last)} (${Math.round((opts.now - last) / intervalMs)} intervals before the look): the ${group} stopped reporting`,
      ),
    );
  }
  return out;
}

/**
 * The traffic split against the canary weight (sample-ratio mismatch): the
 * canary's share of the requests, canary/(canary + baseline), against the
 * configured weight, by a χ² test with 1 degree of freedom.
 */
export function trafficRatioFinding(
  denominator: string,
  canaryRequests: number,
  baselineRequests: number,
  weight: number,
): IntegrityFinding | null {
  const total = canaryRequests + baselineRequests;
  if (!(total > 0)) return null;
  const expectedC = weight * total;
  const expectedB = (1 - weight) * total;
  const chi2 = (canaryRequests - expectedC) ** 2 / expectedC + (baselineRequests - expectedB) ** 2 / expectedB;
  const p = chisquareUpperTail(chi2, 1);
  const share = canaryRequests / total;
  if (p >= SRM_P || Math.abs(share - weight) / weight <= SRM_RELATIVE) return null;
  return finding(
    'traffic_ratio_mismatch',
    denominator,
    'canary',
    'blocking',
    `the canary served ${(share * 100).toFixed(2)}% of ${denominator} (${canaryRequests} of ${total}), not the ${(weight * 100).toFixed(2)}% configured ` +
      `(χ² = ${chi2.toFixed(1)}, p = ${p.toExponential(1)}): the split is broken, so no comparison is trusted`,
  );
}
