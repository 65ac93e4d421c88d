// The calendar: calendars (owned, shared, each person's color and visibility), events (series,
// exceptions and single events, times in UTC millis with the zone they were planned in), attendees
// and their answers (for a series or one occurrence), meeting rooms, and private feed tokens.
import type { Kysely } from 'kysely';
import type { Migration } from '../migrator';

export const migration0080: Migration = {
  version: 80,
  name: 'calendar',
  async up(db: Kysely<any>, dialect) {
    const millis = dialect === 'postgres' ? 'bigint' : 'integer';

    await db.schema
      .createTable('calendars')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('color', 'text', (c) => c.notNull())
      .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', millis, (c) => c.notNull())
      .addColumn('deleted_at', millis)
      .execute();
    await db.schema.createIndex('calendars_owner').on('calendars').column('owner_id').execute();

    await db.schema
      .createTable('calendar_shares')
      .addColumn('calendar_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('calendar_shares_pk', ['calendar_id', 'user_id'])
      .execute();
    await db.schema.createIndex('calendar_shares_user').on('calendar_shares').column('user_id').execute();

    // Each person's own color and show/hide for a calendar they see (their own or shared).
    await db.schema
      .createTable('calendar_prefs')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('calendar_id', 'text', (c) => c.notNull())
      .addColumn('color', 'text')
      .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('calendar_prefs_pk', ['user_id', 'calendar_id'])
      .execute();

    await db.schema
      .createTable('events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('calendar_id', 'text', (c) => c.notNull())
      .addColumn('organizer_id', 'text', (c) => c.notNull())
      // iCalendar UID: the series and its exceptions share it; imports update by it.
      .addColumn('uid', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('location', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('all_day', 'integer', (c) => c.notNull().defaultTo(0))
      // Timed: UTC millis. All-day: midnight UTC of start_date / end_date (end exclusive).
      .addColumn('start_at', millis, (c) => c.notNull())
      .addColumn('end_at', millis, (c) => c.notNull())
      .addColumn('start_date', 'text')
      .addColumn('end_date', 'text')
      .addColumn('time_zone', 'text')
      .addColumn('rrule', 'text')
      .addColumn('exdates', 'text', (c) => c.notNull().defaultTo('[]'))
      // The end of the last occurrence (UNTIL / COUNT), null for an open series: range queries
      // take events with start_at < to and (last_end_at is null or last_end_at > from).
      .addColumn('last_end_at', millis)
      .addColumn('series_id', 'text')
      .addColumn('recurrence_id', millis)
      .addColumn('room_id', 'text')
      .addColumn('reminders', 'text', (c) => c.notNull().defaultTo('[15]'))
      .addColumn('cancelled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', millis, (c) => c.notNull())
      .addColumn('updated_at', millis, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('events_calendar_start').on('events').columns(['calendar_id', 'start_at']).execute();
    await db.schema.createIndex('events_series').on('events').columns(['series_id', 'recurrence_id']).execute();
    await db.schema.createIndex('events_room_start').on('events').columns(['room_id', 'start_at']).execute();
    await db.schema.createIndex('events_uid').on('events').columns(['calendar_id', 'uid']).execute();

    await db.schema
      .createTable('event_attendees')
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull().defaultTo('needs_action'))
      .addColumn('via_department_id', 'text')
      .addColumn('responded_at', millis)
      .addPrimaryKeyConstraint('event_attendees_pk', ['event_id', 'user_id'])
      .execute();
    await db.schema.createIndex('event_attendees_user').on('event_attendees').column('user_id').execute();

    // An attendee's answer for one occurrence of a series (the series-wide one is in event_attendees).
    await db.schema
      .createTable('event_responses')
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('recurrence_id', millis, (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('responded_at', millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('event_responses_pk', ['event_id', 'user_id', 'recurrence_id'])
      .execute();

    await db.schema
      .createTable('meeting_rooms')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('capacity', 'integer', (c) => c.notNull())
      .addColumn('location', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('equipment', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_at', millis, (c) => c.notNull())
      .addColumn('deleted_at', millis)
      .execute();

    // Private subscription URLs: only the token's sha256 is kept.
    await db.schema
      .createTable('calendar_feeds')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', millis, (c) => c.notNull())
      .addColumn('revoked_at', millis)
      .execute();
    await db.schema.createIndex('calendar_feeds_user').on('calendar_feeds').column('user_id').execute();
  },
};
