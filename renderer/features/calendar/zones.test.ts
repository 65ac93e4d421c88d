import { describe, expect, it } from 'vitest';
import { addDays, fromWallClock, offsetLabel, toWallClock, zoneChoices } from './zones';

describe('wall clocks in a zone', () => {
  it('reads and writes Shanghai times (UTC+8, no DST)', () => {
    const at = Date.UTC(2026, 10, 25, 1, 30);
    expect(toWallClock(at, 'Asia/Shanghai')).toEqual({ date: '2026-11-25', time: '09:30' });
    expect(fromWallClock('2026-11-25', '09:30', 'Asia/Shanghai')).toBe(at);
  });

  it('round-trips New York across both DST changes', () => {
    for (const [date, time] of [
      ['2026-03-07', '09:00'],
      ['2026-03-09', '09:00'],
      ['2026-10-31', '09:00'],
      ['2026-11-02', '09:00'],
    ] as const) {
      expect(toWallClock(fromWallClock(date, time, 'America/New_York'), 'America/New_York')).toEqual({ date, time });
    }
    // 09:00 EST is 14:00 UTC, 09:00 EDT is 13:00 UTC.
    expect(fromWallClock('2026-03-06', '09:00', 'America/New_York')).toBe(Date.UTC(2026, 2, 6, 14));
    expect(fromWallClock('2026-03-09', '09:00', 'America/New_York')).toBe(Date.UTC(2026, 2, 9, 13));
  });

  it('moves a time skipped by spring-forward later, and takes the first of a repeated one', () => {
    // 2026-03-08 02:30 does not exist in New York: 03:30 EDT.
    expect(toWallClock(fromWallClock('2026-03-08', '02:30', 'America/New_York'), 'America/New_York').time).toBe(
      '03:30',
    );
    // 2026-11-01 01:30 happens twice: the first is EDT (05:30 UTC).
    expect(fromWallClock('2026-11-01', '01:30', 'America/New_York')).toBe(Date.UTC(2026, 10, 1, 5, 30));
    // Berlin: 2026-03-29 02:30 does not exist: 03:30 CEST = 01:30 UTC.
    expect(fromWallClock('2026-03-29', '02:30', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });

  it('labels offsets and lists zones once', () => {
    expect(offsetLabel(Date.UTC(2026, 0, 1), 'Asia/Shanghai')).toBe('UTC+8');
    expect(offsetLabel(Date.UTC(2026, 0, 1), 'Asia/Kolkata')).toBe('UTC+5:30');
    expect(offsetLabel(Date.UTC(2026, 0, 1), 'America/New_York')).toBe('UTC-5');
    const zones = zoneChoices('Asia/Shanghai', 'Europe/Berlin');
    expect(zones[0]).toBe('Asia/Shanghai');
    expect(zones.filter((z) => z === 'Europe/Berlin')).toHaveLength(1);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
