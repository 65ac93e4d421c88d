// Occurrences as a person sees them: weekly meetings across DST changes, all-day and multi-day
// events, exceptions moved to another day, exdates, exceptions that outlive an edit of the series.
import { describe, expect, test } from 'vitest';
import type { CalendarEvent, EventTime } from '../protocol/calendar';
import { expandOccurrences } from './expand';
import { utcToZoned, zonedToUtc } from './zones';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let nextId = 1;
const id = () => `00000000-0000-4000-8000-${(nextId++).toString(16).padStart(12, '0')}`;

function event(time: EventTime, more: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    id: id(),
    calendarId: '00000000-0000-4000-8000-000000000000',
    organizerId: '00000000-0000-4000-8000-000000000000',
    title: 'event',
    location: '',
    description: '',
    time,
    rrule: null,
    exdates: [],
    seriesId: null,
    recurrenceId: null,
    attendees: [],
    roomId: null,
    reminders: [],
    cancelled: false,
    sequence: 0,
    updatedAt: 0,
    busyOnly: false,
    ...more,
  };
}

function timed(zone: string, y: number, m: number, d: number, h: number, min = 0, hours = 1) {
  const start = zonedToUtc({ y, m, d, h, min }, zone);
  return { allDay: false as const, start, end: start + hours * HOUR, timeZone: zone };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(':00.000Z', 'Z');
const wall = (ms: number, zone: string) => {
  const w = utcToZoned(ms, zone);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.y}-${p(w.m)}-${p(w.d)} ${p(w.h)}:${p(w.min)}`;
};

describe('weekly meetings across DST changes stay at their wall time', () => {
  test('America/New_York: 09:00 on Mondays, 13:00Z before March 10 2024 … 13:00Z again after November 3', () => {
    const e = event(timed('America/New_York', 2024, 3, 4, 9), { rrule: 'FREQ=WEEKLY;BYDAY=MO' });
    const march = expandOccurrences([e], Date.UTC(2024, 2, 1), Date.UTC(2024, 2, 19));
    expect(march.map((o) => iso(o.start))).toEqual(['2024-03-04T14:00Z', '2024-03-11T13:00Z', '2024-03-18T13:00Z']);
    expect(march.every((o) => wall(o.start, 'America/New_York').endsWith('09:00'))).toBe(true);
    const november = expandOccurrences([e], Date.UTC(2024, 9, 27), Date.UTC(2024, 10, 12));
    expect(november.map((o) => iso(o.start))).toEqual(['2024-10-28T13:00Z', '2024-11-04T14:00Z', '2024-11-11T14:00Z']);
    expect(november.every((o) => o.end - o.start === HOUR)).toBe(true);
  });

  test('Europe/Berlin: 10:00 on Fridays, one hour earlier in UTC from March 31 2024, back from October 27', () => {
    const e = event(timed('Europe/Berlin', 2024, 3, 22, 10), { rrule: 'FREQ=WEEKLY;BYDAY=FR' });
    const got = expandOccurrences([e], Date.UTC(2024, 2, 20), Date.UTC(2024, 3, 6));
    expect(got.map((o) => iso(o.start))).toEqual(['2024-03-22T09:00Z', '2024-03-29T09:00Z', '2024-04-05T08:00Z']);
    const autumn = expandOccurrences([e], Date.UTC(2024, 9, 20), Date.UTC(2024, 10, 2));
    expect(autumn.map((o) => iso(o.start))).toEqual(['2024-10-25T08:00Z', '2024-11-01T09:00Z']);
  });

  test('Asia/Shanghai (no DST): the same UTC hour all year', () => {
    const e = event(timed('Asia/Shanghai', 2024, 1, 2, 9, 30), { rrule: 'FREQ=WEEKLY;BYDAY=TU' });
    const got = expandOccurrences([e], Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1));
    expect(got).toHaveLength(53);
    expect(new Set(got.map((o) => new Date(o.start).toISOString().slice(11)))).toEqual(new Set(['01:30:00.000Z']));
  });

  test('a 02:30 meeting on the spring-forward day moves forward by the gap; 01:30 on the fall-back day is the first one', () => {
    const e = event(timed('America/New_York', 2024, 3, 3, 2, 30), { rrule: 'FREQ=WEEKLY;BYDAY=SU' });
    const [, gap] = expandOccurrences([e], Date.UTC(2024, 2, 3), Date.UTC(2024, 2, 11));
    expect(wall(gap!.start, 'America/New_York')).toBe('2024-03-10 03:30');
    const f = event(timed('America/New_York', 2024, 10, 27, 1, 30), { rrule: 'FREQ=WEEKLY;BYDAY=SU' });
    const [, twice] = expandOccurrences([f], Date.UTC(2024, 9, 27), Date.UTC(2024, 10, 4));
    expect(iso(twice!.start)).toBe('2024-11-03T05:30Z'); // 01:30 EDT, not 01:30 EST
  });
});

describe('all-day and multi-day events', () => {
  test('an all-day event is its dates, in every zone', () => {
    const e = event({ allDay: true, startDate: '2026-11-25', endDate: '2026-11-26' });
    const [o] = expandOccurrences([e], Date.UTC(2026, 10, 1), Date.UTC(2026, 11, 1));
    expect(o).toMatchObject({ allDay: true, start: Date.UTC(2026, 10, 25), end: Date.UTC(2026, 10, 26) });
  });

  test('a yearly all-day birthday on February 29 comes in leap years only', () => {
    const e = event({ allDay: true, startDate: '2024-02-29', endDate: '2024-03-01' }, { rrule: 'FREQ=YEARLY' });
    const got = expandOccurrences([e], Date.UTC(2024, 0, 1), Date.UTC(2033, 0, 1));
    expect(got.map((o) => new Date(o.start).toISOString().slice(0, 10))).toEqual([
      '2024-02-29',
      '2028-02-29',
      '2032-02-29',
    ]);
  });

  test('a three-day event every month keeps its length and shows when its last day is in the window', () => {
    const e = event(
      { allDay: true, startDate: '2026-01-30', endDate: '2026-02-02' },
      { rrule: 'FREQ=MONTHLY;COUNT=3' },
    );
    const got = expandOccurrences([e], Date.UTC(2026, 1, 1), Date.UTC(2026, 1, 20));
    expect(got.map((o) => [new Date(o.start).toISOString().slice(0, 10), (o.end - o.start) / DAY])).toEqual([
      ['2026-01-30', 3],
    ]);
    const all = expandOccurrences([e], Date.UTC(2026, 0, 1), Date.UTC(2026, 5, 1));
    // January 30, (February has no 30th), March 30, April 30.
    expect(all.map((o) => new Date(o.start).toISOString().slice(0, 10))).toEqual([
      '2026-01-30',
      '2026-03-30',
      '2026-04-30',
    ]);
  });

  test('a timed event over several days overlaps every day it spans', () => {
    const t = timed('Asia/Shanghai', 2026, 3, 10, 18, 0, 60);
    const e = event(t);
    expect(expandOccurrences([e], t.start + 30 * HOUR, t.start + 31 * HOUR)).toHaveLength(1);
    expect(expandOccurrences([e], t.end, t.end + HOUR)).toHaveLength(0);
  });
});

describe('exceptions and exdates', () => {
  const zone = 'Asia/Shanghai';
  const from = zonedToUtc({ y: 2026, m: 3, d: 1, h: 0, min: 0 }, zone);
  const to = zonedToUtc({ y: 2026, m: 4, d: 1, h: 0, min: 0 }, zone);

  function weekly() {
    const series = event(timed(zone, 2026, 3, 2, 10), { rrule: 'FREQ=WEEKLY;BYDAY=MO' });
    const original = zonedToUtc({ y: 2026, m: 3, d: 16, h: 10, min: 0 }, zone);
    // Monday March 16 moved to Wednesday March 18, 15:00.
    const moved = event(timed(zone, 2026, 3, 18, 15), { seriesId: series.id, recurrenceId: original, title: 'moved' });
    return { series, moved, original };
  }

  test('an exception moved to another day replaces its occurrence, wherever it went', () => {
    const { series, moved, original } = weekly();
    const got = expandOccurrences([series, moved], from, to);
    expect(got.map((o) => wall(o.start, zone))).toEqual([
      '2026-03-02 10:00',
      '2026-03-09 10:00',
      '2026-03-18 15:00',
      '2026-03-23 10:00',
      '2026-03-30 10:00',
    ]);
    expect(got[2]).toMatchObject({ eventId: moved.id, seriesId: series.id, recurrenceId: original });
    expect(got[1]).toMatchObject({ eventId: series.id, seriesId: series.id, recurrenceId: got[1]!.start });
    // Moved out of the window: its original day shows nothing, and neither does the window.
    const later = { ...moved, time: timed(zone, 2026, 4, 20, 15) };
    expect(expandOccurrences([series, later], from, to).map((o) => wall(o.start, zone))).not.toContain(
      '2026-03-16 10:00',
    );
    // Moved into the window from an occurrence outside it.
    const early = { ...moved, recurrenceId: zonedToUtc({ y: 2026, m: 4, d: 6, h: 10, min: 0 }, zone) };
    expect(expandOccurrences([series, early], from, to).filter((o) => o.eventId === moved.id)).toHaveLength(1);
  });

  test('an exdate removes its occurrence; a cancelled exception stays (the view marks it)', () => {
    const { series, moved, original } = weekly();
    const exdate = zonedToUtc({ y: 2026, m: 3, d: 9, h: 10, min: 0 }, zone);
    const got = expandOccurrences(
      [
        { ...series, exdates: [exdate] },
        { ...moved, cancelled: true },
      ],
      from,
      to,
    );
    expect(got.map((o) => wall(o.start, zone))).toEqual([
      '2026-03-02 10:00',
      '2026-03-18 15:00',
      '2026-03-23 10:00',
      '2026-03-30 10:00',
    ]);
    // An exdate of the occurrence an exception replaced removes both.
    const both = expandOccurrences([{ ...series, exdates: [original] }, moved], from, to);
    expect(both.map((o) => wall(o.start, zone))).toEqual([
      '2026-03-02 10:00',
      '2026-03-09 10:00',
      '2026-03-23 10:00',
      '2026-03-30 10:00',
    ]);
  });

  test('an exception survives an edit of the series (title, length, an end date)', () => {
    const { series, moved } = weekly();
    const edited: CalendarEvent = {
      ...series,
      title: 'renamed',
      time: { ...series.time, end: (series.time as { start: number }).start + 2 * HOUR } as EventTime,
      rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20260325T000000Z',
      sequence: 1,
    };
    const got = expandOccurrences([edited, moved], from, to);
    expect(got.map((o) => wall(o.start, zone))).toEqual([
      '2026-03-02 10:00',
      '2026-03-09 10:00',
      '2026-03-18 15:00',
      '2026-03-23 10:00',
    ]);
    expect(got.filter((o) => o.eventId === series.id).every((o) => o.end - o.start === 2 * HOUR)).toBe(true);
  });

  test('events of several calendars come out sorted by start, equal starts in the order given', () => {
    const a = event(timed(zone, 2026, 3, 3, 9), { rrule: 'FREQ=DAILY;COUNT=3' });
    const b = event(timed(zone, 2026, 3, 3, 9), { rrule: 'FREQ=DAILY;COUNT=3' });
    const c = event(timed('Europe/Berlin', 2026, 3, 3, 1, 30));
    const got = expandOccurrences([a, b, c], from, to);
    expect(got.map((o) => [o.eventId, wall(o.start, zone)])).toEqual(
      [
        [a.id, '2026-03-03 09:00'],
        [b.id, '2026-03-03 09:00'],
        [c.id, '2026-03-03 08:30'],
        [a.id, '2026-03-04 09:00'],
        [b.id, '2026-03-04 09:00'],
        [a.id, '2026-03-05 09:00'],
        [b.id, '2026-03-05 09:00'],
      ].sort((x, y) => x[1]!.localeCompare(y[1]!)),
    );
  });
});
