import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { QixinError } from '../../../shared/protocol/errors';
import { adminErrorText } from './errors';

// Every key "translates" to itself in brackets, so the test sees which one was chosen.
const t = ((key: string, opts?: { text?: string }) =>
  key === 'common.parenthesized' ? `(${opts?.text})` : `[${key}]`) as unknown as TFunction;

describe('adminErrorText', () => {
  it("says the relay's refusal by its reason, not by its English words", () => {
    const err = new QixinError('invalid', 'worded any way at all', 'department_not_empty');
    expect(adminErrorText(t, err)).toBe('[errors.reason.department_not_empty]');
    expect(adminErrorText(t, new QixinError('conflict', 'x', 'department_name_taken'))).toBe(
      '[errors.reason.department_name_taken]',
    );
    expect(adminErrorText(t, new QixinError('invalid', 'x', 'last_super_admin'), { invalid: 'ignored' })).toBe(
      '[errors.reason.last_super_admin]',
    );
  });

  it("falls back to the code's sentence, with the relay's words for rule violations", () => {
    const old = new QixinError('invalid', 'this department has members; move them to another department first');
    expect(adminErrorText(t, old)).toBe(
      '[errors.invalid](this department has members; move them to another department first)',
    );
    expect(adminErrorText(t, new QixinError('invalid', 'something new'))).toBe('[errors.invalid](something new)');
    expect(adminErrorText(t, new QixinError('conflict', 'x'), { conflict: 'taken here' })).toBe('taken here');
    expect(adminErrorText(t, new QixinError('unavailable', 'offline'))).toBe('[errors.unavailable]');
  });
});
