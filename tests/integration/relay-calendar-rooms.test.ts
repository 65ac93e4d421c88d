// Meeting rooms (会议室) on a real relay: super admins manage them (audited); a room is never double
// booked — not by an overlapping meeting, not by two people booking at the same moment, not by a
// weekly meeting one of whose occurrences overlaps — and holds no more people than its capacity.
// Conflict warnings name the attendees who are busy then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingRoom } from '../../shared/protocol';
import { newId } from '../../shared/lib/ids';
import { RequestError, type TestClient } from '../support/relay';
import { at, expectRefused, shanghai, startCalendarRelay, type CalendarRelay } from '../support/calendar';

let w: CalendarRelay;
let alice: TestClient; // 张三
let bob: TestClient; // 李四
let carol: TestClient; // 王五
let small: MeetingRoom; // 3 people
let big: MeetingRoom; // 20 people

beforeAll(async () => {
  w = await startCalendarRelay();
  alice = await w.person('张三');
  bob = await w.person('李四');
  carol = await w.person('王五');
  ({ room: small } = await w.admin.request('cal.saveRoom', {
    name: '小会议室 A',
    capacity: 3,
    location: '3 楼',
    equipment: ['白板'],
  }));
  ({ room: big } = await w.admin.request('cal.saveRoom', {
    name: '大会议室',
    capacity: 20,
    location: '5 楼',
    equipment: ['投影', '视频会议'],
  }));
});

afterAll(async () => {
  await w?.close();
});

describe('managing rooms', () => {
  it('super admins add and change rooms (audited); members only list them', async () => {
    const { rooms } = await bob.request('cal.rooms', {});
    expect(rooms.map((r) => r.name).sort()).toEqual(['大会议室', '小会议室 A'].sort());
    await expectRefused(
      bob.request('cal.saveRoom', { name: '我的会议室', capacity: 4, location: '', equipment: [] }),
      'super_admin_only',
    );
    await expectRefused(bob.request('cal.deleteRoom', { roomId: small.id }), 'super_admin_only');
    const { room } = await w.admin.request('cal.saveRoom', { ...big, equipment: ['投影', '视频会议', '音响'] });
    expect(room.equipment).toEqual(['投影', '视频会议', '音响']);
    const audit = await w.admin.request('admin.audit', { action: 'calendar.room_saved', limit: 10 });
    expect(audit.records.filter((r) => r.targetId === big.id)).toHaveLength(2);
  });
});

describe('booking', () => {
  it('refuses an overlapping booking; the next hour is free', async () => {
    await w.event(alice, { title: '需求评审', time: shanghai('2030-03-04T10:00:00+08:00'), roomId: small.id });
    await expectRefused(
      w.event(bob, { title: '面试', time: shanghai('2030-03-04T10:30:00+08:00'), roomId: small.id }),
      'room_booked',
    );
    await w.event(bob, { title: '面试', time: shanghai('2030-03-04T11:00:00+08:00'), roomId: small.id });
    const { busy } = await carol.request('cal.roomBusy', {
      roomId: small.id,
      from: at('2030-03-04T00:00:00+08:00'),
      to: at('2030-03-05T00:00:00+08:00'),
    });
    expect(busy).toEqual([
      { start: at('2030-03-04T10:00:00+08:00'), end: at('2030-03-04T11:00:00+08:00'), tentative: false },
      { start: at('2030-03-04T11:00:00+08:00'), end: at('2030-03-04T12:00:00+08:00'), tentative: false },
    ]);
  });

  it('two people booking the same room at the same moment: exactly one gets it', async () => {
    for (let round = 0; round < 5; round++) {
      const time = shanghai(`2030-03-1${round}T14:00:00+08:00`);
      const tries = await Promise.allSettled([
        w.event(alice, { title: `抢会议室 ${round} 张`, time, roomId: big.id }),
        w.event(bob, { title: `抢会议室 ${round} 李`, time, roomId: big.id }),
      ]);
      const won = tries.filter((t) => t.status === 'fulfilled');
      const lost = tries.filter((t): t is PromiseRejectedResult => t.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect((lost[0]!.reason as RequestError).error.reason).toBe('room_booked');
    }
  });

  it('a weekly booking is refused when one occurrence overlaps, and a single one overlapping a weekly one', async () => {
    // A one-off booking three weeks ahead.
    await w.event(carol, { title: '客户来访', time: shanghai('2030-04-22T09:30:00+08:00'), roomId: small.id });
    await expectRefused(
      w.event(alice, {
        title: '周会',
        time: shanghai('2030-04-01T09:00:00+08:00'),
        rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=10',
        roomId: small.id,
      }),
      'room_booked',
    );
    // An open weekly booking (no end) on Tuesdays, then a one-off a year later on one of its Tuesdays.
    const weekly = await w.event(alice, {
      title: '周二例会',
      time: shanghai('2030-04-02T09:00:00+08:00'),
      rrule: 'FREQ=WEEKLY;BYDAY=TU',
      roomId: small.id,
    });
    await expectRefused(
      w.event(bob, { title: '培训', time: shanghai('2031-04-01T09:00:00+08:00', 3), roomId: small.id }),
      'room_booked',
    );
    // Cancelling that one occurrence frees the room then.
    await alice.request('cal.cancel', {
      eventId: weekly.event.id,
      scope: 'this',
      recurrenceId: at('2031-04-01T09:00:00+08:00'),
    });
    await w.event(bob, { title: '培训', time: shanghai('2031-04-01T09:00:00+08:00', 3), roomId: small.id });
  });

  it('moving a meeting into a booked time is refused; moving elsewhere is fine', async () => {
    const { event } = await w.event(bob, {
      title: '复盘',
      time: shanghai('2030-03-04T15:00:00+08:00'),
      roomId: small.id,
    });
    await expectRefused(
      bob.request('cal.update', {
        eventId: event.id,
        scope: 'all',
        recurrenceId: null,
        patch: { time: shanghai('2030-03-04T10:15:00+08:00') },
      }),
      'room_booked',
    );
    const { event: moved } = await bob.request('cal.update', {
      eventId: event.id,
      scope: 'all',
      recurrenceId: null,
      patch: { time: shanghai('2030-03-04T16:00:00+08:00') },
    });
    expect(moved.roomId).toBe(small.id);
  });

  it('refuses more people than the room holds', async () => {
    const dave = await w.person('赵六');
    await expectRefused(
      w.event(alice, {
        title: '全员会',
        time: shanghai('2030-03-05T10:00:00+08:00'),
        roomId: small.id,
        attendeeIds: [bob.userId, carol.userId, dave.userId],
      }),
      'room_too_small',
    );
    const fits = await w.event(alice, {
      title: '小组会',
      time: shanghai('2030-03-05T10:00:00+08:00'),
      roomId: small.id,
      attendeeIds: [bob.userId, carol.userId],
    });
    await expectRefused(
      alice.request('cal.update', {
        eventId: fits.event.id,
        scope: 'all',
        recurrenceId: null,
        patch: { attendeeIds: [bob.userId, carol.userId, dave.userId] },
      }),
      'room_too_small',
    );
  });

  it('a removed room takes no new bookings', async () => {
    const { room } = await w.admin.request('cal.saveRoom', {
      name: '临时会议室',
      capacity: 5,
      location: '',
      equipment: [],
    });
    await w.admin.request('cal.deleteRoom', { roomId: room.id });
    expect((await bob.request('cal.rooms', {})).rooms.some((r) => r.id === room.id)).toBe(false);
    await expectRefused(
      w.event(bob, { title: '会', time: shanghai('2030-03-06T10:00:00+08:00'), roomId: room.id }),
      'room_not_found',
    );
    const audit = await w.admin.request('admin.audit', { action: 'calendar.room_deleted', limit: 10 });
    expect(audit.records.map((r) => r.targetId)).toContain(room.id);
    // Still serving others.
    expect((await carol.request('cal.rooms', {})).rooms.length).toBe(2);
  });
});

describe('conflict warnings', () => {
  it('name the attendees busy then (accepted, tentative or not yet answered), not those who declined', async () => {
    const erin = await w.person('钱七');
    const frank = await w.person('孙八');
    const busy = await w.event(erin, { title: '出差', time: shanghai('2030-08-01T09:00:00+08:00', 8) });
    const declined = await w.event(carol, {
      title: '不去的会',
      time: shanghai('2030-08-01T14:00:00+08:00'),
      attendeeIds: [frank.userId],
    });
    await frank.request('cal.respond', { eventId: declined.event.id, response: 'declined', recurrenceId: null });
    const { conflicts, event } = await w.event(alice, {
      title: '项目启动会',
      time: shanghai('2030-08-01T13:30:00+08:00', 2),
      attendeeIds: [erin.userId, frank.userId],
    });
    expect(conflicts).toEqual([
      { userId: erin.userId, start: at('2030-08-01T09:00:00+08:00'), end: at('2030-08-01T17:00:00+08:00') },
    ]);
    expect(event.id).toBeDefined();
    // A weekly meeting: each overlapping occurrence of the attendee's busy times.
    const weekly = await w.event(alice, {
      id: newId(),
      title: '周会',
      time: shanghai('2030-07-25T16:00:00+08:00'),
      rrule: 'FREQ=WEEKLY;COUNT=3',
      attendeeIds: [erin.userId],
    });
    expect(weekly.conflicts.map((c) => c.start)).toEqual([at('2030-08-01T09:00:00+08:00')]);
    expect(busy.conflicts).toEqual([]);
  });
});
