// The time an event gets when one of its occurrences is dragged or resized in a view.
import type { CalendarEvent, EditScope, EventTime } from '../../../shared/protocol/calendar';
import { addDays, localDate } from './zones';

/** Where FullCalendar dropped the occurrence (local Dates; all-day ends exclusive). */
export type Dropped = { start: Date; end: Date | null; allDay: boolean };

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The dropped occurrence's own time: timed in the event's zone, or whole local days. */
export function droppedTime(event: CalendarEvent, dropped: Dropped): EventTime {
  if (dropped.allDay) {
    const startDate = localDate(dropped.start);
    const endDate = dropped.end ? localDate(dropped.end) : addDays(startDate, 1);
    return { allDay: true, startDate, endDate: endDate > startDate ? endDate : addDays(startDate, 1) };
  }
  const start = dropped.start.getTime();
  const end = dropped.end ? dropped.end.getTime() : start + HOUR;
  const timeZone = event.time.allDay ? Intl.DateTimeFormat().resolvedOptions().timeZone : event.time.timeZone;
  return { allDay: false, start, end, timeZone };
}

/**
 * The patch's time for a move of the occurrence that started at `original` (its start and end):
 * this one, or this and the following, take the dropped time; the whole series shifts its own
 * start and end by as much as the occurrence moved.
 */
export function movedTime(
  event: CalendarEvent,
  original: { start: number; end: number },
  dropped: Dropped,
  scope: EditScope,
): EventTime {
  const time = droppedTime(event, dropped);
  if (scope !== 'all' || !event.rrule) return time;
  if (event.time.allDay && time.allDay) {
    const startShift = Math.round((Date.parse(`${time.startDate}T00:00:00Z`) - original.start) / DAY);
    const endShift = Math.round((Date.parse(`${time.endDate}T00:00:00Z`) - original.end) / DAY);
    return {
      allDay: true,
      startDate: addDays(event.time.startDate, startShift),
      endDate: addDays(event.time.endDate, endShift),
    };
  }
  if (!event.time.allDay && !time.allDay) {
    return {
      allDay: false,
      start: event.time.start + (time.start - original.start),
      end: event.time.end + (time.end - original.end),
      timeZone: event.time.timeZone,
    };
  }
  // A series does not switch between all-day and timed by a drag (the views refuse such drops).
  return event.time;
}

/** Whether an occurrence may be dropped there: recurring ones keep being all-day or timed. */
export function mayDrop(recurring: boolean, wasAllDay: boolean, dropAllDay: boolean): boolean {
  return !recurring || wasAllDay === dropAllDay;
}
