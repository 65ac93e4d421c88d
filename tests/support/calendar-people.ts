// The people of the calendar core tests: 张三 (admin, organizer), 李四 on two devices (the second
// with a clock the test can move forward) and 王五, each on a real desktop core against one real
// relay, plus helpers to plan a meeting whose reminder comes due a few seconds from now.
import type { CallArgs, EventPayload, Reminder } from '../../shared/contract';
import { newId } from '../../shared/lib/ids';
import type { CalendarEvent } from '../../shared/protocol';
import { online, startTestCore, waitFor, type TestCore } from './core';
import { startRelayForCores, type RelayForCores } from './core-relay';

const MINUTE = 60_000;

export type MovableClock = { now(): number; offsetMs: number };

export type CalendarPeople = {
  relay: RelayForCores;
  zhang: TestCore;
  li: TestCore;
  /** 李四's second device, whose clock runs `liClock.offsetMs` ahead. */
  li2: TestCore;
  liClock: MovableClock;
  wang: TestCore;
  ids: { zhang: string; li: string; wang: string };
};

export function movableClock(): MovableClock {
  const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };
  return clock;
}

export async function startCalendarPeople(): Promise<CalendarPeople> {
  const relay = await startRelayForCores();
  const zhang = await startTestCore(relay.url, { deviceName: 'zhang-pc' });
  const admin = await zhang.call('session.createEnterprise', {
    enterpriseName: '企信科技',
    adminName: '张三',
    account: 'zhangsan',
    password: 'password-zhang',
  });
  const add = async (name: string, account: string) =>
    (await zhang.call('directory.addMember', { name, account, password: `password-${account}` })).user.id;
  const ids = { zhang: admin.user!.id, li: await add('李四', 'lisi'), wang: await add('王五', 'wangwu') };
  const liClock = movableClock();
  const li = await startTestCore(relay.url, { deviceName: 'li-pc' });
  const li2 = await startTestCore(relay.url, { deviceName: 'li-laptop', now: liClock.now });
  const wang = await startTestCore(relay.url, { deviceName: 'wang-pc' });
  await li.call('session.signIn', { login: 'lisi', password: 'password-lisi' });
  await li2.call('session.signIn', { login: 'lisi', password: 'password-lisi' });
  await wang.call('session.signIn', { login: 'wangwu', password: 'password-wangwu' });
  await Promise.all([zhang, li, li2, wang].map(online));
  return { relay, zhang, li, li2, liClock, wang, ids };
}

export async function stopCalendarPeople(p: CalendarPeople | undefined): Promise<void> {
  if (!p) return;
  await Promise.all([p.zhang, p.li, p.li2, p.wang].map((c) => c.close()));
  await p.relay.close();
}

export async function primaryCalendarId(core: TestCore): Promise<string> {
  const { calendars } = await core.call('calendar.calendars', {});
  return calendars.find((c) => c.primary && c.level === 'owner')!.id;
}

/**
 * A meeting of `organizer` whose 1-minute reminder comes due `dueInMs` from now (it starts a
 * minute later), in Asia/Shanghai, 30 minutes long.
 */
export async function meetingDueIn(
  organizer: TestCore,
  dueInMs: number,
  fields: Partial<CallArgs<'calendar.create'>> = {},
): Promise<{ event: CalendarEvent; fireAt: number }> {
  const start = Date.now() + dueInMs + MINUTE;
  const { event } = await organizer.call('calendar.create', {
    id: newId(),
    calendarId: await primaryCalendarId(organizer),
    title: '项目周会',
    location: '3 楼大会议室',
    time: { allDay: false, start, end: start + 30 * MINUTE, timeZone: 'Asia/Shanghai' },
    reminders: [1],
    ...fields,
  });
  return { event, fireAt: start - MINUTE };
}

export type FiredReminder = Reminder & { at: number };

/** The reminders `core` emitted for one event, each with when it arrived (real time). */
export function remindersOf(core: TestCore, eventId: string): FiredReminder[] {
  return core.events
    .filter((e) => e.name === 'calendar.reminder')
    .map((e) => ({ ...(e.payload as EventPayload<'calendar.reminder'>).reminder, at: e.at }))
    .filter((r) => r.eventId === eventId);
}

/** Waits for `core`'s next reminder of the event (past the `count` already seen). */
export function nextReminder(core: TestCore, eventId: string, count = 0, timeoutMs = 15_000): Promise<FiredReminder> {
  return waitFor(() => remindersOf(core, eventId)[count], { what: `reminder ${count + 1} of ${eventId}`, timeoutMs });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
