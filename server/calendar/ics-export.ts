// Writing .ics files: one calendar (export) or a person's private feed, as iCalendar PUBLISH with
// each organizer's and attendee's name and address, and the room's name as the location.
import { writeIcs } from '../../shared/calendar';
import type { CalendarEvent } from '../../shared/protocol';
import type { Reader } from '../domain/context';

/** The .ics text of these events, with people and rooms named. */
export async function icsOf(db: Reader, events: CalendarEvent[], name: string): Promise<string> {
  const userIds = [...new Set(events.flatMap((e) => [e.organizerId, ...e.attendees.map((a) => a.userId)]))];
  const roomIds = [...new Set(events.flatMap((e) => (e.roomId ? [e.roomId] : [])))];
  const people = new Map<string, { name: string; email: string | null }>();
  for (let i = 0; i < userIds.length; i += 500) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'name', 'email'])
      .where('id', 'in', userIds.slice(i, i + 500))
      .execute();
    for (const r of rows) people.set(r.id, { name: r.name, email: r.email });
  }
  const rooms = new Map<string, string>();
  if (roomIds.length > 0) {
    const rows = await db.selectFrom('meeting_rooms').select(['id', 'name']).where('id', 'in', roomIds).execute();
    for (const r of rows) rooms.set(r.id, r.name);
  }
  return writeIcs(events, {
    name,
    method: 'PUBLISH',
    person: (id) => people.get(id),
    roomName: (id) => rooms.get(id),
  });
}

/** A file name for a calendar's export: its name without characters file systems refuse. */
export function icsFileName(name: string): string {
  const safe = [...name]
    .map((c) => (c < ' ' || '\\/:*?"<>|'.includes(c) ? '_' : c))
    .join('')
    .trim();
  return `${safe || 'calendar'}.ics`;
}
