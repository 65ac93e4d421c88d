// The calendar tables (migration 0060): the events of the coming days and each reminder's state.
// Part of the LocalCache (the same connection and transactions), kept in its own module.
import type { Database as Db, Statement } from 'better-sqlite3';
import type { Reminder } from '../../../shared/contract';
import type { CalendarEvent } from '../../../shared/protocol';

export type ReminderState = 'fired' | 'snoozed' | 'dismissed';
/** A reminder that came due: `reminder.fireAt` is when it last fired, `fireAt` when it fires next (snoozed). */
export type ReminderRow = { reminder: Reminder; state: ReminderState; fireAt: number };

export interface CalendarRows {
  events(): CalendarEvent[];
  /** Replaces every held event with what the relay returned for the coming days. */
  replaceEvents(events: readonly CalendarEvent[]): void;
  reminder(id: string): ReminderRow | null;
  /** Every reminder row (fired, snoozed, dismissed), oldest first. */
  reminders(): ReminderRow[];
  /** Fired and not dismissed (nor snoozed), oldest first. */
  shown(): Reminder[];
  put(row: ReminderRow, now: number): void;
  /** Forgets dismissed reminders of occurrences that started before `before`. */
  prune(before: number): void;
}

type Row = { reminder: string; state: ReminderState; fire_at: number };

const toRow = (r: Row): ReminderRow => ({
  reminder: JSON.parse(r.reminder) as Reminder,
  state: r.state,
  fireAt: r.fire_at,
});

export class SqliteCalendarRows implements CalendarRows {
  private readonly s: Record<string, Statement>;

  constructor(private readonly db: Db) {
    this.s = {
      events: db.prepare('SELECT event FROM calendar_events ORDER BY id'),
      clearEvents: db.prepare('DELETE FROM calendar_events'),
      insertEvent: db.prepare('INSERT INTO calendar_events (id, event) VALUES (?, ?)'),
      reminder: db.prepare('SELECT reminder, state, fire_at FROM calendar_reminders WHERE id = ?'),
      reminders: db.prepare('SELECT reminder, state, fire_at FROM calendar_reminders ORDER BY fire_at, id'),
      shown: db.prepare(
        "SELECT reminder, state, fire_at FROM calendar_reminders WHERE state = 'fired' ORDER BY fire_at, id",
      ),
      put: db.prepare(
        `INSERT INTO calendar_reminders (id, event_id, state, fire_at, start, reminder, updated_at)
         VALUES (@id, @eventId, @state, @fireAt, @start, @reminder, @now)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, fire_at = excluded.fire_at,
           reminder = excluded.reminder, updated_at = excluded.updated_at`,
      ),
      prune: db.prepare("DELETE FROM calendar_reminders WHERE state = 'dismissed' AND start < ?"),
    };
  }

  events(): CalendarEvent[] {
    return (this.s.events!.all() as { event: string }[]).map((r) => JSON.parse(r.event) as CalendarEvent);
  }

  replaceEvents(events: readonly CalendarEvent[]): void {
    this.db.transaction(() => {
      this.s.clearEvents!.run();
      for (const e of events) this.s.insertEvent!.run(e.id, JSON.stringify(e));
    })();
  }

  reminder(id: string): ReminderRow | null {
    const row = this.s.reminder!.get(id) as Row | undefined;
    return row ? toRow(row) : null;
  }

  reminders(): ReminderRow[] {
    return (this.s.reminders!.all() as Row[]).map(toRow);
  }

  shown(): Reminder[] {
    return (this.s.shown!.all() as Row[]).map((r) => toRow(r).reminder);
  }

  put(row: ReminderRow, now: number): void {
    this.s.put!.run({
      id: row.reminder.id,
      eventId: row.reminder.eventId,
      state: row.state,
      fireAt: row.fireAt,
      start: row.reminder.start,
      reminder: JSON.stringify(row.reminder),
      now,
    });
  }

  prune(before: number): void {
    this.s.prune!.run(before);
  }
}
