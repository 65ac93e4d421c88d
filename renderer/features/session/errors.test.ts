import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { QixinError } from '../../../shared/protocol/errors';
import { activationErrorText, signInErrorText } from './errors';

// Every key "translates" to itself in brackets, so the test sees which one was chosen.
const t = ((key: string) => `[${key}]`) as unknown as TFunction;

describe('activationErrorText', () => {
  it('says a wrong, expired or used code in one sentence', () => {
    const err = new QixinError(
      'unauthenticated',
      'this activation code is wrong, expired or already used; ask your administrator for a new one',
    );
    expect(activationErrorText(t, err)).toBe('[activate.errors.refused]');
  });

  it('tells a disabled or departed member why, and leaves other errors to the usual words', () => {
    const disabled = new QixinError('unauthenticated', 'this account is disabled; contact your administrator');
    expect(activationErrorText(t, disabled)).toBe('[activate.errors.disabled]');
    const left = new QixinError('unauthenticated', 'this account belongs to someone who has left the enterprise');
    expect(activationErrorText(t, left)).toBe('[activate.errors.left]');
    expect(activationErrorText(t, new QixinError('rate_limited', 'too many activation attempts'))).toBe(
      '[errors.rate_limited]',
    );
  });
});

describe('signInErrorText', () => {
  it('points a member who has not activated to the activation form', () => {
    const err = new QixinError('unauthenticated', 'activate your account with the code from your administrator');
    expect(signInErrorText(t, err)).toBe('[signIn.notActivated]');
    expect(signInErrorText(t, new QixinError('unauthenticated', 'wrong account or password'))).toBe(
      '[errors.unauthenticated]',
    );
  });
});
