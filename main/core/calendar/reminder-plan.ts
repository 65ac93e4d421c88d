// Which reminders the caller's events hold in a range of days: every occurrence (expanded by the
// shared expander) of an event that is theirs, neither cancelled nor declined, once per lead.
import type { Reminder } from '../../../shared/contract';
import type { CalendarEvent, Occurrence } from '../../../shared/protocol';

const MINUTE = 60_000;

/** The shared expander's shape (shared/calendar): occurrences of series, exceptions and single events in [from, to). */
export type Expand = (events: CalendarEvent[], from: number, to: number) => Occurrence[];

/** A reminder as planned: not fired yet, so not missed either. */
export type PlannedReminder = Omit<Reminder, 'missed'>;

export type PlanInput = {
  events: CalendarEvent[];
  selfId: string;
  /** The caller's own calendars: their events remind even where the caller is not an attendee. */
  ownCalendarIds: ReadonlySet<string>;
  from: number;
  to: number;
  expand: Expand;
};

/** One id per reminder of one occurrence: a moved occurrence gets new ids (and reminds at its new time). */
export function reminderId(eventId: string, start: number, leadMinutes: number): string {
  return `${eventId}:${start}:${leadMinutes}`;
}

export function planReminders(input: PlanInput): PlannedReminder[] {
  const byId = new Map(input.events.map((e) => [e.id, e]));
  const planned: PlannedReminder[] = [];
  // Every event goes to the expander, cancelled ones too: a cancelled exception must still hide
  // the series' occurrence it replaces.
  for (const occurrence of input.expand(input.events, input.from, input.to)) {
    const event = byId.get(occurrence.eventId);
    if (!event || !remindsSelf(event, occurrence, input)) continue;
    const base = occurrence.allDay ? localMidnight(occurrence.start) : occurrence.start;
    for (const lead of new Set(event.reminders)) {
      planned.push({
        id: reminderId(event.id, occurrence.start, lead),
        eventId: event.id,
        title: event.title,
        location: event.location,
        start: occurrence.start,
        end: occurrence.end,
        allDay: occurrence.allDay,
        fireAt: base - lead * MINUTE,
      });
    }
  }
  return planned.sort((a, b) => a.fireAt - b.fireAt || a.id.localeCompare(b.id));
}

function remindsSelf(event: CalendarEvent, occurrence: Occurrence, input: PlanInput): boolean {
  if (event.cancelled || event.busyOnly) return false;
  const self = event.attendees.find((a) => a.userId === input.selfId);
  const mine = event.organizerId === input.selfId || self !== undefined || input.ownCalendarIds.has(event.calendarId);
  if (!mine) return false;
  const answer =
    (occurrence.recurrenceId !== null &&
      event.occurrenceResponses?.find((r) => r.userId === input.selfId && r.recurrenceId === occurrence.recurrenceId)
        ?.response) ||
    self?.response;
  return answer !== 'declined';
}

/**
 * All-day occurrences start at midnight UTC of their date (as the protocol writes them); their
 * reminders count from the start of that day here, in the computer's zone.
 */
export function localMidnight(utcMidnight: number): number {
  const day = new Date(utcMidnight);
  return new Date(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()).getTime();
}
