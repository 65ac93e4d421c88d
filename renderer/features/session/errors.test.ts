import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { ErrorBody, ErrorReason, QixinError } from '../../../shared/protocol/errors';
import zhCN from '../../i18n/zh-CN.json';
import enUS from '../../i18n/en-US.json';
import { activationErrorText, errorText, signInErrorText } from './errors';

// Every key "translates" to itself in brackets, so the test sees which one was chosen.
const t = ((key: string) => `[${key}]`) as unknown as TFunction;

describe('activationErrorText', () => {
  it('says a wrong, expired or used code in one sentence, whatever the English words', () => {
    const err = new QixinError('unauthenticated', 'any words', 'activation_code_invalid');
    expect(activationErrorText(t, err)).toBe('[activate.errors.refused]');
  });

  it('tells a disabled or departed member why, and leaves other errors to the usual words', () => {
    expect(activationErrorText(t, new QixinError('unauthenticated', 'x', 'account_disabled'))).toBe(
      '[activate.errors.disabled]',
    );
    expect(activationErrorText(t, new QixinError('unauthenticated', 'x', 'account_left'))).toBe(
      '[activate.errors.left]',
    );
    expect(activationErrorText(t, new QixinError('rate_limited', 'too many activation attempts'))).toBe(
      '[errors.rate_limited]',
    );
  });

  it('no longer guesses from the English message when the reason is missing', () => {
    const old = new QixinError('unauthenticated', 'this account is disabled; contact your administrator');
    expect(activationErrorText(t, old)).toBe('[errors.unauthenticated]');
  });
});

describe('signInErrorText', () => {
  it('points a member who has not activated to the activation form', () => {
    const err = new QixinError('unauthenticated', 'activate your account', 'account_not_activated');
    expect(signInErrorText(t, err)).toBe('[signIn.notActivated]');
    expect(signInErrorText(t, new QixinError('unauthenticated', 'x', 'account_disabled'))).toBe(
      '[errors.reason.account_disabled]',
    );
    expect(signInErrorText(t, new QixinError('unauthenticated', 'wrong account or password'))).toBe(
      '[errors.unauthenticated]',
    );
  });
});

describe('errorText', () => {
  it('reads the reason from a plain error object too, and ignores a reason it does not know', () => {
    expect(errorText(t, { code: 'conflict', message: 'x', reason: 'account_taken' })).toBe(
      '[errors.reason.account_taken]',
    );
    expect(errorText(t, { code: 'conflict', message: 'x', reason: 'from_a_newer_relay' })).toBe('[errors.conflict]');
    expect(errorText(t, new Error('boom'))).toBe('[errors.internal]');
  });
});

describe('ErrorReason', () => {
  it('has a sentence in both languages for every reason', () => {
    for (const reason of ErrorReason.options) {
      expect(zhCN.errors.reason[reason], `zh-CN errors.reason.${reason}`).toMatch(/\S/);
      expect(enUS.errors.reason[reason], `en-US errors.reason.${reason}`).toMatch(/\S/);
    }
    expect(Object.keys(zhCN.errors.reason).sort()).toEqual([...ErrorReason.options].sort());
    expect(Object.keys(enUS.errors.reason).sort()).toEqual([...ErrorReason.options].sort());
  });

  it('survives the wire: toBody carries it, an old peer without it and a newer one with an unknown one still parse', () => {
    const body = new QixinError('invalid', 'x', 'department_too_deep').toBody();
    expect(ErrorBody.parse(JSON.parse(JSON.stringify(body)))).toEqual({
      code: 'invalid',
      message: 'x',
      reason: 'department_too_deep',
    });
    expect(QixinError.from(ErrorBody.parse(body)).reason).toBe('department_too_deep');
    expect(ErrorBody.parse({ code: 'invalid', message: 'x' })).toEqual({ code: 'invalid', message: 'x' });
    expect(ErrorBody.parse({ code: 'invalid', message: 'x', reason: 'later' }).reason).toBeUndefined();
    expect(new QixinError('invalid', 'x').toBody()).toEqual({ code: 'invalid', message: 'x' });
  });
});
