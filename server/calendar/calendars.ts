// Calendars: each person's primary calendar (我的日历, made on first use), more calendars of their
// own, shares to members at a level (freebusy / view / edit), and each viewer's own color and
// show/hide. Levels are read here; what each level allows is decided in server/domain/policy.ts.
import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { CalendarInfo, CalendarLevel } from '../../shared/protocol';
import type { Reader } from '../domain/context';
import type { CalendarAccess } from '../domain/policy';
import type { CalendarRow } from '../store/schema';

export type StoredCalendar = Selectable<CalendarRow>;

export const PRIMARY_CALENDAR_NAME = '我的日历';
export const DEFAULT_CALENDAR_COLOR = '#1677ff';

/**
 * The primary calendar's id follows from its owner's (a UUID made of a hash): two devices asking
 * for it at once insert the same row, and the second insert does nothing.
 */
export function primaryCalendarId(userId: string): string {
  const h = createHash('sha256').update(`qixin-primary-calendar:${userId}`).digest('hex');
  // Version 8 (custom) and the RFC 4122 variant, so it is a valid UUID.
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Makes the caller's primary calendar if it is missing. */
export async function ensurePrimaryCalendar(db: Reader, userId: string, now: number): Promise<void> {
  await db
    .insertInto('calendars')
    .values({
      id: primaryCalendarId(userId),
      owner_id: userId,
      name: PRIMARY_CALENDAR_NAME,
      color: DEFAULT_CALENDAR_COLOR,
      is_primary: 1,
      created_at: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function loadCalendar(db: Reader, calendarId: string): Promise<StoredCalendar | undefined> {
  const row = await db
    .selectFrom('calendars')
    .selectAll()
    .where('id', '=', calendarId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row && { ...row, is_primary: Number(row.is_primary), created_at: Number(row.created_at) };
}

/** The caller's level on one calendar (null: none, or no such calendar). */
export async function calendarLevel(db: Reader, userId: string, calendar: StoredCalendar | undefined) {
  if (!calendar) return null;
  if (calendar.owner_id === userId) return 'owner' as const;
  const share = await db
    .selectFrom('calendar_shares')
    .select('level')
    .where('calendar_id', '=', calendar.id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return share?.level ?? null;
}

/** Every calendar the caller sees, with their level on it. */
export async function calendarLevels(db: Reader, userId: string): Promise<Map<string, CalendarAccess>> {
  const [own, shared] = await Promise.all([
    db.selectFrom('calendars').select('id').where('owner_id', '=', userId).where('deleted_at', 'is', null).execute(),
    db
      .selectFrom('calendar_shares')
      .innerJoin('calendars', 'calendars.id', 'calendar_shares.calendar_id')
      .select(['calendar_shares.calendar_id', 'calendar_shares.level'])
      .where('calendar_shares.user_id', '=', userId)
      .where('calendars.deleted_at', 'is', null)
      .execute(),
  ]);
  const out = new Map<string, CalendarAccess>(shared.map((s) => [s.calendar_id, s.level]));
  for (const c of own) out.set(c.id, 'owner');
  return out;
}

/** Levels of many people on many calendars: calendarId → userId → level. */
export async function levelsOn(
  db: Reader,
  calendarIds: readonly string[],
): Promise<Map<string, Map<string, CalendarAccess>>> {
  const out = new Map<string, Map<string, CalendarAccess>>();
  const ids = [...new Set(calendarIds)];
  if (ids.length === 0) return out;
  const [owners, shares] = await Promise.all([
    db
      .selectFrom('calendars')
      .select(['id', 'owner_id'])
      .where('id', 'in', ids)
      .where('deleted_at', 'is', null)
      .execute(),
    db.selectFrom('calendar_shares').selectAll().where('calendar_id', 'in', ids).execute(),
  ]);
  for (const o of owners) out.set(o.id, new Map([[o.owner_id, 'owner']]));
  for (const s of shares) out.get(s.calendar_id)?.set(s.user_id, s.level);
  return out;
}

/** The owner and everyone a calendar is shared with. */
export async function calendarAudience(db: Reader, calendarIds: readonly string[]): Promise<string[]> {
  const levels = await levelsOn(db, calendarIds);
  return [...new Set([...levels.values()].flatMap((m) => [...m.keys()]))];
}

/** The calendars as the caller sees them: their own first (primary first), then shared ones. */
export async function calendarInfos(db: Reader, userId: string, onlyIds?: readonly string[]): Promise<CalendarInfo[]> {
  const levels = await calendarLevels(db, userId);
  const ids = onlyIds ? onlyIds.filter((id) => levels.has(id)) : [...levels.keys()];
  if (ids.length === 0) return [];
  const [rows, shares, prefs] = await Promise.all([
    db.selectFrom('calendars').selectAll().where('id', 'in', ids).execute(),
    db.selectFrom('calendar_shares').selectAll().where('calendar_id', 'in', ids).orderBy('user_id').execute(),
    db.selectFrom('calendar_prefs').selectAll().where('user_id', '=', userId).where('calendar_id', 'in', ids).execute(),
  ]);
  const prefOf = new Map(prefs.map((p) => [p.calendar_id, p]));
  const infos = rows.map((row): CalendarInfo => {
    const level = levels.get(row.id)!;
    const pref = prefOf.get(row.id);
    return {
      id: row.id,
      ownerId: row.owner_id,
      name: row.name,
      color: pref?.color ?? row.color,
      hidden: Number(pref?.hidden ?? 0) === 1,
      level,
      primary: Number(row.is_primary) === 1,
      // Who else sees it is the owner's business (and an editor's, who writes for them all).
      shares:
        level === 'owner' || level === 'edit'
          ? shares
              .filter((s) => s.calendar_id === row.id)
              .map((s) => ({ userId: s.user_id, level: s.level as CalendarLevel }))
          : [],
    };
  });
  const rank = (c: CalendarInfo) => (c.level === 'owner' ? (c.primary ? 0 : 1) : 2);
  const created = new Map(rows.map((r) => [r.id, Number(r.created_at)]));
  return infos.sort((a, b) => rank(a) - rank(b) || created.get(a.id)! - created.get(b.id)! || a.id.localeCompare(b.id));
}
