// The relay's use of the shared recurrence code (shared/calendar): a rule's last end, occurrences
// in a window, a series' own occurrences (without its exdates and exceptions, to match exceptions
// to occurrences after an edit), and the two rule edits a split needs (COUNT, UNTIL).
import { checkRecurrence, expandOccurrences } from '../../shared/calendar';
import { CalendarLimits, type CalendarEvent, type EventTime, type Occurrence } from '../../shared/protocol';

const DAY = 24 * 60 * 60 * 1000;
export const HORIZON_MS = CalendarLimits.horizonDays * DAY;

/** The end of a rule's last occurrence (null: no end); throws rrule_invalid / rrule_too_many. */
export function ruleEnd(rrule: string, time: EventTime): number | null {
  return checkRecurrence(rrule, time).lastEnd;
}

/** Occurrences of the events in [from, to) (exceptions in place, exdates out, cancelled kept). */
export function occurrencesIn(events: CalendarEvent[], from: number, to: number): Occurrence[] {
  return expandOccurrences(events, from, to);
}

/** The start of each occurrence the series' rule yields in [from, to), exdates and exceptions ignored. */
export function ruleStarts(series: CalendarEvent, from: number, to: number): number[] {
  return expandOccurrences([{ ...series, exdates: [], seriesId: null, recurrenceId: null }], from, to)
    .filter((o) => o.start >= from && o.start < to)
    .map((o) => o.start);
}

/** The end of the window an open-ended check looks at: the event's last end, or the horizon. */
export function spanEnd(start: number, last: number | null, now: number): number {
  const horizon = Math.max(start, now) + HORIZON_MS;
  return last === null ? horizon : Math.min(last, horizon);
}

type Parts = [string, string][];

const parse = (rrule: string): Parts => rrule.split(';').map((p) => p.split('=', 2) as [string, string]);
const format = (parts: Parts): string => parts.map(([k, v]) => `${k}=${v}`).join(';');

/** COUNT of the rule, if it has one. */
export function ruleCount(rrule: string): number | null {
  const count = parse(rrule).find(([k]) => k === 'COUNT');
  return count ? Number(count[1]) : null;
}

/** The rule ending after `count` occurrences (any UNTIL dropped). */
export function withCount(rrule: string, count: number): string {
  const parts = parse(rrule).filter(([k]) => k !== 'COUNT' && k !== 'UNTIL');
  return format([...parts, ['COUNT', String(count)]]);
}

/**
 * The rule ending before `before` (an occurrence's start): UNTIL one second earlier for timed
 * events (UTC), the day before for all-day ones (a date); COUNT dropped.
 */
export function endingBefore(rrule: string, before: number, allDay: boolean): string {
  const parts = parse(rrule).filter(([k]) => k !== 'COUNT' && k !== 'UNTIL');
  const iso = new Date(allDay ? before - DAY : before - 1000).toISOString();
  const until = allDay ? iso.slice(0, 10).replace(/-/g, '') : `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;
  return format([...parts, ['UNTIL', until]]);
}
