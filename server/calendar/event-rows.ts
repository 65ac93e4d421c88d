// Reading events: rows as the protocol shows them (CalendarEvent), their attendees and per-occurrence
// answers, and the events of a range with every exception of their series (a client needs those to
// expand a series correctly) and the series of every exception.
import { sql, type Selectable } from 'kysely';
import type { AttendeeResponse, CalendarEvent, EventTime } from '../../shared/protocol';
import type { Reader } from '../domain/context';
import { parseAttachments } from './event-attachments';
import type { EventAttendeeRow, EventResponseRow, EventRow } from '../store/schema';

export type StoredEvent = Selectable<EventRow>;
export type StoredAttendee = Selectable<EventAttendeeRow>;
export type StoredResponse = Selectable<EventResponseRow>;

/** An event row with what its view needs. */
export interface LoadedEvent {
  row: StoredEvent;
  attendees: StoredAttendee[];
  /** Answers for single occurrences (series only). */
  responses: StoredResponse[];
}

const DAY = 24 * 60 * 60 * 1000;
// Ids per `in (…)` list: far under SQLite's bound-parameter limit.
const CHUNK = 500;

/** PostgreSQL returns bigint columns as strings; the rest of the code wants numbers. */
export function normalizeEvent(row: StoredEvent): StoredEvent {
  return {
    ...row,
    all_day: Number(row.all_day),
    start_at: Number(row.start_at),
    end_at: Number(row.end_at),
    last_end_at: row.last_end_at == null ? null : Number(row.last_end_at),
    recurrence_id: row.recurrence_id == null ? null : Number(row.recurrence_id),
    cancelled: Number(row.cancelled),
    sequence: Number(row.sequence),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
  };
}

export function eventTime(row: StoredEvent): EventTime {
  return Number(row.all_day) === 1
    ? { allDay: true, startDate: row.start_date!, endDate: row.end_date! }
    : { allDay: false, start: Number(row.start_at), end: Number(row.end_at), timeZone: row.time_zone ?? 'UTC' };
}

/** The protocol's view; `busyOnly` blanks what a free/busy reader may not see. */
export function eventView(e: LoadedEvent, busyOnly: boolean): CalendarEvent {
  const { row } = e;
  const view: CalendarEvent = {
    id: row.id,
    calendarId: row.calendar_id,
    organizerId: row.organizer_id,
    title: busyOnly ? '' : row.title,
    location: busyOnly ? '' : row.location,
    description: busyOnly ? '' : row.description,
    time: eventTime(row),
    rrule: row.rrule,
    exdates: JSON.parse(row.exdates) as number[],
    seriesId: row.series_id,
    recurrenceId: row.recurrence_id == null ? null : Number(row.recurrence_id),
    attendees: busyOnly
      ? []
      : e.attendees.map((a) => ({ userId: a.user_id, response: a.response, viaDepartmentId: a.via_department_id })),
    roomId: busyOnly ? null : row.room_id,
    reminders: busyOnly ? [] : (JSON.parse(row.reminders) as number[]),
    cancelled: Number(row.cancelled) === 1,
    sequence: Number(row.sequence),
    updatedAt: Number(row.updated_at),
    busyOnly,
  };
  const attachments = busyOnly ? [] : parseAttachments(row.attachments);
  if (attachments.length > 0) view.attachments = attachments;
  if (!busyOnly && e.responses.length > 0) {
    view.occurrenceResponses = e.responses.map((r) => ({
      userId: r.user_id,
      recurrenceId: Number(r.recurrence_id),
      response: r.response,
    }));
  }
  return view;
}

/** A person's answer for one occurrence: their answer for it if any, else their answer for the event. */
export function responseFor(e: LoadedEvent, userId: string, recurrenceId: number | null): AttendeeResponse | null {
  if (recurrenceId !== null) {
    const one = e.responses.find((r) => r.user_id === userId && Number(r.recurrence_id) === recurrenceId);
    if (one) return one.response;
  }
  return e.attendees.find((a) => a.user_id === userId)?.response ?? null;
}

export async function loadEventRow(db: Reader, eventId: string): Promise<StoredEvent | undefined> {
  const row = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst();
  return row && normalizeEvent(row);
}

/** Attendees and per-occurrence answers of the rows, in one query each per chunk. */
export async function withAttendees(db: Reader, rows: readonly StoredEvent[]): Promise<LoadedEvent[]> {
  const ids = rows.map((r) => r.id);
  const attendees = new Map<string, StoredAttendee[]>();
  const responses = new Map<string, StoredResponse[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const [a, r] = await Promise.all([
      db.selectFrom('event_attendees').selectAll().where('event_id', 'in', chunk).orderBy('user_id').execute(),
      db
        .selectFrom('event_responses')
        .selectAll()
        .where('event_id', 'in', chunk)
        .orderBy('recurrence_id')
        .orderBy('user_id')
        .execute(),
    ]);
    for (const x of a) push(attendees, x.event_id, x);
    for (const x of r) push(responses, x.event_id, { ...x, recurrence_id: Number(x.recurrence_id) });
  }
  return rows.map((row) => ({ row, attendees: attendees.get(row.id) ?? [], responses: responses.get(row.id) ?? [] }));
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Which events a range read considers: any of these (combined with OR). `people` are the events of
 * these persons: in calendars they own, organized by them, or they are invited to.
 */
export interface EventFilter {
  calendarIds?: readonly string[];
  attendeeIds?: readonly string[];
  people?: readonly string[];
  roomId?: string;
}

/**
 * Events matching `filter` that may have an occurrence in [from, to), plus every exception of the
 * series among them and the series of every exception among them. All-day events are stored at
 * midnight UTC: the window is widened by a day so every zone's day finds them.
 */
export async function loadRange(db: Reader, filter: EventFilter, from: number, to: number): Promise<StoredEvent[]> {
  const lo = from - DAY;
  const hi = to + DAY;
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('start_at', '<', hi)
    .where((eb) => eb.or([eb('last_end_at', 'is', null), eb('last_end_at', '>', lo)]))
    .where((eb) => {
      const any = [];
      const { calendarIds, attendeeIds, people, roomId } = filter;
      if (calendarIds?.length) any.push(eb('calendar_id', 'in', calendarIds));
      const invited = [...(attendeeIds ?? []), ...(people ?? [])];
      if (invited.length)
        any.push(eb('id', 'in', eb.selectFrom('event_attendees').select('event_id').where('user_id', 'in', invited)));
      if (people?.length) {
        any.push(eb('organizer_id', 'in', people));
        any.push(
          eb(
            'calendar_id',
            'in',
            eb.selectFrom('calendars').select('id').where('owner_id', 'in', people).where('deleted_at', 'is', null),
          ),
        );
      }
      if (roomId) any.push(eb('room_id', '=', roomId));
      return any.length ? eb.or(any) : sql<boolean>`1 = 0`;
    })
    .execute();
  return completeSeries(db, new Map(rows.map((r) => [r.id, normalizeEvent(r)])));
}

/** Adds the exceptions of every series and the series of every exception. */
export async function completeSeries(db: Reader, found: Map<string, StoredEvent>): Promise<StoredEvent[]> {
  const seriesIds = [...found.values()].filter((r) => r.rrule !== null && r.series_id === null).map((r) => r.id);
  const missingSeries = [
    ...new Set([...found.values()].flatMap((r) => (r.series_id && !found.has(r.series_id) ? [r.series_id] : []))),
  ];
  for (let i = 0; i < seriesIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('events')
      .selectAll()
      .where('series_id', 'in', seriesIds.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) found.set(row.id, normalizeEvent(row));
  }
  for (let i = 0; i < missingSeries.length; i += CHUNK) {
    const rows = await db
      .selectFrom('events')
      .selectAll()
      .where('id', 'in', missingSeries.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) found.set(row.id, normalizeEvent(row));
  }
  return [...found.values()];
}

/** A series and all its exceptions (or a single event alone). */
export async function loadFamily(db: Reader, seriesOrSingleId: string): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', seriesOrSingleId), eb('series_id', '=', seriesOrSingleId)]))
    .execute();
  return rows.map(normalizeEvent);
}
