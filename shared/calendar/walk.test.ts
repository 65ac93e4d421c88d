// The fast walker against ical.js: on generated rules (FREQ, INTERVAL, BYDAY with ordinals,
// BYMONTHDAY, BYMONTH, COUNT, UNTIL in UTC, WKST; start dates and windows over 8 years; five
// zones) expandOccurrences must give what ical.js's iterator gives, converted to UTC in the zone.
// Where ical.js 2.2.1 departs from RFC 5545 the generator leaves the case out and a test below
// pins both answers, so a library upgrade that changes them is noticed.
import ICAL from 'ical.js';
import { describe, expect, test } from 'vitest';
import type { CalendarEvent, EventTime } from '../protocol/calendar';
import { expandOccurrences } from './expand';
import { parseRule } from './rule';
import { walkedStarts, walkRule } from './walk';
import { utcToZoned, zonedToUtc } from './zones';

const DAY = 86_400_000;
const ZONES = ['America/New_York', 'Europe/Berlin', 'Asia/Shanghai', 'Australia/Sydney', 'UTC'];
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function series(time: EventTime, rrule: string): CalendarEvent {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    calendarId: '00000000-0000-4000-8000-000000000000',
    organizerId: '00000000-0000-4000-8000-000000000000',
    title: 'generated',
    location: '',
    description: '',
    time,
    rrule,
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
  };
}

const icalDate = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');

/** ical.js alone: its iterator over the wall clock, UNTIL given as the zone's wall time. */
function icalStarts(time: EventTime, rrule: string, from: number, to: number): number[] {
  const zone = time.allDay ? 'UTC' : time.timeZone;
  const recur = ICAL.Recur.fromString(rrule);
  const start = time.allDay ? Date.parse(time.startDate) : time.start;
  const duration = time.allDay ? Date.parse(time.endDate) - start : time.end - time.start;
  if (recur.until) {
    const u = utcToZoned(recur.until.toUnixTime() * 1000, zone);
    recur.until = time.allDay
      ? ICAL.Time.fromData({ year: u.y, month: u.m, day: u.d, isDate: true })
      : ICAL.Time.fromData({ year: u.y, month: u.m, day: u.d, hour: u.h, minute: u.min, second: u.s });
  }
  const w = utcToZoned(start, zone);
  const iterator = recur.iterator(
    ICAL.Time.fromData({ year: w.y, month: w.m, day: w.d, hour: w.h, minute: w.min, isDate: time.allDay }),
  );
  const starts: number[] = [];
  for (let t = iterator.next(); t; t = iterator.next()) {
    const s = time.allDay
      ? Date.UTC(t.year, t.month - 1, t.day)
      : zonedToUtc({ y: t.year, m: t.month, d: t.day, h: t.hour, min: t.minute }, zone);
    if (s >= to + (time.allDay ? 15 * 3_600_000 : 0)) break;
    if (time.allDay ? s + duration > from - 15 * 3_600_000 : s + duration > from) starts.push(s);
  }
  return starts;
}

/** A rule of the shapes the fast walker takes, avoiding the known ical.js departures. */
function generate(r: () => number): string | null {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const freq = pick(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
  const parts = [`FREQ=${freq}`];
  const interval = r() < 0.5 ? 1 + Math.floor(r() * 4) : 1;
  if (interval > 1) parts.push(`INTERVAL=${interval}`);
  // No MONTHLY with BYMONTH: ical.js goes wrong there in several ways (tests below).
  const withMonth = freq === 'YEARLY' ? r() < 0.7 : freq !== 'MONTHLY' && r() < 0.25;
  // BYMONTH ascending: ical.js mixes up MONTHLY occurrences otherwise (parseRule sorts it for ical.js).
  if (withMonth) {
    const months = [...new Set([1 + Math.floor(r() * 12), 1 + Math.floor(r() * 12)])].sort((a, b) => a - b);
    parts.push(`BYMONTH=${months.join(',')}`);
  }
  let byDay: string[] = [];
  if (r() < 0.6 && (freq !== 'YEARLY' || withMonth)) {
    const weekdays = new Set<string>();
    for (let k = 1 + Math.floor(r() * 3); k > 0; k--) weekdays.add(pick(WEEKDAYS));
    // One entry per weekday: ical.js counts a day named twice (FR,3FR) twice toward COUNT.
    byDay = [...weekdays].map((wd) =>
      (freq === 'MONTHLY' || freq === 'YEARLY') && r() < 0.5 ? `${pick(['1', '2', '3', '4', '-1', '-2'])}${wd}` : wd,
    );
    parts.push(`BYDAY=${byDay.join(',')}`);
  }
  if (freq !== 'WEEKLY' && (freq !== 'YEARLY' || withMonth) && r() < 0.3) {
    // Negative days only for MONTHLY without BYDAY (ical.js ignores, refuses or misplaces the others).
    const negative = byDay.length === 0 && freq === 'MONTHLY';
    const days = negative ? [1, 2, 13, 15, 28, 29, 30, 31, -1, -2] : [1, 2, 5, 10, 13, 15, 20, 28, 29, 30, 31];
    parts.push(`BYMONTHDAY=${[...new Set([pick(days), pick(days)])].join(',')}`);
  }
  if (r() < 0.3) parts.push(`WKST=${pick(WEEKDAYS)}`);
  return parts.join(';');
}

describe('fast walker = ical.js', () => {
  test('on 2,000 generated rules in five zones (timed and all-day, COUNT, UNTIL in UTC)', () => {
    const r = random(20_261_101);
    let compared = 0;
    let occurrences = 0;
    for (let i = 0; compared < 2000 && i < 20_000; i++) {
      const base = generate(r);
      if (!base) continue;
      const rule = parseRule(base);
      expect(rule.fast).toBe(true);
      // DTSTART on one of the rule's days (RFC 5545: otherwise the set is undefined).
      const seed = Math.floor((Date.UTC(2019, 0, 1) + r() * 6 * 365 * DAY) / DAY);
      const n = walkRule(
        { ...rule, count: null, until: null },
        { wall: seed * DAY, allDay: true },
        Infinity,
        seed * DAY + DAY,
        (seed + 3300) * DAY,
        1,
      );
      if (n === 0) continue;
      const startDay = walkedStarts()[0]! / DAY;
      const zone = ZONES[i % ZONES.length]!;
      const allDay = r() < 0.2;
      const date = new Date(startDay * DAY);
      const hour = [0, 2, 9, 23][Math.floor(r() * 4)]!;
      const start = zonedToUtc(
        { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate(), h: hour, min: 30 },
        zone,
      );
      const time: EventTime = allDay
        ? {
            allDay,
            startDate: date.toISOString().slice(0, 10),
            endDate: new Date((startDay + 1) * DAY).toISOString().slice(0, 10),
          }
        : { allDay, start, end: start + 3_600_000, timeZone: zone };
      let rrule = base;
      const bound = r();
      if (bound < 0.3) rrule += `;COUNT=${1 + Math.floor(r() * 40)}`;
      else if (bound < 0.6) {
        const until = (startDay + Math.floor(r() * 900)) * DAY + Math.floor(r() * DAY);
        rrule += allDay
          ? `;UNTIL=${icalDate(until)}`
          : `;UNTIL=${icalDate(until)}T${new Date(until).toISOString().slice(11, 19).replace(/:/g, '')}Z`;
      }
      const from = (startDay + Math.floor(r() * 700) - 20) * DAY;
      const to = from + 42 * DAY;
      const ours = expandOccurrences([series(time, rrule)], from, to).map((o) => o.start);
      const theirs = icalStarts(time, rrule, from, to);
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
        throw new Error(
          `${rrule} from ${JSON.stringify(time)} in [${new Date(from).toISOString()}, ${new Date(to).toISOString()}):\n` +
            `fast   ${ours.map((s) => new Date(s).toISOString()).join(' ')}\nical.js ${theirs.map((s) => new Date(s).toISOString()).join(' ')}`,
        );
      }
      compared++;
      occurrences += ours.length;
    }
    expect(compared).toBe(2000);
    expect(occurrences).toBeGreaterThan(5000);
  });
});

/** Starts (YYYY-MM-DD) of an all-day rule from a date over `days`: the fast walker's and ical.js's. */
function both(rrule: string, dtstart: string, days: number) {
  const rule = parseRule(rrule);
  const wall = Date.parse(dtstart);
  const walk = (fast: boolean) => {
    const n = walkRule({ ...rule, fast }, { wall, allDay: true }, Infinity, wall, wall + days * DAY);
    return Array.from(walkedStarts().subarray(0, n), (w) => new Date(w).toISOString().slice(0, 10));
  };
  return { fast: walk(true), ical: walk(false) };
}

describe('where ical.js 2.2.1 departs from RFC 5545 (the fast walker follows the RFC)', () => {
  test('YEARLY;BYDAY=20MO is the 20th Monday of each year (ical.js: every Monday)', () => {
    const { fast, ical } = both('FREQ=YEARLY;BYDAY=20MO', '1997-05-19', 800);
    expect(fast).toEqual(['1997-05-19', '1998-05-18', '1999-05-17']);
    expect(ical.slice(0, 3)).toEqual(['1997-05-19', '1997-05-26', '1997-06-02']);
  });

  test('YEARLY;BYWEEKNO=20;BYDAY=MO is the Monday of week 20 (ical.js: every Monday after it)', () => {
    const { fast, ical } = both('FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO', '1997-05-12', 800);
    expect(fast).toEqual(['1997-05-12', '1998-05-11', '1999-05-17']);
    expect(ical.slice(0, 3)).toEqual(['1997-05-19', '1997-05-26', '1997-06-02']);
  });

  test('DAILY with a negative BYMONTHDAY (ical.js ignores it)', () => {
    const { fast, ical } = both('FREQ=DAILY;BYMONTHDAY=1,-2', '2026-02-01', 80);
    expect(fast).toEqual(['2026-02-01', '2026-02-27', '2026-03-01', '2026-03-30', '2026-04-01']);
    expect(ical).toEqual(['2026-02-01', '2026-03-01', '2026-04-01']);
  });

  test('YEARLY with a negative BYMONTHDAY counts from the end of that month (ical.js: of another)', () => {
    const { fast, ical } = both('FREQ=YEARLY;BYMONTH=1,6;BYMONTHDAY=-1', '2021-01-31', 200);
    expect(fast).toEqual(['2021-01-31', '2021-06-30']);
    expect(ical).not.toEqual(fast);
  });

  test('MONTHLY with BYMONTH goes on to the next year (ical.js repeats the first month)', () => {
    const { fast, ical } = both('FREQ=MONTHLY;BYMONTH=6,12;BYDAY=WE,SU;COUNT=12', '2023-12-03', 200);
    expect(fast.slice(-4)).toEqual(['2023-12-31', '2024-06-02', '2024-06-05', '2024-06-09']);
    expect(ical.slice(9)).toEqual(['2023-12-03', '2023-12-06', '2023-12-10']);
  });

  test('MONTHLY with INTERVAL and BYMONTH keeps to the months the interval reaches (ical.js does not)', () => {
    const { fast, ical } = both('FREQ=MONTHLY;INTERVAL=2;BYMONTH=3,4', '2021-03-22', 400);
    expect(fast).toEqual(['2021-03-22', '2022-03-22']);
    expect(ical).toContain('2021-04-22');
  });

  test('a day named twice in BYDAY counts once toward COUNT (ical.js counts it twice)', () => {
    const { fast, ical } = both('FREQ=YEARLY;BYMONTH=1,10;BYDAY=FR,3FR,-1FR;COUNT=9', '2022-01-07', 400);
    expect(fast).toEqual([
      '2022-01-07',
      '2022-01-14',
      '2022-01-21',
      '2022-01-28',
      '2022-10-07',
      '2022-10-14',
      '2022-10-21',
      '2022-10-28',
      '2023-01-06',
    ]);
    expect(ical).not.toContain('2022-10-28');
  });
});
