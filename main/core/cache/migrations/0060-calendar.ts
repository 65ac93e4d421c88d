import type { Database } from 'better-sqlite3';

/**
 * The calendar (protocol 6): the caller's events of the coming days, kept so reminders fire from the
 * main process even offline or with the window closed, and each reminder's state, so none fires
 * twice, also across restarts, and a snooze outlives a restart.
 */
export const version = 60;

export function up(db: Database): void {
  db.exec(`
    -- Series, exceptions and single events as cal.events returned them (CalendarEvent JSON).
    CREATE TABLE calendar_events (
      id TEXT PRIMARY KEY,
      event TEXT NOT NULL
    ) STRICT;
    -- One row per reminder that fired (or was passed over): fired (shown until dismissed),
    -- snoozed (fires again at fire_at) or dismissed. Reminders not yet due have no row.
    CREATE TABLE calendar_reminders (
      id TEXT PRIMARY KEY,
      event_id TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('fired', 'snoozed', 'dismissed')),
      fire_at INTEGER NOT NULL,
      start INTEGER NOT NULL,
      -- The Reminder JSON last emitted (title, place, times, missed).
      reminder TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX calendar_reminders_state ON calendar_reminders (state, fire_at);
    CREATE INDEX calendar_reminders_start ON calendar_reminders (start);
  `);
}
