// What the views show: calendar events (series, exceptions, single events) expanded into
// occurrences, each with its event, its calendar's color and how it looks.
import type { AttendeeResponse, CalendarEvent, CalendarInfo, Occurrence } from '../../../shared/protocol/calendar';

/** What FullCalendar's `extendedProps` carry for one shown occurrence. */
export type ShownProps = {
  eventId: string;
  seriesId: string | null;
  recurrenceId: number | null;
  /** Original start and end of this occurrence (moves are measured from them). */
  start: number;
  end: number;
  cancelled: boolean;
  declined: boolean;
};

export type ShownOccurrence = {
  id: string;
  title: string;
  start: string | number;
  end: string | number;
  allDay: boolean;
  backgroundColor: string;
  borderColor: string;
  editable: boolean;
  classNames: string[];
  extendedProps: ShownProps;
};

/** The UTC date of an all-day occurrence's millis (midnight UTC of its date). */
export function utcDate(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Millis (midnight UTC) of an all-day date, as occurrences and recurrence ids name them. */
export function utcMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** The start and end of an event's own time (for a series: its first occurrence). */
export function eventSpan(event: CalendarEvent): { start: number; end: number } {
  return event.time.allDay
    ? { start: utcMidnight(event.time.startDate), end: utcMidnight(event.time.endDate) }
    : { start: event.time.start, end: event.time.end };
}

/**
 * An attendee's answer for one occurrence: what they said for that occurrence alone, else for the
 * series (null: not invited).
 */
export function responseFor(
  event: CalendarEvent,
  userId: string,
  recurrenceId: number | null,
): AttendeeResponse | null {
  const attendee = event.attendees.find((a) => a.userId === userId);
  if (!attendee) return null;
  const own =
    recurrenceId === null
      ? undefined
      : event.occurrenceResponses?.find((r) => r.userId === userId && r.recurrenceId === recurrenceId);
  return own?.response ?? attendee.response;
}

/** Whether this user may move, edit or cancel the event (the relay decides; the UI only hides). */
export function canEdit(event: CalendarEvent, meId: string, calendars: ReadonlyMap<string, CalendarInfo>): boolean {
  if (event.busyOnly) return false;
  if (event.organizerId === meId) return true;
  const level = calendars.get(event.calendarId)?.level;
  return level === 'owner' || level === 'edit';
}

/**
 * The occurrences as FullCalendar inputs. Calendars the user hid are left out; invitations from
 * calendars the user does not hold take the color of `fallback` (their primary calendar) and hide
 * with it. Cancelled occurrences stay, struck through; declined ones are drawn faded.
 */
export function toShown(
  occurrences: readonly Occurrence[],
  events: ReadonlyMap<string, CalendarEvent>,
  calendars: ReadonlyMap<string, CalendarInfo>,
  fallback: CalendarInfo | null,
  meId: string,
  busyText: string,
): ShownOccurrence[] {
  const out: ShownOccurrence[] = [];
  for (const o of occurrences) {
    const event = events.get(o.eventId);
    if (!event) continue;
    const calendar = calendars.get(event.calendarId) ?? fallback;
    if (calendar?.hidden) continue;
    const color = calendar?.color ?? '#1677ff';
    const declined = responseFor(event, meId, o.recurrenceId) === 'declined';
    const classNames = ['cal-event'];
    if (event.cancelled) classNames.push('is-cancelled');
    if (declined) classNames.push('is-declined');
    out.push({
      id: `${o.eventId}/${o.recurrenceId ?? o.start}`,
      title: event.busyOnly ? busyText : event.title,
      start: o.allDay ? utcDate(o.start) : o.start,
      end: o.allDay ? utcDate(o.end) : o.end,
      allDay: o.allDay,
      backgroundColor: color,
      borderColor: color,
      editable: !event.cancelled && canEdit(event, meId, calendars),
      classNames,
      extendedProps: {
        eventId: o.eventId,
        seriesId: o.seriesId,
        recurrenceId: o.recurrenceId,
        start: o.start,
        end: o.end,
        cancelled: event.cancelled,
        declined,
      },
    });
  }
  return out;
}
