// Reminders fired by the core (the main process), also with the window closed and offline: the
// caller's events of the coming days are kept in the cache (fetched on sign-in, on every calendar
// change, and hourly), expanded, and one timer waits for the next reminder due. What fired, was
// snoozed or dismissed is stored, so nothing fires twice across restarts; reminders that came due
// while the app was not running (since its last check, up to a day back) fire at start, marked missed.
import type { Reminder } from '../../../shared/contract';
import { QixinError, type RequestParams, type RequestResult, type RequestType } from '../../../shared/protocol';
import type { LocalCache, ReminderRow } from '../cache/local-cache';
import { createLogger } from '../log';
import { SingleFlight } from '../sync/single-flight';
import { planReminders, type Expand, type PlannedReminder } from './reminder-plan';

const log = createLogger('core.reminders');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The days held: yesterday (missed reminders) to a week and a day ahead. */
const BEHIND_MS = DAY;
const AHEAD_MS = 8 * DAY;
/** Reminders missed while the app was off are shown up to this far back. */
const MISSED_MAX_MS = DAY;
const REFRESH_MS = HOUR;

/** The last time reminders were checked (kv): what came due after it, before this run, was missed. */
export const CHECKED_AT_KEY = 'calendarCheckedAt';
/** The caller's own calendars (kv), whose events remind even where they are not an attendee. */
export const OWN_CALENDARS_KEY = 'calendarOwnIds';

export type ReminderDeps = {
  cache: LocalCache;
  expand: Expand;
  now(): number;
  selfId(): string | null;
  online(): boolean;
  ask<T extends RequestType>(type: T, params: RequestParams<T>): Promise<RequestResult<T>>;
  /** A reminder came due (or due again after a snooze). */
  fire(reminder: Reminder): void;
};

export class CalendarReminders {
  private readonly flights = new SingleFlight();
  /** This run's start: reminders due before it came due while the app was not running. */
  private startedAt = 0;
  /** The previous run's last check: what came due after it and before this run was missed. */
  private previousCheck: number | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private fetchedAt = 0;
  private active = false;

  constructor(private readonly deps: ReminderDeps) {}

  /** Signed in: checks on the next turn (after whoever started the core listens), then keeps a timer. */
  start(): void {
    this.startedAt = this.deps.now();
    // Read now, not at each check: this run's checks move it, and the events that came due while
    // the app was off may arrive only with the first fetch from the relay.
    this.previousCheck = this.deps.cache.read.kv<number>(CHECKED_AT_KEY);
    this.active = true;
    this.arm(0);
  }

  stop(): void {
    this.active = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Fetches the coming days again (calendar changes, sign-in, hourly) and reschedules. */
  refresh(): Promise<void> {
    return this.flights.run('refresh', async () => {
      if (!this.active || !this.deps.online()) return;
      const now = this.deps.now();
      try {
        const [{ calendars }, { events }] = await Promise.all([
          this.deps.ask('cal.calendars', {}),
          this.deps.ask('cal.events', { from: now - BEHIND_MS, to: now + AHEAD_MS }),
        ]);
        if (!this.active) return;
        this.deps.cache.transaction(() => {
          this.deps.cache.calendar.replaceEvents(events);
          const own = calendars.filter((c) => c.level === 'owner').map((c) => c.id);
          this.deps.cache.write.setKv(OWN_CALENDARS_KEY, own);
        });
        this.fetchedAt = now;
      } catch (err) {
        log.info({ err: (err as Error).message }, 'events for reminders not fetched; the held ones remind');
      }
      this.check();
    });
  }

  /** Reminders shown and not dismissed (the renderer's list, and what a new window shows). */
  shown(): Reminder[] {
    this.check();
    return this.deps.cache.calendar.shown();
  }

  /** 稍后提醒: the reminder fires again `minutes` from now (kept across restarts). */
  snooze(reminderId: string, minutes: number): void {
    const row = this.row(reminderId);
    this.deps.cache.calendar.put(
      { ...row, state: 'snoozed', fireAt: this.deps.now() + minutes * MINUTE },
      this.deps.now(),
    );
    this.check();
  }

  dismiss(reminderId: string): void {
    const row = this.row(reminderId);
    this.deps.cache.calendar.put({ ...row, state: 'dismissed' }, this.deps.now());
    this.check();
  }

  private row(reminderId: string): ReminderRow {
    const row = this.deps.cache.calendar.reminder(reminderId);
    if (!row) throw new QixinError('not_found', 'no such reminder (it has not fired)');
    return row;
  }

  /** Fires whatever is due, records it, and sets the timer for the next one. */
  private check(): void {
    const selfId = this.deps.selfId();
    if (!this.active || !selfId) return;
    const { cache } = this.deps;
    const now = this.deps.now();
    // Due since the last check of this run, or, before this run, since the previous run's last
    // check (up to a day back): missed. A first run misses nothing.
    const checkedAt = Math.max(cache.read.kv<number>(CHECKED_AT_KEY) ?? now, this.startedAt);
    const missedFloor = Math.max(this.previousCheck ?? this.startedAt, now - MISSED_MAX_MS);
    const missed = (p: PlannedReminder) => p.fireAt < this.startedAt && p.fireAt > missedFloor;
    const sinceCheck = (p: PlannedReminder) => p.fireAt >= this.startedAt && p.fireAt > checkedAt;
    const plan = planReminders({
      events: cache.calendar.events(),
      selfId,
      ownCalendarIds: new Set(cache.read.kv<string[]>(OWN_CALENDARS_KEY) ?? []),
      from: now - BEHIND_MS,
      to: now + AHEAD_MS,
      expand: this.deps.expand,
    });
    const rows = new Map(cache.calendar.reminders().map((r) => [r.reminder.id, r]));
    const planned = new Set(plan.map((p) => p.id));
    const writes: ReminderRow[] = [];
    const fired: Reminder[] = [];

    // Came due since the last check, or not yet started though its time passed unseen (an event
    // made or moved late): fires, the latest lead only for one occurrence.
    const due = plan.filter((p) => p.fireAt <= now && !rows.has(p.id) && (missed(p) || sinceCheck(p) || now < p.start));
    const latest = new Map<string, PlannedReminder>();
    for (const p of due) latest.set(occurrenceKey(p), p);
    for (const p of due) {
      // An event learnt of only after its reminder time (made or moved late) just reminds.
      const reminder = { ...p, missed: missed(p) };
      if (latest.get(occurrenceKey(p)) !== p) {
        writes.push({ reminder, state: 'dismissed', fireAt: p.fireAt });
        continue;
      }
      // One reminder on screen per occurrence: an earlier lead still shown gives way.
      for (const r of rows.values()) {
        if (r.state !== 'dismissed' && occurrenceKey(r.reminder) === occurrenceKey(p)) {
          writes.push({ ...r, state: 'dismissed' });
        }
      }
      writes.push({ reminder, state: 'fired', fireAt: p.fireAt });
      fired.push(reminder);
    }

    for (const r of rows.values()) {
      if (r.state === 'dismissed') continue;
      const heldDays = r.reminder.start >= now - BEHIND_MS && r.reminder.start < now + AHEAD_MS;
      if (heldDays && !planned.has(r.reminder.id)) {
        // Its occurrence moved, was cancelled or declined, or the event is gone.
        writes.push({ ...r, state: 'dismissed' });
      } else if (r.state === 'snoozed' && r.fireAt <= now) {
        const reminder = { ...r.reminder, fireAt: r.fireAt, missed: r.fireAt < this.startedAt };
        writes.push({ reminder, state: 'fired', fireAt: r.fireAt });
        fired.push(reminder);
      }
    }

    cache.transaction(() => {
      for (const w of writes) cache.calendar.put(w, now);
      cache.calendar.prune(now - BEHIND_MS - MISSED_MAX_MS);
      cache.write.setKv(CHECKED_AT_KEY, now);
    });
    for (const reminder of fired) this.deps.fire(reminder);

    const stored = new Map(cache.calendar.reminders().map((r) => [r.reminder.id, r]));
    const next = Math.min(
      ...plan.filter((p) => p.fireAt > now && !stored.has(p.id)).map((p) => p.fireAt),
      ...[...stored.values()].filter((r) => r.state === 'snoozed').map((r) => r.fireAt),
      now + REFRESH_MS,
    );
    this.arm(Math.max(0, next - now));
  }

  private arm(delayMs: number): void {
    clearTimeout(this.timer);
    if (!this.active) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.deps.online() && this.deps.now() - this.fetchedAt >= REFRESH_MS) void this.refresh();
      else this.check();
    }, delayMs);
  }
}

const occurrenceKey = (r: { eventId: string; start: number }) => `${r.eventId}:${r.start}`;
