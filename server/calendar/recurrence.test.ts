import { describe, expect, it } from 'vitest';
import { checkRecurrence } from '../../shared/calendar';
import { overlapsAny } from './busy';
import { endingBefore, ruleCount, withCount } from './recurrence';

const at = (iso: string) => Date.parse(iso);

describe('rule edits for a `following` split', () => {
  it('ends a timed rule one second before the occurrence, in UTC, dropping COUNT', () => {
    expect(endingBefore('FREQ=WEEKLY;BYDAY=MO;COUNT=10', at('2030-03-18T01:00:00Z'), false)).toBe(
      'FREQ=WEEKLY;BYDAY=MO;UNTIL=20300318T005959Z',
    );
  });

  it('ends an all-day rule on the day before, as a date', () => {
    const rule = endingBefore('FREQ=DAILY;UNTIL=20300401', at('2030-03-10T00:00:00Z'), true);
    expect(rule).toBe('FREQ=DAILY;UNTIL=20300309');
    const { lastEnd } = checkRecurrence(rule, { allDay: true, startDate: '2030-03-01', endDate: '2030-03-02' });
    expect(lastEnd).toBe(at('2030-03-10T00:00:00Z'));
  });

  it('reads and replaces COUNT', () => {
    expect(ruleCount('FREQ=DAILY;COUNT=5;INTERVAL=2')).toBe(5);
    expect(ruleCount('FREQ=DAILY')).toBeNull();
    expect(withCount('FREQ=DAILY;UNTIL=20300101T000000Z;INTERVAL=2', 3)).toBe('FREQ=DAILY;INTERVAL=2;COUNT=3');
  });
});

describe('overlapsAny', () => {
  const h = 3_600_000;
  it('finds the others that overlap any of mine; touching ends do not overlap', () => {
    const mine = [
      { start: 10 * h, end: 11 * h },
      { start: 0, end: h },
      { start: 20 * h, end: 30 * h },
    ];
    const others = [
      { start: h, end: 2 * h }, // touches the end of one
      { start: 10.5 * h, end: 12 * h },
      { start: 9 * h, end: 10 * h }, // touches the start of one
      { start: 25 * h, end: 26 * h }, // inside the long one
      { start: 40 * h, end: 41 * h },
    ];
    expect(overlapsAny(mine, others)).toEqual([others[1], others[3]]);
    expect(overlapsAny([], others)).toEqual([]);
  });
});
