import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../../../shared/lib/ids';
import type { Reminder } from '../../../../shared/contract';
import type { CalendarEvent } from '../../../../shared/protocol';
import { migrate, openLocalCache } from '../local-cache';
import { latestVersion, migrations } from './index';

const dirs: string[] = [];
function tempPath() {
  const dir = mkdtempSync(join(tmpdir(), 'qixin-mig-'));
  dirs.push(dir);
  return join(dir, 'cache.db');
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const userId = newId();

function event(title: string): CalendarEvent {
  return {
    id: newId(),
    calendarId: newId(),
    organizerId: userId,
    title,
    location: '3 楼会议室',
    description: '',
    time: { allDay: false, start: 1_800_000_000_000, end: 1_800_003_600_000, timeZone: 'Asia/Shanghai' },
    rrule: null,
    exdates: [],
    seriesId: null,
    recurrenceId: null,
    attendees: [],
    roomId: null,
    reminders: [15],
    cancelled: false,
    sequence: 0,
    updatedAt: 1,
    busyOnly: false,
  };
}

function reminder(e: CalendarEvent): Reminder {
  const start = e.time.allDay ? 0 : e.time.start;
  return {
    id: `${e.id}:${start}:15`,
    eventId: e.id,
    title: e.title,
    location: e.location,
    start,
    end: start + 3_600_000,
    allDay: false,
    fireAt: start - 15 * 60_000,
    missed: false,
  };
}

describe('migration 0060-calendar', () => {
  it('upgrades a version-50 cache: no events, no reminders', () => {
    const file = tempPath();
    const db = new Database(file);
    for (const m of migrations.filter((m) => m.version <= 50)) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
    db.prepare("INSERT INTO kv (key, value) VALUES ('lastUserId', ?)").run(JSON.stringify(userId));
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(db.prepare('SELECT count(*) AS n FROM calendar_events').get()).toEqual({ n: 0 });
    db.close();
    const cache = openLocalCache({ path: file });
    expect(cache.read.kv('lastUserId')).toBe(userId);
    expect(cache.calendar.events()).toEqual([]);
    expect(cache.calendar.shown()).toEqual([]);
    cache.close();
  });

  it('keeps events and reminder states across a reopen, prunes old dismissed ones, forgets all on wipe', () => {
    const file = tempPath();
    let cache = openLocalCache({ path: file });
    const weekly = event('周会');
    const review = event('季度复盘 📊');
    cache.calendar.replaceEvents([weekly, review]);
    cache.calendar.put({ reminder: reminder(weekly), state: 'fired', fireAt: reminder(weekly).fireAt }, 1);
    cache.calendar.put({ reminder: reminder(review), state: 'snoozed', fireAt: 1_800_000_300_000 }, 1);
    cache.close();

    cache = openLocalCache({ path: file });
    expect(
      cache.calendar
        .events()
        .map((e) => e.title)
        .sort(),
    ).toEqual(['周会', '季度复盘 📊'].sort());
    expect(cache.calendar.shown().map((r) => r.title)).toEqual(['周会']);
    expect(cache.calendar.reminder(reminder(review).id)).toMatchObject({ state: 'snoozed', fireAt: 1_800_000_300_000 });
    // Replacing the events keeps only what the relay returned.
    cache.calendar.replaceEvents([review]);
    expect(cache.calendar.events().map((e) => e.id)).toEqual([review.id]);

    cache.calendar.put({ reminder: reminder(weekly), state: 'dismissed', fireAt: reminder(weekly).fireAt }, 2);
    expect(cache.calendar.shown()).toEqual([]);
    cache.calendar.prune(1_800_000_000_001);
    expect(cache.calendar.reminder(reminder(weekly).id)).toBeNull();
    expect(cache.calendar.reminder(reminder(review).id)).not.toBeNull();

    cache.write.wipe();
    expect(cache.calendar.events()).toEqual([]);
    expect(cache.calendar.reminders()).toEqual([]);
    cache.close();
  });
});
