// .ics files through desktop cores and the relay's HTTP: a calendar exported by one member (a
// single meeting, an all-day event, a weekly series with a moved occurrence) is read by a
// third-party iCalendar parser and imported by another into their own calendar, with the same
// events; a malformed file, one over 10 MB and someone else's calendar are refused clearly.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandOccurrences } from '../../shared/calendar';
import { newId } from '../../shared/lib/ids';
import type { CalendarEvent } from '../../shared/protocol';
import { removeTempDirs, tempDir } from '../support/core';
import { icalendarSummaries } from '../support/python-icalendar';
import {
  primaryCalendarId,
  startCalendarPeople,
  stopCalendarPeople,
  type CalendarPeople,
} from '../support/calendar-people';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let p: CalendarPeople;
let zhangCalendar: string;
let liCalendar: string;
/** Monday 2026-11-30 10:00 in Shanghai. */
const monday = Date.UTC(2026, 10, 30, 2, 0);

beforeAll(async () => {
  p = await startCalendarPeople();
  zhangCalendar = await primaryCalendarId(p.zhang);
  liCalendar = await primaryCalendarId(p.li);
  const create = (fields: Record<string, unknown>) =>
    p.zhang.call('calendar.create', { id: newId(), calendarId: zhangCalendar, ...fields } as never);
  await create({
    title: '客户拜访：华东区',
    location: '上海市浦东新区',
    description: '带上合同样本',
    time: { allDay: false, start: monday, end: monday + 2 * HOUR, timeZone: 'Asia/Shanghai' },
  });
  await create({ title: '团建 🎉', time: { allDay: true, startDate: '2026-12-04', endDate: '2026-12-06' } });
  const { event } = await create({
    title: '周例会',
    time: { allDay: false, start: monday + 5 * HOUR, end: monday + 6 * HOUR, timeZone: 'Asia/Shanghai' },
    rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4',
  });
  // The second Monday's meeting moves an hour later.
  const second = monday + 5 * HOUR + 7 * DAY;
  await p.zhang.call('calendar.update', {
    eventId: event.id,
    scope: 'this',
    recurrenceId: second,
    patch: { time: { allDay: false, start: second + HOUR, end: second + 2 * HOUR, timeZone: 'Asia/Shanghai' } },
  });
});

afterAll(async () => {
  await stopCalendarPeople(p);
  removeTempDirs();
});

/** What a person sees of a calendar: titles with their occurrences' times, as the views expand them. */
async function seen(calendarId: string, who = p.li) {
  const { events } = await who.call('calendar.events', {
    from: monday - DAY,
    to: monday + 30 * DAY,
    calendarIds: [calendarId],
  });
  const byId = new Map(events.map((e: CalendarEvent) => [e.id, e]));
  return expandOccurrences(events, monday - DAY, monday + 30 * DAY)
    .map(
      (o) =>
        `${byId.get(o.eventId)!.title} ${o.allDay ? 'all-day' : ''} ${new Date(o.start).toISOString()}–${new Date(o.end).toISOString()}`,
    )
    .sort();
}

describe('.ics through the desktop core', () => {
  it('exports a calendar that a third-party parser reads, and imports it into another person’s calendar', async () => {
    const file = await p.zhang.call('calendar.export', { calendarId: zhangCalendar });
    expect(file.fileName).toMatch(/\.ics$/);
    const text = Buffer.from(file.base64, 'base64').toString('utf8');
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text).toContain('RRULE:FREQ=WEEKLY');
    expect(text).toContain('RECURRENCE-ID');

    const saved = path.join(tempDir('qixin-ics-'), file.fileName);
    fs.writeFileSync(saved, Buffer.from(file.base64, 'base64'));
    expect(icalendarSummaries(saved).sort()).toEqual(['周例会', '周例会', '团建 🎉', '客户拜访：华东区'].sort());

    const report = await p.li.call('calendar.import', {
      calendarId: liCalendar,
      fileName: file.fileName,
      base64: file.base64,
    });
    expect(report.errors).toEqual([]);
    expect(report.imported + report.updated).toBeGreaterThanOrEqual(3);
    const theirs = await seen(zhangCalendar, p.zhang);
    expect(theirs).toHaveLength(6);
    expect(await seen(liCalendar)).toEqual(theirs);

    // The same file again updates what it imported, and adds nothing.
    const again = await p.li.call('calendar.import', {
      calendarId: liCalendar,
      fileName: file.fileName,
      base64: file.base64,
    });
    expect(again.imported).toBe(0);
    expect(await seen(liCalendar)).toEqual(theirs);
  });

  it('refuses a file that is no iCalendar, one over 10 MB and someone else’s calendar; reports a broken event', async () => {
    const notCalendar = Buffer.from('这不是日历文件\r\n').toString('base64');
    await expect(
      p.li.call('calendar.import', { calendarId: liCalendar, fileName: 'notes.ics', base64: notCalendar }),
    ).rejects.toMatchObject({ code: 'invalid', reason: 'ics_invalid' });

    // One broken event is reported with its line; the rest imports.
    const partly = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Example Corp.//Test//EN',
      'BEGIN:VEVENT',
      'UID:good-1@example.com',
      'DTSTAMP:20261120T000000Z',
      'DTSTART:20261210T020000Z',
      'DTEND:20261210T030000Z',
      'SUMMARY:年终总结',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:broken-1@example.com',
      'DTSTAMP:20261120T000000Z',
      'DTSTART:not-a-time',
      'SUMMARY:坏的日程',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const report = await p.li.call('calendar.import', {
      calendarId: liCalendar,
      fileName: 'partly.ics',
      base64: Buffer.from(partly).toString('base64'),
    });
    expect(report.imported).toBe(1);
    expect(report.errors).toMatchObject([{ uid: 'broken-1@example.com', line: 11, reason: 'ics_invalid' }]);
    expect((await seen(liCalendar)).some((line) => line.startsWith('年终总结'))).toBe(true);

    const huge = Buffer.alloc(10 * 1024 * 1024 + 1, 0x41).toString('base64');
    await expect(
      p.li.call('calendar.import', { calendarId: liCalendar, fileName: 'huge.ics', base64: huge }),
    ).rejects.toMatchObject({ code: 'too_large', reason: 'ics_too_large' });

    const file = await p.li.call('calendar.export', { calendarId: liCalendar });
    const refused = p.li.call('calendar.import', { calendarId: zhangCalendar, fileName: 'x.ics', base64: file.base64 });
    await expect(refused).rejects.toMatchObject({ reason: expect.stringMatching(/^calendar_(not_found|forbidden)$/) });
    await expect(p.wang.call('calendar.export', { calendarId: zhangCalendar })).rejects.toMatchObject({
      reason: expect.stringMatching(/^calendar_(not_found|forbidden)$/),
    });
    // The relay keeps serving.
    expect((await p.li.call('calendar.calendars', {})).calendars.length).toBeGreaterThan(0);
  });
});
