// Wall clock ↔ UTC in IANA time zones, on top of Intl. Intl answers one instant at a time and is
// slow (microseconds per call), so each zone's offset changes are found once per year (sampled,
// then bisected to the second) and kept; conversions then cost a binary search in a short list.
import { QixinError } from '../protocol/errors';

/** A wall-clock time: month 1–12, day 1–31, hour 0–23. */
export interface WallTime {
  y: number;
  m: number;
  d: number;
  h: number;
  min: number;
  /** Seconds, 0 when left out. */
  s?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Offset changes closer than this are not looked for (no zone has had two within 4 days). */
const SAMPLE = 4 * DAY;

/** One UTC year of a zone: the offset at its start and the changes within it. */
interface ZoneYear {
  first: number;
  /** Instants (UTC ms) at which the offset changes, ascending; `offsets[i]` holds from `at[i]` on. */
  at: number[];
  offsets: number[];
}

/** Wall-clock millis in [from, to) are `offset` ahead of UTC, without gap or repeated hour. */
export interface Segment {
  from: number;
  to: number;
  offset: number;
}

class ZoneOffsets {
  private readonly years = new Map<number, ZoneYear>();
  private readonly format: Intl.DateTimeFormat;

  constructor(readonly name: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  }

  /** Offset (ms, east positive) asked of Intl: the only place that calls it. */
  private intlOffset(ms: number): number {
    const at = Math.floor(ms / 1000) * 1000;
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    let s = 0;
    let bc = false;
    for (const part of this.format.formatToParts(at)) {
      switch (part.type) {
        case 'year':
          y = Number(part.value);
          break;
        case 'month':
          mo = Number(part.value);
          break;
        case 'day':
          d = Number(part.value);
          break;
        case 'hour':
          h = Number(part.value);
          break;
        case 'minute':
          mi = Number(part.value);
          break;
        case 'second':
          s = Number(part.value);
          break;
        case 'era':
          bc = part.value === 'BC' || part.value === 'B';
          break;
      }
    }
    const wall = new Date(0);
    wall.setUTCFullYear(bc ? 1 - y : y, mo - 1, d);
    wall.setUTCHours(h, mi, s, 0);
    return wall.getTime() - at;
  }

  private year(y: number): ZoneYear {
    let year = this.years.get(y);
    if (year) return year;
    const start = Date.UTC(y, 0, 1);
    const end = Date.UTC(y + 1, 0, 1);
    const first = this.intlOffset(start);
    year = { first, at: [], offsets: [] };
    let before = start;
    let offset = first;
    while (before < end) {
      const after = Math.min(before + SAMPLE, end);
      const next = this.intlOffset(after);
      if (next !== offset) {
        // Bisect to the first second with the new offset.
        let lo = before;
        let hi = after;
        while (hi - lo > 1000) {
          const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
          if (this.intlOffset(mid) === offset) lo = mid;
          else hi = mid;
        }
        if (hi < end) {
          year.at.push(hi);
          year.offsets.push(next);
        }
        offset = next;
      }
      before = after;
    }
    this.years.set(y, year);
    return year;
  }

  // The changes of the years [coveredFrom, coveredTo) in one list, so a lookup is one binary
  // search; years far from them are looked up on their own.
  private coveredFrom = 0;
  private coveredTo = 0;
  private coveredStart = 0;
  private coveredEnd = 0;
  private changeAt: number[] = [];
  private changeOffset: number[] = [];
  private initial = 0;

  private cover(y: number): boolean {
    if (this.coveredTo === 0) {
      this.coveredFrom = y;
      this.coveredTo = y;
    }
    if (y < this.coveredFrom - 20 || y >= this.coveredTo + 20) return false;
    this.coveredFrom = Math.min(this.coveredFrom, y);
    this.coveredTo = Math.max(this.coveredTo, y + 1);
    this.changeAt = [];
    this.changeOffset = [];
    this.initial = this.year(this.coveredFrom).first;
    let current = this.initial;
    for (let year = this.coveredFrom; year < this.coveredTo; year++) {
      const data = this.year(year);
      if (data.first !== current) {
        this.changeAt.push(Date.UTC(year, 0, 1));
        this.changeOffset.push(data.first);
      }
      this.changeAt.push(...data.at);
      this.changeOffset.push(...data.offsets);
      current = data.offsets.at(-1) ?? data.first;
    }
    this.coveredStart = Date.UTC(this.coveredFrom, 0, 1);
    this.coveredEnd = Date.UTC(this.coveredTo, 0, 1);
    return true;
  }

  /** The offset (ms) in effect at a UTC instant. */
  offsetAt(ms: number): number {
    if (ms < this.coveredStart || ms >= this.coveredEnd) {
      const y = new Date(ms).getUTCFullYear();
      if (!this.cover(y)) return offsetInYear(this.year(y), ms);
    }
    const at = this.changeAt;
    if (at.length === 0 || ms < at[0]!) return this.initial;
    let lo = 0;
    let hi = at.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (at[mid]! <= ms) lo = mid;
      else hi = mid - 1;
    }
    return this.changeOffset[lo]!;
  }

  private readonly segments: Segment[] = [];

  /** The stretch of wall-clock time around `wall` read with one offset (see wallSegment). */
  segment(wall: number): Segment {
    for (const seg of this.segments) if (wall >= seg.from && wall < seg.to) return seg;
    const utc = wallMsToUtc(wall, this);
    const offset = this.offsetAt(utc);
    const near = this.transitions(utc - 400 * DAY, utc + 400 * DAY);
    let from = -Infinity;
    let to = Infinity;
    for (const t of near) {
      if (t.at <= utc) from = t.at + Math.max(t.before, t.after);
      else if (to === Infinity) to = t.at + Math.min(t.before, t.after);
    }
    // In a gap or a repeated hour: a segment of this one instant.
    const seg = wall >= from && wall < to ? { from, to, offset } : { from: wall, to: wall + 1, offset: wall - utc };
    if (this.segments.length >= 8) this.segments.shift();
    this.segments.push(seg);
    return seg;
  }

  /** Offset changes in [from, to): instants, offsets before and after. */
  transitions(from: number, to: number): { at: number; before: number; after: number }[] {
    const found: { at: number; before: number; after: number }[] = [];
    const y0 = new Date(from).getUTCFullYear();
    const y1 = new Date(to).getUTCFullYear();
    for (let y = y0; y <= y1; y++) {
      const year = this.year(y);
      let before = year.first;
      // A change exactly at a year's start shows as a different `first`.
      const previousEnd = y > y0 ? this.year(y - 1) : null;
      if (previousEnd) {
        const last = previousEnd.offsets.length ? previousEnd.offsets.at(-1)! : previousEnd.first;
        if (last !== year.first) {
          const at = Date.UTC(y, 0, 1);
          if (at >= from && at < to) found.push({ at, before: last, after: year.first });
        }
      }
      year.at.forEach((at, i) => {
        if (at >= from && at < to) found.push({ at, before, after: year.offsets[i]! });
        before = year.offsets[i]!;
      });
    }
    return found;
  }
}

function offsetInYear(year: ZoneYear, ms: number): number {
  let offset = year.first;
  for (let i = 0; i < year.at.length && year.at[i]! <= ms; i++) offset = year.offsets[i]!;
  return offset;
}

const zones = new Map<string, ZoneOffsets>();

function zone(timeZone: string): ZoneOffsets {
  let z = zones.get(timeZone);
  if (!z) {
    try {
      z = new ZoneOffsets(timeZone);
    } catch {
      throw new QixinError('invalid', `unknown time zone "${timeZone}"`, 'time_zone_unknown');
    }
    zones.set(timeZone, z);
  }
  return z;
}

/** True for a time zone name this runtime knows (IANA names, UTC). */
export function isTimeZone(timeZone: string): boolean {
  try {
    zone(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC (ms, east positive) at a UTC instant. */
export function offsetAt(ms: number, timeZone: string): number {
  return zone(timeZone).offsetAt(ms);
}

/** The zone's offset changes in [from, to). */
export function zoneTransitions(timeZone: string, from: number, to: number) {
  return zone(timeZone).transitions(from, to);
}

/**
 * The UTC instant of a wall-clock time in a zone. A time that does not exist (skipped by a
 * spring-forward gap) moves forward by the gap (02:30 → 03:30 in New York); a time that happens
 * twice (the fall-back hour) is its first instant.
 */
export function zonedToUtc(date: WallTime, timeZone: string): number {
  return wallMsToUtc(Date.UTC(date.y, date.m - 1, date.d, date.h, date.min, date.s ?? 0), zone(timeZone));
}

/** The same, from wall-clock millis (the wall time read as if it were UTC). */
export function wallToUtc(wall: number, timeZone: string): number {
  return wallMsToUtc(wall, zone(timeZone));
}

function wallMsToUtc(wall: number, z: ZoneOffsets): number {
  const before = z.offsetAt(wall - DAY);
  const after = z.offsetAt(wall + DAY);
  if (before === after) return wall - before;
  const early = wall - before;
  if (z.offsetAt(early) === before) return early; // exists in the old offset: the first instant
  const late = wall - after;
  if (z.offsetAt(late) === after) return late;
  return early; // in the gap: read with the old offset, i.e. moved forward by the gap
}

/**
 * The stretch of wall-clock time around `wall` in which UTC = wall − offset: callers converting
 * many wall times keep it and ask again only when they leave it.
 */
export function wallSegment(wall: number, timeZone: string): Segment {
  return zone(timeZone).segment(wall);
}

/** The wall-clock time of a UTC instant in a zone. */
export function utcToZoned(ms: number, timeZone: string): Required<WallTime> {
  const wall = new Date(ms + zone(timeZone).offsetAt(ms));
  return {
    y: wall.getUTCFullYear(),
    m: wall.getUTCMonth() + 1,
    d: wall.getUTCDate(),
    h: wall.getUTCHours(),
    min: wall.getUTCMinutes(),
    s: wall.getUTCSeconds(),
  };
}

/** Wall-clock millis (the wall time read as if it were UTC) of a UTC instant. */
export function utcToWall(ms: number, timeZone: string): number {
  return ms + zone(timeZone).offsetAt(ms);
}
