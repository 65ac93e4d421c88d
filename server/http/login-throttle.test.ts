import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('allows N attempts per login per minute, counted per login', () => {
    let now = 0;
    const throttle = new LoginThrottle(2, () => now);
    expect([throttle.allow('Zhang'), throttle.allow('zhang'), throttle.allow('ZHANG')]).toEqual([true, true, false]);
    expect(throttle.allow('li')).toBe(true);
    now += 60_001;
    expect(throttle.allow('zhang')).toBe(true);
  });
});
