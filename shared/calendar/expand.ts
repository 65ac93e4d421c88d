// Occurrences of events in a window, as views, conflicts, rooms and free/busy need them: series
// expanded in their zone's wall clock (all-day ones by date), exdates removed, exceptions put in
// place of the occurrence they replace, cancelled ones kept (the view marks them).
import type { CalendarEvent, EventTime, Occurrence } from '../protocol/calendar';
import { parseRule, type Rule } from './rule';
import { walkRule, type WalkStart } from './walk';
import { utcToWall, wallToUtc } from './zones';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The widest offsets from UTC (−12 h … +14 h): wall-clock bounds of a UTC window get this margin. */
const ZONE_MARGIN = 15 * HOUR;

/** Day number (days since 1970-01-01) of a YYYY-MM-DD date. */
export function dayOf(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY;
}

/** YYYY-MM-DD of a day number. */
export function dateOf(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** The series start as the walker wants it, and how long each occurrence lasts. */
export function seriesStart(time: EventTime): WalkStart & { duration: number } {
  if (time.allDay) {
    const start = dayOf(time.startDate);
    return { wall: start * DAY, allDay: true, duration: (dayOf(time.endDate) - start) * DAY };
  }
  return { wall: utcToWall(time.start, time.timeZone), allDay: false, duration: time.end - time.start };
}

/** UNTIL in wall-clock millis of the event's zone (all-day: the end of that date). */
export function untilWall(rule: Rule, time: EventTime): number {
  const until = rule.until;
  if (!until) return Infinity;
  if (time.allDay) {
    const ms = until.kind === 'date' ? until.day * DAY : until.ms;
    return Math.floor(ms / DAY) * DAY + DAY - 1;
  }
  if (until.kind === 'utc') return utcToWall(until.ms, time.timeZone);
  if (until.kind === 'wall') return until.ms;
  return until.day * DAY + DAY - 1;
}

/** The UTC start of an occurrence from its wall-clock start (all-day: midnight UTC of the date). */
export function startOf(wall: number, time: EventTime): number {
  return time.allDay ? wall : wallToUtc(wall, time.timeZone);
}

/**
 * Occurrences overlapping [from, to), sorted by start. Timed ones overlap when they start before
 * `to` and end after `from`. All-day ones are dates, not instants (start and end are midnight UTC
 * of their first day and of the day after their last): they are returned when their dates overlap
 * the dates the window touches in any zone, so a view filters them by its own dates.
 */
export function expandOccurrences(events: CalendarEvent[], from: number, to: number): Occurrence[] {
  const exceptions = new Map<string, CalendarEvent[]>();
  for (const e of events) {
    if (e.seriesId !== null && e.recurrenceId !== null) {
      const list = exceptions.get(e.seriesId);
      if (list) list.push(e);
      else exceptions.set(e.seriesId, [e]);
    }
  }
  const out: Occurrence[] = [];
  const seriesExdates = new Map<string, Set<number>>();
  for (const e of events) {
    if (e.seriesId !== null && e.recurrenceId !== null) continue;
    if (e.rrule === null) {
      pushSingle(out, e, null, null, from, to);
      continue;
    }
    const own = exceptions.get(e.id);
    let removed: Set<number> | null = null;
    if (e.exdates.length > 0 || own) {
      removed = new Set(e.exdates);
      seriesExdates.set(e.id, new Set(e.exdates));
      for (const x of own ?? []) removed.add(x.recurrenceId!);
    }
    expandSeries(out, e, removed, from, to);
  }
  for (const list of exceptions.values()) {
    for (const x of list) {
      // An exdate on the series removes the occurrence, whatever replaced it.
      if (seriesExdates.get(x.seriesId!)?.has(x.recurrenceId!)) continue;
      pushSingle(out, x, x.seriesId, x.recurrenceId, from, to);
    }
  }
  return sortByStart(out);
}

function overlaps(start: number, end: number, from: number, to: number, allDay: boolean): boolean {
  if (allDay) return start < to + ZONE_MARGIN && end > from - ZONE_MARGIN;
  return start < to && (end > from || (end === start && start >= from));
}

function pushSingle(
  out: Occurrence[],
  e: CalendarEvent,
  seriesId: string | null,
  recurrenceId: number | null,
  from: number,
  to: number,
) {
  const t = e.time;
  const allDay = t.allDay;
  const start = allDay ? dayOf(t.startDate) * DAY : t.start;
  const end = allDay ? dayOf(t.endDate) * DAY : t.end;
  if (overlaps(start, end, from, to, allDay)) out.push({ eventId: e.id, seriesId, recurrenceId, start, end, allDay });
}

function expandSeries(out: Occurrence[], e: CalendarEvent, removed: Set<number> | null, from: number, to: number) {
  const rule = parseRule(e.rrule!);
  const time = e.time;
  const start = seriesStart(time);
  const { duration, allDay } = start;
  // Wall-clock bounds wide enough for any zone and for occurrences that began before `from`.
  const fromWall = from - duration - ZONE_MARGIN - 2 * HOUR;
  const toWall = to + ZONE_MARGIN;
  const id = e.id;
  const zone = time.allDay ? 'UTC' : time.timeZone;
  walkRule(rule, start, untilWall(rule, time), fromWall, toWall, (wall) => {
    const s = allDay ? wall : wallToUtc(wall, zone);
    if (!overlaps(s, s + duration, from, to, allDay)) return allDay ? true : s < to;
    if (removed === null || !removed.has(s)) {
      out.push({ eventId: id, seriesId: id, recurrenceId: s, start: s, end: s + duration, allDay });
    }
    return true;
  });
}

/**
 * Sorts by start; equal starts keep the input order. Sorting 100,000 objects with a comparator is
 * slow, so the order is found on a Float64Array of keys (start in seconds, the index below it);
 * starts that differ within a second are put right after (an insertion pass, linear when sorted).
 */
function sortByStart(list: Occurrence[]): Occurrence[] {
  const n = list.length;
  if (n < 2) return list;
  let min = Infinity;
  let max = -Infinity;
  for (const o of list) {
    if (o.start < min) min = o.start;
    if (o.start > max) max = o.start;
  }
  const scale = 2 ** Math.ceil(Math.log2(n + 1));
  const minSecond = Math.floor(min / 1000);
  if ((Math.floor(max / 1000) - minSecond + 1) * scale >= Number.MAX_SAFE_INTEGER) {
    return list
      .map((o, i) => ({ o, i }))
      .sort((a, b) => a.o.start - b.o.start || a.i - b.i)
      .map(({ o }) => o);
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (Math.floor(list[i]!.start / 1000) - minSecond) * scale + i;
  keys.sort();
  const sorted: Occurrence[] = new Array(n);
  for (let i = 0; i < n; i++) sorted[i] = list[keys[i]! % scale]!;
  for (let i = 1; i < n; i++) {
    const o = sorted[i]!;
    let j = i - 1;
    while (j >= 0 && sorted[j]!.start > o.start) {
      sorted[j + 1] = sorted[j]!;
      j--;
    }
    sorted[j + 1] = o;
  }
  return sorted;
}
