import { describe, expect, it } from 'vitest';
import { normalizeActivationCode } from './activation-code';

describe('normalizeActivationCode', () => {
  it('accepts the code in any case, with or without dashes and spaces', () => {
    expect(normalizeActivationCode('abcd-efgh-jkmn')).toBe('ABCD-EFGH-JKMN');
    expect(normalizeActivationCode('ABCDEFGHJKMN')).toBe('ABCD-EFGH-JKMN');
    expect(normalizeActivationCode(' abcd efgh-JKMN ')).toBe('ABCD-EFGH-JKMN');
  });

  it('refuses what cannot be a code: too short, too long, other characters', () => {
    expect(normalizeActivationCode('ABCD-EFGH')).toBeNull();
    expect(normalizeActivationCode('ABCD-EFGH-JKMN-P')).toBeNull();
    expect(normalizeActivationCode('ABCD-EFGH-JKM!')).toBeNull();
    expect(normalizeActivationCode('')).toBeNull();
  });
});
