import { describe, expect, it } from 'vitest';
import { fromRRule, NO_REPEAT, toRRule, weekdayOf, type Repeat } from './repeat';

const until = (date: string) => date.replaceAll('-', '');
const fromUntil = (v: string) => `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`;
const repeat = (over: Partial<Repeat>): Repeat => ({ ...NO_REPEAT, ...over });

describe('repeat choices to RRULE', () => {
  it('says each preset as a rule', () => {
    const start = '2026-11-25'; // a Wednesday
    expect(weekdayOf(start)).toBe('WE');
    expect(toRRule(NO_REPEAT, start, until)).toBeNull();
    expect(toRRule(repeat({ kind: 'daily' }), start, until)).toBe('FREQ=DAILY');
    expect(toRRule(repeat({ kind: 'weekdays' }), start, until)).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR');
    expect(toRRule(repeat({ kind: 'weekly' }), start, until)).toBe('FREQ=WEEKLY;BYDAY=WE');
    expect(toRRule(repeat({ kind: 'weekly', byDay: ['FR', 'MO'] }), start, until)).toBe('FREQ=WEEKLY;BYDAY=MO,FR');
    expect(toRRule(repeat({ kind: 'monthly', end: { type: 'count', count: 6 } }), start, until)).toBe(
      'FREQ=MONTHLY;COUNT=6',
    );
    expect(toRRule(repeat({ kind: 'yearly', end: { type: 'until', date: '2030-01-01' } }), start, until)).toBe(
      'FREQ=YEARLY;UNTIL=20300101',
    );
    expect(toRRule(repeat({ kind: 'custom', freq: 'WEEKLY', interval: 2, byDay: ['TU', 'TH'] }), start, until)).toBe(
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH',
    );
  });

  it('reads rules back into the same choices', () => {
    for (const rule of [
      'FREQ=DAILY',
      'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
      'FREQ=WEEKLY;BYDAY=MO,FR',
      'FREQ=MONTHLY;COUNT=6',
      'FREQ=YEARLY;UNTIL=20300101',
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH',
      'FREQ=DAILY;INTERVAL=3;COUNT=10',
    ]) {
      const choices = fromRRule(rule, fromUntil);
      expect(choices.raw).toBeNull();
      expect(toRRule(choices, '2026-11-25', until)).toBe(rule);
    }
    expect(fromRRule('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', fromUntil).kind).toBe('weekdays');
    expect(fromRRule('FREQ=DAILY;INTERVAL=3', fromUntil).kind).toBe('custom');
  });

  it('keeps a rule the choices cannot say, unchanged', () => {
    const rule = 'FREQ=MONTHLY;BYDAY=-1FR;COUNT=12';
    const choices = fromRRule(rule, fromUntil);
    expect(choices).toMatchObject({ kind: 'custom', raw: rule });
    expect(toRRule(choices, '2026-11-27', until)).toBe(rule);
    expect(fromRRule('FREQ=MONTHLY;BYMONTHDAY=15', fromUntil).raw).toBe('FREQ=MONTHLY;BYMONTHDAY=15');
  });
});
