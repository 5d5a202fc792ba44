import { describe, expect, it } from 'vitest';
import { describeDays, inWeeklyWindow, localTime } from '../../src/governance/policy/clock.js';

const at = (iso: string, zone: string) => localTime(new Date(iso), zone);

describe('localTime', () => {
  it('follows Berlin into summer time on the last Sunday of March (29 March 2026, 01:00 UTC)', () => {
    // 00:30 UTC is still winter time (+1), 01:30 UTC is already summer time (+2): 02:xx local never happens.
    expect(at('2026-03-29T00:30:00Z', 'Europe/Berlin')).toEqual({ weekday: 'sun', minutes: 90, hhmm: '01:30', date: '2026-03-29' });
    expect(at('2026-03-29T01:30:00Z', 'Europe/Berlin').hhmm).toBe('03:30');
    expect(at('2026-03-29T03:30:00Z', 'Europe/Berlin').hhmm).toBe('05:30');
  });

  it('reads the same wall-clock time twice when Berlin goes back on the last Sunday of October', () => {
    expect(at('2026-10-25T00:30:00Z', 'Europe/Berlin').hhmm).toBe('02:30');
    expect(at('2026-10-25T01:30:00Z', 'Europe/Berlin').hhmm).toBe('02:30');
  });

  it('gives the local weekday and date, which may differ from UTC', () => {
    expect(at('2026-03-06T23:30:00Z', 'Asia/Tokyo')).toEqual({ weekday: 'sat', minutes: 8 * 60 + 30, hhmm: '08:30', date: '2026-03-07' });
    expect(at('2026-03-07T03:00:00Z', 'America/Los_Angeles')).toMatchObject({ weekday: 'fri', hhmm: '19:00', date: '2026-03-06' });
    expect(at('2026-03-07T00:00:00Z', 'UTC')).toMatchObject({ weekday: 'sat', minutes: 0, hhmm: '00:00' });
  });
});

describe('inWeeklyWindow', () => {
  const berlin = (iso: string) => at(iso, 'Europe/Berlin');

  it('a same-day window includes its start and excludes its end', () => {
    const mon = (hhmm: string) => berlin(`2026-03-02T${hhmm}:00+01:00`);
    expect(inWeeklyWindow(mon('08:59'), ['mon'], '09:00', '18:00')).toBe(false);
    expect(inWeeklyWindow(mon('09:00'), ['mon'], '09:00', '18:00')).toBe(true);
    expect(inWeeklyWindow(mon('17:59'), ['mon'], '09:00', '18:00')).toBe(true);
    expect(inWeeklyWindow(mon('18:00'), ['mon'], '09:00', '18:00')).toBe(false);
    expect(inWeeklyWindow(mon('12:00'), ['tue'], '09:00', '18:00')).toBe(false);
  });

  it('a window crossing midnight belongs to the day it starts on: fri 22:00–06:00 is Friday night to Saturday 06:00', () => {
    const fri = ['fri'] as const;
    expect(inWeeklyWindow(berlin('2026-03-06T21:59:00+01:00'), fri, '22:00', '06:00')).toBe(false);
    expect(inWeeklyWindow(berlin('2026-03-06T22:00:00+01:00'), fri, '22:00', '06:00')).toBe(true);
    expect(inWeeklyWindow(berlin('2026-03-07T05:59:00+01:00'), fri, '22:00', '06:00')).toBe(true); // Saturday morning
    expect(inWeeklyWindow(berlin('2026-03-07T06:00:00+01:00'), fri, '22:00', '06:00')).toBe(false);
    expect(inWeeklyWindow(berlin('2026-03-07T23:00:00+01:00'), fri, '22:00', '06:00')).toBe(false); // Saturday night: not listed
    expect(inWeeklyWindow(berlin('2026-03-06T05:00:00+01:00'), fri, '22:00', '06:00')).toBe(false); // Friday morning: Thursday's
  });

  it('decides a Berlin working-hours window on the day clocks go forward by the wall clock', () => {
    // Working hours 05:00–18:00 on Sundays. At 03:30 UTC it is 05:30 in Berlin (summer time): inside.
    // A fixed winter offset would say 04:30, outside.
    const sunday = ['sun'] as const;
    expect(inWeeklyWindow(berlin('2026-03-29T03:30:00Z'), sunday, '05:00', '18:00')).toBe(true);
    expect(inWeeklyWindow(berlin('2026-03-29T01:30:00Z'), sunday, '05:00', '18:00')).toBe(false);
    // Working hours 03:00–18:00: 01:30 UTC is 03:30 local, inside (a fixed +1 would say 02:30, outside).
    expect(inWeeklyWindow(berlin('2026-03-29T01:30:00Z'), sunday, '03:00', '18:00')).toBe(true);
    expect(inWeeklyWindow(berlin('2026-03-29T00:30:00Z'), sunday, '03:00', '18:00')).toBe(false);
  });

  it('an empty window (start equals end) contains nothing', () => {
    expect(inWeeklyWindow(berlin('2026-03-02T09:00:00+01:00'), ['mon'], '09:00', '09:00')).toBe(false);
  });
});

describe('describeDays', () => {
  it('shortens a run of days and lists the others', () => {
    expect(describeDays(['mon', 'tue', 'wed', 'thu', 'fri'])).toBe('mon–fri');
    expect(describeDays(['sun', 'sat'])).toBe('sat, sun');
    expect(describeDays(['mon', 'wed', 'fri'])).toBe('mon, wed, fri');
  });
});
