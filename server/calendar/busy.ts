// Who is busy when: occurrences (series expanded, exceptions in place) of the events people
// organize, attend without declining, or hold in their own calendars; cancelled occurrences never
// count. All-day events are dates, not hours: they do not make anyone busy (as in Outlook and
// Google), but they do take a meeting room for the whole (UTC) days.
import type { Occurrence } from '../../shared/protocol';
import type { Reader } from '../domain/context';
import { eventView, loadRange, responseFor, withAttendees, type EventFilter, type LoadedEvent } from './event-rows';
import { occurrencesIn } from './recurrence';

export interface Interval {
  start: number;
  end: number;
}

export interface BusyOccurrence extends Interval {
  userId: string;
  tentative: boolean;
  /** The series (or single event) it belongs to: an event never conflicts with itself. */
  familyId: string;
  eventId: string;
}

export const familyOf = (row: { id: string; series_id: string | null }) => row.series_id ?? row.id;

/** Events of a filter with their occurrences in [from, to), cancelled ones left out. */
export async function liveOccurrences(
  db: Reader,
  filter: EventFilter,
  from: number,
  to: number,
): Promise<{ events: Map<string, LoadedEvent>; occurrences: Occurrence[] }> {
  const loaded = await withAttendees(db, await loadRange(db, filter, from, to));
  const events = new Map(loaded.map((e) => [e.row.id, e]));
  const occurrences = occurrencesIn(
    loaded.map((e) => eventView(e, false)),
    from,
    to,
  ).filter((o) => Number(events.get(o.eventId)?.row.cancelled) === 0);
  return { events, occurrences };
}

/** The busy (timed) occurrences of these people in [from, to). */
export async function busyOf(
  db: Reader,
  people: readonly string[],
  from: number,
  to: number,
): Promise<BusyOccurrence[]> {
  if (people.length === 0) return [];
  const wanted = new Set(people);
  const { events, occurrences } = await liveOccurrences(db, { people }, from, to);
  const owners = await calendarOwners(db, [...new Set([...events.values()].map((e) => e.row.calendar_id))]);
  const out: BusyOccurrence[] = [];
  for (const o of occurrences) {
    if (o.allDay || o.end <= from || o.start >= to) continue;
    const e = events.get(o.eventId)!;
    const seen = new Set<string>();
    const add = (userId: string, tentative: boolean) => {
      if (!wanted.has(userId) || seen.has(userId)) return;
      seen.add(userId);
      out.push({ userId, start: o.start, end: o.end, tentative, familyId: familyOf(e.row), eventId: e.row.id });
    };
    add(e.row.organizer_id, false);
    for (const a of e.attendees) {
      // A series keeps answers for single occurrences beside each attendee's answer for all of them.
      const response = e.row.rrule !== null ? responseFor(e, a.user_id, o.recurrenceId) : a.response;
      if (response === 'declined' || response === null) {
        seen.add(a.user_id);
        continue;
      }
      add(a.user_id, response !== 'accepted');
    }
    const owner = owners.get(e.row.calendar_id);
    if (owner) add(owner, false);
  }
  return out;
}

async function calendarOwners(db: Reader, calendarIds: string[]): Promise<Map<string, string>> {
  if (calendarIds.length === 0) return new Map();
  const rows = await db.selectFrom('calendars').select(['id', 'owner_id']).where('id', 'in', calendarIds).execute();
  return new Map(rows.map((r) => [r.id, r.owner_id]));
}

/**
 * For each of `others`, whether it overlaps one of `mine`: `mine` is sorted once, and each other
 * interval looks only at those that start before it ends and late enough to reach it.
 */
export function overlapsAny(mine: readonly Interval[], others: readonly Interval[]): Interval[] {
  if (mine.length === 0) return [];
  const sorted = [...mine].sort((a, b) => a.start - b.start);
  const longest = Math.max(...sorted.map((m) => m.end - m.start));
  const out: Interval[] = [];
  for (const other of others) {
    // First of mine starting at or after other.end: none of those overlap.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.start < other.end) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && sorted[i]!.start > other.start - longest; i--) {
      if (sorted[i]!.end > other.start) {
        out.push(other);
        break;
      }
    }
  }
  return out;
}
