import { describe, expect, it } from 'vitest';
import type { CalendarEvent, CalendarInfo, Occurrence } from '../../../shared/protocol/calendar';
import { canEdit, responseFor, toShown } from './occurrences';

const ID = (n: number) => `0190${String(n).padStart(4, '0')}-0000-7000-8000-000000000000`;
const ME = ID(90);

const calendar = (id: string, over: Partial<CalendarInfo> = {}): CalendarInfo => ({
  id,
  ownerId: ME,
  name: '我的日历',
  color: '#13c2c2',
  hidden: false,
  level: 'owner',
  primary: true,
  shares: [],
  ...over,
});

const event = (id: string, over: Partial<CalendarEvent> = {}): CalendarEvent => ({
  id,
  calendarId: ID(1),
  organizerId: ME,
  title: `日程 ${id.slice(0, 8)}`,
  location: '',
  description: '',
  time: { allDay: false, start: 0, end: 3_600_000, timeZone: 'Asia/Shanghai' },
  rrule: null,
  exdates: [],
  seriesId: null,
  recurrenceId: null,
  attendees: [],
  roomId: null,
  reminders: [],
  cancelled: false,
  sequence: 0,
  updatedAt: 0,
  busyOnly: false,
  ...over,
});

const occurrence = (eventId: string, over: Partial<Occurrence> = {}): Occurrence => ({
  eventId,
  seriesId: null,
  recurrenceId: null,
  start: 0,
  end: 3_600_000,
  allDay: false,
  ...over,
});

describe('what the views show', () => {
  const mine = calendar(ID(1));
  const shared = calendar(ID(2), { ownerId: ID(91), level: 'view', primary: false, color: '#722ed1' });
  const hidden = calendar(ID(3), { hidden: true, primary: false });
  const calendars = new Map([mine, shared, hidden].map((c) => [c.id, c]));

  it('colors by calendar, keeps cancelled ones (marked), fades declined ones, leaves hidden calendars out', () => {
    const events = new Map(
      [
        event(ID(10)),
        event(ID(11), { cancelled: true }),
        event(ID(12), { calendarId: ID(2), organizerId: ID(91) }),
        event(ID(13), { calendarId: ID(3) }),
        // An invitation from a calendar this user does not hold: their primary calendar's color.
        event(ID(14), {
          calendarId: ID(50),
          organizerId: ID(91),
          attendees: [{ userId: ME, response: 'declined', viaDepartmentId: null }],
        }),
        event(ID(15), { calendarId: ID(2), organizerId: ID(91), busyOnly: true, title: '' }),
      ].map((e) => [e.id, e]),
    );
    const shown = toShown(
      [...events.keys()].map((id) => occurrence(id)),
      events,
      calendars,
      mine,
      ME,
      '忙碌',
    );
    const byEvent = new Map(shown.map((s) => [s.extendedProps.eventId, s]));
    expect(byEvent.has(ID(13))).toBe(false);
    expect(byEvent.get(ID(10))).toMatchObject({ backgroundColor: '#13c2c2', editable: true });
    expect(byEvent.get(ID(11))).toMatchObject({ editable: false, classNames: ['cal-event', 'is-cancelled'] });
    expect(byEvent.get(ID(12))).toMatchObject({ backgroundColor: '#722ed1', editable: false });
    expect(byEvent.get(ID(14))).toMatchObject({ backgroundColor: '#13c2c2', classNames: ['cal-event', 'is-declined'] });
    expect(byEvent.get(ID(15))?.title).toBe('忙碌');
  });

  it('shows all-day occurrences by their dates', () => {
    const e = event(ID(20), { time: { allDay: true, startDate: '2026-11-25', endDate: '2026-11-27' } });
    const [shown] = toShown(
      [occurrence(e.id, { allDay: true, start: Date.UTC(2026, 10, 25), end: Date.UTC(2026, 10, 27) })],
      new Map([[e.id, e]]),
      calendars,
      mine,
      ME,
      '忙碌',
    );
    expect(shown).toMatchObject({ start: '2026-11-25', end: '2026-11-27', allDay: true });
  });

  it('reads an answer for one occurrence over the series-wide one', () => {
    const e = event(ID(30), {
      rrule: 'FREQ=DAILY',
      attendees: [{ userId: ME, response: 'accepted', viaDepartmentId: null }],
      occurrenceResponses: [{ userId: ME, recurrenceId: 86_400_000, response: 'declined' }],
    });
    expect(responseFor(e, ME, null)).toBe('accepted');
    expect(responseFor(e, ME, 0)).toBe('accepted');
    expect(responseFor(e, ME, 86_400_000)).toBe('declined');
    expect(responseFor(e, ID(91), null)).toBeNull();
  });

  it('lets the organizer and editors of the calendar change an event', () => {
    const other = event(ID(40), { organizerId: ID(91), calendarId: ID(2) });
    expect(canEdit(other, ME, calendars)).toBe(false);
    expect(canEdit(other, ME, new Map([[ID(2), { ...shared, level: 'edit' as const }]]))).toBe(true);
    expect(canEdit(event(ID(41)), ME, calendars)).toBe(true);
  });
});
