// iCalendar over real HTTP: import of a file another calendar program wrote (time zones, a weekly
// series with an EXDATE and a moved occurrence, an all-day and a multi-day event, one refused rule)
// into a calendar, re-import updating by UID instead of duplicating, malformed and oversized files
// refused with their reason, export parsed back, and the private feed served without a session,
// read by a third-party parser (Python's icalendar) and gone once rotated or revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandOccurrences, parseIcs } from '../../shared/calendar';
import { CalendarHttpPaths, CalendarLimits } from '../../shared/protocol';
import type { TestClient } from '../support/relay';
import {
  at,
  calendarChange,
  shanghai,
  startCalendarRelay,
  thirdPartyIcs,
  type CalendarRelay,
} from '../support/calendar';

/** As Outlook writes it: a VTIMEZONE of its own, Windows-style line ends, a series with an exception. */
const OUTLOOK = [
  'BEGIN:VCALENDAR',
  'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
  'VERSION:2.0',
  'METHOD:PUBLISH',
  'BEGIN:VTIMEZONE',
  'TZID:China Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16010101T000000',
  'TZOFFSETFROM:+0800',
  'TZOFFSETTO:+0800',
  'END:STANDARD',
  'END:VTIMEZONE',
  'BEGIN:VEVENT',
  'UID:weekly-sync@example.com',
  'DTSTAMP:20300101T000000Z',
  'SUMMARY:产品周会',
  'LOCATION:5 楼会议室',
  'DTSTART;TZID=China Standard Time:20300304T090000',
  'DTEND;TZID=China Standard Time:20300304T100000',
  'RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6',
  'EXDATE;TZID=China Standard Time:20300318T090000',
  'SEQUENCE:2',
  'BEGIN:VALARM',
  'TRIGGER:-PT15M',
  'ACTION:DISPLAY',
  'DESCRIPTION:Reminder',
  'END:VALARM',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:weekly-sync@example.com',
  'DTSTAMP:20300101T000000Z',
  'RECURRENCE-ID;TZID=China Standard Time:20300325T090000',
  'SUMMARY:产品周会（改到下午）',
  'DTSTART;TZID=China Standard Time:20300325T140000',
  'DTEND;TZID=China Standard Time:20300325T150000',
  'SEQUENCE:3',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:holiday@example.com',
  'DTSTAMP:20300101T000000Z',
  'SUMMARY:清明节',
  'DTSTART;VALUE=DATE:20300405',
  'DTEND;VALUE=DATE:20300406',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:trip@example.com',
  'DTSTAMP:20300101T000000Z',
  'SUMMARY:深圳出差',
  'DTSTART;VALUE=DATE:20300408',
  'DTEND;VALUE=DATE:20300411',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:berlin@example.com',
  'DTSTAMP:20300101T000000Z',
  'SUMMARY:Berlin call',
  'DTSTART;TZID=Europe/Berlin:20300331T100000',
  'DTEND;TZID=Europe/Berlin:20300331T110000',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:too-many@example.com',
  'DTSTAMP:20300101T000000Z',
  'SUMMARY:每分钟',
  'DTSTART:20300304T010000Z',
  'DTEND:20300304T020000Z',
  'RRULE:FREQ=DAILY;COUNT=10000',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

let w: CalendarRelay;
let owner: TestClient;
let viewer: TestClient;
let guest: TestClient;
let calendarId: string;

beforeAll(async () => {
  // The relay lives in March 2030, when these events happen (the feed holds ~90 days back to a year ahead).
  const offset = at('2030-03-01T00:00:00+08:00') - Date.now();
  w = await startCalendarRelay({ publicUrl: 'https://qixin.example.com/relay', now: () => Date.now() + offset });
  owner = await w.person('张三');
  viewer = await w.person('李四');
  guest = await w.person('王五');
  calendarId = await w.primary(owner);
});

afterAll(async () => {
  await w?.close();
});

const importInto = (client: TestClient, id: string, body: string | Buffer) =>
  w.http('POST', `${CalendarHttpPaths.import}?calendarId=${id}`, {
    token: client.grant.token,
    body,
    headers: { 'content-type': 'text/calendar' },
  });

const MARCH = { from: at('2030-03-01T00:00:00+08:00'), to: at('2030-04-15T00:00:00+08:00') };

describe('import', () => {
  it('stores every event of an Outlook file with its UID; a refused rule is reported with its line', async () => {
    const reply = await importInto(owner, calendarId, OUTLOOK);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      imported: 5,
      updated: 0,
      // The line of its BEGIN:VEVENT.
      errors: [
        {
          uid: 'too-many@example.com',
          line: OUTLOOK.split('\r\n').indexOf('UID:too-many@example.com'),
          reason: 'rrule_too_many',
        },
      ],
    });
    await calendarChange(owner, (await owner.request('cal.events', MARCH)).events[0]!.id);
    const { events } = await owner.request('cal.events', MARCH);
    const occurrences = expandOccurrences(events, MARCH.from, MARCH.to).map((o) => ({
      title: events.find((e) => e.id === o.eventId)!.title,
      start: o.start,
      allDay: o.allDay,
    }));
    expect(occurrences).toEqual([
      { title: '产品周会', start: at('2030-03-04T09:00:00+08:00'), allDay: false },
      { title: '产品周会', start: at('2030-03-11T09:00:00+08:00'), allDay: false },
      // 03-18 is an EXDATE; 03-25 moved to the afternoon.
      { title: '产品周会（改到下午）', start: at('2030-03-25T14:00:00+08:00'), allDay: false },
      { title: 'Berlin call', start: at('2030-03-31T10:00:00+02:00'), allDay: false },
      { title: '产品周会', start: at('2030-04-01T09:00:00+08:00'), allDay: false },
      { title: '清明节', start: at('2030-04-05T00:00:00Z'), allDay: true },
      { title: '深圳出差', start: at('2030-04-08T00:00:00Z'), allDay: true },
      { title: '产品周会', start: at('2030-04-08T09:00:00+08:00'), allDay: false },
    ]);
    const series = events.find((e) => e.title === '产品周会')!;
    expect(series).toMatchObject({ reminders: [15], location: '5 楼会议室' });
    expect(series.rrule!.split(';').sort()).toEqual(['BYDAY=MO', 'COUNT=6', 'FREQ=WEEKLY']);
    expect(series.time).toEqual(shanghai('2030-03-04T09:00:00+08:00'));
    expect(events.find((e) => e.title === '深圳出差')!.time).toEqual({
      allDay: true,
      startDate: '2030-04-08',
      endDate: '2030-04-11',
    });
  });

  it('importing again updates by UID instead of adding copies', async () => {
    const changed = OUTLOOK.replace('SUMMARY:清明节', 'SUMMARY:清明节假期');
    const reply = await importInto(owner, calendarId, changed);
    expect(reply.json).toMatchObject({ imported: 0, updated: 5 });
    const { events } = await owner.request('cal.events', MARCH);
    expect(events.map((e) => e.title).sort()).toEqual(
      ['Berlin call', '产品周会', '产品周会（改到下午）', '深圳出差', '清明节假期'].sort(),
    );
  });

  it('refuses a file that is no iCalendar, one too large, and callers without the right; still serving', async () => {
    const malformed = await importInto(owner, calendarId, 'BEGIN:VCARD\r\nFN:张三\r\nEND:VCARD\r\n');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.reason).toBe('ics_invalid');

    const huge = Buffer.alloc(CalendarLimits.icsMaxBytes + 1, 'A');
    const tooLarge = await importInto(owner, calendarId, huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json.error.reason).toBe('ics_too_large');

    const anonymous = await w.http('POST', `${CalendarHttpPaths.import}?calendarId=${calendarId}`, { body: OUTLOOK });
    expect(anonymous.status).toBe(401);
    const foreign = await importInto(guest, calendarId, OUTLOOK);
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.reason).toBe('calendar_not_found');
    await owner.request('cal.updateCalendar', { calendarId, shares: [{ userId: viewer.userId, level: 'view' }] });
    const readOnly = await importInto(viewer, calendarId, OUTLOOK);
    expect(readOnly.status).toBe(403);
    expect(readOnly.json.error.reason).toBe('calendar_forbidden');

    expect((await owner.request('cal.events', MARCH)).events).toHaveLength(5);
  });
});

describe('export', () => {
  it('writes the calendar as text/calendar that parses back to the same events', async () => {
    await w.event(owner, {
      title: '团队午餐',
      location: '食堂',
      time: shanghai('2030-03-06T12:00:00+08:00'),
      attendeeIds: [viewer.userId],
    });
    const reply = await w.http('GET', CalendarHttpPaths.export(calendarId), { token: viewer.grant.token });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(reply.headers['content-disposition']).toContain(encodeURIComponent('我的日历.ics'));
    const back = parseIcs(reply.text);
    expect(back.errors).toEqual([]);
    const { events } = await owner.request('cal.events', MARCH);
    const summary = (list: { title: string; time: unknown; rrule?: string | null; recurrenceId: number | null }[]) =>
      list.map((e) => JSON.stringify([e.title, e.time, e.rrule ?? null, e.recurrenceId])).sort();
    expect(summary(back.events)).toEqual(summary(events));
    expect(back.events.find((e) => e.title === '产品周会')!.exdates).toEqual([at('2030-03-18T09:00:00+08:00')]);
    expect(thirdPartyIcs(reply.text).filter((e) => e.exception)).toHaveLength(1);

    // Exporting someone else's calendar: not found; free/busy level: forbidden.
    expect((await w.http('GET', CalendarHttpPaths.export(calendarId), { token: guest.grant.token })).status).toBe(404);
    await owner.request('cal.updateCalendar', { calendarId, shares: [{ userId: guest.userId, level: 'freebusy' }] });
    const busyOnly = await w.http('GET', CalendarHttpPaths.export(calendarId), { token: guest.grant.token });
    expect(busyOnly.status).toBe(403);
    expect(busyOnly.json.error.reason).toBe('calendar_forbidden');
  });
});

describe('the private feed', () => {
  it('is served without a session at an absolute URL, read by a third-party parser, gone once rotated or revoked', async () => {
    const invite = await w.event(guest, {
      title: '王五的评审会',
      time: shanghai('2030-03-07T10:00:00+08:00'),
      attendeeIds: [owner.userId],
    });
    const { url, createdAt } = await owner.request('cal.feed', { rotate: false });
    expect(url).toMatch(/^https:\/\/qixin\.example\.com\/relay\/api\/calendar\/feed\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(createdAt).toBeGreaterThan(0);
    const path = new URL(url).pathname.replace(/^\/relay/, '');

    const feed = await w.http('GET', path);
    expect(feed.status).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(feed.headers['cache-control']).toBe('private, max-age=300');
    const read = thirdPartyIcs(feed.text);
    expect(read.map((e) => e.summary)).toContain('王五的评审会');
    expect(read.map((e) => e.summary)).toContain('产品周会');
    expect(read.find((e) => e.uid === invite.event.id)).toBeDefined();

    const { url: rotated } = await owner.request('cal.feed', { rotate: true });
    expect((await w.http('GET', path)).status).toBe(404);
    const newPath = new URL(rotated).pathname.replace(/^\/relay/, '');
    expect((await w.http('GET', newPath)).status).toBe(200);
    await owner.request('cal.revokeFeed', {});
    const gone = await w.http('GET', newPath);
    expect(gone.status).toBe(404);
    expect(gone.json.error.reason).toBe('feed_not_found');
    expect((await w.http('GET', CalendarHttpPaths.feed('not-a-token'))).status).toBe(404);
  });
});
