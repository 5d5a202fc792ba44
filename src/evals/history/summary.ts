import type { HistoryRecord } from '../../contracts/evals.js';
import { HISTORY_DEPENDENT_METRICS, METRIC_NAMES, type MetricName } from './fields.js';

export interface ServiceSummary {
  service: string;
  records: number;
  failures: number;
  failureRate: number;
}

export interface HistorySummary {
  records: number;
  failures: number;
  successes: number;
  /** null when there are no records. */
  failureRate: number | null;
  firstAt: Date | null;
  lastAt: Date | null;
  spanDays: number | null;
  /** Most records first, ties by name. */
  services: ServiceSummary[];
  /** Non-decreasing `at` in input order. */
  sortedByTime: boolean;
  /** Records earlier than the record before them. */
  outOfOrder: number;
  /** How many records carry each metric. */
  metricCoverage: Record<MetricName, number>;
  /** Things worth telling the user, in words. */
  notes: string[];
}

const DAY_MS = 86_400_000;

/** Pure: what a history holds, and what about it needs saying before a replay. */
export function summariseHistory(records: Iterable<HistoryRecord>): HistorySummary {
  let n = 0;
  let failures = 0;
  let first: number | undefined;
  let last: number | undefined;
  let prev: number | undefined;
  let outOfOrder = 0;
  let rawEntropy = 0;
  const services = new Map<string, { records: number; failures: number }>();
  const coverage = Object.fromEntries(METRIC_NAMES.map((m) => [m, 0])) as Record<MetricName, number>;

  for (const r of records) {
    n++;
    const t = r.at.getTime();
    const failed = r.outcome === 'failure';
    if (failed) failures++;
    first = first === undefined ? t : Math.min(first, t);
    last = last === undefined ? t : Math.max(last, t);
    if (prev !== undefined && t < prev) outOfOrder++;
    prev = t;
    const s = services.get(r.service) ?? { records: 0, failures: 0 };
    s.records++;
    if (failed) s.failures++;
    services.set(r.service, s);
    for (const m of METRIC_NAMES) if (r.metrics[m] !== undefined) coverage[m]++;
    if ((r.metrics.entropy ?? 0) > 1) rawEntropy++;
  }

  const notes: string[] = [];
  if (n === 0) notes.push('no records');
  if (outOfOrder > 0)
    notes.push(
      `input was not sorted by time (${outOfOrder} record${outOfOrder === 1 ? '' : 's'} earlier than the one before); the replay sorts by time`,
    );
  if (n > 0 && (failures === 0 || failures === n))
    notes.push(`every record is a ${failures === 0 ? 'success' : 'failure'}: nothing to learn or evaluate`);
  const lacking = HISTORY_DEPENDENT_METRICS.filter((m) => coverage[m] < n);
  if (n > 0 && lacking.length) {
    const worst = Math.max(...lacking.map((m) => n - coverage[m]));
    notes.push(
      `history-dependent metrics missing (${lacking.join(', ')}) in up to ${worst} of ${n} records: rows derived from changes carry no history`,
    );
  }
  if (rawEntropy > 0) {
    notes.push(
      `entropy above 1 in ${rawEntropy} records: raw Shannon entropy in bits (Commit Guru style), not the normalised [0, 1] entropy derived from changes; don't mix the two scales`,
    );
  }

  return {
    records: n,
    failures,
    successes: n - failures,
    failureRate: n > 0 ? failures / n : null,
    firstAt: first !== undefined ? new Date(first) : null,
    lastAt: last !== undefined ? new Date(last) : null,
    spanDays: first !== undefined && last !== undefined ? (last - first) / DAY_MS : null,
    services: [...services]
      .map(([service, s]) => ({ service, records: s.records, failures: s.failures, failureRate: s.failures / s.records }))
      .sort((a, b) => b.records - a.records || (a.service < b.service ? -1 : a.service > b.service ? 1 : 0)),
    sortedByTime: outOfOrder === 0,
    outOfOrder,
    metricCoverage: coverage,
    notes,
  };
}
