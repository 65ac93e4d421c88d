import { describe, expect, it } from 'vitest';
import { bridgeUrl, tokenFromHash } from './transport';

describe('browser-mode bridge address', () => {
  it('reads the token from the hash and points at /bridge on the same host', () => {
    expect(tokenFromHash('#token=abc_-123')).toBe('abc_-123');
    expect(tokenFromHash('')).toBeNull();
    expect(bridgeUrl({ host: '127.0.0.1:5170', hash: '#token=a+b', protocol: 'http:' })).toBe(
      'ws://127.0.0.1:5170/bridge?token=a%2Bb',
    );
  });
});
