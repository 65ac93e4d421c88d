// The `cal.*` requests (日程), spread into the gateway's handler table.
import type { Handlers } from './handlers';

type CalendarType = Extract<keyof Handlers, `cal.${string}`>;

export const calendarHandlers: { [T in CalendarType]: Handlers[T] } = {
  'cal.calendars': (d, s) => d.calendar.calendars(s.userId),
  'cal.createCalendar': (d, s, p) => d.calendar.createCalendar(s.userId, p.name, p.color),
  'cal.updateCalendar': (d, s, p) => d.calendar.updateCalendar(s.userId, p),
  'cal.deleteCalendar': (d, s, p) => d.calendar.deleteCalendar(s.userId, p.calendarId),
  'cal.events': (d, s, p) => d.calendar.events(s.userId, p),
  'cal.get': (d, s, p) => d.calendar.get(s.userId, p.eventId),
  'cal.create': (d, s, p) => d.calendar.create(s.userId, p),
  'cal.update': (d, s, p) => d.calendar.update(s.userId, p),
  'cal.cancel': (d, s, p) => d.calendar.cancel(s.userId, p.eventId, p.scope, p.recurrenceId),
  'cal.respond': (d, s, p) => d.calendar.respond(s.userId, p.eventId, p.response, p.recurrenceId),
  'cal.freeBusy': (d, s, p) => d.calendar.freeBusy(s.userId, p),
  'cal.rooms': (d) => d.calendar.rooms.list(),
  'cal.saveRoom': (d, s, p) => d.calendar.saveRoom(s.userId, p),
  'cal.deleteRoom': (d, s, p) => d.calendar.rooms.remove(s.userId, p.roomId),
  'cal.roomBusy': (d, _s, p) => d.calendar.roomBusy(p),
  'cal.feed': (d, s, p) => d.calendar.feed(s.userId, p.rotate),
  'cal.revokeFeed': (d, s) => d.calendar.feeds.revoke(s.userId),
};
