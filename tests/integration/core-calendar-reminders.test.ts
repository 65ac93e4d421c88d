// Reminders fired by desktop cores (the main process, no window needed) for meetings on a real
// relay: on time for the organizer and the attendees, not for one who declined nor for a cancelled
// meeting, again after a snooze, at the new time of a moved meeting, once at the next start when
// they came due while the app was off, and for an occurrence of a recurring series.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, startTestCore, waitFor } from '../support/core';
import {
  meetingDueIn,
  nextReminder,
  remindersOf,
  sleep,
  startCalendarPeople,
  stopCalendarPeople,
  type CalendarPeople,
} from '../support/calendar-people';

const MINUTE = 60_000;
/** How late a reminder may arrive (timer, relay round trips on a busy machine), and how early. */
const LATE_MS = 1_000;
const EARLY_MS = 50;

let p: CalendarPeople;

beforeAll(async () => {
  p = await startCalendarPeople();
});

afterAll(async () => {
  await stopCalendarPeople(p);
  removeTempDirs();
});

function expectOnTime(at: number, fireAt: number) {
  expect(at).toBeGreaterThanOrEqual(fireAt - EARLY_MS);
  expect(at).toBeLessThanOrEqual(fireAt + LATE_MS);
}

describe('calendar reminders in the desktop core', () => {
  it('fire on time for the organizer and an attendee, not for one who declined', async () => {
    const { zhang, li, wang, ids } = p;
    const { event, fireAt } = await meetingDueIn(zhang, 2_000, { attendeeIds: [ids.li, ids.wang] });
    await wang.call('calendar.respond', { eventId: event.id, response: 'declined' });

    const [mine, theirs] = await Promise.all([nextReminder(zhang, event.id), nextReminder(li, event.id)]);
    for (const r of [mine, theirs]) {
      expectOnTime(r.at, fireAt);
      expect(r).toMatchObject({ title: '项目周会', location: '3 楼大会议室', start: fireAt + MINUTE, missed: false });
    }
    expect((await li.call('calendar.reminders', {})).reminders.map((r) => r.id)).toContain(theirs.id);

    await sleep(LATE_MS);
    expect(remindersOf(wang, event.id)).toEqual([]);
    // Each fires once.
    expect(remindersOf(zhang, event.id)).toHaveLength(1);
    expect(remindersOf(li, event.id)).toHaveLength(1);
    await li.call('calendar.dismiss', { reminderId: theirs.id });
    expect((await li.call('calendar.reminders', {})).reminders.map((r) => r.id)).not.toContain(theirs.id);
  });

  it('fires a snoozed reminder again once the snooze is over, and not after it is dismissed', async () => {
    const { zhang, li2, liClock, ids } = p;
    const { event, fireAt } = await meetingDueIn(zhang, 2_000, { attendeeIds: [ids.li] });
    const first = await nextReminder(li2, event.id);
    expectOnTime(first.at, fireAt);

    const snoozing = liClock.now();
    await li2.call('calendar.snooze', { reminderId: first.id, minutes: 1 });
    const snoozed = liClock.now();
    expect((await li2.call('calendar.reminders', {})).reminders.map((r) => r.id)).not.toContain(first.id);
    // 李四's laptop clock jumps 58 s on: the minute's snooze is over 2 s (real) from now.
    liClock.offsetMs += 58_000;
    await li2.call('calendar.reminders', {});
    const again = await nextReminder(li2, event.id, 1);
    expect(again.id).toBe(first.id);
    expect(again.fireAt).toBeGreaterThanOrEqual(snoozing + MINUTE);
    expect(again.fireAt).toBeLessThanOrEqual(snoozed + MINUTE);
    expectOnTime(again.at, again.fireAt - liClock.offsetMs);

    await li2.call('calendar.dismiss', { reminderId: first.id });
    expect((await li2.call('calendar.reminders', {})).reminders.map((r) => r.id)).not.toContain(first.id);
    await expect(li2.call('calendar.snooze', { reminderId: 'no-such-reminder', minutes: 5 })).rejects.toMatchObject({
      code: 'not_found',
    });
    liClock.offsetMs = 0;
    await li2.call('calendar.reminders', {});
  });

  it('reminds of a moved meeting at its new time, not the old one', async () => {
    const { zhang, li, ids } = p;
    const told = li.eventsOf('calendar.changed').length;
    const { event, fireAt } = await meetingDueIn(zhang, 2_500, { attendeeIds: [ids.li] });
    await waitFor(() => li.eventsOf('calendar.changed').length > told, { what: '李四 told of the meeting' });
    const later = fireAt + 2_500;
    if (event.time.allDay) throw new Error('a timed meeting');
    await zhang.call('calendar.update', {
      eventId: event.id,
      patch: { time: { ...event.time, start: later + MINUTE, end: later + 31 * MINUTE } },
    });
    const fired = await nextReminder(li, event.id);
    expectOnTime(fired.at, later);
    expect(fired.start).toBe(later + MINUTE);
    await sleep(LATE_MS);
    expect(remindersOf(li, event.id)).toHaveLength(1);
  });

  it('does not remind of a cancelled meeting', async () => {
    const { zhang, li, ids } = p;
    const { event, fireAt } = await meetingDueIn(zhang, 2_000, { attendeeIds: [ids.li] });
    await zhang.call('calendar.cancel', { eventId: event.id });
    await sleep(fireAt + LATE_MS - Date.now());
    expect(remindersOf(zhang, event.id)).toEqual([]);
    expect(remindersOf(li, event.id)).toEqual([]);
  });

  it('shows a reminder that came due while the app was off at the next start, marked missed, once', async () => {
    const { zhang, ids } = p;
    const { event, fireAt } = await meetingDueIn(zhang, 2_000, { attendeeIds: [ids.wang] });
    const dataDir = p.wang.dataDir;
    await p.wang.close();
    await sleep(fireAt + 200 - Date.now());

    p.wang = await startTestCore(p.relay.url, { dataDir, deviceName: 'wang-pc' });
    const missed = await nextReminder(p.wang, event.id);
    expect(missed).toMatchObject({ missed: true, fireAt, title: '项目周会' });
    expect(remindersOf(zhang, event.id)).toMatchObject([{ missed: false }]);
    await sleep(500);
    expect(remindersOf(p.wang, event.id)).toHaveLength(1);

    // Not again at the start after, though still listed until dismissed.
    await p.wang.close();
    p.wang = await startTestCore(p.relay.url, { dataDir, deviceName: 'wang-pc' });
    await waitFor(() => p.wang.eventsOf('connection').some((c) => c.state === 'online'), { what: 'online again' });
    await sleep(500);
    expect(remindersOf(p.wang, event.id)).toEqual([]);
    expect((await p.wang.call('calendar.reminders', {})).reminders).toMatchObject([{ id: missed.id, missed: true }]);
    await p.wang.call('calendar.dismiss', { reminderId: missed.id });
  });

  it('reminds of an occurrence of a daily series, at the time of its exception when it was moved', async () => {
    const { zhang, li, ids } = p;
    const { event, fireAt } = await meetingDueIn(zhang, 2_500, {
      title: '站会',
      attendeeIds: [ids.li],
      rrule: 'FREQ=DAILY;COUNT=5',
    });
    const later = fireAt + 2_000;
    if (event.time.allDay) throw new Error('a timed meeting');
    await zhang.call('calendar.update', {
      eventId: event.id,
      scope: 'this',
      recurrenceId: event.time.start,
      patch: { time: { ...event.time, start: later + MINUTE, end: later + 16 * MINUTE } },
    });
    const fired = await waitFor(
      () => li.eventsOf('calendar.reminder').find((e) => e.reminder.title === '站会')?.reminder,
      { what: '站会 reminded' },
    );
    const at = li.events.find(
      (e) => e.name === 'calendar.reminder' && (e.payload as { reminder: { id: string } }).reminder.id === fired.id,
    )!.at;
    expectOnTime(at, later);
    expect(fired.start).toBe(later + MINUTE);
    await sleep(LATE_MS);
    expect(li.eventsOf('calendar.reminder').filter((e) => e.reminder.title === '站会')).toHaveLength(1);
  });
});
