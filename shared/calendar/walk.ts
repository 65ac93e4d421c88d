// The starts of a recurrence rule, in wall-clock millis (the wall time read as if it were UTC).
//
// The fast walker handles the shapes the product writes (DAILY/WEEKLY/MONTHLY/YEARLY with
// INTERVAL, BYDAY with ordinals, BYMONTHDAY, BYMONTH, COUNT, UNTIL, WKST) on day numbers. The
// pattern repeats every INTERVAL periods, so a rule without COUNT starts at the period holding the
// window instead of at DTSTART. Everything else goes through ical.js's iterator, whose semantics
// the fast walker follows (walk.test.ts compares the two on generated rules).
//
// A month view walks 10,000 rules in a few milliseconds, so the walker writes into one reused
// buffer and keeps its state in module variables instead of allocating per occurrence.
import ICAL from 'ical.js';
import type { Rule } from './rule';

const DAY = 86_400_000;
/** A rule that matched nothing for this long never will (Feb 29 can be 8 years apart). */
const BARREN_DAYS = 9 * 366;
/** The fallback stops after this many iterations, whatever the rule. */
const FALLBACK_MAX_STEPS = 500_000;

export interface WalkStart {
  /** Wall-clock millis of the first start (DTSTART). */
  wall: number;
  /** All-day: starts are whole days. */
  allDay: boolean;
}

let out = new Float64Array(1024);
let outN = 0;
let limit = 0;

function push(wall: number): boolean {
  if (outN === out.length) {
    const bigger = new Float64Array(out.length * 2);
    bigger.set(out);
    out = bigger;
  }
  out[outN++] = wall;
  return outN < limit;
}

/**
 * The starts in [fromWall, toWall] (and up to `untilWall`, the rule's UNTIL in wall-clock millis),
 * ascending, at most `max` of them: `walkedStarts()[0…n)`, valid until the next walk.
 */
export function walkRule(
  rule: Rule,
  start: WalkStart,
  untilWall: number,
  fromWall: number,
  toWall: number,
  max = Infinity,
): number {
  outN = 0;
  limit = max;
  const last = Math.min(toWall, untilWall);
  if (last < fromWall || max <= 0) return 0;
  if (rule.fast) walkFast(rule, start, fromWall, last);
  else walkIcal(rule, start, untilWall, fromWall, last);
  return outN;
}

/** The buffer the last walk wrote into. */
export function walkedStarts(): Float64Array {
  return out;
}

const floorDiv = (a: number, b: number) => Math.floor(a / b);
/** 0 = Monday … 6 = Sunday; day 0 (1970-01-01) was a Thursday. */
const weekday = (day: number) => (((day + 3) % 7) + 7) % 7;
const daysInMonth = (y: number, m0: number) => new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();

// State of the current fast walk, read by `take`.
let startDay = 0;
let tod = 0;
let fromDay = 0;
let fromWallAt = 0;
let lastDay = 0;
let remaining = 0;
let lastHit = 0;
/** Candidate days of one period, ascending. */
const candidates = new Int32Array(12 * 31 + 7);

/** Offers a period's candidates; false once the walk is over. */
function take(count: number): boolean {
  for (let i = 0; i < count; i++) {
    const day = candidates[i]!;
    if (day < startDay) continue;
    if (day > lastDay) return false;
    lastHit = day;
    remaining--;
    if (day >= fromDay) {
      const wall = day * DAY + tod;
      if (wall >= fromWallAt && !push(wall)) return false;
    }
    if (remaining <= 0) return false;
  }
  return true;
}

/** Nothing matched for years: the rule will not match again. */
const barren = (periodDay: number) => periodDay - lastHit > BARREN_DAYS;

function walkFast(rule: Rule, start: WalkStart, fromWall: number, last: number): void {
  startDay = floorDiv(start.wall, DAY);
  tod = start.wall - startDay * DAY;
  fromDay = floorDiv(fromWall - tod, DAY);
  fromWallAt = fromWall;
  lastDay = floorDiv(last - tod, DAY);
  const counting = rule.count !== null;
  remaining = rule.count ?? Infinity;
  lastHit = counting ? startDay : Math.max(startDay, fromDay);

  // DTSTART is the first occurrence and counts toward COUNT even where the rule would not pick it
  // (RFC 5545 §3.3.10); later candidates on its day are the same occurrence.
  candidates[0] = startDay;
  if (!take(1)) return;
  startDay++;

  const d0 = new Date((startDay - 1) * DAY);
  const startY = d0.getUTCFullYear();
  const startM0 = d0.getUTCMonth();
  const startDom = d0.getUTCDate();
  const interval = rule.interval;

  switch (rule.freq) {
    case 'DAILY': {
      const first = startDay - 1;
      let day = first + (counting ? 0 : Math.max(0, floorDiv(fromDay - first, interval)) * interval);
      for (; day <= lastDay; day += interval) {
        if (!dailyMatches(rule, day)) {
          if (barren(day)) return;
          continue;
        }
        candidates[0] = day;
        if (!take(1)) return;
      }
      return;
    }
    case 'WEEKLY': {
      const wkst = rule.wkst;
      const first = startDay - 1;
      const weekStart0 = first - ((weekday(first) - wkst + 7) % 7);
      // Offsets of the rule's weekdays from the week start, ascending.
      const mask = rule.byDayMask || 1 << weekday(first);
      const offsets: number[] = [];
      for (let off = 0; off < 7; off++) if (mask & (1 << ((wkst + off) % 7))) offsets.push(off);
      const step = 7 * interval;
      let ws = weekStart0 + (counting ? 0 : Math.max(0, floorDiv(fromDay - weekStart0, step)) * step);
      for (; ws <= lastDay; ws += step) {
        let n = 0;
        for (const off of offsets) {
          const day = ws + off;
          if (rule.byMonthMask && !(rule.byMonthMask & (1 << (new Date(day * DAY).getUTCMonth() + 1)))) continue;
          candidates[n++] = day;
        }
        if (n === 0 && barren(ws)) return;
        if (!take(n)) return;
      }
      return;
    }
    case 'MONTHLY': {
      const startIndex = startY * 12 + startM0;
      const fromD = new Date(fromDay * DAY);
      const fromIndex = fromD.getUTCFullYear() * 12 + fromD.getUTCMonth();
      let mi = startIndex + (counting ? 0 : Math.max(0, floorDiv(fromIndex - startIndex, interval)) * interval);
      for (; ; mi += interval) {
        const y = floorDiv(mi, 12);
        const m0 = mi - y * 12;
        const first = Date.UTC(y, m0, 1) / DAY;
        if (first > lastDay) return;
        if (rule.byMonthMask && !(rule.byMonthMask & (1 << (m0 + 1)))) {
          if (barren(first)) return;
          continue;
        }
        const n = monthDays(rule, y, m0, first, startDom, 0);
        if (n === 0 && barren(first)) return;
        if (!take(n)) return;
      }
    }
    case 'YEARLY': {
      const fromY = new Date(fromDay * DAY).getUTCFullYear();
      const yearWide = !rule.byMonthMask && (rule.byDay !== null || rule.byMonthDay !== null || rule.byWeekNo !== null);
      let y = startY + (counting ? 0 : Math.max(0, floorDiv(fromY - startY, interval)) * interval);
      for (; ; y += interval) {
        const jan1 = Date.UTC(y, 0, 1) / DAY;
        if (jan1 - 7 > lastDay) return;
        let n = 0;
        if (yearWide) n = yearDays(rule, y, jan1, startDay - 1, startDom);
        else {
          for (let m0 = 0; m0 < 12; m0++) {
            if (rule.byMonthMask ? !(rule.byMonthMask & (1 << (m0 + 1))) : m0 !== startM0) continue;
            n = monthDays(rule, y, m0, Date.UTC(y, m0, 1) / DAY, startDom, n);
          }
        }
        if (n === 0 && barren(jan1)) return;
        if (!take(n)) return;
      }
    }
  }
}

/**
 * Days a YEARLY rule without BYMONTH picks in year y, into `candidates`, ascending: weeks of
 * BYWEEKNO (on BYDAY's weekdays, else DTSTART's), BYMONTHDAY in every month (BYDAY limiting), or
 * BYDAY across the year (20MO: the 20th Monday of the year).
 */
function yearDays(rule: Rule, y: number, jan1: number, dtstartDay: number, startDom: number): number {
  let n = 0;
  if (rule.byWeekNo) {
    const week1 = firstWeekStart(y, rule.wkst);
    const weeks = (firstWeekStart(y + 1, rule.wkst) - week1) / 7;
    const mask = rule.byDayMask || 1 << weekday(dtstartDay);
    for (const w of rule.byWeekNo) {
      const week = w > 0 ? w : weeks + w + 1;
      if (week < 1 || week > weeks) continue;
      for (let off = 0; off < 7; off++) {
        const day = week1 + 7 * (week - 1) + off;
        if (mask & (1 << weekday(day))) candidates[n++] = day;
      }
    }
  } else if (rule.byMonthDay) {
    for (let m0 = 0; m0 < 12; m0++) n = monthDays(rule, y, m0, Date.UTC(y, m0, 1) / DAY, startDom, n);
    return n;
  } else if (rule.byDay) {
    const next = Date.UTC(y + 1, 0, 1) / DAY;
    for (const { n: nth, wd } of rule.byDay) {
      const first = jan1 + ((wd - weekday(jan1) + 7) % 7);
      if (nth === 0) for (let day = first; day < next; day += 7) candidates[n++] = day;
      else if (nth > 0) {
        const day = first + 7 * (nth - 1);
        if (day < next) candidates[n++] = day;
      } else {
        const day = first + 7 * Math.floor((next - 1 - first) / 7) + 7 * (nth + 1);
        if (day >= jan1) candidates[n++] = day;
      }
    }
  }
  // Ascending, without repeats.
  const days = candidates.subarray(0, n).sort();
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || days[i] !== days[i - 1]) candidates[m++] = days[i]!;
  return m;
}

/** The first day of week 1 of year y: the week (starting on wkst) with at least 4 days of the year. */
function firstWeekStart(y: number, wkst: number): number {
  const jan1 = Date.UTC(y, 0, 1) / DAY;
  const back = (weekday(jan1) - wkst + 7) % 7;
  return back <= 3 ? jan1 - back : jan1 - back + 7;
}

function dailyMatches(rule: Rule, day: number): boolean {
  if (rule.byDayMask && !(rule.byDayMask & (1 << weekday(day)))) return false;
  if (rule.byMonthMask || rule.byMonthDay) {
    const date = new Date(day * DAY);
    if (rule.byMonthMask && !(rule.byMonthMask & (1 << (date.getUTCMonth() + 1)))) return false;
    if (rule.byMonthDay) {
      const dom = date.getUTCDate();
      const dim = daysInMonth(date.getUTCFullYear(), date.getUTCMonth());
      if (!rule.byMonthDay.some((md) => (md > 0 ? md === dom : dim + md + 1 === dom))) return false;
    }
  }
  return true;
}

/**
 * Appends to `candidates` (from index n) the days a MONTHLY rule, or YEARLY with BYMONTH, picks
 * in one month, ascending; returns the new count.
 */
function monthDays(rule: Rule, y: number, m0: number, first: number, startDom: number, n: number): number {
  const dim = daysInMonth(y, m0);
  // Days of the month as bits 1…31.
  let picked = 0;
  if (rule.byDay) {
    const wdFirst = weekday(first);
    for (const { n: nth, wd } of rule.byDay) {
      const firstDom = 1 + ((wd - wdFirst + 7) % 7);
      if (nth === 0) {
        for (let dom = firstDom; dom <= dim; dom += 7) picked |= 1 << dom;
      } else if (nth > 0) {
        const dom = firstDom + 7 * (nth - 1);
        if (dom <= dim) picked |= 1 << dom;
      } else {
        const dom = firstDom + 7 * Math.floor((dim - firstDom) / 7) + 7 * (nth + 1);
        if (dom >= 1) picked |= 1 << dom;
      }
    }
  }
  if (rule.byMonthDay) {
    let days = 0;
    for (const md of rule.byMonthDay) {
      const dom = md > 0 ? md : dim + md + 1;
      if (dom >= 1 && dom <= dim) days |= 1 << dom;
    }
    picked = rule.byDay ? picked & days : days;
  } else if (!rule.byDay && startDom <= dim) {
    picked = 1 << startDom;
  }
  for (let dom = 1; picked !== 0 && dom <= dim; dom++) {
    if (picked & (1 << dom)) {
      candidates[n++] = first + dom - 1;
      picked &= ~(1 << dom);
    }
  }
  return n;
}

/** ical.js's iterator over floating wall times; UNTIL is given to it as a wall time too. */
function walkIcal(rule: Rule, start: WalkStart, untilWall: number, fromWall: number, last: number): void {
  // ical.js looks for the next DAILY or WEEKLY day without a limit: a rule whose days never come
  // (BYMONTH=2;BYMONTHDAY=30) would never return. The fast walker decides on its days first.
  if ((rule.freq === 'DAILY' || rule.freq === 'WEEKLY') && !hasDays(rule, start)) return;
  const recur = rule.recur.clone();
  recur.until = Number.isFinite(untilWall) ? floatingTime(untilWall, start.allDay) : null;
  let iterator: ICAL.RecurIterator;
  try {
    iterator = recur.iterator(floatingTime(start.wall, start.allDay));
  } catch {
    return; // ical.js refuses some rules it cannot start ("Malformed values in BYDAY part").
  }
  for (let steps = 0; steps < FALLBACK_MAX_STEPS; steps++) {
    const t = iterator.next();
    if (!t) return;
    const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
    if (wall > last) return;
    if (wall >= fromWall && !push(wall)) return;
  }
}

/** Whether the rule's days (its BYHOUR, BYMINUTE, BYSECOND and BYSETPOS left out) come after DTSTART's. */
function hasDays(rule: Rule, start: WalkStart): boolean {
  const saved = { outN, limit };
  const days: Rule = { ...rule, count: null, until: null, fast: true };
  const day = Math.floor(start.wall / DAY) * DAY;
  limit = outN + 1;
  walkFast(days, { wall: day, allDay: true }, day + DAY, day + BARREN_DAYS * DAY);
  const found = outN > saved.outN;
  outN = saved.outN;
  limit = saved.limit;
  return found;
}

function floatingTime(wall: number, isDate: boolean): ICAL.Time {
  const d = new Date(wall);
  return ICAL.Time.fromData({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: isDate ? 0 : d.getUTCHours(),
    minute: isDate ? 0 : d.getUTCMinutes(),
    second: isDate ? 0 : d.getUTCSeconds(),
    isDate,
  });
}
