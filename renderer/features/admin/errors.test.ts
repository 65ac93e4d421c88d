import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { QixinError } from '../../../shared/protocol/errors';
import { adminErrorText } from './errors';

// Every key "translates" to itself in brackets, so the test sees which one was chosen.
const t = ((key: string, opts?: { text?: string }) =>
  key === 'common.parenthesized' ? `(${opts?.text})` : `[${key}]`) as unknown as TFunction;

describe('adminErrorText', () => {
  it("says the relay's known refusals in the UI's words", () => {
    const err = new QixinError('invalid', 'this department has members; move them to another department first');
    expect(adminErrorText(t, err)).toBe('[errors.relay.deptHasMembers]');
    expect(adminErrorText(t, new QixinError('conflict', 'a sibling department is already named 前端组'))).toBe(
      '[errors.relay.deptNameTaken]',
    );
  });
  it("falls back to the code's sentence, with the relay's words for rule violations", () => {
    expect(adminErrorText(t, new QixinError('invalid', 'something new'))).toBe('[errors.invalid](something new)');
    expect(adminErrorText(t, new QixinError('conflict', 'x'), { conflict: 'taken here' })).toBe('taken here');
    expect(adminErrorText(t, new QixinError('unavailable', 'offline'))).toBe('[errors.unavailable]');
  });
});
