// An RRULE read once: ical.js checks the grammar (RFC 5545 §3.3.10), this module checks that the
// parts fit together and decides whether the fast expander can take the rule.
import ICAL from 'ical.js';
import { QixinError } from '../protocol/errors';

export type Freq = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

/** UNTIL as written: a UTC instant (…Z), a floating wall time (no Z), or a date (VALUE=DATE). */
export type Until = { kind: 'utc'; ms: number } | { kind: 'wall'; ms: number } | { kind: 'date'; day: number };

/** A BYDAY entry: weekday 0 = Monday … 6 = Sunday, ordinal 0 for "every". */
export interface ByDay {
  n: number;
  wd: number;
}

export interface Rule {
  text: string;
  freq: Freq;
  interval: number;
  count: number | null;
  until: Until | null;
  /** Week start, 0 = Monday (the default) … 6 = Sunday. */
  wkst: number;
  byDay: ByDay[] | null;
  byMonthDay: number[] | null;
  byMonth: number[] | null;
  /** BYDAY weekdays as bits (1 << weekday), 0 without BYDAY. */
  byDayMask: number;
  /** BYMONTH months as bits (1 << month), 0 without BYMONTH. */
  byMonthMask: number;
  byWeekNo: number[] | null;
  /** True when the fast expander handles it; otherwise ical.js's iterator does. */
  fast: boolean;
  recur: ICAL.Recur;
}

const DAY = 86_400_000;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const KNOWN = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'WKST',
  'BYSECOND',
  'BYMINUTE',
  'BYHOUR',
  'BYDAY',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYMONTH',
  'BYSETPOS',
]);

function invalid(message: string): QixinError {
  return new QixinError('invalid', message, 'rrule_invalid');
}

const cache = new Map<string, Rule>();

/** The rule of an RRULE value (without "RRULE:"), cached: many events share a handful of rules. */
export function parseRule(text: string): Rule {
  let rule = cache.get(text);
  if (rule) return rule;
  rule = readRule(text);
  if (cache.size > 10_000) cache.clear();
  cache.set(text, rule);
  return rule;
}

function readRule(text: string): Rule {
  const trimmed = text.trim().replace(/^RRULE:/i, '');
  const names: string[] = [];
  for (const part of trimmed.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw invalid(`"${part}" is not NAME=VALUE`);
    const name = part.slice(0, eq).toUpperCase();
    if (!KNOWN.has(name)) throw invalid(`${name} is not supported`);
    if (names.includes(name)) throw invalid(`${name} is given twice`);
    if ((name === 'INTERVAL' || name === 'COUNT') && !/^[1-9]\d{0,8}$/.test(part.slice(eq + 1))) {
      throw invalid(`${name} must be 1 or more`);
    }
    names.push(name);
  }
  if (!names.includes('FREQ')) throw invalid('FREQ is missing');
  let recur: ICAL.Recur;
  try {
    recur = ICAL.Recur.fromString(trimmed);
  } catch (e) {
    throw invalid(`the rule does not parse: ${(e as Error).message}`);
  }
  // ical.js mixes up the order of MONTHLY occurrences when BYMONTH is not ascending.
  if (recur.parts.BYMONTH) recur.parts.BYMONTH = [...recur.parts.BYMONTH].sort((a, b) => Number(a) - Number(b));
  const freq = recur.freq as string;
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY' && freq !== 'YEARLY') {
    throw invalid(`FREQ=${freq} is not supported (DAILY, WEEKLY, MONTHLY or YEARLY)`);
  }
  const parts = recur.parts as Record<string, (string | number)[] | undefined>;
  if (!Number.isInteger(recur.interval) || recur.interval < 1) throw invalid('INTERVAL must be 1 or more');
  if (recur.count !== null && (!Number.isInteger(recur.count) || recur.count < 1)) {
    throw invalid('COUNT must be 1 or more');
  }
  if (recur.count && recur.until) throw invalid('COUNT and UNTIL cannot both be given');
  const has = (name: string) => (parts[name]?.length ?? 0) > 0;
  const byDay = has('BYDAY') ? (parts.BYDAY as string[]).map(readByDay) : null;
  if (byDay?.some((d) => d.n !== 0)) {
    if (freq !== 'MONTHLY' && freq !== 'YEARLY')
      throw invalid('BYDAY with a number (2TU) needs FREQ=MONTHLY or YEARLY');
    if (freq === 'YEARLY' && has('BYWEEKNO')) throw invalid('BYDAY with a number does not fit BYWEEKNO');
    const limit = freq === 'MONTHLY' || has('BYMONTH') ? 5 : 53;
    if (byDay.some((d) => Math.abs(d.n) > limit)) throw invalid(`BYDAY numbers go up to ±${limit} here`);
  }
  if (has('BYMONTHDAY') && freq === 'WEEKLY') throw invalid('BYMONTHDAY does not fit FREQ=WEEKLY');
  if (has('BYYEARDAY') && freq !== 'YEARLY') throw invalid('BYYEARDAY needs FREQ=YEARLY');
  if (has('BYWEEKNO') && freq !== 'YEARLY') throw invalid('BYWEEKNO needs FREQ=YEARLY');
  if (has('BYSETPOS') && !['BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYYEARDAY', 'BYWEEKNO', 'BYHOUR', 'BYMINUTE'].some(has)) {
    throw invalid('BYSETPOS needs another BY… part');
  }
  checkRange(parts, 'BYMONTH', 1, 12, false);
  checkRange(parts, 'BYMONTHDAY', 1, 31, true);
  checkRange(parts, 'BYYEARDAY', 1, 366, true);
  checkRange(parts, 'BYWEEKNO', 1, 53, true);
  checkRange(parts, 'BYSETPOS', 1, 366, true);
  checkRange(parts, 'BYHOUR', 0, 23, false);
  checkRange(parts, 'BYMINUTE', 0, 59, false);
  checkRange(parts, 'BYSECOND', 0, 60, false);

  let until: Until | null = null;
  if (recur.until) {
    const u = recur.until;
    if (u.isDate) until = { kind: 'date', day: Date.UTC(u.year, u.month - 1, u.day) / DAY };
    else {
      const wall = Date.UTC(u.year, u.month - 1, u.day, u.hour, u.minute, u.second);
      until = u.zone === ICAL.Timezone.utcTimezone ? { kind: 'utc', ms: wall } : { kind: 'wall', ms: wall };
    }
  }
  const byMonthDay = has('BYMONTHDAY') ? (parts.BYMONTHDAY as number[]).map(Number) : null;
  const byMonth = has('BYMONTH') ? (parts.BYMONTH as number[]).map(Number) : null;
  const byWeekNo = has('BYWEEKNO') ? (parts.BYWEEKNO as number[]).map(Number) : null;
  // Left to ical.js: times within the day, BYYEARDAY, BYSETPOS, and two rare mixes.
  const slow =
    ['BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYYEARDAY', 'BYSETPOS'].some(has) ||
    (byWeekNo !== null && byMonth !== null) ||
    (freq === 'YEARLY' && !byMonth && byMonthDay !== null && byDay !== null && byDay.some((d) => d.n !== 0));
  return {
    text,
    freq,
    interval: recur.interval,
    count: recur.count ?? null,
    until,
    wkst: (((recur.wkst ?? 2) + 5) % 7) as number,
    byDay,
    byMonthDay,
    byMonth,
    byDayMask: (byDay ?? []).reduce((mask, d) => mask | (1 << d.wd), 0),
    byMonthMask: (byMonth ?? []).reduce((mask, m) => mask | (1 << m), 0),
    byWeekNo,
    fast: !slow,
    recur,
  };
}

function readByDay(value: string): ByDay {
  const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(value);
  if (!match) throw invalid(`BYDAY value "${value}" is not like MO or 2TU`);
  const n = match[1] ? Number(match[1]) : 0;
  if (match[1] && n === 0) throw invalid(`BYDAY value "${value}": the number cannot be 0`);
  return { n, wd: WEEKDAYS.indexOf(match[2]!) };
}

function checkRange(
  parts: Record<string, (string | number)[] | undefined>,
  name: string,
  min: number,
  max: number,
  negative: boolean,
) {
  for (const raw of parts[name] ?? []) {
    const v = Number(raw);
    const ok = Number.isInteger(v) && ((v >= min && v <= max) || (negative && v <= -min && v >= -max));
    if (!ok) throw invalid(`${name} value ${raw} is out of range (${negative ? '±' : ''}${min}…${max})`);
  }
}

/** The rule written back in a stable order (FREQ first, as RRuleText wants). */
export function formatRule(recur: ICAL.Recur): string {
  const text = recur.toString();
  const parts = text.split(';');
  const freq = parts.find((p) => p.startsWith('FREQ='));
  return [freq, ...parts.filter((p) => !p.startsWith('FREQ='))].join(';');
}
