// Creating, changing, cancelling and answering events. Each is one transaction: check the rules
// (policy.ts), write the rows, book rooms (locked, checked for double booking), then append the
// `calendar` changes and the chat notices (event-effects.ts); they go out after commit.
//
// Recurring events: a series row (rrule, exdates) and exception rows (seriesId + recurrenceId, the
// original start of the occurrence they replace). Scopes:
// - `this`: the occurrence becomes (or is) an exception. Cancelling one occurrence makes a cancelled
//   exception rather than an exdate, so attendees still see that occurrence, marked 已取消 (an exdate
//   would make it vanish). Exdates come only from imported files.
// - `following`: the series ends before that occurrence (COUNT cut, or UNTIL) and a new series with a
//   new id and uid continues from it, taking the exceptions, exdates and per-occurrence answers from
//   there on; then the change applies to all of the new series.
// - `all`: the series changes. Exceptions keep their own changes: a field they did not change follows
//   the series; an exception that was not moved follows the new time. When the rule stays, the n-th
//   occurrence stays the n-th (a series moved by an hour keeps its exceptions); when the rule
//   changes, an exception whose occurrence no longer exists is dropped.
import type { z } from 'zod';
import { newId } from '../../shared/lib/ids';
import {
  QixinError,
  type AttendeeResponse,
  type EditScope,
  type EventFields,
  type calendarRequests,
} from '../../shared/protocol';
import type { DomainContext, Reader, Tx } from '../domain/context';
import * as policy from '../domain/policy';
import { busyOf, familyOf, overlapsAny } from './busy';
import { parseAttachments, recordAttached, resolveAttachments, type ResolvedAttachments } from './event-attachments';
import { calendarLevel, loadCalendar } from './calendars';
import {
  attendeeDiff,
  draftColumns,
  draftOf,
  insertEvent,
  placeChanged,
  setAttendees,
  timeChanged,
  type Draft,
} from './event-drafts';
import { CalendarEffects, EffectsBuilder } from './event-effects';
import { resolveAttendees, shiftedTime, timeStart, type AttendeeDraft } from './event-input';
import {
  eventView,
  loadEventRow,
  loadFamily,
  withAttendees,
  type LoadedEvent,
  type StoredAttendee,
  type StoredEvent,
} from './event-rows';
import { endingBefore, occurrencesIn, ruleCount, ruleStarts, spanEnd, withCount } from './recurrence';
import { assertRoomFree, lockRoom } from './rooms';

type Patch = z.infer<(typeof calendarRequests)['cal.update']['params']>['patch'];
export type Conflict = { userId: string; start: number; end: number };

const CONFLICTS_MAX = 200;

/** The event a request names, with its series and the caller's standing. */
interface Target {
  row: LoadedEvent;
  /** The series of an exception; the row itself for a series; null for a single event. */
  series: LoadedEvent | null;
  level: policy.CalendarAccess | null;
}

export class EventWrites {
  private readonly effects: CalendarEffects;

  constructor(
    private readonly ctx: DomainContext,
    effects: CalendarEffects,
  ) {
    this.effects = effects;
  }

  // ------------------------------------------------------------------ create

  async create(
    actorId: string,
    input: EventFields & { id: string },
  ): Promise<{ eventId: string; conflicts: Conflict[] }> {
    // Drive files are checked before the transaction (reads only), as attendees are.
    const linked = await resolveAttachments(this.ctx.db, actorId, input.attachmentIds);
    const draft: Draft = {
      calendar_id: input.calendarId,
      title: input.title,
      location: input.location,
      description: input.description,
      time: input.time,
      rrule: input.rrule,
      reminders: input.reminders,
      room_id: input.roomId,
      attendees: await resolveAttendees(this.ctx.db, actorId, input.attendeeIds, input.departmentIds),
      attachments: linked.attachments,
    };
    const columns = draftColumns(draft);
    const eventId = await this.write(async (trx, b) => {
      const existing = await loadEventRow(trx, input.id);
      if (existing) {
        // A retried create: the first one stored it.
        if (existing.organizer_id === actorId) return null;
        throw new QixinError('conflict', 'this event id is taken');
      }
      const calendar = await loadCalendar(trx, input.calendarId);
      policy.assertCalendarLevel(
        await calendarLevel(trx, actorId, calendar),
        policy.CALENDAR_NEEDS.write,
        'add events to it',
      );
      const now = this.ctx.now();
      await insertEvent(
        trx,
        {
          id: input.id,
          organizer_id: actorId,
          uid: input.id,
          ...columns,
          exdates: '[]',
          series_id: null,
          recurrence_id: null,
          cancelled: 0,
          sequence: 0,
          created_at: now,
          updated_at: now,
        },
        draft.attendees,
      );
      const row = (await loadEventRow(trx, input.id))!;
      b.touch(
        row,
        draft.attendees.map((a) => a.userId),
      );
      b.book(row.id, draft.room_id !== null);
      for (const a of draft.attendees) b.notify(notice('eventInvited', row, a.userId, draft, this.ctx.now()));
      await recordAttached(trx, actorId, linked.added, now);
      return row.id;
    });
    return { eventId: input.id, conflicts: eventId ? await this.conflicts(eventId) : [] };
  }

  // ------------------------------------------------------------------ update

  async update(
    actorId: string,
    eventId: string,
    scope: EditScope,
    recurrenceId: number | null,
    patch: Patch,
  ): Promise<{ eventId: string; conflicts: Conflict[] }> {
    // Attendees are resolved against the directory, and new drive files checked, before the
    // transaction (reads only).
    const named = await loadEventRow(this.ctx.db, eventId);
    const linked =
      patch.attachmentIds !== undefined
        ? await resolveAttachments(this.ctx.db, actorId, patch.attachmentIds, await attachedTo(this.ctx.db, named))
        : undefined;
    const current = await this.ctx.db
      .selectFrom('event_attendees')
      .selectAll()
      .where('event_id', '=', eventId)
      .execute();
    const attendees =
      patch.attendeeIds !== undefined || patch.departmentIds !== undefined
        ? await resolveAttendees(
            this.ctx.db,
            named?.organizer_id ?? actorId,
            patch.attendeeIds ?? current.filter((a) => a.via_department_id === null).map((a) => a.user_id),
            patch.departmentIds ?? [
              ...new Set(current.flatMap((a) => (a.via_department_id ? [a.via_department_id] : []))),
            ],
          )
        : undefined;
    const resultId = await this.write(async (trx, b) => {
      const t = await this.target(trx, actorId, eventId);
      policy.assertCanChangeEvent(t.row.row, actorId, t.level);
      if (patch.calendarId !== undefined && patch.calendarId !== t.row.row.calendar_id) {
        if (scope === 'this' && t.series)
          throw new QixinError('invalid', 'an occurrence stays in the calendar of its series');
        const calendar = await loadCalendar(trx, patch.calendarId);
        policy.assertCalendarLevel(
          await calendarLevel(trx, actorId, calendar),
          policy.CALENDAR_NEEDS.write,
          'add events to it',
        );
      }
      if (linked) await recordAttached(trx, actorId, linked.added, this.ctx.now());
      const apply = (d: Draft): Draft => applyPatch(d, patch, attendees, linked);
      if (!t.series) return this.editSingle(trx, b, t.row, apply);
      const at = t.row.row.series_id ? Number(t.row.row.recurrence_id) : recurrenceId;
      if (scope === 'this') {
        if (patch.rrule) throw new QixinError('invalid', 'a single occurrence has no rule of its own');
        if (t.row.row.series_id) return this.editSingle(trx, b, t.row, apply);
        return this.editOccurrence(trx, b, t.series, needOccurrence(at), apply);
      }
      if (scope === 'following' && at !== null) {
        const rest = await this.split(trx, b, t.series, at);
        if (rest) return this.editSeries(trx, b, rest, apply);
      }
      return this.editSeries(trx, b, t.series, apply);
    });
    return { eventId: resultId, conflicts: await this.conflicts(resultId) };
  }

  // ------------------------------------------------------------------ cancel

  async cancel(actorId: string, eventId: string, scope: EditScope, recurrenceId: number | null): Promise<void> {
    await this.write(async (trx, b) => {
      const t = await this.target(trx, actorId, eventId);
      policy.assertCanChangeEvent(t.row.row, actorId, t.level);
      if (!t.series) return this.cancelRows(trx, b, [t.row]);
      const at = t.row.row.series_id ? Number(t.row.row.recurrence_id) : recurrenceId;
      if (scope === 'this') {
        if (t.row.row.series_id) return this.cancelRows(trx, b, [t.row]);
        const id = await this.editOccurrence(trx, b, t.series, needOccurrence(at), (d) => d, true);
        return id;
      }
      let series = t.series;
      if (scope === 'following' && at !== null) series = (await this.split(trx, b, t.series, at)) ?? t.series;
      const family = await withAttendees(trx, await loadFamily(trx, series.row.id));
      return this.cancelRows(trx, b, family);
    });
  }

  // ------------------------------------------------------------------ respond

  async respond(
    actorId: string,
    eventId: string,
    response: Exclude<AttendeeResponse, 'needs_action'>,
    recurrenceId: number | null,
  ): Promise<string> {
    return this.write(async (trx, b) => {
      const t = await this.target(trx, actorId, eventId);
      const now = this.ctx.now();
      let row = t.row;
      if (recurrenceId !== null && t.series && !row.row.series_id) {
        // One occurrence of a series: its exception if it has one, else an answer kept on the series.
        const exception = await exceptionAt(trx, t.series.row.id, recurrenceId);
        if (exception) row = exception;
        else {
          policy.assertCanRespond(row.attendees.some((a) => a.user_id === actorId));
          await assertOccurrence(t.series, recurrenceId);
          await trx
            .deleteFrom('event_responses')
            .where('event_id', '=', row.row.id)
            .where('user_id', '=', actorId)
            .where('recurrence_id', '=', recurrenceId)
            .execute();
          await trx
            .insertInto('event_responses')
            .values({
              event_id: row.row.id,
              user_id: actorId,
              recurrence_id: recurrenceId,
              response,
              responded_at: now,
            })
            .execute();
          b.touch(
            row.row,
            row.attendees.map((a) => a.user_id),
          );
          return row.row.id;
        }
      }
      policy.assertCanRespond(row.attendees.some((a) => a.user_id === actorId));
      const ids = [row.row.id];
      if (row.row.rrule !== null && !row.row.series_id) {
        // An answer for the whole series also answers its exceptions and replaces single answers.
        const family = await loadFamily(trx, row.row.id);
        ids.push(...family.filter((r) => r.id !== row.row.id).map((r) => r.id));
        await trx
          .deleteFrom('event_responses')
          .where('event_id', '=', row.row.id)
          .where('user_id', '=', actorId)
          .execute();
      }
      await trx
        .updateTable('event_attendees')
        .set({ response, responded_at: now })
        .where('event_id', 'in', ids)
        .where('user_id', '=', actorId)
        .execute();
      for (const id of ids) b.eventIds.add(id);
      b.touch(
        row.row,
        row.attendees.map((a) => a.user_id),
      );
      return row.row.id;
    });
  }

  // ------------------------------------------------------------------ the pieces

  /** One transaction: the work, the room checks, then the changes and notices; published after commit. */
  private async write<T extends string | null>(work: (trx: Tx, b: EffectsBuilder) => Promise<T>): Promise<T> {
    const b = new EffectsBuilder();
    const { result, effects } = await this.ctx.transaction(async (trx) => {
      const result = await work(trx, b);
      await this.checkRooms(trx, b);
      return { result, effects: await this.effects.commit(trx, b) };
    });
    this.effects.publish(effects);
    return result;
  }

  /** The event, its series, and the caller's level on its calendar; hidden → event_not_found. */
  private async target(trx: Tx, actorId: string, eventId: string): Promise<Target> {
    const row = await loadEventRow(trx, eventId);
    if (!row) throw policy.eventNotFound();
    const seriesRow = row.series_id ? await loadEventRow(trx, row.series_id) : row.rrule !== null ? row : undefined;
    const [loaded, series] = await withAttendees(trx, seriesRow && seriesRow !== row ? [row, seriesRow] : [row]);
    const level = await calendarLevel(trx, actorId, await loadCalendar(trx, row.calendar_id));
    const invited = (e?: LoadedEvent) => !!e?.attendees.some((a) => a.user_id === actorId);
    policy.eventReadLevel(row, actorId, invited(loaded) || invited(series), level);
    return { row: loaded!, series: seriesRow ? (series ?? loaded!) : null, level };
  }

  /** A single event or one exception changes in place. */
  private async editSingle(trx: Tx, b: EffectsBuilder, e: LoadedEvent, apply: (d: Draft) => Draft): Promise<string> {
    const before = draftOf(e);
    const after = apply(before);
    await this.rewrite(trx, b, e, before, after, {});
    return e.row.id;
  }

  /** Writes a row's new draft (sequence + 1), its attendees, and who to tell what. */
  private async rewrite(
    trx: Tx,
    b: EffectsBuilder,
    e: LoadedEvent,
    before: Draft,
    after: Draft,
    extra: { exdates?: number[]; recurrence_id?: number | null; series_id?: string | null; uid?: string },
  ): Promise<void> {
    const columns = draftColumns(after);
    // An exception is one occurrence: its last end is its end.
    if (e.row.series_id || extra.series_id) columns.last_end_at = columns.end_at;
    await trx
      .updateTable('events')
      .set({
        ...columns,
        ...(extra.exdates ? { exdates: JSON.stringify(extra.exdates) } : {}),
        ...(extra.recurrence_id !== undefined ? { recurrence_id: extra.recurrence_id } : {}),
        ...(extra.series_id !== undefined ? { series_id: extra.series_id } : {}),
        ...(extra.uid ? { uid: extra.uid } : {}),
        sequence: Number(e.row.sequence) + 1,
        updated_at: this.ctx.now(),
      })
      .where('id', '=', e.row.id)
      .execute();
    if (JSON.stringify(before.attendees) !== JSON.stringify(after.attendees))
      await setAttendees(trx, e.row.id, after.attendees, e.attendees);
    const row = (await loadEventRow(trx, e.row.id))!;
    b.touch(
      e.row,
      before.attendees.map((a) => a.userId),
    );
    b.touch(
      row,
      after.attendees.map((a) => a.userId),
    );
    b.book(
      row.id,
      after.room_id !== null &&
        (timeChanged(before, after) ||
          before.room_id !== after.room_id ||
          before.attendees.length !== after.attendees.length),
    );
    if (Number(row.cancelled) === 1) return;
    const now = this.ctx.now();
    const diff = attendeeDiff(before.attendees, after.attendees);
    for (const id of diff.added) b.notify(notice('eventInvited', row, id, after, now));
    for (const id of diff.removed) b.notify(notice('eventCancelled', row, id, after, now));
    if (timeChanged(before, after) || placeChanged(before, after))
      for (const id of diff.kept) b.notify(notice('eventChanged', row, id, after, now));
  }

  /** `this` on a series: the occurrence's exception, made from the series if it has none yet. */
  private async editOccurrence(
    trx: Tx,
    b: EffectsBuilder,
    series: LoadedEvent,
    at: number,
    apply: (d: Draft) => Draft,
    cancel = false,
  ): Promise<string> {
    const existing = await exceptionAt(trx, series.row.id, at);
    if (existing) {
      if (cancel) return this.cancelRows(trx, b, [existing]);
      return this.editSingle(trx, b, existing, apply);
    }
    await assertOccurrence(series, at);
    const slot: Draft = { ...draftOf(series), rrule: null, time: shiftedTime(draftOf(series).time, at) };
    const after = apply(slot);
    const id = newId();
    const now = this.ctx.now();
    const columns = draftColumns(after);
    // The answers given for this occurrence become the exception's own.
    const answers = series.responses.filter((r) => Number(r.recurrence_id) === at);
    const keep: StoredAttendee[] = series.attendees.map((a) => {
      const one = answers.find((r) => r.user_id === a.user_id);
      return one ? { ...a, response: one.response, responded_at: Number(one.responded_at) } : a;
    });
    await insertEvent(
      trx,
      {
        id,
        organizer_id: series.row.organizer_id,
        uid: series.row.uid,
        ...columns,
        last_end_at: columns.end_at,
        exdates: '[]',
        series_id: series.row.id,
        recurrence_id: at,
        cancelled: cancel ? 1 : 0,
        sequence: Number(series.row.sequence) + 1,
        created_at: now,
        updated_at: now,
      },
      after.attendees,
      keep,
    );
    await trx
      .deleteFrom('event_responses')
      .where('event_id', '=', series.row.id)
      .where('recurrence_id', '=', at)
      .execute();
    const row = (await loadEventRow(trx, id))!;
    b.touch(
      row,
      [...slot.attendees, ...after.attendees].map((a) => a.userId),
    );
    if (cancel) {
      for (const a of slot.attendees) b.notify(notice('eventCancelled', row, a.userId, slot, now));
      return id;
    }
    b.book(id, after.room_id !== null);
    const diff = attendeeDiff(slot.attendees, after.attendees);
    for (const uid of diff.added) b.notify(notice('eventInvited', row, uid, after, now));
    for (const uid of diff.removed) b.notify(notice('eventCancelled', row, uid, after, now));
    if (timeChanged(slot, after) || placeChanged(slot, after))
      for (const uid of diff.kept) b.notify(notice('eventChanged', row, uid, after, now));
    return id;
  }

  /**
   * `all` on a series: the series changes; each exception keeps what it changed itself, follows the
   * rest, and is dropped when its occurrence is gone (see the top of this file).
   */
  private async editSeries(
    trx: Tx,
    b: EffectsBuilder,
    series: LoadedEvent,
    apply: (d: Draft) => Draft,
  ): Promise<string> {
    const before = draftOf(series);
    const after = apply(before);
    const family = await withAttendees(trx, await loadFamily(trx, series.row.id));
    const exceptions = family.filter((e) => e.row.id !== series.row.id);
    const move = occurrenceMap(series, before, after, this.ctx.now(), [
      ...exceptions.map((e) => Number(e.row.recurrence_id)),
      ...(JSON.parse(series.row.exdates) as number[]),
      ...series.responses.map((r) => Number(r.recurrence_id)),
    ]);
    const exdates = (JSON.parse(series.row.exdates) as number[]).flatMap((x) => {
      const to = move(x);
      return to === null ? [] : [to];
    });
    await this.rewrite(trx, b, series, before, after, { exdates });
    await this.moveResponses(trx, series.row.id, series.row.id, series.responses, move);
    const diff = attendeeDiff(before.attendees, after.attendees);
    for (const x of exceptions) {
      const at = move(Number(x.row.recurrence_id));
      if (at === null) {
        await this.drop(trx, b, x);
        continue;
      }
      const own = draftOf(x);
      const followed = follow(own, before, after, Number(x.row.recurrence_id), at, diff);
      await this.rewrite(trx, b, x, own, followed, { recurrence_id: at });
    }
    return series.row.id;
  }

  /**
   * `following`: the series ends before `at` and a new series continues from there with the
   * exceptions, exdates and single answers from `at` on. Null when `at` is the series' first
   * occurrence (then `following` is `all`).
   */
  private async split(trx: Tx, b: EffectsBuilder, series: LoadedEvent, at: number): Promise<LoadedEvent | null> {
    const draft = draftOf(series);
    const first = timeStart(draft.time);
    await assertOccurrence(series, at);
    const earlier = ruleStarts(eventView(series, false), first, at).length;
    if (earlier === 0) return null;
    const rrule = draft.rrule!;
    const count = ruleCount(rrule);
    const head: Draft = {
      ...draft,
      rrule: count !== null ? withCount(rrule, earlier) : endingBefore(rrule, at, draft.time.allDay),
    };
    const tail: Draft = {
      ...draft,
      time: shiftedTime(draft.time, at),
      rrule: count !== null ? withCount(rrule, count - earlier) : rrule,
    };
    const exdates = JSON.parse(series.row.exdates) as number[];
    await trx
      .updateTable('events')
      .set({
        rrule: head.rrule,
        last_end_at: draftColumns(head).last_end_at,
        exdates: JSON.stringify(exdates.filter((x) => x < at)),
        sequence: Number(series.row.sequence) + 1,
        updated_at: this.ctx.now(),
      })
      .where('id', '=', series.row.id)
      .execute();
    const id = newId();
    const now = this.ctx.now();
    await insertEvent(
      trx,
      {
        id,
        organizer_id: series.row.organizer_id,
        uid: id,
        ...draftColumns(tail),
        exdates: JSON.stringify(exdates.filter((x) => x >= at)),
        series_id: null,
        recurrence_id: null,
        cancelled: Number(series.row.cancelled),
        sequence: Number(series.row.sequence) + 1,
        created_at: now,
        updated_at: now,
      },
      tail.attendees,
      series.attendees,
    );
    await trx
      .updateTable('events')
      .set({ series_id: id, uid: id, updated_at: now })
      .where('series_id', '=', series.row.id)
      .where('recurrence_id', '>=', at)
      .execute();
    await trx
      .updateTable('event_responses')
      .set({ event_id: id })
      .where('event_id', '=', series.row.id)
      .where('recurrence_id', '>=', at)
      .execute();
    const moved = await withAttendees(trx, await loadFamily(trx, id));
    b.touch(
      series.row,
      series.attendees.map((a) => a.user_id),
    );
    for (const e of moved)
      b.touch(
        e.row,
        e.attendees.map((a) => a.user_id),
      );
    return moved.find((e) => e.row.id === id)!;
  }

  /** Cancels the rows (they stay, marked): sequence + 1, and a notice to each attendee. */
  private async cancelRows(trx: Tx, b: EffectsBuilder, rows: readonly LoadedEvent[]): Promise<string> {
    const now = this.ctx.now();
    for (const e of rows) {
      b.touch(
        e.row,
        e.attendees.map((a) => a.user_id),
      );
      if (Number(e.row.cancelled) === 1) continue;
      await trx
        .updateTable('events')
        .set({ cancelled: 1, sequence: Number(e.row.sequence) + 1, updated_at: now })
        .where('id', '=', e.row.id)
        .execute();
      const draft = draftOf(e);
      for (const a of e.attendees) b.notify(notice('eventCancelled', e.row, a.user_id, draft, now));
    }
    return rows[0]!.row.id;
  }

  /** An exception whose occurrence no longer exists. */
  private async drop(trx: Tx, b: EffectsBuilder, e: LoadedEvent): Promise<void> {
    b.touch(
      e.row,
      e.attendees.map((a) => a.user_id),
    );
    await trx.deleteFrom('event_attendees').where('event_id', '=', e.row.id).execute();
    await trx.deleteFrom('events').where('id', '=', e.row.id).execute();
  }

  /** Answers for single occurrences follow their occurrence (or go with it). */
  private async moveResponses(
    trx: Tx,
    fromId: string,
    toId: string,
    responses: LoadedEvent['responses'],
    move: (at: number) => number | null,
  ): Promise<void> {
    for (const r of responses) {
      const at = move(Number(r.recurrence_id));
      if (at === Number(r.recurrence_id) && fromId === toId) continue;
      await trx
        .deleteFrom('event_responses')
        .where('event_id', '=', fromId)
        .where('user_id', '=', r.user_id)
        .where('recurrence_id', '=', Number(r.recurrence_id))
        .execute();
      if (at !== null)
        await trx
          .insertInto('event_responses')
          .values({
            event_id: toId,
            user_id: r.user_id,
            recurrence_id: at,
            response: r.response,
            responded_at: Number(r.responded_at),
          })
          .onConflict((oc) => oc.columns(['event_id', 'user_id', 'recurrence_id']).doNothing())
          .execute();
    }
  }

  /**
   * Every family whose booking changed: the room is locked, holds everyone, and none of the
   * family's occurrences overlaps another booking of it (up to the horizon for open series).
   */
  private async checkRooms(trx: Tx, b: EffectsBuilder): Promise<void> {
    const families = new Set<string>();
    for (const id of b.bookings) {
      const row = await loadEventRow(trx, id);
      if (row) families.add(familyOf(row));
    }
    if (families.size === 0) return;
    const rows = await withAttendees(trx, (await Promise.all([...families].map((f) => loadFamily(trx, f)))).flat());
    const live = rows.filter((e) => e.row.room_id !== null && Number(e.row.cancelled) === 0);
    const now = this.ctx.now();
    for (const roomId of [...new Set(live.map((e) => e.row.room_id!))].sort()) {
      const room = await lockRoom(trx, this.ctx, roomId);
      const booking = live.filter((e) => e.row.room_id === roomId);
      for (const e of booking) policy.assertRoomFits(room, e.attendees.length + 1);
      const from = Math.min(...booking.map((e) => Number(e.row.start_at)));
      const to = Math.max(...booking.map((e) => spanEnd(Number(e.row.start_at), e.row.last_end_at, now)));
      await assertRoomFree(trx, room, families, from, to);
    }
  }

  /**
   * The organizer's and attendees' other busy occurrences overlapping the event's (a warning; from
   * now on for a series, up to the horizon for an open one).
   */
  async conflicts(eventId: string): Promise<Conflict[]> {
    const row = await loadEventRow(this.ctx.db, eventId);
    if (!row || Number(row.cancelled) === 1) return [];
    const now = this.ctx.now();
    const family = await withAttendees(this.ctx.db, row.series_id ? [row] : await loadFamily(this.ctx.db, row.id));
    const start = Number(row.start_at);
    const from = row.rrule !== null ? Math.max(start, now) : start;
    const to = spanEnd(start, row.last_end_at, now);
    if (to <= from) return [];
    const mine = occurrencesIn(
      family.map((e) => eventView(e, false)),
      from,
      to,
    ).filter((o) => !o.allDay && family.some((e) => e.row.id === o.eventId && Number(e.row.cancelled) === 0));
    const self = family.find((e) => e.row.id === row.id)!;
    const people = [row.organizer_id, ...self.attendees.filter((a) => a.response !== 'declined').map((a) => a.user_id)];
    const busy = (await busyOf(this.ctx.db, people, from, to)).filter((o) => o.familyId !== familyOf(row));
    const seen = new Set<string>();
    const out: Conflict[] = [];
    for (const o of overlapsAny(mine, busy) as typeof busy) {
      const key = `${o.userId}:${o.start}:${o.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ userId: o.userId, start: o.start, end: o.end });
      if (out.length >= CONFLICTS_MAX) break;
    }
    return out.sort((a, b) => a.start - b.start || a.userId.localeCompare(b.userId));
  }
}

// ------------------------------------------------------------------ helpers

function applyPatch(
  d: Draft,
  patch: Patch,
  attendees: AttendeeDraft[] | undefined,
  linked: ResolvedAttachments | undefined,
): Draft {
  return {
    calendar_id: patch.calendarId ?? d.calendar_id,
    title: patch.title ?? d.title,
    location: patch.location ?? d.location,
    description: patch.description ?? d.description,
    time: patch.time ?? d.time,
    rrule: patch.rrule !== undefined ? patch.rrule : d.rrule,
    reminders: patch.reminders ?? d.reminders,
    room_id: patch.roomId !== undefined ? patch.roomId : d.room_id,
    attendees: attendees ?? d.attendees,
    attachments: linked?.attachments ?? d.attachments,
  };
}

/**
 * An exception after an `all` change of its series: a field it kept from the series follows the
 * series; its time follows when it was not moved (its own slot at the old time); added attendees
 * join it and removed ones leave it.
 */
function follow(
  own: Draft,
  before: Draft,
  after: Draft,
  oldAt: number,
  newAt: number,
  diff: ReturnType<typeof attendeeDiff>,
): Draft {
  const pick = <K extends keyof Draft>(k: K): Draft[K] =>
    JSON.stringify(own[k]) === JSON.stringify(before[k]) ? after[k] : own[k];
  const unmoved = JSON.stringify(own.time) === JSON.stringify(shiftedTime(before.time, oldAt));
  const removed = new Set(diff.removed);
  const present = new Set(own.attendees.map((a) => a.userId));
  return {
    calendar_id: after.calendar_id,
    title: pick('title'),
    location: pick('location'),
    description: pick('description'),
    reminders: pick('reminders'),
    room_id: pick('room_id'),
    attachments: pick('attachments'),
    rrule: null,
    time: unmoved ? shiftedTime(after.time, newAt) : own.time,
    attendees: [
      ...own.attendees.filter((a) => !removed.has(a.userId)),
      ...after.attendees.filter((a) => diff.added.includes(a.userId) && !present.has(a.userId)),
    ],
  };
}

/**
 * Where each original occurrence start goes after a series changes from `before` to `after`: the
 * same start when nothing moved; the n-th occurrence to the new n-th when only the time moved;
 * otherwise itself if the new rule still yields it; null when it is gone.
 */
function occurrenceMap(
  series: LoadedEvent,
  before: Draft,
  after: Draft,
  now: number,
  starts: number[],
): (at: number) => number | null {
  if (!timeChanged(before, after) || starts.length === 0) return (at) => at;
  if (after.rrule === null) return () => null;
  const view = eventView(series, false);
  const newView = { ...view, time: after.time, rrule: after.rrule };
  const newFirst = timeStart(after.time);
  const newStarts = ruleStarts(newView, newFirst, spanEnd(newFirst, draftColumns(after).last_end_at, now) + 1);
  if (before.rrule === after.rrule && before.time.allDay === after.time.allDay) {
    const oldFirst = timeStart(before.time);
    const last = Math.max(...starts);
    const oldStarts = ruleStarts(view, oldFirst, last + 1);
    const index = new Map(oldStarts.map((s, i) => [s, i]));
    return (at) => {
      const i = index.get(at);
      return i === undefined ? null : (newStarts[i] ?? null);
    };
  }
  const exists = new Set(newStarts);
  return (at) => (exists.has(at) ? at : null);
}

/**
 * What the named event (and its series, for an exception) already links: kept as stored when an
 * edit names them again.
 */
async function attachedTo(db: Reader, row: StoredEvent | undefined) {
  if (!row) return [];
  const series = row.series_id ? await loadEventRow(db, row.series_id) : undefined;
  return [row, ...(series ? [series] : [])].flatMap((r) => parseAttachments(r.attachments));
}

function needOccurrence(at: number | null): number {
  if (at === null) throw new QixinError('invalid', 'say which occurrence (recurrenceId) this change is for');
  return at;
}

/** `at` must be the original start of one of the series' occurrences (not an exdate). */
async function assertOccurrence(series: LoadedEvent, at: number): Promise<void> {
  const exdates = JSON.parse(series.row.exdates) as number[];
  if (exdates.includes(at) || !ruleStarts(eventView(series, false), at, at + 1).includes(at))
    throw new QixinError('not_found', 'the series has no occurrence at that time', 'event_not_found');
}

async function exceptionAt(db: Reader, seriesId: string, at: number): Promise<LoadedEvent | undefined> {
  const row = await db
    .selectFrom('events')
    .select('id')
    .where('series_id', '=', seriesId)
    .where('recurrence_id', '=', at)
    .executeTakeFirst();
  if (!row) return undefined;
  const [loaded] = await withAttendees(db, [(await loadEventRow(db, row.id))!]);
  return loaded;
}

/** The chat notice for one attendee: the event and when it (next) happens. */
function notice(
  action: 'eventInvited' | 'eventChanged' | 'eventCancelled',
  row: StoredEvent,
  attendeeId: string,
  d: Draft,
  now: number,
) {
  return {
    action,
    organizerId: row.organizer_id,
    attendeeId,
    title: d.title,
    event: { eventId: row.id, start: nextStart(row, d, now), allDay: d.time.allDay },
  };
}

/** A series' first occurrence from now on (its first one if all are past); an event's start. */
function nextStart(row: StoredEvent, d: Draft, now: number): number {
  const first = timeStart(d.time);
  if (d.rrule === null || first >= now) return first;
  const view = { ...eventView({ row, attendees: [], responses: [] }, false), time: d.time, rrule: d.rrule };
  return ruleStarts(view, now, now + 366 * 86_400_000)[0] ?? first;
}
