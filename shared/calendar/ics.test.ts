// iCalendar in and out: our export read back gives the same events; files written by Outlook,
// Google Calendar, Apple Calendar and python's icalendar library import; python's icalendar
// parser accepts our export; malformed files give clear errors and never sink the other events.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CalendarEvent, EventTime, Occurrence } from '../protocol/calendar';
import { QixinError } from '../protocol/errors';
import { expandOccurrences } from './expand';
import { parseIcs } from './ics-read';
import type { ImportedEvent } from './ics-types';
import { writeIcs } from './ics-write';
import { utcToZoned, zonedToUtc } from './zones';

const HOUR = 3_600_000;
const fixture = (name: string) =>
  readFileSync(path.join(__dirname, '..', '..', 'tests', 'fixtures', 'ics', name), 'utf8');

const ORGANIZER = '0f6a8c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
const ALICE = '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d';
const BOB = '2b3c4d5e-6f7a-4b9c-8d1e-2f3a4b5c6d7e';
const PEOPLE: Record<string, { name: string; email: string | null }> = {
  [ORGANIZER]: { name: '王芳', email: 'wangfang@example.com' },
  [ALICE]: { name: '李雷', email: 'lilei@example.com' },
  [BOB]: { name: '韩梅梅', email: null },
};

let counter = 1;
function event(time: EventTime, more: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    id: `00000000-0000-4000-8000-${(counter++).toString(16).padStart(12, '0')}`,
    calendarId: '00000000-0000-4000-8000-000000000000',
    organizerId: ORGANIZER,
    title: '项目例会',
    location: '3楼 会议室A',
    description:
      '议程：进度、风险；下周计划。A long line that has to be folded because it is far longer than seventy-five octets, 中文也一样。',
    time,
    rrule: null,
    exdates: [],
    seriesId: null,
    recurrenceId: null,
    attendees: [
      { userId: ALICE, response: 'accepted', viaDepartmentId: null },
      { userId: BOB, response: 'declined', viaDepartmentId: null },
    ],
    roomId: null,
    reminders: [15],
    cancelled: false,
    sequence: 3,
    updatedAt: Date.UTC(2026, 0, 5, 8),
    busyOnly: false,
    ...more,
  };
}

function timed(zone: string, y: number, m: number, d: number, h: number, min = 0, hours = 1) {
  const start = zonedToUtc({ y, m, d, h, min }, zone);
  return { allDay: false as const, start, end: start + hours * HOUR, timeZone: zone };
}

/** A calendar with what breaks calendars: zones with DST, exceptions, exdates, all-day, cancelled. */
function sampleCalendar(): CalendarEvent[] {
  const weekly = event(timed('America/New_York', 2026, 2, 2, 9), {
    rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260430T235959Z',
    exdates: [zonedToUtc({ y: 2026, m: 3, d: 9, h: 9, min: 0 }, 'America/New_York')],
    reminders: [10, 1440],
  });
  const moved = event(timed('America/New_York', 2026, 3, 12, 14, 30), {
    title: '项目例会（改期）',
    seriesId: weekly.id,
    recurrenceId: zonedToUtc({ y: 2026, m: 3, d: 11, h: 9, min: 0 }, 'America/New_York'),
  });
  const called = event(timed('America/New_York', 2026, 3, 16, 9), {
    seriesId: weekly.id,
    recurrenceId: zonedToUtc({ y: 2026, m: 3, d: 16, h: 9, min: 0 }, 'America/New_York'),
    cancelled: true,
  });
  const berlin = event(timed('Europe/Berlin', 2026, 3, 20, 10, 0, 2), {
    title: 'Quarterly review',
    rrule: 'FREQ=MONTHLY;BYDAY=-1FR;COUNT=6',
    attendees: [],
    reminders: [],
  });
  const trip = event(
    { allDay: true, startDate: '2026-04-04', endDate: '2026-04-07' },
    { title: '清明节', rrule: 'FREQ=YEARLY', location: '', description: '' },
  );
  const single = event(timed('Asia/Shanghai', 2026, 3, 3, 15, 0, 1), {
    title: '面试',
    cancelled: true,
    reminders: [0],
  });
  const allDaySeries = event(
    { allDay: true, startDate: '2026-03-02', endDate: '2026-03-03' },
    { title: '值班', rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20260330', exdates: [Date.UTC(2026, 2, 16)] },
  );
  return [weekly, moved, called, berlin, trip, single, allDaySeries];
}

const writeOptions = {
  name: '王芳的日历',
  method: 'PUBLISH' as const,
  timeZone: 'Asia/Shanghai',
  person: (id: string) => PEOPLE[id],
};

/** Imported events as the relay would store them: the series keeps its UID as id. */
function asEvents(imported: ImportedEvent[]): CalendarEvent[] {
  return imported.map((e, i) =>
    event(e.time, {
      id: e.recurrenceId === null ? e.uid : `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
      seriesId: e.recurrenceId === null ? null : e.uid,
      recurrenceId: e.recurrenceId,
      title: e.title,
      rrule: e.rrule,
      exdates: e.exdates,
      cancelled: e.cancelled,
    }),
  );
}

/** A rule's parts in any order, defaults left out (RFC 5545 does not order them; ical.js has its own order). */
const parts = (rrule: string | null) =>
  (rrule ?? '')
    .split(';')
    .filter((p) => p !== 'INTERVAL=1' && p !== 'WKST=MO')
    .sort();

const shape = (list: Occurrence[], events: CalendarEvent[]) =>
  list.map((o) => {
    const e = events.find((x) => x.id === o.eventId)!;
    return `${new Date(o.start).toISOString()} ${(o.end - o.start) / 60_000}m ${e.title}${e.cancelled ? ' (cancelled)' : ''}`;
  });

describe('export → import', () => {
  const events = sampleCalendar();
  const text = writeIcs(events, writeOptions);

  test('gives the same events', () => {
    const { events: back, errors } = parseIcs(text);
    expect(errors).toEqual([]);
    expect(back).toHaveLength(events.length);
    for (const e of events) {
      const b = back.find((x) => x.uid === (e.seriesId ?? e.id) && x.recurrenceId === e.recurrenceId)!;
      expect(b).toBeDefined();
      expect(b.time).toEqual(e.time);
      expect(parts(b.rrule)).toEqual(parts(e.rrule));
      expect(b.exdates).toEqual(e.exdates);
      expect(b.cancelled).toBe(e.cancelled);
      expect([b.title, b.location, b.description]).toEqual([e.title, e.location, e.description]);
      expect(b.reminders).toEqual(e.reminders);
      expect(b.sequence).toBe(e.sequence);
      expect(b.organizer).toEqual({ email: 'wangfang@example.com', userId: null, name: '王芳' });
      expect(b.attendees).toEqual(
        e.attendees.map((a) => ({
          email: PEOPLE[a.userId]!.email,
          userId: PEOPLE[a.userId]!.email ? null : a.userId,
          name: PEOPLE[a.userId]!.name,
          response: a.response,
        })),
      );
    }
  });

  test('and the same occurrences, across DST, with the exception, the exdates and the cancelled one', () => {
    const imported = asEvents(parseIcs(text).events);
    const from = Date.UTC(2026, 1, 1);
    const to = Date.UTC(2027, 0, 1);
    const before = expandOccurrences(events, from, to);
    const after = expandOccurrences(imported, from, to);
    expect(shape(after, imported)).toEqual(shape(before, events));
    expect(shape(before, events)).toContain('2026-03-12T18:30:00.000Z 60m 项目例会（改期）');
    expect(shape(before, events)).toContain('2026-03-16T13:00:00.000Z 60m 项目例会 (cancelled)');
  });

  test('is a well-formed file: CRLF, lines folded at 75 octets, PRODID, one VTIMEZONE per zone used', () => {
    expect(text.startsWith('BEGIN:VCALENDAR\r\nPRODID:')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const zones = [...text.matchAll(/^TZID:(.+)$/gm)].map((m) => m[1]!.trim());
    expect(zones.sort()).toEqual(['America/New_York', 'Asia/Shanghai', 'Europe/Berlin']);
    expect(text).toContain('DTSTART;TZID=America/New_York:20260202T090000');
    expect(text).toContain('RECURRENCE-ID;TZID=America/New_York:20260311T090000');
    expect(text).toContain('EXDATE;TZID=America/New_York:20260309T090000');
    expect(text).toContain('DTSTART;VALUE=DATE:20260404');
    expect(text).toContain('ATTENDEE;CN=韩梅梅;ROLE=REQ-PARTICIPANT;PARTSTAT=DECLINED:urn:uuid:');
    // New York's observances follow the US rule (second Sunday of March, first of November).
    expect(text).toMatch(
      /BEGIN:DAYLIGHT\r\nDTSTART:\d{8}T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU/,
    );
    expect(text).toMatch(/RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU/);
  });

  test('the VTIMEZONE alone gives the right UTC times (a reader that ignores IANA names)', () => {
    // Rename the zones so that only the file's VTIMEZONE can tell their offsets.
    const renamed = text
      .replace(/America\/New_York/g, 'Eastern (exported)')
      .replace(/Europe\/Berlin/g, 'Berlin (exported)');
    const { events: back, errors } = parseIcs(renamed);
    expect(errors).toEqual([]);
    const weekly = back.find((e) => e.title === '项目例会' && e.recurrenceId === null)!;
    expect(weekly.time).toEqual(events[0]!.time);
    const review = back.find((e) => e.title === 'Quarterly review')!;
    expect(review.time).toMatchObject({
      start: (events[3]!.time as { start: number }).start,
      timeZone: 'Europe/Berlin',
    });
  });
});

describe('files from other calendar programs', () => {
  test('Outlook: Windows zone names with VTIMEZONE, a moved occurrence, an exdate, a custom zone', () => {
    const { events, errors } = parseIcs(fixture('outlook.ics'));
    expect(errors).toEqual([]);
    const [series, moved, berlin] = events;
    expect(series).toMatchObject({
      title: '项目例会',
      location: '3楼 会议室A',
      description: '每周项目例会\n议程：进度、风险、下周计划\n',
      time: timed('Asia/Shanghai', 2026, 1, 12, 10),
      exdates: [Date.UTC(2026, 0, 26, 2)],
      reminders: [15],
      organizer: { email: 'wangfang@example.com', userId: null, name: '王芳' },
      attendees: [
        { email: 'lilei@example.com', userId: null, name: '李雷', response: 'accepted' },
        { email: 'hanmeimei@example.com', userId: null, name: '韩梅梅', response: 'tentative' },
      ],
    });
    expect(moved).toMatchObject({
      uid: series!.uid,
      recurrenceId: Date.UTC(2026, 1, 2, 2),
      time: timed('Asia/Shanghai', 2026, 2, 4, 15),
    });
    const stored = asEvents(events);
    const mondays = expandOccurrences(stored, Date.UTC(2026, 0, 1), Date.UTC(2026, 4, 1)).filter(
      (o) => o.seriesId === series!.uid,
    );
    expect(mondays.map((o) => utcToZoned(o.start, 'Asia/Shanghai')).map((w) => `${w.m}/${w.d} ${w.h}:00`)).toEqual([
      '1/12 10:00',
      '1/19 10:00',
      '2/4 15:00',
      '2/9 10:00',
      '2/16 10:00',
      '2/23 10:00',
      '3/2 10:00',
      '3/9 10:00',
      '3/16 10:00',
      '3/23 10:00',
      '3/30 10:00',
    ]);
    // "Customized Time Zone" is only a VTIMEZONE (+01:00, DST from the last Sunday of March):
    // read through ical.js, expanded in the IANA zone with the same offsets.
    expect(berlin!.time).toMatchObject({ start: Date.UTC(2026, 2, 25, 8), timeZone: 'Europe/Berlin' });
    const wednesdays = expandOccurrences(asEvents([berlin!]), Date.UTC(2026, 2, 1), Date.UTC(2026, 4, 1));
    expect(wednesdays.map((o) => new Date(o.start).toISOString())).toEqual([
      '2026-03-25T08:00:00.000Z',
      '2026-04-01T07:00:00.000Z',
      '2026-04-08T07:00:00.000Z',
    ]);
  });

  test('Google Calendar: X-WR-TIMEZONE, TZID=Asia/Shanghai, UNTIL in UTC, an exception, all-day, cancelled', () => {
    const { events, errors } = parseIcs(fixture('google.ics'));
    expect(errors).toEqual([]);
    expect(events.map((e) => e.title)).toEqual(['站会', '站会（改到下午）', '清明节假期', '季度评审']);
    const [standup, , holiday, review] = events;
    expect(standup).toMatchObject({ time: timed('Asia/Shanghai', 2026, 3, 2, 9, 30, 0.25), reminders: [10] });
    expect(parts(standup!.rrule)).toEqual(parts('FREQ=WEEKLY;WKST=MO;UNTIL=20260430T155959Z;BYDAY=FR,MO,TH,TU,WE'));
    expect(holiday!.time).toEqual({ allDay: true, startDate: '2026-04-04', endDate: '2026-04-07' });
    // Given in UTC, shown in the calendar's zone; cancelled, with the attendee's answer.
    expect(review).toMatchObject({
      cancelled: true,
      time: { start: Date.UTC(2026, 2, 10, 2), timeZone: 'Asia/Shanghai' },
    });
    expect(review!.attendees).toEqual([
      { email: 'lisi@example.com', userId: null, name: 'lisi@example.com', response: 'declined' },
    ]);
    const stored = asEvents(events);
    const days = expandOccurrences(stored, Date.UTC(2026, 2, 1), Date.UTC(2026, 5, 1)).filter(
      (o) => o.seriesId === standup!.uid,
    );
    expect(days).toHaveLength(43); // 44 weekdays from March 2 to April 30, less the exdate of April 6
    expect(days.find((o) => o.recurrenceId === Date.UTC(2026, 2, 12, 1, 30))!.start).toBe(Date.UTC(2026, 2, 12, 6));
    expect(days.at(-1)!.start).toBe(Date.UTC(2026, 3, 30, 1, 30));
  });

  test('Apple Calendar: VTIMEZONE with X-LIC-LOCATION, weekly across DST, an all-day trip over three days', () => {
    const { events, errors } = parseIcs(fixture('apple.ics'));
    expect(errors).toEqual([]);
    const [swim, trip] = events;
    expect(swim).toMatchObject({
      time: { start: Date.UTC(2026, 1, 26, 23), timeZone: 'America/New_York' },
      reminders: [30],
    });
    const classes = expandOccurrences(asEvents([swim!]), Date.UTC(2026, 1, 1), Date.UTC(2026, 5, 1));
    expect(classes.map((o) => new Date(o.start).toISOString().slice(5, 16))).toEqual([
      '02-26T23:00',
      '03-05T23:00',
      '03-12T22:00',
      '03-19T22:00',
      '03-26T22:00',
      '04-02T22:00',
    ]);
    expect(trip).toMatchObject({
      time: { allDay: true, startDate: '2026-04-10', endDate: '2026-04-13' },
      location: 'Cape Cod, MA\nUnited States',
      reminders: [660], // an alarm at 2026-04-09 13:00 UTC, 11 hours before the first day
    });
  });

  test("python's icalendar library writes a file that imports", () => {
    const script = `
import datetime, sys, icalendar, pytz
tz = pytz.timezone('Asia/Shanghai')
cal = icalendar.Calendar()
cal.add('prodid', '-//python icalendar//test//')
cal.add('version', '2.0')
e = icalendar.Event()
e.add('uid', 'py-weekly@example.com')
e.add('summary', '周会 from python')
e.add('dtstart', tz.localize(datetime.datetime(2026, 3, 2, 9, 0)))
e.add('dtend', tz.localize(datetime.datetime(2026, 3, 2, 10, 0)))
e.add('dtstamp', datetime.datetime(2026, 3, 1, tzinfo=pytz.utc))
e.add('rrule', {'freq': 'weekly', 'count': 5, 'byday': ['MO', 'TH']})
e.add('exdate', tz.localize(datetime.datetime(2026, 3, 5, 9, 0)))
a = icalendar.Alarm()
a.add('action', 'DISPLAY')
a.add('trigger', datetime.timedelta(minutes=-20))
e.add_component(a)
cal.add_component(e)
d = icalendar.Event()
d.add('uid', 'py-day@example.com')
d.add('summary', 'Offsite')
d.add('dtstart', datetime.date(2026, 3, 20))
d.add('dtend', datetime.date(2026, 3, 22))
d.add('dtstamp', datetime.datetime(2026, 3, 1, tzinfo=pytz.utc))
cal.add_component(d)
sys.stdout.write(cal.to_ical().decode('utf-8'))
`;
    const text = runPython(script);
    const { events, errors } = parseIcs(text);
    expect(errors).toEqual([]);
    expect(events).toHaveLength(2);
    const [weekly, offsite] = events;
    expect(weekly).toMatchObject({
      title: '周会 from python',
      time: timed('Asia/Shanghai', 2026, 3, 2, 9),
      exdates: [Date.UTC(2026, 2, 5, 1)],
      reminders: [20],
    });
    expect(parts(weekly!.rrule)).toEqual(parts('FREQ=WEEKLY;COUNT=5;BYDAY=MO,TH'));
    expect(offsite!.time).toEqual({ allDay: true, startDate: '2026-03-20', endDate: '2026-03-22' });
    const days = expandOccurrences(asEvents([weekly!]), Date.UTC(2026, 2, 1), Date.UTC(2026, 3, 1));
    expect(days.map((o) => new Date(o.start).getUTCDate())).toEqual([2, 9, 12, 16]); // 5 with Mar 5 removed
  });

  test("python's icalendar parser reads our export: events, RRULE, EXDATE, RECURRENCE-ID, zones", () => {
    const text = writeIcs(sampleCalendar(), writeOptions);
    const script = `
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
out = []
for c in cal.walk('VEVENT'):
    ex = c.get('exdate')
    exs = [] if ex is None else (ex if isinstance(ex, list) else [ex])
    rid = c.get('recurrence-id')
    out.append({
        'uid': str(c.get('uid')),
        'summary': str(c.get('summary')),
        'dtstart': c.decoded('dtstart').isoformat(),
        'rrule': {k: [str(x) for x in v] for k, v in c['rrule'].items()} if 'rrule' in c else None,
        'exdates': [d.dt.isoformat() for e in exs for d in e.dts],
        'recurrence_id': rid.dt.isoformat() if rid is not None else None,
        'status': str(c.get('status')),
    })
zones = [str(z.get('tzid')) for z in cal.walk('VTIMEZONE')]
print(json.dumps({'events': out, 'zones': zones}, ensure_ascii=False))
`;
    const read = JSON.parse(runPython(script, text)) as {
      events: {
        uid: string;
        summary: string;
        dtstart: string;
        rrule: Record<string, string[]> | null;
        exdates: string[];
        recurrence_id: string | null;
        status: string;
      }[];
      zones: string[];
    };
    expect(read.zones.sort()).toEqual(['America/New_York', 'Asia/Shanghai', 'Europe/Berlin']);
    expect(read.events).toHaveLength(7);
    const weekly = read.events.find((e) => e.summary === '项目例会' && !e.recurrence_id)!;
    expect(weekly.dtstart).toBe('2026-02-02T09:00:00-05:00');
    expect(weekly.rrule).toEqual({ FREQ: ['WEEKLY'], BYDAY: ['MO', 'WE'], UNTIL: ['2026-04-30 23:59:59+00:00'] });
    expect(weekly.exdates).toEqual(['2026-03-09T09:00:00-04:00']);
    const moved = read.events.find((e) => e.summary === '项目例会（改期）')!;
    expect([moved.uid, moved.recurrence_id, moved.dtstart]).toEqual([
      weekly.uid,
      '2026-03-11T09:00:00-04:00',
      '2026-03-12T14:30:00-04:00',
    ]);
    expect(
      read.events
        .filter((e) => e.status === 'CANCELLED')
        .map((e) => e.summary)
        .sort(),
    ).toEqual(['面试', '项目例会']);
    const duty = read.events.find((e) => e.summary === '值班')!;
    expect([duty.dtstart, duty.exdates]).toEqual(['2026-03-02', ['2026-03-16']]);
  });
});

describe('malformed files', () => {
  test('no BEGIN:VCALENDAR, or no calendar at all: ics_invalid', () => {
    for (const text of [fixture('not-a-calendar.ics'), '', '<html><body>404</body></html>', '\u0000\u0001\u0002']) {
      const e = (() => {
        try {
          parseIcs(text);
        } catch (error) {
          return error as QixinError;
        }
      })();
      expect(e).toBeInstanceOf(QixinError);
      expect([e!.reason, e!.message]).toEqual([
        'ics_invalid',
        'not an iCalendar file: it does not begin with BEGIN:VCALENDAR',
      ]);
    }
  });

  test('a cut-off file: the complete events import, the cut one and the missing end are reported', () => {
    const { events, errors } = parseIcs(fixture('truncated.ics'));
    expect(events.map((e) => e.uid)).toEqual(['complete-1@example.com']);
    expect(errors).toEqual([
      { uid: null, line: 16, reason: 'ics_invalid', message: 'the file ends without END:VCALENDAR (cut off?)' },
      {
        uid: 'cut-off-2@example.com',
        line: 11,
        reason: 'ics_invalid',
        message: 'the event has no END:VEVENT (cut off?)',
      },
    ]);
  });

  test('bad events are refused one by one with their line and reason; the good one imports', () => {
    const { events, errors } = parseIcs(fixture('bad-events.ics'));
    expect(events.map((e) => e.title)).toEqual(['A fine event']);
    expect(errors.map((e) => [e.uid, e.line, e.reason])).toEqual([
      ['bad-date@example.com', 4, 'ics_invalid'],
      ['unknown-zone@example.com', 10, 'time_zone_unknown'],
      ['backwards@example.com', 17, 'end_before_start'],
      ['forever@example.com', 24, 'rrule_too_many'],
      ['broken-line@example.com', 32, 'ics_invalid'],
    ]);
    expect(errors[0]!.message).toBe('DTSTART "20261345T250000Z" is not a valid date or time');
    expect(errors[1]!.message).toContain('TZID "Mars/Olympus_Mons"');
  });

  test('any cut or damaged copy of a real file gives events and errors, never a crash', () => {
    const text = fixture('google.ics') + fixture('outlook.ics').replace('BEGIN:VCALENDAR\r\n', '');
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
    for (let i = 0; i < 300; i++) {
      const cut = text.slice(0, Math.floor(random() * text.length));
      const at = Math.floor(random() * cut.length);
      const damaged = cut.slice(0, at) + String.fromCharCode(Math.floor(random() * 128)) + cut.slice(at + 1);
      for (const sample of [cut, damaged]) {
        try {
          const { events, errors } = parseIcs(sample);
          expect(Array.isArray(events) && Array.isArray(errors)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(QixinError);
          expect((e as QixinError).reason).toBe('ics_invalid');
        }
      }
    }
  });
});

/** python3 with the icalendar package (Debian's python3-icalendar; .ci/run installs it). */
function runPython(script: string, input?: string): string {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import icalendar, pytz'], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
    const run = spawnSync(python, ['-c', script], { encoding: 'utf8', input });
    if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
    return run.stdout;
  }
  throw new Error('python3 with the icalendar package is needed (Debian: apt-get install python3-icalendar)');
}
