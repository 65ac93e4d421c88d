import type { TFunction } from 'i18next';
import { QixinError } from '../../../shared/protocol/errors';

/** A user-facing sentence for a failed call: the code's translation, else the message. */
export function errorText(t: TFunction, err: unknown): string {
  if (err instanceof QixinError || (err && typeof err === 'object' && 'code' in err)) {
    const code = String((err as { code: unknown }).code);
    const key = `errors.${code}`;
    const translated = t(key);
    if (translated !== key) return translated;
  }
  return t('errors.internal');
}

/** The relay's refusal of a sign-in or an activation; its words are matched, its code is too coarse. */
function refusal(err: unknown): string | null {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  return code === 'unauthenticated' && typeof message === 'string' ? message : null;
}

/** A member who has not activated yet is pointed to the activation form, not told "wrong password". */
export function signInErrorText(t: TFunction, err: unknown): string {
  if (/activate your account/.test(refusal(err) ?? '')) return t('signIn.notActivated');
  return errorText(t, err);
}

/**
 * The relay answers a wrong, expired or used code alike (so codes cannot be probed); a disabled
 * or departed member is told so. Anything else is the usual error sentence.
 */
export function activationErrorText(t: TFunction, err: unknown): string {
  const refused = refusal(err);
  if (refused === null) return errorText(t, err);
  if (/disabled/.test(refused)) return t('activate.errors.disabled');
  if (/left the enterprise/.test(refused)) return t('activate.errors.left');
  return t('activate.errors.refused');
}
