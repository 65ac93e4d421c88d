import type { TFunction } from 'i18next';
import { errorText } from '../session/errors';

/**
 * A refused admin action in words: what this action's error code means here (a `conflict` on
 * delete is "部门不为空", on create "同名部门已存在"), else the code's general sentence. The
 * relay's own explanation follows for `invalid`, where it says which rule was broken.
 */
export function adminErrorText(t: TFunction, err: unknown, meanings: Partial<Record<string, string>> = {}): string {
  const code = err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : '';
  const detail = err instanceof Error ? err.message : '';
  const base = meanings[code] ?? errorText(t, err);
  return code === 'invalid' && detail ? `${base}（${detail}）` : base;
}
