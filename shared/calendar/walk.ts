// The starts of a recurrence rule, in wall-clock millis (the wall time read as if it were UTC).
//
// The fast walker handles the shapes the product writes (DAILY/WEEKLY/MONTHLY/YEARLY with
// INTERVAL, BYDAY with ordinals, BYMONTHDAY, BYMONTH, COUNT, UNTIL, WKST) on day numbers. The
// pattern repeats every INTERVAL periods, so a rule without COUNT starts at the period holding the
// window instead of at DTSTART. Everything else goes through ical.js's iterator, whose semantics
// the fast walker follows (walk.test.ts compares the two on generated rules).
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

/**
 * Calls `visit(wall)` in ascending order for each start in [fromWall, toWall] (and at most up to
 * `untilWall`, the rule's UNTIL in wall-clock millis) until it returns false.
 */
export function walkRule(
  rule: Rule,
  start: WalkStart,
  untilWall: number,
  fromWall: number,
  toWall: number,
  visit: (wall: number) => boolean,
): void {
  const last = Math.min(toWall, untilWall);
  if (last < fromWall) return;
  if (rule.fast) walkFast(rule, start, fromWall, last, visit);
  else walkIcal(rule, start, untilWall, fromWall, last, visit);
}

const floorDiv = (a: number, b: number) => Math.floor(a / b);
/** 0 = Monday … 6 = Sunday; day 0 (1970-01-01) was a Thursday. */
const weekday = (day: number) => (((day + 3) % 7) + 7) % 7;
const daysInMonth = (y: number, m0: number) => new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();

export function walkFast(
  rule: Rule,
  start: WalkStart,
  fromWall: number,
  last: number,
  visit: (wall: number) => boolean,
) {
  const startDay = floorDiv(start.wall, DAY);
  const tod = start.wall - startDay * DAY;
  const fromDay = floorDiv(fromWall - tod, DAY);
  const lastDay = floorDiv(last - tod, DAY);
  const counting = rule.count !== null;
  let remaining = rule.count ?? Infinity;
  let lastHit = Math.max(startDay, counting ? startDay : fromDay);
  // Returns false to stop: the candidates of one period come in ascending order.
  const offer = (day: number): boolean => {
    if (day < startDay) return true;
    if (day > lastDay) return false;
    lastHit = day;
    remaining--;
    if (day >= fromDay) {
      const wall = day * DAY + tod;
      if (wall >= fromWall && !visit(wall)) return false;
    }
    return remaining > 0;
  };
  const barren = (periodDay: number) => periodDay - lastHit > BARREN_DAYS;

  const d0 = new Date(startDay * DAY);
  const startY = d0.getUTCFullYear();
  const startM0 = d0.getUTCMonth();
  const startDom = d0.getUTCDate();
  const interval = rule.interval;

  switch (rule.freq) {
    case 'DAILY': {
      let p = counting ? 0 : Math.max(0, floorDiv(fromDay - startDay, interval));
      for (let day = startDay + p * interval; day <= lastDay; p++, day += interval) {
        if (!dailyMatches(rule, day)) {
          if (barren(day)) return;
          continue;
        }
        if (!offer(day)) return;
      }
      return;
    }
    case 'WEEKLY': {
      const weekStart0 = startDay - ((weekday(startDay) - rule.wkst + 7) % 7);
      const offsets = (rule.byDay ? [...new Set(rule.byDay.map((d) => d.wd))] : [weekday(startDay)])
        .map((wd) => (wd - rule.wkst + 7) % 7)
        .sort((a, b) => a - b);
      const step = 7 * interval;
      let p = counting ? 0 : Math.max(0, floorDiv(fromDay - weekStart0, step));
      for (let ws = weekStart0 + p * step; ws <= lastDay; p++, ws += step) {
        let any = false;
        for (const off of offsets) {
          const day = ws + off;
          if (rule.byMonth && !rule.byMonth.includes(new Date(day * DAY).getUTCMonth() + 1)) continue;
          any = true;
          if (!offer(day)) return;
        }
        if (!any && barren(ws)) return;
      }
      return;
    }
    case 'MONTHLY': {
      const startIndex = startY * 12 + startM0;
      const fromD = new Date(fromDay * DAY);
      const fromIndex = fromD.getUTCFullYear() * 12 + fromD.getUTCMonth();
      let p = counting ? 0 : Math.max(0, floorDiv(fromIndex - startIndex, interval));
      for (let mi = startIndex + p * interval; ; p++, mi += interval) {
        const y = floorDiv(mi, 12);
        const m0 = mi - y * 12;
        const first = Date.UTC(y, m0, 1) / DAY;
        if (first > lastDay) return;
        if (rule.byMonth && !rule.byMonth.includes(m0 + 1)) {
          if (barren(first)) return;
          continue;
        }
        const doms = monthDays(rule, y, m0, first, startDom);
        if (doms.length === 0 && barren(first)) return;
        for (const dom of doms) if (!offer(first + dom - 1)) return;
      }
    }
    case 'YEARLY': {
      const months = rule.byMonth ? [...new Set(rule.byMonth)].sort((a, b) => a - b).map((m) => m - 1) : [startM0];
      const fromY = new Date(fromDay * DAY).getUTCFullYear();
      let p = counting ? 0 : Math.max(0, floorDiv(fromY - startY, interval));
      for (let y = startY + p * interval; ; p++, y += interval) {
        const jan1 = Date.UTC(y, 0, 1) / DAY;
        if (jan1 > lastDay) return;
        let any = false;
        for (const m0 of months) {
          const first = Date.UTC(y, m0, 1) / DAY;
          for (const dom of monthDays(rule, y, m0, first, startDom)) {
            any = true;
            if (!offer(first + dom - 1)) return;
          }
        }
        if (!any && barren(jan1)) return;
      }
    }
  }
}

function dailyMatches(rule: Rule, day: number): boolean {
  if (rule.byDay) {
    const wd = weekday(day);
    if (!rule.byDay.some((d) => d.wd === wd)) return false;
  }
  if (rule.byMonth || rule.byMonthDay) {
    const date = new Date(day * DAY);
    if (rule.byMonth && !rule.byMonth.includes(date.getUTCMonth() + 1)) return false;
    if (rule.byMonthDay) {
      const dom = date.getUTCDate();
      const dim = daysInMonth(date.getUTCFullYear(), date.getUTCMonth());
      if (!rule.byMonthDay.some((md) => (md > 0 ? md === dom : dim + md + 1 === dom))) return false;
    }
  }
  return true;
}

/** Days of the month (1-based, ascending) a MONTHLY rule, or YEARLY with BYMONTH, picks. */
function monthDays(rule: Rule, y: number, m0: number, first: number, startDom: number): number[] {
  const dim = daysInMonth(y, m0);
  let fromMonthDay: number[] | null = null;
  if (rule.byMonthDay) {
    fromMonthDay = [];
    for (const md of rule.byMonthDay) {
      const dom = md > 0 ? md : dim + md + 1;
      if (dom >= 1 && dom <= dim) fromMonthDay.push(dom);
    }
  }
  if (!rule.byDay) {
    if (fromMonthDay) return sortUnique(fromMonthDay);
    return startDom <= dim ? [startDom] : [];
  }
  const wdFirst = weekday(first);
  const picked: number[] = [];
  for (const { n, wd } of rule.byDay) {
    const firstDom = 1 + ((wd - wdFirst + 7) % 7);
    if (n === 0) {
      for (let dom = firstDom; dom <= dim; dom += 7) picked.push(dom);
    } else if (n > 0) {
      const dom = firstDom + 7 * (n - 1);
      if (dom <= dim) picked.push(dom);
    } else {
      const lastDom = firstDom + 7 * Math.floor((dim - firstDom) / 7);
      const dom = lastDom + 7 * (n + 1);
      if (dom >= 1) picked.push(dom);
    }
  }
  const days = fromMonthDay ? picked.filter((d) => fromMonthDay.includes(d)) : picked;
  return sortUnique(days);
}

function sortUnique(days: number[]): number[] {
  if (days.length < 2) return days;
  days.sort((a, b) => a - b);
  return days.filter((d, i) => i === 0 || d !== days[i - 1]);
}

/** ical.js's iterator over floating wall times; UNTIL is given to it as a wall time too. */
export function walkIcal(
  rule: Rule,
  start: WalkStart,
  untilWall: number,
  fromWall: number,
  last: number,
  visit: (wall: number) => boolean,
) {
  // ical.js looks for the next DAILY or WEEKLY day without a limit: a rule whose days never come
  // (BYMONTH=2;BYMONTHDAY=30) would never return. The fast walker decides on its days first.
  if ((rule.freq === 'DAILY' || rule.freq === 'WEEKLY') && !hasDays(rule, start)) return;
  const recur = rule.recur.clone();
  recur.until = Number.isFinite(untilWall) ? floatingTime(untilWall, start.allDay) : null;
  const iterator = recur.iterator(floatingTime(start.wall, start.allDay));
  for (let steps = 0; steps < FALLBACK_MAX_STEPS; steps++) {
    const t = iterator.next();
    if (!t) return;
    const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
    if (wall > last) return;
    if (wall >= fromWall && !visit(wall)) return;
  }
}

/** Whether the rule's days (its BYHOUR, BYMINUTE, BYSECOND and BYSETPOS left out) ever come. */
function hasDays(rule: Rule, start: WalkStart): boolean {
  const days: Rule = { ...rule, count: null, until: null, fast: true };
  let found = false;
  walkFast(
    days,
    { wall: Math.floor(start.wall / DAY) * DAY, allDay: true },
    start.wall - DAY,
    start.wall + BARREN_DAYS * DAY,
    () => {
      found = true;
      return false;
    },
  );
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
