// What an event write carries, checked before anything is stored: its time (end after start), its
// rule (through the shared recurrence checker: it parses and its occurrences are bounded), its
// reminders, and its attendees (members the organizer may see, and departments expanded to their
// active members, sub-departments included).
import { CalendarLimits, QixinError, type EventTime } from '../../shared/protocol';
import type { Reader } from '../domain/context';
import { visibleUsers } from '../domain/directory/reads';
import { loadViewer } from '../domain/directory/viewer';
import { canSeeDepartment } from '../domain/directory/visibility';
import { ruleEnd } from './recurrence';

const DAY = 24 * 60 * 60 * 1000;

/** The time columns of an event row. */
export interface TimeColumns {
  all_day: number;
  start_at: number;
  end_at: number;
  start_date: string | null;
  end_date: string | null;
  time_zone: string | null;
}

export const dateMillis = (date: string): number =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
export const millisDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * An event ends after it starts (an all-day one lasts at least a day). `allowEmpty`: a timed event
 * may also end when it starts (a file's VEVENT without DTEND, RFC 5545 §3.6.1).
 */
export function timeColumns(time: EventTime, allowEmpty = false): TimeColumns {
  if (time.allDay) {
    const start = dateMillis(time.startDate);
    const end = dateMillis(time.endDate);
    // A date like 2026-02-31 passes the pattern but is no day of the calendar.
    if (millisDate(start) !== time.startDate || millisDate(end) !== time.endDate)
      throw new QixinError('invalid', 'not a day of the calendar');
    if (end <= start)
      throw new QixinError('invalid', 'an all-day event ends on a later date than it starts', 'end_before_start');
    return {
      all_day: 1,
      start_at: start,
      end_at: end,
      start_date: time.startDate,
      end_date: time.endDate,
      time_zone: null,
    };
  }
  if (time.end < time.start || (time.end === time.start && !allowEmpty))
    throw new QixinError('invalid', 'an event must end after it starts', 'end_before_start');
  return {
    all_day: 0,
    start_at: time.start,
    end_at: time.end,
    start_date: null,
    end_date: null,
    time_zone: time.timeZone,
  };
}

/** The event's time back from its columns. */
export function timeOf(c: TimeColumns): EventTime {
  return c.all_day === 1
    ? { allDay: true, startDate: c.start_date!, endDate: c.end_date! }
    : { allDay: false, start: c.start_at, end: c.end_at, timeZone: c.time_zone ?? 'UTC' };
}

/** The end of the last occurrence: the event's end, its rule's last end, or null for an open rule. */
export function lastEnd(rrule: string | null, time: EventTime): number | null {
  if (rrule === null) return time.allDay ? dateMillis(time.endDate) : time.end;
  return ruleEnd(rrule, time);
}

export function normalizeReminders(reminders: readonly number[]): number[] {
  return [...new Set(reminders)].sort((a, b) => a - b);
}

/** Time shifted to start at `start` (UTC millis; all-day: midnight UTC of the date), same length. */
export function shiftedTime(time: EventTime, start: number): EventTime {
  if (time.allDay) {
    const days = (dateMillis(time.endDate) - dateMillis(time.startDate)) / DAY;
    return { allDay: true, startDate: millisDate(start), endDate: millisDate(start + days * DAY) };
  }
  return { allDay: false, start, end: start + (time.end - time.start), timeZone: time.timeZone };
}

export const timeStart = (time: EventTime): number => (time.allDay ? dateMillis(time.startDate) : time.start);
export const timeLength = (time: EventTime): number =>
  time.allDay ? dateMillis(time.endDate) - dateMillis(time.startDate) : time.end - time.start;

export interface AttendeeDraft {
  userId: string;
  viaDepartmentId: string | null;
}

/**
 * The people invited: members by id (each must be an active member the organizer may see), then
 * the active members of each department and its sub-departments (remembering the department they
 * came through). Never the organizer; each person once, the first way they were named wins.
 */
export async function resolveAttendees(
  db: Reader,
  organizerId: string,
  attendeeIds: readonly string[],
  departmentIds: readonly string[],
): Promise<AttendeeDraft[]> {
  const viewer = await loadViewer(db, organizerId);
  const out = new Map<string, AttendeeDraft>();
  const named = [...new Set(attendeeIds)].filter((id) => id !== organizerId);
  const users = await visibleUsers(db, viewer, named);
  const usable = new Set(users.filter((u) => u.status === 'active').map((u) => u.id));
  for (const id of named) {
    if (!usable.has(id)) throw new QixinError('invalid', `no such member to invite: ${id}`);
    out.set(id, { userId: id, viaDepartmentId: null });
  }
  for (const departmentId of new Set(departmentIds)) {
    if (!viewer.tree.has(departmentId) || !canSeeDepartment(viewer, departmentId))
      throw new QixinError('invalid', `no such department to invite: ${departmentId}`);
    const subtree = viewer.tree.subtree(departmentId);
    const members = await db
      .selectFrom('user_departments')
      .innerJoin('users', 'users.id', 'user_departments.user_id')
      .select('users.id')
      .distinct()
      .where('user_departments.department_id', 'in', subtree)
      .where('users.status', '=', 'active')
      .orderBy('users.id')
      .execute();
    for (const m of members) {
      if (m.id !== organizerId && !out.has(m.id)) out.set(m.id, { userId: m.id, viaDepartmentId: departmentId });
    }
  }
  if (out.size > CalendarLimits.attendeesMax)
    throw new QixinError('invalid', `an event has at most ${CalendarLimits.attendeesMax} attendees`);
  return [...out.values()];
}
