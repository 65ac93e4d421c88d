// The calendar (日程): calendars, events with RFC 5545 recurrence, invitations, meeting rooms,
// free/busy, and iCalendar import/export/feed.
//
// Times: a timed event has `start`/`end` as UTC millis plus the IANA time zone it was planned in
// (`timeZone`); its recurrence expands in that zone's wall clock (so a 09:00 weekly meeting stays at
// 09:00 across DST). An all-day event has `startDate`/`endDate` (YYYY-MM-DD, end exclusive, as in
// iCalendar) and no zone. A recurring event is a series (`rrule`, `exdates`) plus exceptions: events
// with `seriesId` and `recurrenceId` (the original start of the occurrence they replace), as
// RECURRENCE-ID does. The relay stores series and exceptions; clients expand occurrences
// (shared/calendar/expand.ts), the relay too for conflicts, rooms and free/busy.
import { z } from 'zod';

const Id = z.uuid();
const Millis = z.number().int().nonnegative();

export const CalendarLimits = {
  titleMaxChars: 200,
  locationMaxChars: 200,
  descriptionMaxChars: 10_000,
  attendeesMax: 500,
  remindersMax: 5,
  /** A reminder at most 4 weeks before. */
  reminderMaxMinutes: 4 * 7 * 24 * 60,
  /**
   * A rule without an end (no COUNT, no UNTIL) may yield at most this many occurrences in a year (a
   * daily meeting yields 365; FREQ=DAILY;BYHOUR=0,…,23 is refused); a rule with an end at most
   * `countMax` in all.
   */
  openRuleMaxPerYear: 1_000,
  countMax: 5_000,
  /** Expansion and conflict checks look this far ahead for open rules. */
  horizonDays: 2 * 366,
  rangeMaxDays: 400,
  calendarsPerUser: 50,
  attachmentsMax: 20,
  icsMaxBytes: 10 * 1024 * 1024,
} as const;

/** A calendar day, YYYY-MM-DD. */
export const CalendarDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date like 2026-11-25');
/** An IANA time zone name the runtime knows (Asia/Shanghai, America/New_York, UTC). */
export const TimeZoneName = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'an IANA time zone such as Asia/Shanghai', params: { reason: 'time_zone_unknown' } },
  );
/** RFC 5545 RRULE value without the "RRULE:" prefix, e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10. */
export const RRuleText = z
  .string()
  .max(500)
  .regex(/^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[A-Z0-9,+\-:T]+)*$/, 'an RRULE such as FREQ=WEEKLY;BYDAY=MO');

export const CalendarColor = z.string().regex(/^#[0-9a-f]{6}$/i, 'a color like #1677ff');

export const CalendarLevel = z.enum(['freebusy', 'view', 'edit']);
export type CalendarLevel = z.infer<typeof CalendarLevel>;

export const CalendarInfo = z.object({
  id: Id,
  ownerId: Id,
  name: z.string(),
  /** The caller's color and visibility for it (their own choice, also for shared calendars). */
  color: CalendarColor,
  hidden: z.boolean(),
  /** The caller's level: `owner` for their own. */
  level: z.enum(['owner', 'edit', 'view', 'freebusy']),
  /** The first calendar of a person (我的日历): cannot be deleted. */
  primary: z.boolean(),
  shares: z.array(z.object({ userId: Id, level: CalendarLevel })),
});
export type CalendarInfo = z.infer<typeof CalendarInfo>;

export const AttendeeResponse = z.enum(['needs_action', 'accepted', 'tentative', 'declined']);
export type AttendeeResponse = z.infer<typeof AttendeeResponse>;
export const Attendee = z.object({
  userId: Id,
  response: AttendeeResponse,
  /** The department they were invited through, if any (shown as one line in the form). */
  viaDepartmentId: Id.nullable(),
});
export type Attendee = z.infer<typeof Attendee>;

/**
 * A drive file linked to an event (日程附件): name, size and type as they were when the event was
 * saved. Whoever opens it does so through the drive with their own level (files.download,
 * drive.previewUrl), so the link never widens who may read the file.
 */
export const EventAttachment = z.object({
  nodeId: Id,
  name: z.string(),
  size: z.number().int().nonnegative(),
  mime: z.string(),
});
export type EventAttachment = z.infer<typeof EventAttachment>;

export const EventTime = z.discriminatedUnion('allDay', [
  z.object({ allDay: z.literal(false), start: Millis, end: Millis, timeZone: TimeZoneName }),
  /** endDate is exclusive: a one-day event on 2026-11-25 ends 2026-11-26. */
  z.object({ allDay: z.literal(true), startDate: CalendarDate, endDate: CalendarDate }),
]);
export type EventTime = z.infer<typeof EventTime>;

export const CalendarEvent = z.object({
  id: Id,
  calendarId: Id,
  organizerId: Id,
  title: z.string(),
  location: z.string(),
  description: z.string(),
  time: EventTime,
  rrule: RRuleText.nullable(),
  /** Original starts (UTC millis; all-day: midnight UTC of the date) of deleted occurrences. */
  exdates: z.array(Millis),
  /** Set on an exception: the series and the original start of the occurrence it replaces. */
  seriesId: Id.nullable(),
  recurrenceId: Millis.nullable(),
  attendees: z.array(Attendee),
  /**
   * Answers given for single occurrences of a series (cal.respond with a recurrenceId); they
   * override the attendee's series-wide `response` for that occurrence. Absent when there are none.
   */
  occurrenceResponses: z
    .array(z.object({ userId: Id, recurrenceId: Millis, response: AttendeeResponse.exclude(['needs_action']) }))
    .optional(),
  roomId: Id.nullable(),
  /** Minutes before the start. */
  reminders: z.array(z.number().int().min(0).max(CalendarLimits.reminderMaxMinutes)),
  /**
   * Drive files linked to the event. Absent when there are none (and for busy-only readers): events
   * stored before attachments existed, in caches and fixtures, stay valid.
   */
  attachments: z.array(EventAttachment).optional(),
  /** Cancelled events (or occurrences) stay, marked, so attendees see what was called off. */
  cancelled: z.boolean(),
  /** Grows with every change of the organizer (iCalendar SEQUENCE). */
  sequence: z.number().int().nonnegative(),
  updatedAt: Millis,
  /** Only free/busy may be seen: title, location, description and attendees are blank. */
  busyOnly: z.boolean(),
});
export type CalendarEvent = z.infer<typeof CalendarEvent>;

/** One occurrence of an event, as views show it (expanded). */
export const Occurrence = z.object({
  eventId: Id,
  /** The series' id for occurrences of a recurring event (and of its exceptions). */
  seriesId: Id.nullable(),
  /** Original start of this occurrence (what `this` / `following` edits name). */
  recurrenceId: Millis.nullable(),
  start: Millis,
  end: Millis,
  allDay: z.boolean(),
});
export type Occurrence = z.infer<typeof Occurrence>;

/** The fields a person sets on an event, without defaults (a patch names only what changes). */
const EventFieldsShape = z.object({
  calendarId: Id,
  title: z.string().trim().min(1).max(CalendarLimits.titleMaxChars),
  location: z.string().trim().max(CalendarLimits.locationMaxChars),
  description: z.string().max(CalendarLimits.descriptionMaxChars),
  time: EventTime,
  rrule: RRuleText.nullable(),
  /** Members invited; departments are expanded to their members when saved. */
  attendeeIds: z.array(Id).max(CalendarLimits.attendeesMax),
  departmentIds: z.array(Id).max(50),
  roomId: Id.nullable(),
  reminders: z.array(z.number().int().min(0).max(CalendarLimits.reminderMaxMinutes)).max(CalendarLimits.remindersMax),
  /**
   * Drive files to link; the relay checks that the person saving may share each one (as when sending
   * a drive file into a chat: drive_forbidden, drive_no_forward, file_not_found) and fills in
   * name, size and type.
   */
  attachmentIds: z.array(Id).max(CalendarLimits.attachmentsMax),
});

export const EventFields = EventFieldsShape.extend({
  location: EventFieldsShape.shape.location.default(''),
  description: EventFieldsShape.shape.description.default(''),
  rrule: EventFieldsShape.shape.rrule.default(null),
  attendeeIds: EventFieldsShape.shape.attendeeIds.default([]),
  departmentIds: EventFieldsShape.shape.departmentIds.default([]),
  roomId: EventFieldsShape.shape.roomId.default(null),
  reminders: EventFieldsShape.shape.reminders.default([15]),
  attachmentIds: EventFieldsShape.shape.attachmentIds.default([]),
});
export type EventFields = z.infer<typeof EventFields>;

/** Which occurrences an edit or delete of a recurring event touches. */
export const EditScope = z.enum(['this', 'following', 'all']);
export type EditScope = z.infer<typeof EditScope>;

export const MeetingRoom = z.object({
  id: Id,
  name: z.string(),
  capacity: z.number().int().positive(),
  location: z.string(),
  equipment: z.array(z.string()),
});
export type MeetingRoom = z.infer<typeof MeetingRoom>;

export const BusyInterval = z.object({ start: Millis, end: Millis, tentative: z.boolean() });

const Range = z.object({ from: Millis, to: Millis });
const EventResult = z.object({ event: CalendarEvent });

/** `cal.*` requests (merged into the protocol's request table). Every rule is checked on the relay. */
export const calendarRequests = {
  /** The caller's calendars (a primary one is made on first use) and those shared with them. */
  'cal.calendars': { params: z.object({}), result: z.object({ calendars: z.array(CalendarInfo) }) },
  'cal.createCalendar': {
    params: z.object({ name: z.string().trim().min(1).max(64), color: CalendarColor }),
    result: z.object({ calendar: CalendarInfo }),
  },
  /** Owner: name and shares; anyone who sees it: their own color and hidden flag. */
  'cal.updateCalendar': {
    params: z.object({
      calendarId: Id,
      name: z.string().trim().min(1).max(64).optional(),
      color: CalendarColor.optional(),
      hidden: z.boolean().optional(),
      shares: z
        .array(z.object({ userId: Id, level: CalendarLevel }))
        .max(200)
        .optional(),
    }),
    result: z.object({ calendar: CalendarInfo }),
  },
  'cal.deleteCalendar': { params: z.object({ calendarId: Id }), result: z.object({}) },
  /**
   * Series, exceptions and single events of these calendars (default: every visible one, and the
   * events the caller is invited to) that may have an occurrence in [from, to).
   */
  'cal.events': {
    params: Range.extend({
      calendarIds: z
        .array(Id)
        .max(CalendarLimits.calendarsPerUser * 2)
        .optional(),
    }),
    result: z.object({ events: z.array(CalendarEvent) }),
  },
  'cal.get': { params: z.object({ eventId: Id }), result: EventResult },
  /** `conflicts`: the caller's and attendees' busy occurrences overlapping the new event (a warning). */
  'cal.create': {
    params: EventFields.extend({ id: Id }),
    result: EventResult.extend({ conflicts: z.array(z.object({ userId: Id, start: Millis, end: Millis })) }),
  },
  /**
   * Organizer (or edit level on the calendar). For a recurring event, `scope` and the occurrence's
   * original start (`recurrenceId`) say what changes: this one (an exception), this and the
   * following (the series ends before it and a new series starts), or all (exceptions keep their
   * own changes unless their time no longer fits).
   */
  'cal.update': {
    params: z.object({
      eventId: Id,
      scope: EditScope.default('all'),
      recurrenceId: Millis.nullable().default(null),
      /** Only the fields given change (a partial of EventFields would fill in its defaults). */
      patch: EventFieldsShape.partial(),
    }),
    result: EventResult.extend({ conflicts: z.array(z.object({ userId: Id, start: Millis, end: Millis })) }),
  },
  /** Cancels (the event stays, marked cancelled, for attendees) with the same scopes. */
  'cal.cancel': {
    params: z.object({ eventId: Id, scope: EditScope.default('all'), recurrenceId: Millis.nullable().default(null) }),
    result: z.object({}),
  },
  /** An attendee answers for the whole series or one occurrence. */
  'cal.respond': {
    params: z.object({
      eventId: Id,
      response: AttendeeResponse.exclude(['needs_action']),
      recurrenceId: Millis.nullable().default(null),
    }),
    result: EventResult,
  },
  /** Busy times of colleagues (only times, never titles) for the invite form. */
  'cal.freeBusy': {
    params: Range.extend({ userIds: z.array(Id).min(1).max(100) }),
    result: z.object({ busy: z.record(z.string(), z.array(BusyInterval)) }),
  },
  'cal.rooms': { params: z.object({}), result: z.object({ rooms: z.array(MeetingRoom) }) },
  /** Super admins (and directory admins): meeting rooms. */
  'cal.saveRoom': {
    params: MeetingRoom.omit({ id: true }).extend({ id: Id.optional() }),
    result: z.object({ room: MeetingRoom }),
  },
  'cal.deleteRoom': { params: z.object({ roomId: Id }), result: z.object({}) },
  /** The room's bookings in a range (busy intervals) for the booking form. */
  'cal.roomBusy': {
    params: Range.extend({ roomId: Id }),
    result: z.object({ busy: z.array(BusyInterval) }),
  },
  /** The caller's private subscription URL (read-only iCalendar feed); `rotate` revokes the old one. */
  'cal.feed': {
    params: z.object({ rotate: z.boolean().default(false) }),
    result: z.object({ url: z.string(), createdAt: Millis }),
  },
  'cal.revokeFeed': { params: z.object({}), result: z.object({}) },
} as const;

/** HTTP endpoints for iCalendar files (bodies can be large), Authorization: Bearer except the feed. */
export const CalendarHttpPaths = {
  /** POST ?calendarId=… body = an .ics file (≤ 10 MB) → ImportReport. */
  import: '/api/calendar/import',
  /** GET → text/calendar of one calendar (the caller must see its details). */
  export: (calendarId: string) => `/api/calendar/export/${encodeURIComponent(calendarId)}.ics`,
  /** GET without a session: the token is the key; read-only; 404 once revoked. */
  feed: (token: string) => `/api/calendar/feed/${encodeURIComponent(token)}.ics`,
} as const;

export const ImportReport = z.object({
  imported: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  /** Components that were refused, each with why (the rest is imported). */
  errors: z.array(z.object({ uid: z.string().nullable(), line: z.number().int().nullable(), reason: z.string() })),
});
export type ImportReport = z.infer<typeof ImportReport>;
