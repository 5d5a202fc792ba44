/**
 * Local clock times in a policy's time zone. Each instant is converted by
 * asking Intl for that instant, never by adding a fixed offset: on the days
 * clocks change, 01:30 UTC is 03:30 in Berlin in summer time and 02:30 in
 * winter time, and a rule written as "09:00–18:00" must follow the wall clock.
 */
import type { Weekday } from '../../contracts/governance.js';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface LocalTime {
  weekday: Weekday;
  /** Minutes since local midnight (0–1439). */
  minutes: number;
  /** `HH:MM`, 24-hour. */
  hhmm: string;
  /** `YYYY-MM-DD`, the local date. */
  date: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock weekday and time of `instant` in the IANA zone `timeZone`. */
export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const weekday = parts.weekday!.slice(0, 3).toLowerCase() as Weekday;
  // Some ICU versions write midnight as 24 even with h23: read it as 0.
  const hour = Number(parts.hour) % 24;
  const minute = Number(parts.minute);
  return {
    weekday,
    minutes: hour * 60 + minute,
    hhmm: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/** `HH:MM` → minutes since midnight. */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

export function previousDay(day: Weekday): Weekday {
  return WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]!;
}

/**
 * Whether a local time falls in a weekly window of `days` from `start` to
 * `end` (start included, end excluded).
 *
 * - start < end: the window lies within each listed day (09:00–18:00 on mon).
 * - start > end: the window crosses midnight and belongs to the day it
 *   starts on: 22:00–06:00 on `fri` is Friday 22:00 up to Saturday 06:00
 *   (Saturday morning is in it because Friday is listed, whether or not
 *   Saturday is).
 * - start == end: an empty window (the policy parser refuses it).
 */
export function inWeeklyWindow(t: LocalTime, days: readonly Weekday[], start: string, end: string): boolean {
  const s = clockMinutes(start);
  const e = clockMinutes(end);
  if (s < e) return days.includes(t.weekday) && t.minutes >= s && t.minutes < e;
  if (s > e) return (days.includes(t.weekday) && t.minutes >= s) || (days.includes(previousDay(t.weekday)) && t.minutes < e);
  return false;
}

/** `mon, tue, wed, thu, fri` → `mon–fri` when the days run in a row; else the list. */
export function describeDays(days: readonly Weekday[]): string {
  const idx = [...new Set(days)].map((d) => WEEKDAYS.indexOf(d)).sort((a, b) => a - b);
  const consecutive = idx.length > 2 && idx.every((v, i) => i === 0 || v === idx[i - 1]! + 1);
  return consecutive ? `${WEEKDAYS[idx[0]!]}–${WEEKDAYS[idx[idx.length - 1]!]}` : idx.map((i) => WEEKDAYS[i]).join(', ');
}
