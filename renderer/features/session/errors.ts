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
