import { describe, expect, it } from 'vitest';
import { UploadThrottle } from './throttle';

describe('upload speed limit', () => {
  it('lets bytes through no faster than the rate, all callers together', async () => {
    const throttle = new UploadThrottle(() => 1024 * 1024);
    const start = Date.now();
    // 1.5 MiB from two uploads at 1 MiB/s: about 1.3 s after the 0.2 s burst.
    await Promise.all([
      (async () => {
        for (let i = 0; i < 6; i++) await throttle.take(128 * 1024);
      })(),
      (async () => {
        for (let i = 0; i < 6; i++) await throttle.take(128 * 1024);
      })(),
    ]);
    const elapsed = Date.now() - start;
    expect(elapsed).toBeGreaterThan(1200);
    expect(elapsed).toBeLessThan(2500);
  });

  it('does not wait without a limit', async () => {
    const throttle = new UploadThrottle(() => null);
    const start = Date.now();
    for (let i = 0; i < 1000; i++) await throttle.take(1024 * 1024);
    expect(Date.now() - start).toBeLessThan(200);
  });
});
