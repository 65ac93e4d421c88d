// What iCalendar import gives and export takes, beside the protocol's CalendarEvent.
import type { AttendeeResponse, EventTime } from '../protocol/calendar';
import type { ErrorReason } from '../protocol/errors';

/** A person named by ORGANIZER or ATTENDEE: a mailto: address, or one of ours (urn:uuid:). */
export interface IcsPerson {
  email: string | null;
  userId: string | null;
  name: string | null;
}

/** One VEVENT of an imported file, in the protocol's terms. */
export interface ImportedEvent {
  uid: string;
  /** Line of its BEGIN:VEVENT in the file (1-based). */
  line: number;
  /**
   * Set on an exception (a VEVENT with RECURRENCE-ID, or one RDATE of the series): the original
   * start it replaces (UTC millis; all-day: midnight UTC of the date). The series has the same uid
   * and null here.
   */
  recurrenceId: number | null;
  title: string;
  location: string;
  description: string;
  time: EventTime;
  /** RRULE value, FREQ first, UNTIL in UTC for timed events and a date for all-day ones. */
  rrule: string | null;
  exdates: number[];
  cancelled: boolean;
  /** Minutes before the start, from VALARM TRIGGERs relative to the start. */
  reminders: number[];
  sequence: number;
  organizer: IcsPerson | null;
  attendees: (IcsPerson & { response: AttendeeResponse })[];
}

/** A refused component (the rest of the file is imported). */
export interface IcsError {
  uid: string | null;
  line: number | null;
  /** What refused it: ics_invalid, time_zone_unknown, end_before_start, rrule_invalid, rrule_too_many. */
  reason: ErrorReason;
  /** In English, for logs and the import report. */
  message: string;
}

export interface WriteIcsOptions {
  /** The calendar's name (X-WR-CALNAME). */
  name: string;
  /** iTIP method: PUBLISH for exports and feeds, REQUEST/CANCEL for invitations. None by default. */
  method?: 'PUBLISH' | 'REQUEST' | 'CANCEL';
  /** The calendar's own zone (X-WR-TIMEZONE, Google reads it). */
  timeZone?: string;
  /** Name and address of a member, for ORGANIZER/ATTENDEE; without an email they are urn:uuid:. */
  person?: (userId: string) => { name?: string; email?: string | null } | undefined;
  /** A meeting room's name, added to LOCATION when the event has no location of its own. */
  roomName?: (roomId: string) => string | undefined;
}
