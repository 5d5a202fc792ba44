import type { Outcome } from '../../contracts/evals.js';

import { METRIC_NAMES, type MetricName } from '../../risk/features/change-metrics.js';

// The metrics are the risk features' (src/risk/features/change-metrics.ts); the readers check names against them.
export { HISTORY_DEPENDENT_METRICS, METRIC_NAMES, type MetricName } from '../../risk/features/change-metrics.js';

const METRIC_SET: ReadonlySet<string> = new Set(METRIC_NAMES);
export const isMetricName = (s: string): s is MetricName => METRIC_SET.has(s);

/** Cells that mean "not known" (pandas writes NaN as empty; R writes NA). */
const MISSING = new Set(['', 'na', 'nan', 'null', 'none']);
export const isMissingText = (s: string): boolean => MISSING.has(s.trim().toLowerCase());

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Strict decimal number: no hex, no "Infinity", no empty-string-is-zero. */
export function parseNumberText(s: string): number | undefined {
  const t = s.trim();
  if (!NUMBER.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** A value quoted for an error message, cut short so one bad cell cannot flood the report. */
export function show(v: unknown): string {
  const s = typeof v === 'string' ? v : v === undefined ? 'undefined' : JSON.stringify(v);
  return `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}'`;
}

/** True/False (Python), true/false, 1/0 (also 1.0/0.0), t/f, yes/no. */
export function parseFlag(s: string): 0 | 1 | undefined {
  const t = s.trim().toLowerCase();
  if (t === 'true' || t === 't' || t === 'yes' || t === 'y') return 1;
  if (t === 'false' || t === 'f' || t === 'no' || t === 'n') return 0;
  const n = parseNumberText(t);
  return n === 1 ? 1 : n === 0 ? 0 : undefined;
}

/** success / failure / rolled_back (a rollback is a failure for risk). */
export function parseOutcomeWord(s: string): Outcome | undefined {
  const t = s.trim().toLowerCase();
  if (t === 'success') return 'success';
  if (t === 'failure' || t === 'rolled_back') return 'failure';
  return undefined;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** Other formats are accepted only with an explicit zone, e.g. git's "Tue Apr 3 12:00:00 2012 +0200". */
const EXPLICIT_ZONE = /(?:\bZ|\bUTC|\bGMT|[+-]\d{2}:?\d{2})$/i;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

/**
 * A point in time from an export: unix seconds (numbers below 1e11; larger
 * numbers are taken as milliseconds, as elsewhere in shipcheck), ISO 8601
 * (a timestamp without zone is UTC, never the machine's local time), or a
 * textual date with an explicit zone. Impossible dates (Feb 30) are rejected
 * rather than rolled over.
 */
export function parseWhen(v: unknown): Date | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? finite(new Date(Math.abs(v) < 1e11 ? v * 1000 : v)) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === '') return undefined;
  const n = parseNumberText(s);
  if (n !== undefined) return parseWhen(n);
  const m = ISO.exec(s);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone = 'Z'] = m;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    const hour = Number(h);
    const minute = Number(mi);
    const second = Number(sec);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
    if (hour > 23 || minute > 59 || second > 59) return undefined;
    const millis = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
    let offsetMinutes = 0;
    if (zone.toUpperCase() !== 'Z') {
      const digits = zone.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2));
      const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
      if (oh > 23 || om > 59) return undefined;
      offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
    }
    return finite(new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000));
  }
  if (EXPLICIT_ZONE.test(s)) return finite(new Date(s));
  return undefined;
}

const finite = (d: Date): Date | undefined => (Number.isNaN(d.getTime()) ? undefined : d);
