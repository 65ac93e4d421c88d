// Bad input the relay refuses before storing an event: each with its reason and a message that says why.
import { describe, expect, test } from 'vitest';
import { CalendarLimits, type EventTime } from '../protocol/calendar';
import { QixinError } from '../protocol/errors';
import { checkEventTime, checkRecurrence } from './check';
import { zonedToUtc } from './zones';

const HOUR = 3_600_000;
const start = zonedToUtc({ y: 2026, m: 3, d: 2, h: 9, min: 0 }, 'Asia/Shanghai');
const time: EventTime = { allDay: false, start, end: start + HOUR, timeZone: 'Asia/Shanghai' };

function refusal(f: () => unknown): QixinError {
  try {
    f();
  } catch (e) {
    if (e instanceof QixinError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('event times', () => {
  test('end before start', () => {
    expect(refusal(() => checkEventTime({ ...time, end: start - HOUR })).reason).toBe('end_before_start');
    expect(refusal(() => checkEventTime({ allDay: true, startDate: '2026-03-02', endDate: '2026-03-02' })).reason).toBe(
      'end_before_start',
    );
    expect(() => checkEventTime({ ...time, end: start })).not.toThrow();
  });

  test('unknown time zone', () => {
    const e = refusal(() => checkEventTime({ ...time, timeZone: 'Mars/Olympus_Mons' }));
    expect([e.code, e.reason]).toEqual(['invalid', 'time_zone_unknown']);
    expect(e.message).toContain('Mars/Olympus_Mons');
  });
});

describe('recurrence rules', () => {
  test('a rule without an end that yields 10,000 occurrences a year is rrule_too_many', () => {
    const hourly = `FREQ=DAILY;BYHOUR=${Array.from({ length: 24 }, (_, h) => h).join(',')};BYMINUTE=0,30`;
    const e = refusal(() => checkRecurrence(hourly, time));
    expect(e.reason).toBe('rrule_too_many');
    expect(e.message).toContain(String(CalendarLimits.openRuleMaxPerYear));
    // A daily meeting is fine, and has no last end.
    expect(checkRecurrence('FREQ=DAILY', time)).toEqual({ lastEnd: null });
  });

  test('COUNT over the limit, and UNTIL that allows too many', () => {
    expect(refusal(() => checkRecurrence('FREQ=DAILY;COUNT=10000', time)).reason).toBe('rrule_too_many');
    expect(refusal(() => checkRecurrence('FREQ=DAILY;UNTIL=20500101T000000Z', time)).reason).toBe('rrule_too_many');
    expect(() => checkRecurrence(`FREQ=DAILY;COUNT=${CalendarLimits.countMax}`, time)).not.toThrow();
  });

  test('the end of the last occurrence, for COUNT and UNTIL', () => {
    expect(checkRecurrence('FREQ=WEEKLY;COUNT=3', time).lastEnd).toBe(start + 14 * 24 * HOUR + HOUR);
    expect(checkRecurrence('FREQ=DAILY;UNTIL=20260304T010000Z', time).lastEnd).toBe(start + 2 * 24 * HOUR + HOUR);
    const allDay: EventTime = { allDay: true, startDate: '2026-03-02', endDate: '2026-03-04' };
    expect(checkRecurrence('FREQ=MONTHLY;COUNT=2', allDay).lastEnd).toBe(Date.UTC(2026, 3, 4));
    expect(checkRecurrence('FREQ=YEARLY;UNTIL=20280302', allDay).lastEnd).toBe(Date.UTC(2028, 2, 4));
  });

  test('rules that do not parse or do not fit say which part', () => {
    const cases: [string, RegExp][] = [
      ['FREQ=SOMETIMES', /does not parse: invalid frequency "SOMETIMES"/],
      ['FREQ=HOURLY', /FREQ=HOURLY is not supported/],
      ['BYDAY=MO', /FREQ is missing/],
      ['FREQ=WEEKLY;BYDAY=XX', /BYDAY/],
      ['FREQ=WEEKLY;BYDAY=2MO', /needs FREQ=MONTHLY or YEARLY/],
      ['FREQ=MONTHLY;BYMONTHDAY=32', /BYMONTHDAY: invalid value "32"/],
      ['FREQ=WEEKLY;BYMONTHDAY=1', /BYMONTHDAY does not fit FREQ=WEEKLY/],
      ['FREQ=DAILY;COUNT=3;UNTIL=20260401T000000Z', /COUNT and UNTIL/],
      ['FREQ=DAILY;INTERVAL=0', /INTERVAL/],
      ['FREQ=DAILY;RSCALE=CHINESE', /RSCALE is not supported/],
      ['FREQ=DAILY;X-NAME=1', /X-NAME is not supported/],
      ['FREQ=DAILY;UNTIL=20200101T000000Z', /UNTIL is before the event starts/],
      ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', /never repeats/],
    ];
    for (const [rule, message] of cases) {
      const e = refusal(() => checkRecurrence(rule, time));
      expect([rule, e.reason]).toEqual([rule, 'rrule_invalid']);
      expect(e.message).toMatch(message);
    }
    expect(
      refusal(() =>
        checkRecurrence('FREQ=DAILY;BYHOUR=9', { allDay: true, startDate: '2026-03-02', endDate: '2026-03-03' }),
      ).message,
    ).toMatch(/all-day/);
  });
});
