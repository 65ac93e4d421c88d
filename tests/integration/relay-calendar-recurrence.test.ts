// A weekly meeting on a real relay, changed the ways people change recurring meetings: one
// occurrence (`this`), this and the following ones (`following`: the series ends and a new one
// starts), all of them (`all`: exceptions survive and keep their own changes); cancelling one
// occurrence marks it for the attendees; answers for one occurrence; and what the attendee's client
// expands from cal.events matches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandOccurrences } from '../../shared/calendar';
import type { CalendarEvent } from '../../shared/protocol';
import type { TestClient } from '../support/relay';
import {
  at,
  calendarChange,
  DAY,
  expectRefused,
  HOUR,
  shanghai,
  startCalendarRelay,
  systemNotice,
  type CalendarRelay,
} from '../support/calendar';

let w: CalendarRelay;
let organizer: TestClient;
let attendee: TestClient;
const WEEK = 7 * DAY;
// Mondays 09:00 Shanghai, ten weeks from 2030-03-04.
const FIRST = at('2030-03-04T09:00:00+08:00');
const nth = (n: number) => FIRST + (n - 1) * WEEK;
const RANGE = { from: at('2030-03-01T00:00:00+08:00'), to: at('2030-06-01T00:00:00+08:00') };

beforeAll(async () => {
  w = await startCalendarRelay();
  organizer = await w.person('张三');
  attendee = await w.person('李四');
});

afterAll(async () => {
  await w?.close();
});

/** What the attendee's calendar shows: occurrences with the event each comes from. */
async function occurrences(client: TestClient) {
  const { events } = await client.request('cal.events', RANGE);
  const byId = new Map(events.map((e) => [e.id, e]));
  return {
    events,
    list: expandOccurrences(events, RANGE.from, RANGE.to).map((o) => ({ ...o, event: byId.get(o.eventId)! })),
  };
}

async function weekly(title: string, rrule = 'FREQ=WEEKLY;BYDAY=MO;COUNT=10'): Promise<CalendarEvent> {
  const { event } = await w.event(organizer, {
    title,
    time: shanghai('2030-03-04T09:00:00+08:00'),
    rrule,
    attendeeIds: [attendee.userId],
  });
  return event;
}

describe('a weekly meeting', () => {
  let series: CalendarEvent;

  beforeAll(async () => {
    series = await weekly('周例会');
  });

  it('`this` moves one occurrence: an exception of the series, the others stay', async () => {
    const { event: exception } = await organizer.request('cal.update', {
      eventId: series.id,
      scope: 'this',
      recurrenceId: nth(3),
      patch: { time: shanghai('2030-03-19T15:00:00+08:00') },
    });
    expect(exception.seriesId).toBe(series.id);
    expect(exception.recurrenceId).toBe(nth(3));
    expect(exception.id).not.toBe(series.id);
    await systemNotice(attendee, 'eventChanged', exception.id);
    const { list } = await occurrences(attendee);
    expect(list).toHaveLength(10);
    expect(list[2]).toMatchObject({ eventId: exception.id, start: at('2030-03-19T15:00:00+08:00') });
    expect(list[3]!.start).toBe(nth(4));
    // A time that is no occurrence of the series is refused.
    await expectRefused(
      organizer.request('cal.update', {
        eventId: series.id,
        scope: 'this',
        recurrenceId: nth(3) + HOUR,
        patch: { title: '不存在' },
      }),
      'event_not_found',
    );
  });

  it('`this` renames another; cancelling one marks it (attendees see it cancelled, not gone)', async () => {
    await organizer.request('cal.update', {
      eventId: series.id,
      scope: 'this',
      recurrenceId: nth(5),
      patch: { title: '周例会（季度总结）' },
    });
    await organizer.request('cal.cancel', { eventId: series.id, scope: 'this', recurrenceId: nth(2) });
    const { list } = await occurrences(attendee);
    expect(list).toHaveLength(10);
    expect(list[1]!.event).toMatchObject({ cancelled: true, seriesId: series.id, recurrenceId: nth(2) });
    await systemNotice(attendee, 'eventCancelled', list[1]!.eventId);
    expect(list[4]!.event.title).toBe('周例会（季度总结）');
    expect(list.filter((o) => o.event.cancelled)).toHaveLength(1);
  });

  it('an answer for one occurrence stays with it; the organizer sees it', async () => {
    const { event } = await attendee.request('cal.respond', {
      eventId: series.id,
      response: 'declined',
      recurrenceId: nth(6),
    });
    expect(event.occurrenceResponses).toEqual([
      { userId: attendee.userId, recurrenceId: nth(6), response: 'declined' },
    ]);
    await attendee.request('cal.respond', { eventId: series.id, response: 'accepted', recurrenceId: null });
    const { event: seen } = await organizer.request('cal.get', { eventId: series.id });
    expect(seen.attendees[0]).toMatchObject({ userId: attendee.userId, response: 'accepted' });
    // The series-wide answer replaced the single one.
    expect(seen.occurrenceResponses).toBeUndefined();
    await attendee.request('cal.respond', { eventId: series.id, response: 'declined', recurrenceId: nth(6) });
    const { busy } = await organizer.request('cal.freeBusy', {
      from: nth(6) - DAY,
      to: nth(7) + DAY,
      userIds: [attendee.userId],
    });
    expect(busy[attendee.userId]!.map((b) => b.start)).toEqual([nth(7)]);
  });

  it('`all` moves the series an hour later: exceptions survive with their own changes', async () => {
    attendee.frames.length = 0;
    const { event } = await organizer.request('cal.update', {
      eventId: series.id,
      scope: 'all',
      recurrenceId: null,
      patch: { title: '周例会（新）', time: shanghai('2030-03-04T10:00:00+08:00') },
    });
    expect(event.sequence).toBeGreaterThan(series.sequence);
    await calendarChange(attendee, series.id);
    const { list } = await occurrences(attendee);
    expect(list).toHaveLength(10);
    const later = (n: number) => nth(n) + HOUR;
    // The moved one keeps its own time, takes the new title, and names its new slot.
    expect(list[2]!.start).toBe(at('2030-03-19T15:00:00+08:00'));
    expect(list[2]!.event).toMatchObject({ title: '周例会（新）', recurrenceId: later(3) });
    // The renamed one keeps its title and follows the new time.
    expect(list[4]).toMatchObject({ start: later(5) });
    expect(list[4]!.event.title).toBe('周例会（季度总结）');
    // The cancelled one stays cancelled.
    expect(list[1]!.event.cancelled).toBe(true);
    expect(list[1]!.start).toBe(later(2));
    // Plain ones moved, with the new title.
    expect(list[0]).toMatchObject({ start: later(1), eventId: series.id });
    expect(list[0]!.event.title).toBe('周例会（新）');
    // The single answer follows its occurrence.
    expect(list[5]!.event.occurrenceResponses).toEqual([
      { userId: attendee.userId, recurrenceId: later(6), response: 'declined' },
    ]);
  });

  it('`following` ends the series and starts a new one there, taking the later exceptions along', async () => {
    const later = (n: number) => nth(n) + HOUR;
    await organizer.request('cal.update', {
      eventId: series.id,
      scope: 'this',
      recurrenceId: later(9),
      patch: { location: '线上' },
    });
    const { event: rest } = await organizer.request('cal.update', {
      eventId: series.id,
      scope: 'following',
      recurrenceId: later(7),
      patch: { location: '5 楼会议室' },
    });
    expect(rest.id).not.toBe(series.id);
    expect(rest.seriesId).toBeNull();
    expect(rest.rrule).toBe('FREQ=WEEKLY;BYDAY=MO;COUNT=4');
    expect(rest.time).toEqual(shanghai('2030-04-15T10:00:00+08:00'));
    const { events, list } = await occurrences(attendee);
    const head = events.find((e) => e.id === series.id)!;
    expect(head.rrule).toBe('FREQ=WEEKLY;BYDAY=MO;COUNT=6');
    expect(list).toHaveLength(10);
    expect(list.slice(0, 6).every((o) => o.seriesId === series.id)).toBe(true);
    expect(list.slice(6).every((o) => o.seriesId === rest.id)).toBe(true);
    expect(list.slice(6).map((o) => o.event.location)).toEqual(['5 楼会议室', '5 楼会议室', '线上', '5 楼会议室']);
    expect(list[5]!.event.location).toBe('');
    await systemNotice(attendee, 'eventChanged', rest.id);
  });

  it('`all` with a new rule drops the exceptions whose occurrence is gone', async () => {
    const other = await weekly('双周会', 'FREQ=WEEKLY;BYDAY=MO;COUNT=6');
    const { event: second } = await organizer.request('cal.update', {
      eventId: other.id,
      scope: 'this',
      recurrenceId: nth(2),
      patch: { title: '第二次' },
    });
    const { event: third } = await organizer.request('cal.update', {
      eventId: other.id,
      scope: 'this',
      recurrenceId: nth(3),
      patch: { title: '第三次' },
    });
    await organizer.request('cal.update', {
      eventId: other.id,
      scope: 'all',
      recurrenceId: null,
      patch: { rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=3' },
    });
    await expectRefused(organizer.request('cal.get', { eventId: second.id }), 'event_not_found');
    const { event: kept } = await organizer.request('cal.get', { eventId: third.id });
    expect(kept).toMatchObject({ title: '第三次', recurrenceId: nth(3) });
  });

  it('`following` on an all-day series ends it the day before', async () => {
    const { event: days } = await w.event(organizer, {
      title: '封闭培训',
      time: { allDay: true, startDate: '2030-05-06', endDate: '2030-05-07' },
      rrule: 'FREQ=DAILY;UNTIL=20300510',
      attendeeIds: [attendee.userId],
    });
    const { event: rest } = await organizer.request('cal.update', {
      eventId: days.id,
      scope: 'following',
      recurrenceId: at('2030-05-08T00:00:00Z'),
      patch: { title: '封闭培训（下半程）' },
    });
    expect(rest.time).toEqual({ allDay: true, startDate: '2030-05-08', endDate: '2030-05-09' });
    const from = at('2030-05-01T00:00:00Z');
    const to = at('2030-05-20T00:00:00Z');
    const { events } = await attendee.request('cal.events', { from, to });
    const mine = events.filter((e) => e.title.startsWith('封闭培训'));
    expect(mine.find((e) => e.id === days.id)!.rrule).toBe('FREQ=DAILY;UNTIL=20300507');
    const list = expandOccurrences(mine, from, to).map((o) => [
      new Date(o.start).toISOString().slice(0, 10),
      mine.find((e) => e.id === o.eventId)!.title,
    ]);
    expect(list).toEqual([
      ['2030-05-06', '封闭培训'],
      ['2030-05-07', '封闭培训'],
      ['2030-05-08', '封闭培训（下半程）'],
      ['2030-05-09', '封闭培训（下半程）'],
      ['2030-05-10', '封闭培训（下半程）'],
    ]);
  });

  it('cancelling `following` keeps the earlier ones and marks the rest', async () => {
    const daily = await weekly('晨会', 'FREQ=DAILY;COUNT=5');
    await organizer.request('cal.cancel', { eventId: daily.id, scope: 'following', recurrenceId: FIRST + 3 * DAY });
    const { events } = await attendee.request('cal.events', { from: FIRST - DAY, to: FIRST + 6 * DAY });
    const mine = events.filter((e) => e.title === '晨会');
    const list = expandOccurrences(mine, FIRST - DAY, FIRST + 6 * DAY).map(
      (o) => mine.find((e) => e.id === o.eventId)!.cancelled,
    );
    expect(list).toEqual([false, false, false, true, true]);
  });
});
