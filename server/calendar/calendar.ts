// 日程 on the relay: the `cal.*` requests (server/gateway/calendar-handlers.ts) and what the
// iCalendar endpoints need (calendar-http.ts). Every rule is decided in server/domain/policy.ts
// (the calendar section); event writes live in event-writes.ts, rooms in rooms.ts, feeds in feeds.ts.
import { newId } from '../../shared/lib/ids';
import {
  CalendarHttpPaths,
  CalendarLimits,
  QixinError,
  type AttendeeResponse,
  type CalendarEvent,
  type CalendarInfo,
  type EditScope,
  type EventFields,
  type MeetingRoom,
  type RequestParams,
  type RequestResult,
} from '../../shared/protocol';
import { audit } from '../domain/audit';
import type { ChangeStream } from '../domain/changes';
import type { DomainContext, Reader, Tx } from '../domain/context';
import { visibleUsers } from '../domain/directory/reads';
import { loadViewer } from '../domain/directory/viewer';
import * as policy from '../domain/policy';
import { busyOf } from './busy';
import {
  calendarInfos,
  calendarLevel,
  calendarLevels,
  ensurePrimaryCalendar,
  levelsOn,
  loadCalendar,
  type StoredCalendar,
} from './calendars';
import { CalendarEffects, EffectsBuilder } from './event-effects';
import {
  eventView,
  loadEventRow,
  loadRange,
  normalizeEvent,
  withAttendees,
  type EventFilter,
  type LoadedEvent,
} from './event-rows';
import { EventWrites, type Conflict } from './event-writes';
import { Feeds } from './feeds';
import { Rooms } from './rooms';

const DAY = 24 * 60 * 60 * 1000;

export interface CalendarOptions {
  /** The relay's public URL (QIXIN_PUBLIC_URL, else where it listens), for subscription URLs. */
  publicUrl(): string;
}

export class Calendar {
  readonly rooms: Rooms;
  readonly feeds: Feeds;
  readonly effects: CalendarEffects;
  private readonly writes: EventWrites;

  constructor(
    private readonly ctx: DomainContext,
    changes: ChangeStream,
    private readonly options: CalendarOptions,
  ) {
    this.rooms = new Rooms(ctx);
    this.feeds = new Feeds(ctx);
    this.effects = new CalendarEffects(ctx, changes);
    this.writes = new EventWrites(ctx, this.effects);
  }

  // ------------------------------------------------------------------ calendars

  async calendars(userId: string): Promise<{ calendars: CalendarInfo[] }> {
    await ensurePrimaryCalendar(this.ctx.db, userId, this.ctx.now());
    return { calendars: await calendarInfos(this.ctx.db, userId) };
  }

  async createCalendar(userId: string, name: string, color: string): Promise<{ calendar: CalendarInfo }> {
    await ensurePrimaryCalendar(this.ctx.db, userId, this.ctx.now());
    const id = newId();
    await this.calendarWrite(async (trx, b) => {
      const own = await trx
        .selectFrom('calendars')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('owner_id', '=', userId)
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow();
      if (Number(own.n) >= CalendarLimits.calendarsPerUser)
        throw new QixinError('invalid', `a person has at most ${CalendarLimits.calendarsPerUser} calendars`);
      await trx
        .insertInto('calendars')
        .values({ id, owner_id: userId, name, color, is_primary: 0, created_at: this.ctx.now() })
        .execute();
      b.people.add(userId);
    });
    return { calendar: (await calendarInfos(this.ctx.db, userId, [id]))[0]! };
  }

  /** The owner renames and shares; anyone who sees it sets their own color and show/hide. */
  async updateCalendar(userId: string, p: RequestParams<'cal.updateCalendar'>): Promise<{ calendar: CalendarInfo }> {
    const shares = p.shares ? await this.shareable(userId, p.shares) : undefined;
    await this.calendarWrite(async (trx, b) => {
      const calendar = await loadCalendar(trx, p.calendarId);
      const level = await calendarLevel(trx, userId, calendar);
      policy.assertCalendarLevel(level, policy.CALENDAR_NEEDS.busy, 'see it');
      b.people.add(userId);
      if (p.name !== undefined || shares !== undefined)
        policy.assertCalendarLevel(level, policy.CALENDAR_NEEDS.manage, 'rename or share it');
      if (p.name !== undefined) {
        await trx.updateTable('calendars').set({ name: p.name }).where('id', '=', p.calendarId).execute();
        b.calendarIds.add(p.calendarId);
      }
      if (shares !== undefined) await this.replaceShares(trx, b, userId, calendar!, shares);
      if (level === 'owner' && p.color !== undefined)
        await trx.updateTable('calendars').set({ color: p.color }).where('id', '=', p.calendarId).execute();
      const pref = {
        ...(level !== 'owner' && p.color !== undefined ? { color: p.color } : {}),
        ...(p.hidden !== undefined ? { hidden: p.hidden ? 1 : 0 } : {}),
      };
      if (Object.keys(pref).length > 0)
        await trx
          .insertInto('calendar_prefs')
          .values({ user_id: userId, calendar_id: p.calendarId, color: null, hidden: 0, ...pref })
          .onConflict((oc) => oc.columns(['user_id', 'calendar_id']).doUpdateSet(pref))
          .execute();
    });
    return { calendar: (await calendarInfos(this.ctx.db, userId, [p.calendarId]))[0]! };
  }

  /** Deleting a calendar (never the primary one) removes its events. */
  async deleteCalendar(userId: string, calendarId: string): Promise<Record<string, never>> {
    await this.calendarWrite(async (trx, b) => {
      const calendar = await loadCalendar(trx, calendarId);
      policy.assertCalendarLevel(await calendarLevel(trx, userId, calendar), policy.CALENDAR_NEEDS.manage, 'delete it');
      policy.assertCalendarDeletable(calendar!);
      b.calendarIds.add(calendarId);
      const events = trx.selectFrom('events').select('id').where('calendar_id', '=', calendarId);
      const attendees = await trx
        .selectFrom('event_attendees')
        .select('user_id')
        .distinct()
        .where('event_id', 'in', events)
        .execute();
      for (const a of attendees) b.people.add(a.user_id);
      // The shares go below; its audience is taken now.
      for (const s of await trx
        .selectFrom('calendar_shares')
        .select('user_id')
        .where('calendar_id', '=', calendarId)
        .execute())
        b.people.add(s.user_id);
      await trx.deleteFrom('event_attendees').where('event_id', 'in', events).execute();
      await trx.deleteFrom('event_responses').where('event_id', 'in', events).execute();
      await trx.deleteFrom('events').where('calendar_id', '=', calendarId).execute();
      await trx.deleteFrom('calendar_shares').where('calendar_id', '=', calendarId).execute();
      await trx.deleteFrom('calendar_prefs').where('calendar_id', '=', calendarId).execute();
      await trx.updateTable('calendars').set({ deleted_at: this.ctx.now() }).where('id', '=', calendarId).execute();
    });
    return {};
  }

  /** Shares go to active members the owner may see. */
  private async shareable(userId: string, shares: NonNullable<RequestParams<'cal.updateCalendar'>['shares']>) {
    policy.assertCalendarSharesValid(userId, shares);
    const viewer = await loadViewer(this.ctx.db, userId);
    const users = await visibleUsers(
      this.ctx.db,
      viewer,
      shares.map((s) => s.userId),
    );
    const usable = new Set(users.filter((u) => u.status === 'active').map((u) => u.id));
    for (const s of shares)
      if (!usable.has(s.userId)) throw new QixinError('invalid', `no such member to share with: ${s.userId}`);
    return shares;
  }

  /** A permission change: audited with the shares before and after. */
  private async replaceShares(
    trx: Tx,
    b: EffectsBuilder,
    userId: string,
    calendar: StoredCalendar,
    shares: NonNullable<RequestParams<'cal.updateCalendar'>['shares']>,
  ): Promise<void> {
    const before = await trx
      .selectFrom('calendar_shares')
      .select(['user_id', 'level'])
      .where('calendar_id', '=', calendar.id)
      .orderBy('user_id')
      .execute();
    await trx.deleteFrom('calendar_shares').where('calendar_id', '=', calendar.id).execute();
    if (shares.length > 0)
      await trx
        .insertInto('calendar_shares')
        .values(shares.map((s) => ({ calendar_id: calendar.id, user_id: s.userId, level: s.level })))
        .execute();
    for (const s of [...before.map((x) => x.user_id), ...shares.map((x) => x.userId)]) b.people.add(s);
    b.calendarIds.add(calendar.id);
    await audit(trx, this.ctx.now(), {
      actorId: userId,
      action: 'calendar.shares_changed',
      targetId: calendar.id,
      detail: {
        name: calendar.name,
        before: before.map((x) => ({ userId: x.user_id, level: x.level })),
        after: [...shares].sort((x, y) => x.userId.localeCompare(y.userId)),
      },
    });
  }

  /** A change of calendars (not events): everyone concerned refetches their calendars. */
  private async calendarWrite(work: (trx: Tx, b: EffectsBuilder) => Promise<void>): Promise<void> {
    const b = new EffectsBuilder();
    b.calendarsChanged = true;
    const effects = await this.ctx.transaction(async (trx) => {
      await work(trx, b);
      return this.effects.commit(trx, b);
    });
    this.effects.publish(effects);
  }

  // ------------------------------------------------------------------ events

  /**
   * Series, exceptions and single events that may occur in [from, to): of the calendars asked for
   * (default: every calendar the caller sees, plus the events they organize or are invited to).
   */
  async events(userId: string, p: RequestParams<'cal.events'>): Promise<{ events: CalendarEvent[] }> {
    assertRange(p.from, p.to);
    await ensurePrimaryCalendar(this.ctx.db, userId, this.ctx.now());
    const levels = await calendarLevels(this.ctx.db, userId);
    if (p.calendarIds)
      for (const id of p.calendarIds)
        policy.assertCalendarLevel(levels.get(id) ?? null, policy.CALENDAR_NEEDS.busy, 'see it');
    const filter: EventFilter = p.calendarIds
      ? { calendarIds: p.calendarIds }
      : { calendarIds: [...levels.keys()], people: [userId] };
    const rows = await withAttendees(this.ctx.db, await loadRange(this.ctx.db, filter, p.from, p.to));
    return { events: readable(rows, userId, levels) };
  }

  async get(userId: string, eventId: string): Promise<{ event: CalendarEvent }> {
    return { event: await this.viewOf(this.ctx.db, userId, eventId) };
  }

  async create(userId: string, input: EventFields & { id: string }) {
    const { eventId, conflicts } = await this.writes.create(userId, input);
    return { event: await this.viewOf(this.ctx.db, userId, eventId), conflicts };
  }

  async update(
    userId: string,
    p: RequestParams<'cal.update'>,
  ): Promise<{ event: CalendarEvent; conflicts: Conflict[] }> {
    const { eventId, conflicts } = await this.writes.update(
      userId,
      p.eventId,
      p.scope ?? 'all',
      p.recurrenceId ?? null,
      p.patch,
    );
    return { event: await this.viewOf(this.ctx.db, userId, eventId), conflicts };
  }

  async cancel(userId: string, eventId: string, scope: EditScope, recurrenceId: number | null) {
    await this.writes.cancel(userId, eventId, scope, recurrenceId);
    return {};
  }

  async respond(
    userId: string,
    eventId: string,
    response: Exclude<AttendeeResponse, 'needs_action'>,
    recurrenceId: number | null,
  ): Promise<{ event: CalendarEvent }> {
    const id = await this.writes.respond(userId, eventId, response, recurrenceId);
    return { event: await this.viewOf(this.ctx.db, userId, id) };
  }

  /** One event as the caller may see it (busyOnly at free/busy level); event_not_found otherwise. */
  private async viewOf(db: Reader, userId: string, eventId: string): Promise<CalendarEvent> {
    const row = await loadEventRow(db, eventId);
    if (!row) throw policy.eventNotFound();
    const series = row.series_id ? await loadEventRow(db, row.series_id) : undefined;
    const loaded = await withAttendees(db, series ? [row, series] : [row]);
    const levels = await levelsOn(db, [row.calendar_id]);
    const view = readable(
      loaded,
      userId,
      new Map([[row.calendar_id, levels.get(row.calendar_id)?.get(userId) ?? null]]),
    ).find((e) => e.id === eventId);
    if (!view) throw policy.eventNotFound();
    return view;
  }

  // ------------------------------------------------------------------ free/busy and rooms

  /** Colleagues' busy times (never what): people the caller may not see in the directory are left out. */
  async freeBusy(userId: string, p: RequestParams<'cal.freeBusy'>): Promise<RequestResult<'cal.freeBusy'>> {
    assertRange(p.from, p.to);
    const viewer = await loadViewer(this.ctx.db, userId);
    const visible = (await visibleUsers(this.ctx.db, viewer, p.userIds)).map((u) => u.id);
    const busy: RequestResult<'cal.freeBusy'>['busy'] = Object.fromEntries(visible.map((id) => [id, []]));
    for (const o of await busyOf(this.ctx.db, visible, p.from, p.to)) {
      busy[o.userId]!.push({ start: o.start, end: o.end, tentative: o.tentative });
    }
    for (const list of Object.values(busy)) list.sort((a, b) => a.start - b.start || a.end - b.end);
    return { busy };
  }

  async roomBusy(p: RequestParams<'cal.roomBusy'>): Promise<RequestResult<'cal.roomBusy'>> {
    assertRange(p.from, p.to);
    return this.rooms.busy(p.roomId, p.from, p.to);
  }

  saveRoom(userId: string, room: Omit<MeetingRoom, 'id'> & { id?: string }) {
    return this.rooms.save(userId, room);
  }

  // ------------------------------------------------------------------ subscription feed

  async feed(userId: string, rotate: boolean): Promise<{ url: string; createdAt: number }> {
    const { token, createdAt } = await this.feeds.issue(userId, rotate);
    return { url: this.options.publicUrl().replace(/\/+$/, '') + CalendarHttpPaths.feed(token), createdAt };
  }

  // ------------------------------------------------------------------ for iCalendar

  /** A calendar the caller may read in full (export), and its name. */
  async readableCalendar(userId: string, calendarId: string): Promise<StoredCalendar> {
    const calendar = await loadCalendar(this.ctx.db, calendarId);
    policy.assertCalendarLevel(
      await calendarLevel(this.ctx.db, userId, calendar),
      policy.CALENDAR_NEEDS.read,
      'export it',
    );
    return calendar!;
  }

  /** Every event of one calendar (export), in full. */
  async calendarEvents(calendarId: string): Promise<CalendarEvent[]> {
    const rows = await this.ctx.db.selectFrom('events').selectAll().where('calendar_id', '=', calendarId).execute();
    return (await withAttendees(this.ctx.db, rows.map(normalizeEvent))).map((e) => eventView(e, false));
  }

  /** What a person's feed shows: events they own, organize or attend, ~90 days back to a year ahead. */
  async feedEvents(userId: string, now: number): Promise<CalendarEvent[]> {
    const own = await this.ctx.db
      .selectFrom('calendars')
      .select('id')
      .where('owner_id', '=', userId)
      .where('deleted_at', 'is', null)
      .execute();
    const rows = await withAttendees(
      this.ctx.db,
      await loadRange(
        this.ctx.db,
        { calendarIds: own.map((c) => c.id), people: [userId] },
        now - 90 * DAY,
        now + 366 * DAY,
      ),
    );
    const levels = new Map(own.map((c) => [c.id, 'owner' as const]));
    return readable(rows, userId, levels).filter((e) => !e.busyOnly);
  }
}

function assertRange(from: number, to: number): void {
  if (to <= from) throw new QixinError('invalid', 'the range must end after it starts');
  if (to - from > CalendarLimits.rangeMaxDays * DAY)
    throw new QixinError('invalid', `a range spans at most ${CalendarLimits.rangeMaxDays} days`);
}

/**
 * The events the caller may read, as they may read them: in full as organizer, attendee, or with
 * view level on the calendar; busy only with free/busy level; an exception as its series allows.
 */
function readable(
  rows: readonly LoadedEvent[],
  userId: string,
  levels: ReadonlyMap<string, policy.CalendarAccess | null>,
): CalendarEvent[] {
  const byId = new Map(rows.map((e) => [e.row.id, e]));
  const access = (e: LoadedEvent): 'full' | 'busy' | null => {
    try {
      return policy.eventReadLevel(
        e.row,
        userId,
        e.attendees.some((a) => a.user_id === userId),
        levels.get(e.row.calendar_id) ?? null,
      );
    } catch {
      return null;
    }
  };
  const out: { view: CalendarEvent; start: number }[] = [];
  for (const e of rows) {
    let level = access(e);
    const series = e.row.series_id ? byId.get(e.row.series_id) : undefined;
    if (level !== 'full' && series) level = access(series) ?? level;
    if (level === null) continue;
    out.push({ view: eventView(e, level === 'busy'), start: Number(e.row.start_at) });
  }
  return out.sort((a, b) => a.start - b.start || a.view.id.localeCompare(b.view.id)).map((x) => x.view);
}
