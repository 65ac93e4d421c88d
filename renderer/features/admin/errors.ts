import type { TFunction } from 'i18next';
import { errorText } from '../session/errors';

/**
 * The relay explains a refused directory action in an English sentence behind a general code
 * (`invalid`, `conflict`…). The ones an admin meets are recognised here and said in the UI's
 * language; anything else falls back to the code's sentence plus the relay's words.
 */
const RELAY_REASONS: readonly [RegExp, string][] = [
  [/this department has members/, 'deptHasMembers'],
  [/this department has sub-departments/, 'deptHasChildren'],
  [/sibling department is already named/, 'deptNameTaken'],
  [/levels below the enterprise/, 'deptTooDeep'],
  [/cannot move under itself/, 'deptMoveIntoSelf'],
  [/root department .*cannot be (deleted|moved)/, 'rootFixed'],
  [/root department carries the enterprise's name/, 'rootName'],
  [/head must be a member of that department/, 'headNotMember'],
  [/own manager/, 'ownManager'],
  [/no such manager/, 'noManager'],
  [/that (mobile|account|email|name, account or mobile) is already in use/, 'taken'],
  [/last super administrator/, 'lastSuper'],
  [/cannot disable your own account/, 'disableSelf'],
  [/only an active member can become an administrator/, 'adminMustBeActive'],
  [/already activated/, 'alreadyActivated'],
  [/outside the departments you administer|your administration starts at it/, 'outsideScope'],
  [/only a super administrator/, 'superOnly'],
];

export function adminErrorText(t: TFunction, err: unknown, meanings: Partial<Record<string, string>> = {}): string {
  const code = err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : '';
  const detail = err instanceof Error ? err.message : '';
  const known = RELAY_REASONS.find(([pattern]) => pattern.test(detail));
  if (known) return t(`errors.relay.${known[1]}`);
  const base = meanings[code] ?? errorText(t, err);
  return (code === 'invalid' || code === 'forbidden') && detail
    ? base + t('common.parenthesized', { text: detail })
    : base;
}
