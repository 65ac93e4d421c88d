import type { TFunction } from 'i18next';
import { codeText, reasonText } from '../session/errors';

/**
 * A refused admin action in the UI's language. The relay names the rule that refused it
 * (`reason`), which is said as is; without one, the caller's meaning of the code (e.g. what a
 * conflict means on this form) or the code's sentence, plus the relay's words for rule
 * violations, which then are the only precise hint.
 */
export function adminErrorText(t: TFunction, err: unknown, meanings: Partial<Record<string, string>> = {}): string {
  const known = reasonText(t, err);
  if (known) return known;
  const code = err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : '';
  const detail = err instanceof Error ? err.message : '';
  const base = meanings[code] ?? codeText(t, err);
  return (code === 'invalid' || code === 'forbidden') && detail
    ? base + t('common.parenthesized', { text: detail })
    : base;
}
