// The relay's checks of an event's time and rule before it is stored.
import { CalendarLimits, type EventTime } from '../protocol/calendar';
import { QixinError } from '../protocol/errors';
import { dayOf, seriesStart, startOf, untilWall } from './expand';
import { parseRule } from './rule';
import { walkedStarts, walkRule } from './walk';
import { isTimeZone } from './zones';

const DAY = 86_400_000;

/** end_before_start, time_zone_unknown. */
export function checkEventTime(time: EventTime): void {
  if (time.allDay) {
    if (dayOf(time.endDate) <= dayOf(time.startDate)) {
      throw new QixinError('invalid', 'an all-day event ends on a later date than it starts', 'end_before_start');
    }
    return;
  }
  if (!isTimeZone(time.timeZone)) {
    throw new QixinError('invalid', `unknown time zone "${time.timeZone}"`, 'time_zone_unknown');
  }
  if (time.end < time.start) throw new QixinError('invalid', 'the event ends before it starts', 'end_before_start');
}

/**
 * Checks a rule against the event it repeats: rrule_invalid when it does not parse or its parts do
 * not fit (the message says which), rrule_too_many when a rule without an end yields more than
 * `openRuleMaxPerYear` occurrences in a year or one with an end more than `countMax` in all.
 * Returns the end of the last occurrence (null for a rule without an end), for `last_end_at`.
 */
export function checkRecurrence(rrule: string, time: EventTime): { lastEnd: number | null } {
  checkEventTime(time);
  const rule = parseRule(rrule);
  if (time.allDay && rule.recur.parts && ['BYHOUR', 'BYMINUTE', 'BYSECOND'].some((p) => p in rule.recur.parts)) {
    throw new QixinError('invalid', 'BYHOUR, BYMINUTE and BYSECOND do not fit an all-day event', 'rrule_invalid');
  }
  if (rule.count !== null && rule.count > CalendarLimits.countMax) {
    throw new QixinError(
      'invalid',
      `COUNT=${rule.count} is over ${CalendarLimits.countMax} occurrences`,
      'rrule_too_many',
    );
  }
  const start = seriesStart(time);
  const until = untilWall(rule, time);
  if (until < start.wall) throw new QixinError('invalid', 'UNTIL is before the event starts', 'rrule_invalid');

  if (rule.count === null && rule.until === null) {
    const max = CalendarLimits.openRuleMaxPerYear + 1;
    const count = walkRule(rule, start, Infinity, start.wall, start.wall + 366 * DAY - 1, max);
    if (count > CalendarLimits.openRuleMaxPerYear) {
      throw new QixinError(
        'invalid',
        `a rule without COUNT or UNTIL may repeat at most ${CalendarLimits.openRuleMaxPerYear} times a year`,
        'rrule_too_many',
      );
    }
    if (walkRule(rule, start, Infinity, start.wall + 1, start.wall + 9 * 366 * DAY, 1) === 0) {
      throw new QixinError('invalid', 'the rule never repeats the event', 'rrule_invalid');
    }
    return { lastEnd: null };
  }

  const count = walkRule(rule, start, until, start.wall, Infinity, CalendarLimits.countMax + 1);
  const lastWall = walkedStarts()[count - 1]!;
  if (count > CalendarLimits.countMax) {
    throw new QixinError(
      'invalid',
      `the rule yields more than ${CalendarLimits.countMax} occurrences before UNTIL`,
      'rrule_too_many',
    );
  }
  if (count === 0) throw new QixinError('invalid', 'the rule yields no occurrence', 'rrule_invalid');
  return { lastEnd: startOf(lastWall, time) + start.duration };
}
