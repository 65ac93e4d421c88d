// The form's 重复 choices and the RFC 5545 RRULE they stand for (both ways, so an event opened
// for editing shows its rule; a rule the choices cannot say is kept as written).

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
export type RepeatKind = 'none' | 'daily' | 'weekdays' | 'weekly' | 'monthly' | 'yearly' | 'custom';
export type RepeatEnd = { type: 'never' } | { type: 'until'; date: string } | { type: 'count'; count: number };

export type Repeat = {
  kind: RepeatKind;
  /** custom: how often */
  freq: Frequency;
  interval: number;
  /** weekly (and custom weekly): MO…SU */
  byDay: string[];
  end: RepeatEnd;
  /** A rule with parts the choices cannot say (BYMONTHDAY, BYSETPOS …), kept unchanged. */
  raw: string | null;
};

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const WORKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR'];

export const NO_REPEAT: Repeat = {
  kind: 'none',
  freq: 'WEEKLY',
  interval: 1,
  byDay: [],
  end: { type: 'never' },
  raw: null,
};

/** The RRULE weekday of a YYYY-MM-DD date. */
export function weekdayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(day + 6) % 7]!;
}

/**
 * The RRULE for the choices, or null for 不重复. `untilValue` writes the end day's last moment
 * as the rule needs it: a UTC date-time for timed events, a date for all-day ones.
 */
export function toRRule(repeat: Repeat, startDate: string, untilValue: (date: string) => string): string | null {
  if (repeat.kind === 'none') return null;
  if (repeat.raw !== null) return repeat.raw;
  const parts: string[] = [];
  const byDay = (days: string[]) => WEEKDAYS.filter((d) => days.includes(d)).join(',');
  switch (repeat.kind) {
    case 'daily':
      parts.push('FREQ=DAILY');
      break;
    case 'weekdays':
      parts.push('FREQ=WEEKLY', `BYDAY=${WORKDAYS.join(',')}`);
      break;
    case 'weekly':
      parts.push('FREQ=WEEKLY', `BYDAY=${byDay(repeat.byDay.length ? repeat.byDay : [weekdayOf(startDate)])}`);
      break;
    case 'monthly':
      parts.push('FREQ=MONTHLY');
      break;
    case 'yearly':
      parts.push('FREQ=YEARLY');
      break;
    case 'custom':
      parts.push(`FREQ=${repeat.freq}`);
      if (repeat.interval > 1) parts.push(`INTERVAL=${repeat.interval}`);
      if (repeat.freq === 'WEEKLY' && repeat.byDay.length) parts.push(`BYDAY=${byDay(repeat.byDay)}`);
      break;
  }
  if (repeat.end.type === 'until') parts.push(`UNTIL=${untilValue(repeat.end.date)}`);
  if (repeat.end.type === 'count') parts.push(`COUNT=${repeat.end.count}`);
  return parts.join(';');
}

/** The choices for a stored rule; `untilDate` reads an UNTIL value back as the day it ends on. */
export function fromRRule(rrule: string | null, untilDate: (value: string) => string): Repeat {
  if (!rrule) return NO_REPEAT;
  const fields = new Map(
    rrule.split(';').map((part) => {
      const [key, value] = part.split('=');
      return [key ?? '', value ?? ''] as const;
    }),
  );
  const freq = fields.get('FREQ') as Frequency;
  const interval = Number(fields.get('INTERVAL') ?? '1');
  const byDay = fields.get('BYDAY')?.split(',') ?? [];
  const end: RepeatEnd = fields.has('UNTIL')
    ? { type: 'until', date: untilDate(fields.get('UNTIL')!) }
    : fields.has('COUNT')
      ? { type: 'count', count: Number(fields.get('COUNT')) }
      : { type: 'never' };
  const known = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'UNTIL', 'COUNT', 'WKST']);
  const plainDays = byDay.every((d) => (WEEKDAYS as readonly string[]).includes(d));
  if ([...fields.keys()].some((k) => !known.has(k)) || !plainDays || (byDay.length > 0 && freq !== 'WEEKLY')) {
    return { kind: 'custom', freq, interval, byDay: [], end, raw: rrule };
  }
  const base = { freq, interval, byDay, end, raw: null };
  if (interval === 1) {
    if (freq === 'DAILY') return { ...base, kind: 'daily' };
    if (freq === 'WEEKLY' && byDay.join(',') === WORKDAYS.join(',')) return { ...base, kind: 'weekdays' };
    if (freq === 'WEEKLY') return { ...base, kind: 'weekly' };
    if (freq === 'MONTHLY') return { ...base, kind: 'monthly' };
    if (freq === 'YEARLY') return { ...base, kind: 'yearly' };
  }
  return { ...base, kind: 'custom' };
}
