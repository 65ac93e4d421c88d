// An event as a write sees it (a draft: the fields a person sets), the row values made from it, and
// the small writes every event change shares: insert a row, set its attendees keeping the answers
// of those who stay, and which attendees a change concerns (invited, changed, cancelled).
import type { Insertable } from 'kysely';
import type { EventAttachment, EventTime } from '../../shared/protocol';
import type { Tx } from '../domain/context';
import type { EventRow } from '../store/schema';
import { parseAttachments } from './event-attachments';
import { eventTime, type LoadedEvent, type StoredAttendee, type StoredEvent } from './event-rows';
import { lastEnd, normalizeReminders, timeColumns, timeStart, type AttendeeDraft } from './event-input';

export interface Draft {
  calendar_id: string;
  title: string;
  location: string;
  description: string;
  time: EventTime;
  rrule: string | null;
  reminders: number[];
  room_id: string | null;
  attendees: AttendeeDraft[];
  /** Links to drive files (event-attachments.ts). */
  attachments: EventAttachment[];
}

export function draftOf(e: LoadedEvent): Draft {
  return {
    calendar_id: e.row.calendar_id,
    title: e.row.title,
    location: e.row.location,
    description: e.row.description,
    time: eventTime(e.row),
    rrule: e.row.rrule,
    reminders: JSON.parse(e.row.reminders) as number[],
    room_id: e.row.room_id,
    attendees: e.attendees.map((a) => ({ userId: a.user_id, viaDepartmentId: a.via_department_id })),
    attachments: parseAttachments(e.row.attachments),
  };
}

/** The columns a draft sets (times, rule and its last end included). */
export function draftColumns(d: Draft) {
  return {
    calendar_id: d.calendar_id,
    title: d.title,
    location: d.location,
    description: d.description,
    ...timeColumns(d.time),
    rrule: d.rrule,
    last_end_at: lastEnd(d.rrule, d.time),
    reminders: JSON.stringify(normalizeReminders(d.reminders)),
    room_id: d.room_id,
    attachments: JSON.stringify(d.attachments),
  };
}

export async function insertEvent(
  trx: Tx,
  row: Insertable<EventRow>,
  attendees: readonly AttendeeDraft[],
  keep: readonly StoredAttendee[] = [],
): Promise<void> {
  await trx.insertInto('events').values(row).execute();
  await setAttendees(trx, row.id, attendees, keep);
}

/** Replaces the attendees of an event; people who stay keep their answers. */
export async function setAttendees(
  trx: Tx,
  eventId: string,
  attendees: readonly AttendeeDraft[],
  keep: readonly StoredAttendee[],
): Promise<void> {
  const before = new Map(keep.map((a) => [a.user_id, a]));
  await trx.deleteFrom('event_attendees').where('event_id', '=', eventId).execute();
  for (let i = 0; i < attendees.length; i += 200) {
    await trx
      .insertInto('event_attendees')
      .values(
        attendees.slice(i, i + 200).map((a) => {
          const old = before.get(a.userId);
          return {
            event_id: eventId,
            user_id: a.userId,
            response: old?.response ?? 'needs_action',
            via_department_id: a.viaDepartmentId,
            responded_at: old?.responded_at == null ? null : Number(old.responded_at),
          };
        }),
      )
      .execute();
  }
}

/** Whether the change moves the event in time (or changes its rule). */
export function timeChanged(a: Draft, b: Draft): boolean {
  return JSON.stringify(a.time) !== JSON.stringify(b.time) || a.rrule !== b.rrule;
}

/** Whether the change moves the event to another place (location or room). */
export function placeChanged(a: Draft, b: Draft): boolean {
  return a.location !== b.location || a.room_id !== b.room_id;
}

/** Attendees added, kept and removed by a change. */
export function attendeeDiff(before: readonly { userId: string }[], after: readonly { userId: string }[]) {
  const was = new Set(before.map((a) => a.userId));
  const is = new Set(after.map((a) => a.userId));
  return {
    added: [...is].filter((id) => !was.has(id)),
    kept: [...is].filter((id) => was.has(id)),
    removed: [...was].filter((id) => !is.has(id)),
  };
}

export const rowStart = (row: StoredEvent): number => timeStart(eventTime(row));
