// The RRULE examples of RFC 5545 §3.8.5.3, with their DTSTART in America/New_York as the RFC
// gives them; the expected dates are the RFC's own lists. Those the fast walker does not take
// (BYYEARDAY, BYSETPOS, BYHOUR/BYMINUTE) go through ical.js's iterator; HOURLY and MINUTELY rules
// are refused (the product repeats by day at most).
import { describe, expect, test } from 'vitest';
import type { CalendarEvent } from '../protocol/calendar';
import { QixinError } from '../protocol/errors';
import { checkRecurrence } from './check';
import { expandOccurrences } from './expand';
import { parseRule } from './rule';
import { utcToZoned, zonedToUtc } from './zones';

const NY = 'America/New_York';
const HOUR = 3_600_000;

function local(text: string) {
  const [, y, m, d, h, min] = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)/.exec(text)!;
  return zonedToUtc({ y: +y!, m: +m!, d: +d!, h: +h!, min: +min! }, NY);
}

/** Occurrences of a 1-hour event in New York, as "YYYY-MM-DD HH:MM" local, up to `until` (local). */
function expand(dtstart: string, rrule: string, until: string, exdates: string[] = []): string[] {
  const start = local(dtstart);
  const event: CalendarEvent = {
    id: '00000000-0000-4000-8000-000000000001',
    calendarId: '00000000-0000-4000-8000-000000000000',
    organizerId: '00000000-0000-4000-8000-000000000000',
    title: 'RFC 5545',
    location: '',
    description: '',
    time: { allDay: false, start, end: start + HOUR, timeZone: NY },
    rrule,
    exdates: exdates.map(local),
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
  return expandOccurrences([event], start, local(until)).map((o) => {
    const w = utcToZoned(o.start, NY);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${w.y}-${p(w.m)}-${p(w.d)} ${p(w.h)}:${p(w.min)}`;
  });
}

/** "1997-09: 2,9,16" lines → "1997-09-02 09:00", … */
function dates(list: string, time = '09:00'): string[] {
  return list
    .trim()
    .split(/\n|;/)
    .flatMap((line) => {
      const [month, days] = line.trim().split(':');
      return days!.split(',').flatMap((part) => {
        const [a, b] = part.trim().split('-').map(Number);
        const out: string[] = [];
        for (let d = a!; d <= (b ?? a!); d++) out.push(`${month!.trim()}-${String(d).padStart(2, '0')} ${time}`);
        return out;
      });
    });
}

const fast = (rrule: string) => parseRule(rrule).fast;

describe('RFC 5545 §3.8.5.3 examples', () => {
  test('daily for 10 occurrences', () => {
    expect(expand('19970902T090000', 'FREQ=DAILY;COUNT=10', '19980101T000000')).toEqual(dates('1997-09: 2-11'));
  });

  test('daily until December 24, 1997 (EDT, then EST from October 26)', () => {
    const got = expand('19970902T090000', 'FREQ=DAILY;UNTIL=19971224T000000Z', '19980101T000000');
    expect(got).toEqual(dates('1997-09: 2-30; 1997-10: 1-31; 1997-11: 1-30; 1997-12: 1-23'));
    // Same wall time, another UTC hour once DST ends.
    expect(new Date(local('19971025T090000')).toISOString()).toBe('1997-10-25T13:00:00.000Z');
    expect(new Date(local('19971026T090000')).toISOString()).toBe('1997-10-26T14:00:00.000Z');
  });

  test('every other day, forever', () => {
    const got = expand('19970902T090000', 'FREQ=DAILY;INTERVAL=2', '19971204T000000');
    expect(got).toEqual(
      dates(`1997-09: 2,4,6,8,10,12,14,16,18,20,22,24,26,28,30
        1997-10: 2,4,6,8,10,12,14,16,18,20,22,24,26,28,30
        1997-11: 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29
        1997-12: 1,3`),
    );
  });

  test('every 10 days, 5 occurrences', () => {
    expect(expand('19970902T090000', 'FREQ=DAILY;INTERVAL=10;COUNT=5', '19980101T000000')).toEqual(
      dates('1997-09: 2,12,22; 1997-10: 2,12'),
    );
  });

  test('every day in January, for 3 years (yearly and daily forms)', () => {
    const want = dates('1998-01: 1-31; 1999-01: 1-31; 2000-01: 1-31');
    expect(
      expand(
        '19980101T090000',
        'FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA',
        '20010101T000000',
      ),
    ).toEqual(want);
    expect(expand('19980101T090000', 'FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1', '20010101T000000')).toEqual(want);
  });

  test('weekly for 10 occurrences', () => {
    expect(expand('19970902T090000', 'FREQ=WEEKLY;COUNT=10', '19980101T000000')).toEqual(
      dates('1997-09: 2,9,16,23,30; 1997-10: 7,14,21,28; 1997-11: 4'),
    );
  });

  test('weekly until December 24, 1997', () => {
    expect(expand('19970902T090000', 'FREQ=WEEKLY;UNTIL=19971224T000000Z', '19980101T000000')).toEqual(
      dates('1997-09: 2,9,16,23,30; 1997-10: 7,14,21,28; 1997-11: 4,11,18,25; 1997-12: 2,9,16,23'),
    );
  });

  test('every other week, forever', () => {
    expect(expand('19970902T090000', 'FREQ=WEEKLY;INTERVAL=2;WKST=SU', '19980218T000000')).toEqual(
      dates('1997-09: 2,16,30; 1997-10: 14,28; 1997-11: 11,25; 1997-12: 9,23; 1998-01: 6,20; 1998-02: 3,17'),
    );
  });

  test('weekly on Tuesday and Thursday for five weeks (UNTIL and COUNT forms)', () => {
    const want = dates('1997-09: 2,4,9,11,16,18,23,25,30; 1997-10: 2');
    expect(
      expand('19970902T090000', 'FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH', '19980101T000000'),
    ).toEqual(want);
    expect(expand('19970902T090000', 'FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH', '19980101T000000')).toEqual(want);
  });

  test('every other week on Monday, Wednesday and Friday until December 24, 1997', () => {
    expect(
      expand(
        '19970901T090000',
        'FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR',
        '19980101T000000',
      ),
    ).toEqual(
      dates(`1997-09: 1,3,5,15,17,19,29
        1997-10: 1,3,13,15,17,27,29,31
        1997-11: 10,12,14,24,26,28
        1997-12: 8,10,12,22`),
    );
  });

  test('every other week on Tuesday and Thursday, for 8 occurrences', () => {
    expect(expand('19970902T090000', 'FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH', '19980101T000000')).toEqual(
      dates('1997-09: 2,4,16,18,30; 1997-10: 2,14,16'),
    );
  });

  test('monthly on the first Friday for 10 occurrences, and until December 24, 1997', () => {
    expect(expand('19970905T090000', 'FREQ=MONTHLY;COUNT=10;BYDAY=1FR', '19990101T000000')).toEqual(
      dates(`1997-09: 5; 1997-10: 3; 1997-11: 7; 1997-12: 5; 1998-01: 2; 1998-02: 6; 1998-03: 6
        1998-04: 3; 1998-05: 1; 1998-06: 5`),
    );
    expect(expand('19970905T090000', 'FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR', '19990101T000000')).toEqual(
      dates('1997-09: 5; 1997-10: 3; 1997-11: 7; 1997-12: 5'),
    );
  });

  test('every other month on the first and last Sunday of the month for 10 occurrences', () => {
    expect(expand('19970907T090000', 'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU', '19990101T000000')).toEqual(
      dates('1997-09: 7,28; 1997-11: 2,30; 1998-01: 4,25; 1998-03: 1,29; 1998-05: 3,31'),
    );
  });

  test('monthly on the second-to-last Monday of the month for 6 months', () => {
    expect(expand('19970922T090000', 'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO', '19990101T000000')).toEqual(
      dates('1997-09: 22; 1997-10: 20; 1997-11: 17; 1997-12: 22; 1998-01: 19; 1998-02: 16'),
    );
  });

  test('monthly on the third-to-the-last day of the month, forever', () => {
    expect(expand('19970928T090000', 'FREQ=MONTHLY;BYMONTHDAY=-3', '19980301T000000')).toEqual(
      dates('1997-09: 28; 1997-10: 29; 1997-11: 28; 1997-12: 29; 1998-01: 29; 1998-02: 26'),
    );
  });

  test('monthly on the 2nd and 15th of the month for 10 occurrences', () => {
    expect(expand('19970902T090000', 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15', '19990101T000000')).toEqual(
      dates('1997-09: 2,15; 1997-10: 2,15; 1997-11: 2,15; 1997-12: 2,15; 1998-01: 2,15'),
    );
  });

  test('monthly on the first and last day of the month for 10 occurrences', () => {
    expect(expand('19970930T090000', 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1', '19990101T000000')).toEqual(
      dates('1997-09: 30; 1997-10: 1,31; 1997-11: 1,30; 1997-12: 1,31; 1998-01: 1,31; 1998-02: 1'),
    );
  });

  test('every 18 months on the 10th thru 15th of the month for 10 occurrences', () => {
    expect(
      expand('19970910T090000', 'FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15', '20000101T000000'),
    ).toEqual(dates('1997-09: 10-15; 1999-03: 10-13'));
  });

  test('every Tuesday, every other month', () => {
    expect(expand('19970902T090000', 'FREQ=MONTHLY;INTERVAL=2;BYDAY=TU', '19980401T000000')).toEqual(
      dates('1997-09: 2,9,16,23,30; 1997-11: 4,11,18,25; 1998-01: 6,13,20,27; 1998-03: 3,10,17,24,31'),
    );
  });

  test('yearly in June and July for 10 occurrences', () => {
    expect(expand('19970610T090000', 'FREQ=YEARLY;COUNT=10;BYMONTH=6,7', '20100101T000000')).toEqual(
      dates(
        '1997-06: 10; 1997-07: 10; 1998-06: 10; 1998-07: 10; 1999-06: 10; 1999-07: 10; 2000-06: 10; 2000-07: 10; 2001-06: 10; 2001-07: 10',
      ),
    );
  });

  test('every other year on January, February, and March for 10 occurrences', () => {
    expect(expand('19970310T090000', 'FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3', '20100101T000000')).toEqual(
      dates(
        '1997-03: 10; 1999-01: 10; 1999-02: 10; 1999-03: 10; 2001-01: 10; 2001-02: 10; 2001-03: 10; 2003-01: 10; 2003-02: 10; 2003-03: 10',
      ),
    );
  });

  test('every third year on the 1st, 100th, and 200th day for 10 occurrences (through ical.js)', () => {
    const rule = 'FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200';
    expect(fast(rule)).toBe(false);
    expect(expand('19970101T090000', rule, '20100101T000000')).toEqual(
      dates(
        '1997-01: 1; 1997-04: 10; 1997-07: 19; 2000-01: 1; 2000-04: 9; 2000-07: 18; 2003-01: 1; 2003-04: 10; 2003-07: 19; 2006-01: 1',
      ),
    );
  });

  // ical.js 2.2.1 gets the next two wrong (every Monday from DTSTART on): the fast walker takes
  // them (walk.test.ts pins the library's answer).
  test('every 20th Monday of the year, forever', () => {
    expect(fast('FREQ=YEARLY;BYDAY=20MO')).toBe(true);
    expect(expand('19970519T090000', 'FREQ=YEARLY;BYDAY=20MO', '20000101T000000')).toEqual(
      dates('1997-05: 19; 1998-05: 18; 1999-05: 17'),
    );
  });

  test('Monday of week number 20, forever', () => {
    expect(fast('FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO')).toBe(true);
    expect(expand('19970512T090000', 'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO', '20000101T000000')).toEqual(
      dates('1997-05: 12; 1998-05: 11; 1999-05: 17'),
    );
  });

  test('every Thursday in March, forever', () => {
    expect(expand('19970313T090000', 'FREQ=YEARLY;BYMONTH=3;BYDAY=TH', '20000101T000000')).toEqual(
      dates('1997-03: 13,20,27; 1998-03: 5,12,19,26; 1999-03: 4,11,18,25'),
    );
  });

  test('every Thursday, but only during June, July, and August, forever', () => {
    expect(expand('19970605T090000', 'FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8', '20000101T000000')).toEqual(
      dates(`1997-06: 5,12,19,26; 1997-07: 3,10,17,24,31; 1997-08: 7,14,21,28
        1998-06: 4,11,18,25; 1998-07: 2,9,16,23,30; 1998-08: 6,13,20,27
        1999-06: 3,10,17,24; 1999-07: 1,8,15,22,29; 1999-08: 5,12,19,26`),
    );
  });

  test('every Friday the 13th, forever (DTSTART excluded by EXDATE)', () => {
    expect(
      expand('19970902T090000', 'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13', '20001101T000000', ['19970902T090000']),
    ).toEqual(dates('1998-02: 13; 1998-03: 13; 1998-11: 13; 1999-08: 13; 2000-10: 13'));
  });

  test('the first Saturday that follows the first Sunday of the month, forever', () => {
    expect(expand('19970913T090000', 'FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13', '19980614T000000')).toEqual(
      dates(
        '1997-09: 13; 1997-10: 11; 1997-11: 8; 1997-12: 13; 1998-01: 10; 1998-02: 7; 1998-03: 7; 1998-04: 11; 1998-05: 9; 1998-06: 13',
      ),
    );
  });

  test('every 4 years, the first Tuesday after a Monday in November (U.S. Presidential Election day)', () => {
    expect(
      expand(
        '19961105T090000',
        'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8',
        '20050101T000000',
      ),
    ).toEqual(dates('1996-11: 5; 2000-11: 7; 2004-11: 2'));
  });

  test('the third instance of one of Tuesday, Wednesday, or Thursday, for 3 months (through ical.js)', () => {
    const rule = 'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3';
    expect(fast(rule)).toBe(false);
    expect(expand('19970904T090000', rule, '19980101T000000')).toEqual(dates('1997-09: 4; 1997-10: 7; 1997-11: 6'));
  });

  test('the second-to-last weekday of the month (through ical.js)', () => {
    const rule = 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2';
    expect(fast(rule)).toBe(false);
    expect(expand('19970929T090000', rule, '19980331T000000')).toEqual(
      dates('1997-09: 29; 1997-10: 30; 1997-11: 27; 1997-12: 30; 1998-01: 29; 1998-02: 26; 1998-03: 30'),
    );
  });

  test('every 20 minutes from 9:00 to 16:40 every day (BYHOUR and BYMINUTE, through ical.js)', () => {
    const rule = 'FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40';
    expect(fast(rule)).toBe(false);
    const got = expand('19970902T090000', rule, '19970904T000000');
    const day = (d: string) =>
      [9, 10, 11, 12, 13, 14, 15, 16].flatMap((h) =>
        [0, 20, 40].map((m) => `1997-09-${d} ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
      );
    expect(got).toEqual([...day('02'), ...day('03')]);
  });

  test('WKST changes which week a day falls in', () => {
    expect(expand('19970805T090000', 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO', '19980101T000000')).toEqual(
      dates('1997-08: 5,10,19,24'),
    );
    expect(expand('19970805T090000', 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU', '19980101T000000')).toEqual(
      dates('1997-08: 5,17,19,31'),
    );
  });

  test('an invalid date (February 30) is ignored', () => {
    expect(expand('20070115T090000', 'FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5', '20080101T000000')).toEqual(
      dates('2007-01: 15,30; 2007-02: 15; 2007-03: 15,30'),
    );
  });

  test('HOURLY and MINUTELY examples are refused: the product repeats by day at most', () => {
    const time = {
      allDay: false as const,
      start: local('19970902T090000'),
      end: local('19970902T100000'),
      timeZone: NY,
    };
    for (const rule of [
      'FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z',
      'FREQ=MINUTELY;INTERVAL=15;COUNT=6',
      'FREQ=MINUTELY;INTERVAL=90;COUNT=4',
      'FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16',
    ]) {
      const error = (() => {
        try {
          checkRecurrence(rule, time);
        } catch (e) {
          return e as QixinError;
        }
      })();
      expect(error?.reason).toBe('rrule_invalid');
      expect(error?.message).toMatch(/FREQ=(HOURLY|MINUTELY) is not supported/);
    }
  });
});
