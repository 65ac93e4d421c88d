// 日程 invitations on a real relay, several people connected at once: an organizer invites a member
// and a department (a sub-department's member included); each attendee gets the calendar change and
// a notice in their direct chat with the organizer; one accepts, one declines and the organizer sees
// both; a move reaches everyone with the new time; a cancel marks the event and tells everyone.
// Shares (free/busy, view, edit), free/busy of colleagues, and bad input, each with its reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/lib/ids';
import type { TestClient } from '../support/relay';
import {
  at,
  calendarChange,
  expectRefused,
  HOUR,
  shanghai,
  startCalendarRelay,
  systemNotice,
  type CalendarRelay,
} from '../support/calendar';

let w: CalendarRelay;
let organizer: TestClient; // 张三
let invitee: TestClient; // 李四, invited by name
let deptMember: TestClient; // 王五, in 市场部
let subDeptMember: TestClient; // 赵六, in 市场部/华东组
let outsider: TestClient; // 孙八, not invited
let market: string;

beforeAll(async () => {
  w = await startCalendarRelay();
  market = await w.department('市场部');
  const east = await w.department('华东组', market);
  organizer = await w.person('张三');
  invitee = await w.person('李四');
  deptMember = await w.person('王五', [market]);
  subDeptMember = await w.person('赵六', [east]);
  outsider = await w.person('孙八');
});

afterAll(async () => {
  await w?.close();
});

describe('an invitation', () => {
  let eventId: string;

  it('reaches a member and a department, sub-departments included, with a chat notice each', async () => {
    const { event } = await w.event(organizer, {
      title: '季度评审会',
      location: '3 楼大会议室',
      time: shanghai('2030-03-04T10:00:00+08:00', 2),
      attendeeIds: [invitee.userId],
      departmentIds: [market],
      reminders: [15],
    });
    eventId = event.id;
    expect(event.organizerId).toBe(organizer.userId);
    expect(event.sequence).toBe(0);
    const byUser = new Map(event.attendees.map((a) => [a.userId, a]));
    expect([...byUser.keys()].sort()).toEqual([invitee.userId, deptMember.userId, subDeptMember.userId].sort());
    expect(byUser.get(invitee.userId)!.viaDepartmentId).toBeNull();
    expect(byUser.get(deptMember.userId)!.viaDepartmentId).toBe(market);
    expect(byUser.get(subDeptMember.userId)!.viaDepartmentId).toBe(market);
    expect(event.attendees.every((a) => a.response === 'needs_action')).toBe(true);

    for (const attendee of [invitee, deptMember, subDeptMember]) {
      await calendarChange(attendee, eventId);
      const notice = await systemNotice(attendee, 'eventInvited', eventId);
      expect(notice.senderId).toBe(organizer.userId);
      expect(notice.system!.name).toBe('季度评审会');
      expect(notice.system!.targetIds).toEqual([attendee.userId]);
      expect(notice.system!.event).toEqual({ eventId, start: at('2030-03-04T10:00:00+08:00'), allDay: false });
      // The notice is in the direct chat of the two, made for it.
      const chat = await attendee.request('msg.range', {
        conversationId: notice.conversationId,
        afterSeq: 0,
        limit: 10,
      });
      expect(chat.messages.map((m) => m.id)).toContain(notice.id);
      const snapshot = await attendee.request('sync.snapshot', {});
      const conversation = snapshot.conversations.find((c) => c.id === notice.conversationId)!;
      expect(conversation.type).toBe('direct');
      expect(conversation.memberIds.sort()).toEqual([organizer.userId, attendee.userId].sort());
    }
    await calendarChange(organizer, eventId);
    // Someone not invited neither sees it nor gets a word of it.
    expect(outsider.events('change').some((c) => c.change.kind === 'calendar')).toBe(false);
    await expectRefused(outsider.request('cal.get', { eventId }), 'event_not_found');
  });

  it('shows in the attendees’ calendars with each answer; the organizer sees who accepted and who declined', async () => {
    const range = { from: at('2030-03-04T00:00:00+08:00'), to: at('2030-03-05T00:00:00+08:00') };
    const seen = await invitee.request('cal.events', range);
    expect(seen.events.map((e) => e.title)).toEqual(['季度评审会']);

    const accepted = await invitee.request('cal.respond', { eventId, response: 'accepted', recurrenceId: null });
    expect(accepted.event.attendees.find((a) => a.userId === invitee.userId)!.response).toBe('accepted');
    await deptMember.request('cal.respond', { eventId, response: 'declined', recurrenceId: null });
    await calendarChange(organizer, eventId);

    const { event } = await organizer.request('cal.get', { eventId });
    const answers = Object.fromEntries(event.attendees.map((a) => [a.userId, a.response]));
    expect(answers).toEqual({
      [invitee.userId]: 'accepted',
      [deptMember.userId]: 'declined',
      [subDeptMember.userId]: 'needs_action',
    });
    // Only an invited person answers.
    await expectRefused(
      organizer.request('cal.respond', { eventId, response: 'accepted', recurrenceId: null }),
      'not_attendee',
    );
    await expectRefused(
      outsider.request('cal.respond', { eventId, response: 'accepted', recurrenceId: null }),
      'event_not_found',
    );
  });

  it('moved by the organizer, reaches every attendee with the new time and a notice', async () => {
    for (const c of [invitee, deptMember, subDeptMember]) c.frames.length = 0;
    const moved = shanghai('2030-03-05T14:00:00+08:00', 2);
    const { event } = await organizer.request('cal.update', {
      eventId,
      scope: 'all',
      recurrenceId: null,
      patch: { time: moved },
    });
    expect(event.sequence).toBe(1);
    for (const attendee of [invitee, deptMember, subDeptMember]) {
      await calendarChange(attendee, eventId);
      const notice = await systemNotice(attendee, 'eventChanged', eventId);
      expect(notice.system!.event!.start).toBe(at('2030-03-05T14:00:00+08:00'));
      const { event: seen } = await attendee.request('cal.get', { eventId });
      expect(seen.time).toEqual(moved);
    }
    // Answers stay across a move.
    expect(event.attendees.find((a) => a.userId === invitee.userId)!.response).toBe('accepted');
    // Only the organizer (or an editor of the calendar) changes it.
    await expectRefused(
      invitee.request('cal.update', { eventId, scope: 'all', recurrenceId: null, patch: { title: '改名' } }),
      'not_organizer',
    );
    await expectRefused(invitee.request('cal.cancel', { eventId, scope: 'all', recurrenceId: null }), 'not_organizer');
  });

  it('cancelled, stays marked for everyone (not removed), each attendee told in the chat', async () => {
    for (const c of [invitee, deptMember, subDeptMember]) c.frames.length = 0;
    await organizer.request('cal.cancel', { eventId, scope: 'all', recurrenceId: null });
    for (const attendee of [invitee, deptMember, subDeptMember]) {
      await calendarChange(attendee, eventId);
      await systemNotice(attendee, 'eventCancelled', eventId);
      const { events } = await attendee.request('cal.events', {
        from: at('2030-03-05T00:00:00+08:00'),
        to: at('2030-03-06T00:00:00+08:00'),
      });
      expect(events.map((e) => [e.id, e.cancelled])).toEqual([[eventId, true]]);
    }
  });

  it('adding and removing attendees invites the new and tells the removed', async () => {
    const { event } = await w.event(organizer, {
      title: '周会',
      time: shanghai('2030-04-01T09:00:00+08:00'),
      attendeeIds: [invitee.userId],
    });
    await systemNotice(invitee, 'eventInvited', event.id);
    await organizer.request('cal.update', {
      eventId: event.id,
      scope: 'all',
      recurrenceId: null,
      patch: { attendeeIds: [outsider.userId] },
    });
    await systemNotice(outsider, 'eventInvited', event.id);
    await systemNotice(invitee, 'eventCancelled', event.id);
    await expectRefused(invitee.request('cal.get', { eventId: event.id }), 'event_not_found');
  });
});

describe('shares', () => {
  let owner: TestClient;
  let busyViewer: TestClient;
  let reader: TestClient;
  let editor: TestClient;
  let calendarId: string;
  let eventId: string;

  beforeAll(async () => {
    owner = await w.person('钱七');
    busyViewer = await w.person('周九');
    reader = await w.person('吴十');
    editor = await w.person('郑十一');
    ({
      calendar: { id: calendarId },
    } = await owner.request('cal.createCalendar', { name: '项目日历', color: '#13c2c2' }));
    ({
      event: { id: eventId },
    } = await w.event(owner, {
      calendarId,
      title: '保密项目讨论',
      location: '老板办公室',
      time: shanghai('2030-05-06T15:00:00+08:00'),
    }));
    await owner.request('cal.updateCalendar', {
      calendarId,
      shares: [
        { userId: busyViewer.userId, level: 'freebusy' },
        { userId: reader.userId, level: 'view' },
        { userId: editor.userId, level: 'edit' },
      ],
    });
  });

  const day = { from: at('2030-05-06T00:00:00+08:00'), to: at('2030-05-07T00:00:00+08:00') };

  it('free/busy level sees only that the owner is busy, never what', async () => {
    const { calendars } = await busyViewer.request('cal.calendars', {});
    expect(calendars.find((c) => c.id === calendarId)).toMatchObject({ level: 'freebusy', name: '项目日历' });
    const { events } = await busyViewer.request('cal.events', { ...day, calendarIds: [calendarId] });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ busyOnly: true, title: '', location: '', attendees: [] });
    expect(events[0]!.time).toEqual(shanghai('2030-05-06T15:00:00+08:00'));
    await expectRefused(
      busyViewer.request('cal.update', { eventId, scope: 'all', recurrenceId: null, patch: { title: 'x' } }),
      'not_organizer',
    );
    await expectRefused(
      w.event(busyViewer, { calendarId, title: '插一个', time: shanghai('2030-05-06T17:00:00+08:00') }),
      'calendar_forbidden',
    );
  });

  it('view level sees titles and places but may not write', async () => {
    const { events } = await reader.request('cal.events', { ...day, calendarIds: [calendarId] });
    expect(events.map((e) => [e.title, e.location, e.busyOnly])).toEqual([['保密项目讨论', '老板办公室', false]]);
    await expectRefused(
      w.event(reader, { calendarId, title: '插一个', time: shanghai('2030-05-06T17:00:00+08:00') }),
      'calendar_forbidden',
    );
    await expectRefused(reader.request('cal.updateCalendar', { calendarId, name: '我的了' }), 'calendar_forbidden');
  });

  it('edit level changes the owner’s events and adds new ones; the owner sees them', async () => {
    await editor.request('cal.update', {
      eventId,
      scope: 'all',
      recurrenceId: null,
      patch: { location: '2 楼小会议室' },
    });
    const added = await w.event(editor, { calendarId, title: '编辑加的', time: shanghai('2030-05-06T17:00:00+08:00') });
    expect(added.event.organizerId).toBe(editor.userId);
    await calendarChange(owner, added.event.id);
    const { events } = await owner.request('cal.events', day);
    expect(events.map((e) => [e.title, e.location])).toEqual([
      ['保密项目讨论', '2 楼小会议室'],
      ['编辑加的', ''],
    ]);
  });

  it('each viewer keeps their own color and hidden flag', async () => {
    await reader.request('cal.updateCalendar', { calendarId, color: '#fa541c', hidden: true });
    const mine = (await reader.request('cal.calendars', {})).calendars.find((c) => c.id === calendarId)!;
    expect(mine).toMatchObject({ color: '#fa541c', hidden: true, shares: [] });
    const owners = (await owner.request('cal.calendars', {})).calendars.find((c) => c.id === calendarId)!;
    expect(owners).toMatchObject({ color: '#13c2c2', hidden: false, level: 'owner' });
    expect(owners.shares).toHaveLength(3);
  });

  it('someone else’s calendar id is not found; deleting a calendar removes its events, never the primary', async () => {
    await expectRefused(
      w.event(outsider, { calendarId, title: '闯入', time: shanghai('2030-05-06T19:00:00+08:00') }),
      'calendar_not_found',
    );
    await expectRefused(outsider.request('cal.events', { ...day, calendarIds: [calendarId] }), 'calendar_not_found');
    await expectRefused(
      owner.request('cal.deleteCalendar', { calendarId: await w.primary(owner) }),
      'primary_calendar',
    );
    await expectRefused(editor.request('cal.deleteCalendar', { calendarId }), 'calendar_forbidden');
    await owner.request('cal.deleteCalendar', { calendarId });
    await expectRefused(owner.request('cal.get', { eventId }), 'event_not_found');
    expect((await reader.request('cal.calendars', {})).calendars.some((c) => c.id === calendarId)).toBe(false);
    const audit = await w.admin.request('admin.audit', { limit: 50 });
    const shared = audit.records.filter((r) => r.action === 'calendar.shares_changed' && r.targetId === calendarId);
    expect(shared).toHaveLength(1);
  });
});

describe('free/busy of colleagues', () => {
  it('gives times only (tentative marked), leaves out declined and cancelled, and people one may not see', async () => {
    const a = await w.person('甲');
    const b = await w.person('乙');
    const hiddenDept = await w.department('保密部');
    await w.admin.request('admin.dept.update', { id: hiddenDept, hidden: true });
    const secret = await w.person('丙', [hiddenDept]);
    await w.event(a, { title: '面试候选人', time: shanghai('2030-06-03T09:00:00+08:00') });
    const tentative = await w.event(a, {
      title: '供应商来访',
      time: shanghai('2030-06-03T11:00:00+08:00'),
      attendeeIds: [b.userId],
    });
    await b.request('cal.respond', { eventId: tentative.event.id, response: 'tentative', recurrenceId: null });
    const declined = await w.event(a, {
      title: '午餐会',
      time: shanghai('2030-06-03T12:00:00+08:00'),
      attendeeIds: [b.userId],
    });
    await b.request('cal.respond', { eventId: declined.event.id, response: 'declined', recurrenceId: null });
    const cancelled = await w.event(a, { title: '取消的', time: shanghai('2030-06-03T15:00:00+08:00') });
    await a.request('cal.cancel', { eventId: cancelled.event.id, scope: 'all', recurrenceId: null });
    await w.event(secret, { title: '密', time: shanghai('2030-06-03T09:00:00+08:00') });

    const { busy } = await organizer.request('cal.freeBusy', {
      from: at('2030-06-03T00:00:00+08:00'),
      to: at('2030-06-04T00:00:00+08:00'),
      userIds: [a.userId, b.userId, secret.userId],
    });
    expect(Object.keys(busy).sort()).toEqual([a.userId, b.userId].sort());
    expect(busy[a.userId]).toEqual([
      { start: at('2030-06-03T09:00:00+08:00'), end: at('2030-06-03T10:00:00+08:00'), tentative: false },
      { start: at('2030-06-03T11:00:00+08:00'), end: at('2030-06-03T12:00:00+08:00'), tentative: false },
      { start: at('2030-06-03T12:00:00+08:00'), end: at('2030-06-03T13:00:00+08:00'), tentative: false },
    ]);
    expect(busy[b.userId]).toEqual([
      { start: at('2030-06-03T11:00:00+08:00'), end: at('2030-06-03T12:00:00+08:00'), tentative: true },
    ]);
    expect(JSON.stringify(busy)).not.toContain('面试');
  });
});

describe('bad input', () => {
  it('refuses each with its reason, and the relay keeps serving', async () => {
    const base = { title: '坏的', time: shanghai('2030-07-01T09:00:00+08:00') };
    const t = at('2030-07-01T09:00:00+08:00');
    await expectRefused(
      w.event(organizer, { ...base, time: { allDay: false, start: t, end: t - HOUR, timeZone: 'Asia/Shanghai' } }),
      'end_before_start',
    );
    await expectRefused(
      w.event(organizer, { ...base, time: { allDay: true, startDate: '2030-07-02', endDate: '2030-07-01' } }),
      'end_before_start',
    );
    await expectRefused(
      w.event(organizer, { ...base, time: { allDay: false, start: t, end: t + HOUR, timeZone: 'Mars/Olympus_Mons' } }),
      'time_zone_unknown',
    );
    // Not a rule of the four frequencies the protocol knows.
    await expect(w.event(organizer, { ...base, rrule: 'FREQ=HOURLY' })).rejects.toThrow(/^invalid: .*RRULE/);
    await expectRefused(
      w.event(organizer, { ...base, rrule: 'FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11' }),
      'rrule_too_many',
    );
    await expectRefused(w.event(organizer, { ...base, rrule: 'FREQ=DAILY;COUNT=10000' }), 'rrule_too_many');
    await expectRefused(w.event(organizer, { ...base, rrule: 'FREQ=WEEKLY;BYDAY=XX' }), 'rrule_invalid');
    await expectRefused(organizer.request('cal.get', { eventId: newId() }), 'event_not_found');
    await expect(
      organizer.request('cal.events', { from: at('2030-01-01T00:00:00Z'), to: at('2032-01-01T00:00:00Z') }),
    ).rejects.toThrow(/at most 400 days/);
    // Still serving, this client and others.
    const ok = await w.event(organizer, base);
    expect(ok.event.title).toBe('坏的');
    expect((await invitee.request('cal.calendars', {})).calendars.length).toBeGreaterThan(0);
  });
});
