import { describe, expect, it } from 'vitest';
import { endOfLocalDay, startOfLocalDay } from './dates';

describe('date filters', () => {
  it('covers a whole local day, month ends included', () => {
    const start = startOfLocalDay('2026-01-31')!;
    const end = endOfLocalDay('2026-01-31')!;
    expect(new Date(start).getDate()).toBe(31);
    expect(new Date(end).getDate()).toBe(31);
    expect(new Date(end + 1).getDate()).toBe(1);
    expect(end - start).toBeGreaterThan(22 * 3600_000);
  });

  it('reads an empty or broken field as no bound', () => {
    expect(startOfLocalDay('')).toBeUndefined();
    expect(endOfLocalDay('31/01/2026')).toBeUndefined();
  });
});
