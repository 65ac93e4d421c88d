import { describe, expect, it } from 'vitest';
import type { CalendarEvent } from '../../../shared/protocol/calendar';
import { editValues, fieldsOf, newValues, untilDate, untilValue } from './formValues';
import { movedTime } from './moves';

const ID = (n: number) => `0190${String(n).padStart(4, '0')}-0000-7000-8000-000000000000`;

const event = (over: Partial<CalendarEvent>): CalendarEvent => ({
  id: ID(1),
  calendarId: ID(2),
  organizerId: ID(3),
  title: '产品周会',
  location: '3 楼',
  description: '',
  time: { allDay: false, start: Date.UTC(2026, 10, 23, 1), end: Date.UTC(2026, 10, 23, 2), timeZone: 'Asia/Shanghai' },
  rrule: null,
  exdates: [],
  seriesId: null,
  recurrenceId: null,
  attendees: [],
  roomId: null,
  reminders: [15],
  cancelled: false,
  sequence: 0,
  updatedAt: 0,
  busyOnly: false,
  ...over,
});

describe('event form values', () => {
  it('prefills a dragged range in the chosen zone and gives back the same instants', () => {
    const start = Date.UTC(2026, 10, 25, 2); // 10:00 in Shanghai
    const v = newValues({ start, end: start + 3_600_000, allDay: false }, ID(2), 'Asia/Shanghai');
    expect(v).toMatchObject({ startDate: '2026-11-25', startTime: '10:00', endDate: '2026-11-25', endTime: '11:00' });
    const fields = fieldsOf({ ...v, title: ' 评审 ' }, null);
    expect(fields).toMatchObject({
      title: '评审',
      time: { allDay: false, start, end: start + 3_600_000, timeZone: 'Asia/Shanghai' },
      rrule: null,
      reminders: [15],
    });
    expect(fieldsOf({ ...v, reminder: -1 }, null).reminders).toEqual([]);
  });

  it("shows an event's attachments as chips and sends back their ids (none for a new event or an older one)", () => {
    const attachments = [
      { nodeId: ID(7), name: '议程.pdf', size: 2048, mime: 'application/pdf' },
      { nodeId: ID(8), name: '预算.xlsx', size: 4096, mime: 'application/vnd.ms-excel' },
    ];
    const occurrence = { eventId: ID(1), seriesId: null, recurrenceId: null, start: 0, end: 3_600_000 };
    const v = editValues(event({ attachments }), null, occurrence, 'Asia/Shanghai');
    expect(v.attachments).toEqual(attachments);
    expect(fieldsOf(v, null).attachmentIds).toEqual([ID(7), ID(8)]);
    expect(editValues(event({}), null, occurrence, 'Asia/Shanghai').attachments).toEqual([]);
    expect(fieldsOf(newValues({ start: 0, end: 3_600_000, allDay: false }, ID(2), 'UTC'), null).attachmentIds).toEqual(
      [],
    );
  });

  it('shows an all-day range with its last day and stores the day after (exclusive end)', () => {
    const v = newValues(
      { start: new Date(2026, 10, 25).getTime(), end: new Date(2026, 10, 27).getTime(), allDay: true },
      ID(2),
      'Asia/Shanghai',
    );
    expect(v).toMatchObject({ allDay: true, startDate: '2026-11-25', endDate: '2026-11-26' });
    expect(fieldsOf(v, null).time).toEqual({ allDay: true, startDate: '2026-11-25', endDate: '2026-11-27' });
  });

  it('opens an occurrence of a weekly series with its rule, zone and attendees', () => {
    const series = event({
      rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231T155959Z',
      attendees: [
        { userId: ID(3), response: 'accepted', viaDepartmentId: null },
        { userId: ID(4), response: 'needs_action', viaDepartmentId: null },
        { userId: ID(5), response: 'accepted', viaDepartmentId: ID(9) },
      ],
    });
    const occurrence = {
      eventId: series.id,
      seriesId: series.id,
      recurrenceId: Date.UTC(2026, 10, 30, 1),
      start: Date.UTC(2026, 10, 30, 1),
      end: Date.UTC(2026, 10, 30, 2),
    };
    const v = editValues(series, series, occurrence, 'Europe/Berlin');
    expect(v).toMatchObject({
      startDate: '2026-11-30',
      startTime: '09:00',
      timeZone: 'Asia/Shanghai',
      repeat: 'weekly',
      byDay: ['MO'],
      endType: 'until',
      untilDate: '2026-12-31',
      attendeeIds: [ID(4)],
      departmentIds: [ID(9)],
    });
    // The rule comes back as it was (UNTIL at the end of that day in Shanghai).
    expect(fieldsOf(v, null).rrule).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231T155959Z');
  });

  it('writes and reads UNTIL for timed and all-day rules', () => {
    expect(untilValue('2026-12-31', false, 'Asia/Shanghai')).toBe('20261231T155959Z');
    expect(untilValue('2026-12-31', true, 'Asia/Shanghai')).toBe('20261231');
    expect(untilDate('20261231T155959Z', 'Asia/Shanghai')).toBe('2026-12-31');
    expect(untilDate('20261231', 'Asia/Shanghai')).toBe('2026-12-31');
  });
});

describe('moving an occurrence', () => {
  const series = event({ rrule: 'FREQ=DAILY;COUNT=5' });
  const original = { start: Date.UTC(2026, 10, 25, 1), end: Date.UTC(2026, 10, 25, 2) };
  const dropped = {
    start: new Date(Date.UTC(2026, 10, 25, 6)),
    end: new Date(Date.UTC(2026, 10, 25, 7, 30)),
    allDay: false,
  };

  it('gives this one (or this and the following) the dropped time in the event zone', () => {
    expect(movedTime(series, original, dropped, 'this')).toEqual({
      allDay: false,
      start: Date.UTC(2026, 10, 25, 6),
      end: Date.UTC(2026, 10, 25, 7, 30),
      timeZone: 'Asia/Shanghai',
    });
  });

  it('shifts the whole series by as much as the occurrence moved', () => {
    expect(movedTime(series, original, dropped, 'all')).toEqual({
      allDay: false,
      start: Date.UTC(2026, 10, 23, 6),
      end: Date.UTC(2026, 10, 23, 7, 30),
      timeZone: 'Asia/Shanghai',
    });
    const allDay = event({
      rrule: 'FREQ=WEEKLY',
      time: { allDay: true, startDate: '2026-11-02', endDate: '2026-11-03' },
    });
    const moved = movedTime(
      allDay,
      { start: Date.UTC(2026, 10, 23), end: Date.UTC(2026, 10, 24) },
      { start: new Date(2026, 10, 25), end: new Date(2026, 10, 26), allDay: true },
      'all',
    );
    expect(moved).toEqual({ allDay: true, startDate: '2026-11-04', endDate: '2026-11-05' });
  });
});
