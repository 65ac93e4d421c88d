import type { TFunction } from 'i18next';
import { ErrorReason } from '../../../shared/protocol/errors';

/** The relay's stable reason for a refusal, if the error carries a known one. */
export function reasonOf(err: unknown): ErrorReason | null {
  const reason = err && typeof err === 'object' && 'reason' in err ? (err as { reason: unknown }).reason : undefined;
  const parsed = ErrorReason.safeParse(reason);
  return parsed.success ? parsed.data : null;
}

/** The sentence for a refusal's reason (`errors.reason.*`), or null when it carries none. */
export function reasonText(t: TFunction, err: unknown): string | null {
  const reason = reasonOf(err);
  return reason ? t(`errors.reason.${reason}`) : null;
}

/** The code's generic sentence, else the internal-error sentence. */
export function codeText(t: TFunction, err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err) {
    const key = `errors.${String((err as { code: unknown }).code)}`;
    const translated = t(key);
    if (translated !== key) return translated;
  }
  return t('errors.internal');
}

/** A user-facing sentence for a failed call: the reason's sentence, else the code's. */
export function errorText(t: TFunction, err: unknown): string {
  return reasonText(t, err) ?? codeText(t, err);
}

/** A member who has not activated yet is pointed to the activation form, not told "wrong password". */
export function signInErrorText(t: TFunction, err: unknown): string {
  if (reasonOf(err) === 'account_not_activated') return t('signIn.notActivated');
  return errorText(t, err);
}

/**
 * The relay answers a wrong, expired or used code alike (so codes cannot be probed); a disabled
 * or departed member is told so. Anything else is the usual error sentence.
 */
export function activationErrorText(t: TFunction, err: unknown): string {
  switch (reasonOf(err)) {
    case 'activation_code_invalid':
      return t('activate.errors.refused');
    case 'account_disabled':
      return t('activate.errors.disabled');
    case 'account_left':
      return t('activate.errors.left');
    default:
      return errorText(t, err);
  }
}
