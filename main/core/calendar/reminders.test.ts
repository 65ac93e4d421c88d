// The reminder scheduler against a real cache file and the shared expander, with a clock the test
// moves: what fires when, once, what a restart shows as missed, snooze and dismiss, declined,
// cancelled and moved occurrences, recurring series and all-day events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expandOccurrences } from '../../../shared/calendar';
import type { Reminder } from '../../../shared/contract';
import { newId } from '../../../shared/lib/ids';
import type { CalendarEvent, CalendarInfo, RequestType } from '../../../shared/protocol';
import { openLocalCache, type LocalCache } from '../cache/local-cache';
import { localMidnight, planReminders } from './reminder-plan';
import { CalendarReminders } from './reminders';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const self = newId();
const other = newId();
const mine = newId();
const theirs = newId();
/** 2026-11-25 09:00 in Shanghai. */
const T0 = Date.UTC(2026, 10, 25, 1, 0);

const dirs: string[] = [];
const open: CalendarReminders[] = [];
afterEach(() => {
  open.splice(0).forEach((r) => r.stop());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function event(fields: Partial<CalendarEvent> & { start?: number; minutes?: number }): CalendarEvent {
  const { start = T0 + HOUR, minutes = 30, ...rest } = fields;
  return {
    id: newId(),
    calendarId: mine,
    organizerId: self,
    title: '周会',
    location: '3 楼会议室',
    description: '',
    time: { allDay: false, start, end: start + minutes * MINUTE, timeZone: 'Asia/Shanghai' },
    rrule: null,
    exdates: [],
    seriesId: null,
    recurrenceId: null,
    attendees: [],
    roomId: null,
    reminders: [15],
    cancelled: false,
    sequence: 0,
    updatedAt: 1,
    busyOnly: false,
    ...rest,
  };
}

/** A scheduler over a cache file, "online" with a relay that holds `events`. */
function scheduler(state: { now: number; events: CalendarEvent[]; dir?: string }) {
  const dir = state.dir ?? mkdtempSync(join(tmpdir(), 'qixin-reminders-'));
  if (!state.dir) dirs.push(dir);
  const cache: LocalCache = openLocalCache({ path: join(dir, 'cache.db') });
  const fired: Reminder[] = [];
  const calendars: CalendarInfo[] = [
    {
      id: mine,
      ownerId: self,
      name: '我的日历',
      color: '#1677ff',
      hidden: false,
      level: 'owner',
      primary: true,
      shares: [],
    },
  ];
  const reminders = new CalendarReminders({
    cache,
    expand: expandOccurrences,
    now: () => state.now,
    selfId: () => self,
    online: () => true,
    ask: async (type: RequestType) => (type === 'cal.calendars' ? { calendars } : { events: state.events }) as never,
    fire: (r) => fired.push(r),
  });
  open.push(reminders);
  reminders.start();
  return {
    dir,
    fired,
    reminders,
    async refresh() {
      await reminders.refresh();
    },
    close() {
      reminders.stop();
      cache.close();
    },
  };
}

describe('planReminders', () => {
  it('plans each lead of each occurrence of the caller’s events, not declined, cancelled or others’', () => {
    const weekly = event({ rrule: 'FREQ=DAILY;COUNT=3', reminders: [15, 60] });
    const declined = event({
      organizerId: other,
      calendarId: theirs,
      attendees: [{ userId: self, response: 'declined', viaDepartmentId: null }],
    });
    const cancelled = event({ cancelled: true });
    const notMine = event({ organizerId: other, calendarId: theirs });
    const busy = event({ busyOnly: true });
    const plan = planReminders({
      events: [weekly, declined, cancelled, notMine, busy],
      selfId: self,
      ownCalendarIds: new Set([mine]),
      from: T0,
      to: T0 + 3 * 24 * HOUR,
      expand: expandOccurrences,
    });
    expect(plan.map((p) => [p.eventId, p.fireAt])).toEqual([
      [weekly.id, T0],
      [weekly.id, T0 + 45 * MINUTE],
      [weekly.id, T0 + 24 * HOUR],
      [weekly.id, T0 + 24 * HOUR + 45 * MINUTE],
      [weekly.id, T0 + 48 * HOUR],
      [weekly.id, T0 + 48 * HOUR + 45 * MINUTE],
    ]);
  });

  it('honours an answer for one occurrence, and counts all-day reminders from the local day’s start', () => {
    const series = event({
      organizerId: other,
      calendarId: theirs,
      rrule: 'FREQ=DAILY;COUNT=2',
      attendees: [{ userId: self, response: 'accepted', viaDepartmentId: null }],
      occurrenceResponses: [{ userId: self, recurrenceId: T0 + HOUR, response: 'declined' }],
    });
    const allDay = event({
      time: { allDay: true, startDate: '2026-11-26', endDate: '2026-11-27' },
      reminders: [0, 24 * 60],
    });
    const plan = planReminders({
      events: [series, allDay],
      selfId: self,
      ownCalendarIds: new Set([mine]),
      from: T0,
      to: T0 + 3 * 24 * HOUR,
      expand: expandOccurrences,
    });
    const dayStart = localMidnight(Date.UTC(2026, 10, 26));
    expect(dayStart).toBe(new Date(2026, 10, 26).getTime());
    expect(plan.filter((p) => p.eventId === series.id).map((p) => p.start)).toEqual([T0 + 25 * HOUR]);
    expect(plan.filter((p) => p.eventId === allDay.id).map((p) => p.fireAt)).toEqual([dayStart - 24 * HOUR, dayStart]);
  });
});

describe('CalendarReminders', () => {
  it('fires a reminder once when due, keeps it until dismissed, and fires a snooze again', async () => {
    const state = { now: T0, events: [event({})] };
    const s = scheduler(state);
    await s.refresh();
    expect(s.fired).toEqual([]);
    state.now = T0 + 45 * MINUTE;
    expect(s.reminders.shown()).toMatchObject([{ title: '周会', fireAt: T0 + 45 * MINUTE, missed: false }]);
    expect(s.fired).toHaveLength(1);
    s.reminders.shown();
    expect(s.fired).toHaveLength(1);

    const id = s.fired[0]!.id;
    s.reminders.snooze(id, 5);
    expect(s.reminders.shown()).toEqual([]);
    state.now += 5 * MINUTE;
    expect(s.reminders.shown()).toMatchObject([{ id, fireAt: T0 + 50 * MINUTE }]);
    expect(s.fired).toHaveLength(2);
    s.reminders.dismiss(id);
    expect(s.reminders.shown()).toEqual([]);
    expect(() => s.reminders.dismiss('nope')).toThrow(/no such reminder/);
  });

  it('shows what came due while the app was off once, marked missed; a snooze outlives a restart', async () => {
    const state = { now: T0, events: [event({}), event({ title: '评审', start: T0 + 2 * HOUR })] };
    const first = scheduler(state);
    await first.refresh();
    first.close();

    state.now = T0 + HOUR + 5 * MINUTE;
    const second = scheduler({ ...state, dir: first.dir });
    second.reminders.shown();
    expect(second.fired).toMatchObject([{ title: '周会', missed: true }]);
    second.reminders.snooze(second.fired[0]!.id, 10);
    second.close();

    state.now = T0 + HOUR + 20 * MINUTE;
    const third = scheduler({ ...state, dir: first.dir });
    expect(third.reminders.shown()).toMatchObject([{ title: '周会', fireAt: T0 + HOUR + 15 * MINUTE }]);
    expect(third.fired).toHaveLength(1);
    third.close();
  });

  it('moves, declines and cancellations reschedule or drop what is planned', async () => {
    const meeting = event({});
    const state = { now: T0, events: [meeting] };
    const s = scheduler(state);
    await s.refresh();
    state.events = [
      { ...meeting, time: { ...meeting.time, start: T0 + 2 * HOUR, end: T0 + 3 * HOUR } as CalendarEvent['time'] },
    ];
    await s.refresh();
    state.now = T0 + 50 * MINUTE;
    expect(s.reminders.shown()).toEqual([]);
    state.now = T0 + 105 * MINUTE;
    expect(s.reminders.shown()).toMatchObject([{ start: T0 + 2 * HOUR }]);

    // Cancelled after it fired: it leaves the list.
    state.events = [{ ...state.events[0]!, cancelled: true }];
    await s.refresh();
    expect(s.reminders.shown()).toEqual([]);
  });

  it('reminds at once of an event made after its reminder time, the latest lead only', async () => {
    const state = { now: T0, events: [] as CalendarEvent[] };
    const s = scheduler(state);
    await s.refresh();
    state.events = [event({ start: T0 + 10 * MINUTE, reminders: [15, 60] })];
    await s.refresh();
    expect(s.fired).toMatchObject([{ fireAt: T0 - 5 * MINUTE, missed: false }]);
    await s.refresh();
    expect(s.fired).toHaveLength(1);
  });
});
