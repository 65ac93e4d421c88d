import type { TFunction } from 'i18next';

export type Conflict = { userId: string; start: number; end: number };

/** 时间冲突: who is busy then (each once), "你" for the signed-in user. */
export function conflictText(
  t: TFunction,
  conflicts: readonly Conflict[],
  nameOf: (userId: string) => string | undefined,
  meId: string,
): string {
  const ids = [...new Set(conflicts.map((c) => c.userId))];
  const names = ids.map((id) => (id === meId ? t('chat.system.you') : (nameOf(id) ?? t('common.unknownUser'))));
  return t('calendar.conflict', { names: names.join(t('common.listSeparator')) });
}
