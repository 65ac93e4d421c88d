// Importing an .ics file into a calendar: each VEVENT stored with its UID, so importing the same file
// again (or a newer export of it) updates those events instead of adding copies. A series and its
// exceptions share the UID; an exception (RECURRENCE-ID) whose series is not in the calendar is kept
// as an event of its own. Components the parser refused, or that break our rules, are reported
// with their line and the rest is imported. The importer is the organizer; the file's attendees are
// not invited (importing someone's meeting must not send invitations in their name).
import type { Insertable } from 'kysely';
import { parseIcs, type ImportedEvent } from '../../shared/calendar';
import { newId } from '../../shared/lib/ids';
import { QixinError, type ImportReport } from '../../shared/protocol';
import type { DomainContext, Tx } from '../domain/context';
import * as policy from '../domain/policy';
import type { EventRow } from '../store/schema';
import { calendarLevel, loadCalendar } from './calendars';
import { CalendarEffects, EffectsBuilder } from './event-effects';
import { lastEnd, normalizeReminders, timeColumns } from './event-input';
import { normalizeEvent } from './event-rows';

/** The columns an imported event sets (checked: a refusal becomes an error of the report). */
function importedColumns(e: ImportedEvent) {
  const reminders = normalizeReminders(e.reminders.filter((m) => m >= 0 && m <= 4 * 7 * 24 * 60)).slice(0, 5);
  const time = timeColumns(e.time, true);
  return {
    title: e.title.trim().slice(0, 200),
    location: e.location.trim().slice(0, 200),
    description: e.description.slice(0, 10_000),
    ...time,
    rrule: e.recurrenceId === null ? e.rrule : null,
    last_end_at: e.recurrenceId === null ? lastEnd(e.rrule, e.time) : time.end_at,
    exdates: JSON.stringify(e.recurrenceId === null ? [...new Set(e.exdates)].sort((a, b) => a - b) : []),
    reminders: JSON.stringify(reminders),
    cancelled: e.cancelled ? 1 : 0,
  };
}

export async function importIcs(
  ctx: DomainContext,
  effects: CalendarEffects,
  userId: string,
  calendarId: string,
  text: string,
): Promise<ImportReport> {
  const calendar = await loadCalendar(ctx.db, calendarId);
  policy.assertCalendarLevel(
    await calendarLevel(ctx.db, userId, calendar),
    policy.CALENDAR_NEEDS.write,
    'import into it',
  );
  const parsed = parseIcs(text);
  const report: ImportReport = {
    imported: 0,
    updated: 0,
    errors: parsed.errors.map((e) => ({ uid: e.uid, line: e.line, reason: e.reason })),
  };
  const ready: { event: ImportedEvent; columns: ReturnType<typeof importedColumns> }[] = [];
  for (const event of parsed.events) {
    try {
      ready.push({ event, columns: importedColumns(event) });
    } catch (err) {
      if (!(err instanceof QixinError)) throw err;
      report.errors.push({ uid: event.uid, line: event.line, reason: err.reason ?? 'ics_invalid' });
    }
  }
  // Series before their exceptions, so an exception finds its series.
  ready.sort((a, b) => Number(a.event.recurrenceId !== null) - Number(b.event.recurrenceId !== null));
  const b = new EffectsBuilder();
  const committed = await ctx.transaction(async (trx) => {
    const now = ctx.now();
    for (const { event, columns } of ready) {
      const outcome = await upsert(trx, calendarId, userId, event, columns, now);
      if (outcome.inserted) report.imported++;
      else report.updated++;
      b.touch({ id: outcome.id, calendar_id: calendarId, organizer_id: userId });
    }
    return effects.commit(trx, b);
  });
  effects.publish(committed);
  return report;
}

/** Stores one imported event: the row of the calendar with its UID (and RECURRENCE-ID), or a new one. */
async function upsert(
  trx: Tx,
  calendarId: string,
  userId: string,
  event: ImportedEvent,
  columns: ReturnType<typeof importedColumns>,
  now: number,
): Promise<{ id: string; inserted: boolean }> {
  const sameUid = (
    await trx
      .selectFrom('events')
      .selectAll()
      .where('calendar_id', '=', calendarId)
      .where('uid', '=', event.uid)
      .execute()
  ).map(normalizeEvent);
  const series = sameUid.find((r) => r.series_id === null && r.recurrence_id === null);
  let family: { series_id: string | null; recurrence_id: number | null } = { series_id: null, recurrence_id: null };
  let existing = series;
  if (event.recurrenceId !== null) {
    // An occurrence of a series in this calendar; without one, an event of its own.
    if (series?.rrule) {
      family = { series_id: series.id, recurrence_id: event.recurrenceId };
      existing = sameUid.find((r) => r.series_id === series.id && r.recurrence_id === event.recurrenceId);
    } else {
      existing = series;
    }
  }
  if (existing) {
    await trx
      .updateTable('events')
      .set({
        ...columns,
        ...family,
        sequence: Math.max(Number(existing.sequence) + 1, event.sequence),
        updated_at: now,
      })
      .where('id', '=', existing.id)
      .execute();
    return { id: existing.id, inserted: false };
  }
  const row: Insertable<EventRow> = {
    id: newId(),
    calendar_id: calendarId,
    organizer_id: userId,
    uid: event.uid,
    ...columns,
    ...family,
    room_id: null,
    sequence: event.sequence,
    created_at: now,
    updated_at: now,
  };
  await trx.insertInto('events').values(row).execute();
  return { id: row.id, inserted: true };
}
