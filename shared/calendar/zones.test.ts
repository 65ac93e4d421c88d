// Wall clock ↔ UTC on Intl's zone data, with the offset changes cached.
import { describe, expect, test } from 'vitest';
import { isTimeZone, offsetAt, utcToZoned, zonedToUtc } from './zones';

const iso = (ms: number) => new Date(ms).toISOString();

describe('zonedToUtc and utcToZoned', () => {
  test('ordinary times, both ways', () => {
    expect(iso(zonedToUtc({ y: 2026, m: 11, d: 25, h: 9, min: 0 }, 'Asia/Shanghai'))).toBe('2026-11-25T01:00:00.000Z');
    expect(iso(zonedToUtc({ y: 2026, m: 7, d: 1, h: 9, min: 0 }, 'America/New_York'))).toBe('2026-07-01T13:00:00.000Z');
    expect(iso(zonedToUtc({ y: 2026, m: 1, d: 1, h: 0, min: 0 }, 'Asia/Kolkata'))).toBe('2025-12-31T18:30:00.000Z');
    expect(utcToZoned(Date.UTC(2026, 0, 1, 0, 0), 'Pacific/Auckland')).toEqual({
      y: 2026,
      m: 1,
      d: 1,
      h: 13,
      min: 0,
      s: 0,
    });
    expect(utcToZoned(Date.UTC(2026, 6, 1, 0, 0), 'Europe/Berlin')).toEqual({
      y: 2026,
      m: 7,
      d: 1,
      h: 2,
      min: 0,
      s: 0,
    });
  });

  test('a time skipped by spring forward moves forward by the gap; a repeated one is the first', () => {
    // New York, 2026-03-08: 02:00 → 03:00.
    expect(iso(zonedToUtc({ y: 2026, m: 3, d: 8, h: 2, min: 30 }, 'America/New_York'))).toBe(
      '2026-03-08T07:30:00.000Z',
    );
    expect(utcToZoned(Date.UTC(2026, 2, 8, 7, 30), 'America/New_York')).toMatchObject({ h: 3, min: 30 });
    // New York, 2026-11-01: 01:00–02:00 happens twice; the first is EDT.
    expect(iso(zonedToUtc({ y: 2026, m: 11, d: 1, h: 1, min: 30 }, 'America/New_York'))).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    // Berlin, 2026-03-29 02:30 does not exist; 2026-10-25 02:30 happens twice.
    expect(iso(zonedToUtc({ y: 2026, m: 3, d: 29, h: 2, min: 30 }, 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(zonedToUtc({ y: 2026, m: 10, d: 25, h: 2, min: 30 }, 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
  });

  test('every hour of a few years round-trips, in zones with and without DST', () => {
    for (const zone of [
      'America/New_York',
      'Europe/Berlin',
      'Asia/Shanghai',
      'Australia/Lord_Howe',
      'America/Sao_Paulo',
    ]) {
      for (let ms = Date.UTC(2016, 0, 1); ms < Date.UTC(2028, 0, 1); ms += 3_600_000 * 7) {
        const w = utcToZoned(ms, zone);
        const back = zonedToUtc(w, zone);
        // Equal, except in a repeated hour where the first instant is chosen.
        if (back !== ms) expect(ms - back).toBe(offsetAt(back, zone) - offsetAt(ms, zone));
      }
    }
  });

  test('offsets agree with Intl, historic ones too (Shanghai kept DST 1986–1991)', () => {
    const intl = (ms: number, zone: string) => {
      const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
        .formatToParts(ms)
        .find((p) => p.type === 'timeZoneName')!.value;
      const m = /GMT([+-])(\d\d):(\d\d)/.exec(name);
      return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
    };
    for (const zone of ['Asia/Shanghai', 'Europe/London', 'America/Los_Angeles']) {
      for (let ms = Date.UTC(1985, 0, 1); ms < Date.UTC(2030, 0, 1); ms += 86_400_000 * 3 + 3_600_000) {
        expect(offsetAt(ms, zone)).toBe(intl(ms, zone));
      }
    }
  });

  test('time zone names', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('China Standard Time')).toBe(false);
    expect(() => zonedToUtc({ y: 2026, m: 1, d: 1, h: 0, min: 0 }, 'Nowhere/Town')).toThrow(/unknown time zone/);
  });
});
