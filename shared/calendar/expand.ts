// Occurrences of events in a window, as views, conflicts, rooms and free/busy need them: series
// expanded in their zone's wall clock (all-day ones by date), exdates removed, exceptions put in
// place of the occurrence they replace, cancelled ones kept (the view marks them).
import type { CalendarEvent, EventTime, Occurrence } from '../protocol/calendar';
import { parseRule, type Rule } from './rule';
import { walkedStarts, walkRule, type WalkStart } from './walk';
import { utcToWall, wallSegment, wallToUtc, type Segment } from './zones';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
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
 * Occurrences overlapping [from, to), sorted by start (equal starts in the order of `events`).
 * Timed ones overlap when they start before `to` and end after `from`. All-day ones are dates, not
 * instants (start and end are midnight UTC of their first day and of the day after their last):
 * they are returned when their dates overlap the dates the window touches in any zone, so a view
 * filters them by its own dates.
 */
export function expandOccurrences(events: CalendarEvent[], from: number, to: number): Occurrence[] {
  found = 0;
  // One pass over the events (touching 10,000 objects is a good part of the cost): singles and
  // series are expanded, exceptions put aside with what the objects at the end need.
  const count = events.length;
  const ids: string[] = new Array(count);
  const seriesIds: (string | null)[] = new Array(count);
  const recurrenceIds: number[] = new Array(count);
  const allDays: boolean[] = new Array(count);
  const exceptions: number[] = [];
  const seriesFound = new Map<string, { index: number; first: number; last: number }>();
  for (let i = 0; i < count; i++) {
    const e = events[i]!;
    const allDay = e.time.allDay;
    ids[i] = e.id;
    allDays[i] = allDay;
    if (e.seriesId !== null && e.recurrenceId !== null) {
      seriesIds[i] = e.seriesId;
      recurrenceIds[i] = e.recurrenceId;
      exceptions.push(i);
    } else if (e.rrule === null) {
      seriesIds[i] = null;
      recurrenceIds[i] = NaN;
      addSingle(i, e, from, to);
    } else {
      seriesIds[i] = e.id;
      recurrenceIds[i] = NaN;
      const first = found;
      expandSeries(i, e, e.exdates.length > 0 ? new Set(e.exdates) : null, from, to);
      seriesFound.set(e.id, { index: i, first, last: found });
    }
  }
  // Exceptions replace the occurrence with their original start, wherever they moved to; an
  // exdate on the series removes the occurrence, whatever replaced it.
  for (const i of exceptions) {
    const x = events[i]!;
    const series = seriesFound.get(x.seriesId!);
    if (series) {
      if (events[series.index]!.exdates.includes(x.recurrenceId!)) continue;
      for (let k = series.first; k < series.last; k++) if (startAt[k] === x.recurrenceId) eventAt[k] = -1;
    }
    addSingle(i, x, from, to);
  }
  const order = orderByStart();
  const out: Occurrence[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const at = eventAt[i]!;
    if (at < 0) continue;
    const start = startAt[i]!;
    const recurrenceId = recurrenceIds[at]!;
    out.push({
      eventId: ids[at]!,
      seriesId: seriesIds[at]!,
      recurrenceId: seriesIds[at] === null ? null : Number.isNaN(recurrenceId) ? start : recurrenceId,
      start,
      end: endAt[i]!,
      allDay: allDays[at]!,
    });
  }
  return out;
}

// Occurrences found so far, as columns: which event, start, end.
let found = 0;
let eventAt = new Int32Array(4096);
let startAt = new Float64Array(4096);
let endAt = new Float64Array(4096);

function add(event: number, start: number, end: number) {
  if (found === eventAt.length) {
    const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
    eventAt = grow(eventAt, new Int32Array(found * 2));
    startAt = grow(startAt, new Float64Array(found * 2));
    endAt = grow(endAt, new Float64Array(found * 2));
  }
  eventAt[found] = event;
  startAt[found] = start;
  endAt[found] = end;
  found++;
}

function addSingle(index: number, e: CalendarEvent, from: number, to: number) {
  const t = e.time;
  if (t.allDay) {
    const start = dayOf(t.startDate) * DAY;
    const end = dayOf(t.endDate) * DAY;
    if (start < to + ZONE_MARGIN && end > from - ZONE_MARGIN) add(index, start, end);
  } else if (t.start < to && (t.end > from || (t.end === t.start && t.start >= from))) {
    add(index, t.start, t.end);
  }
}

function expandSeries(index: number, e: CalendarEvent, removed: Set<number> | null, from: number, to: number) {
  const rule = parseRule(e.rrule!);
  const time = e.time;
  const start = seriesStart(time);
  const { duration, allDay } = start;
  // Wall-clock bounds wide enough for any zone and for occurrences that began before `from`.
  const fromWall = from - duration - ZONE_MARGIN - 2 * HOUR;
  const toWall = to + ZONE_MARGIN;
  const n = walkRule(rule, start, untilWall(rule, time), fromWall, toWall);
  const walls = walkedStarts();
  const zone = time.allDay ? 'UTC' : time.timeZone;
  let segment: Segment | null = null;
  for (let i = 0; i < n; i++) {
    const wall = walls[i]!;
    let s = wall;
    if (!allDay) {
      if (segment === null || wall < segment.from || wall >= segment.to) segment = wallSegment(wall, zone);
      s = wall - segment.offset;
      if (s >= to) break;
    }
    const end = s + duration;
    if (allDay ? s >= to + ZONE_MARGIN || end <= from - ZONE_MARGIN : end <= from && !(end === s && s >= from))
      continue;
    if (removed !== null && removed.has(s)) continue;
    add(index, s, end);
  }
}

/**
 * Indexes of the found occurrences by start (ties in the order found). A comparator sort of
 * 100,000 entries takes longer than finding them, so they are counted into one bucket per minute
 * (stable), then starts that differ within a minute are put in order (an insertion pass, linear
 * when already sorted).
 */
function orderByStart(): Int32Array {
  const n = found;
  const order = new Int32Array(n);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = startAt[i]!;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const buckets = n === 0 ? 0 : Math.floor((max - min) / MINUTE) + 1;
  if (buckets > 4 * n + 1_000_000) {
    const indexes = Array.from({ length: n }, (_, i) => i).sort((a, b) => startAt[a]! - startAt[b]! || a - b);
    order.set(indexes);
    return order;
  }
  const counts = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) counts[Math.floor((startAt[i]! - min) / MINUTE) + 1]!++;
  for (let b = 1; b <= buckets; b++) counts[b]! += counts[b - 1]!;
  for (let i = 0; i < n; i++) order[counts[Math.floor((startAt[i]! - min) / MINUTE)]!++] = i;
  for (let k = 1; k < n; k++) {
    const i = order[k]!;
    const s = startAt[i]!;
    if (startAt[order[k - 1]!]! <= s) continue;
    let j = k - 1;
    while (j >= 0 && startAt[order[j]!]! > s) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = i;
  }
  return order;
}
