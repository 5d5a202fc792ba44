/**
 * A telemetry batch made ready to store: checked beyond what the schema can
 * say, with nothing dropped quietly. Pure: the caller hands in the time and
 * the redaction.
 */
import { createHash } from 'node:crypto';
import type { LogLineInput, MetricGroup, TelemetrySample } from '../contracts/advisor.js';
import { ValidationError } from '../contracts/errors.js';
import { TelemetryConflictError } from './errors.js';
import type { StoredLogLine } from './ports.js';

/**
 * How far ahead of the server's clock a sample may lie: clocks drift by
 * seconds, not minutes. A sample further ahead is refused (it would sit
 * unseen in the future of every look and pass for fresh data later).
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface PreparedBatch {
  samples: { metric: string; group: MetricGroup; tsMs: number; value: number }[];
  /** Samples sent twice in this batch with the same value (stored once). */
  repeatedInBatch: number;
  logs: (StoredLogLine & { key: string })[];
}

type ParsedLog = { group: 'canary' | 'baseline'; ts?: number | undefined; line: string };

export function prepareBatch(
  input: { samples: TelemetrySample[]; logs: ParsedLog[] },
  opts: { nowMs: number; redact: (text: string) => string },
): PreparedBatch {
  const future = input.samples.flatMap((s, i) => (s.ts > opts.nowMs + MAX_CLOCK_SKEW_MS ? [i] : []));
  const futureLogs = input.logs.flatMap((l, i) => (l.ts !== undefined && l.ts > opts.nowMs + MAX_CLOCK_SKEW_MS ? [i] : []));
  if (future.length > 0 || futureLogs.length > 0) {
    const where = [
      future.length ? `samples[${future.slice(0, 10).join(', ')}${future.length > 10 ? ', …' : ''}]` : '',
      futureLogs.length ? `logs[${futureLogs.slice(0, 10).join(', ')}${futureLogs.length > 10 ? ', …' : ''}]` : '',
    ].filter(Boolean);
    throw new ValidationError(
      `${future.length + futureLogs.length} item(s) lie more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes after the server's clock (${new Date(opts.nowMs).toISOString()}): ${where.join(' and ')}; check the sender's clock and the unit of ts (unix seconds, not milliseconds)`,
      { future, futureLogs },
    );
  }
  const byKey = new Map<string, { metric: string; group: MetricGroup; tsMs: number; value: number; index: number }>();
  const clashes: { metric: string; group: MetricGroup; ts: string; values: number[]; indexes: number[] }[] = [];
  let repeatedInBatch = 0;
  input.samples.forEach((s, index) => {
    const key = `${s.metric}\u0000${s.group}\u0000${s.ts}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { metric: s.metric, group: s.group, tsMs: s.ts, value: s.value, index });
    else if (seen.value === s.value) repeatedInBatch++;
    else
      clashes.push({
        metric: s.metric,
        group: s.group,
        ts: new Date(s.ts).toISOString(),
        values: [seen.value, s.value],
        indexes: [seen.index, index],
      });
  });
  if (clashes.length > 0) {
    const c = clashes[0]!;
    throw new TelemetryConflictError(
      `the batch holds ${clashes.length} sample key(s) twice with different values, e.g. ${c.metric}/${c.group} at ${c.ts}: ${c.values.join(' and ')} (samples[${c.indexes.join('] and samples[')}]); nothing was stored`,
      { clashes: clashes.slice(0, 20) },
    );
  }
  return {
    samples: [...byKey.values()].map(({ index: _i, ...s }) => s),
    repeatedInBatch,
    logs: logKeys(input.logs, opts.redact),
  };
}

/**
 * Each line's key: its group, time, text and its occurrence among identical
 * lines of this batch. Two identical lines in one batch are two events; the
 * same batch sent again adds nothing.
 */
function logKeys(logs: ParsedLog[], redact: (t: string) => string): (StoredLogLine & { key: string })[] {
  const seen = new Map<string, number>();
  return logs.map((l) => {
    const line = redact(l.line);
    const base = `${l.group}\u0000${l.ts ?? ''}\u0000${line}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const key = createHash('sha256').update(`${base}\u0000${n}`).digest('hex').slice(0, 32);
    return { group: l.group, tsMs: l.ts ?? null, line, key };
  });
}

export type { LogLineInput };
