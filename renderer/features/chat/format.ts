import type { TFunction } from 'i18next';
import type { ChatMessage, ConversationItem } from '../../../shared/contract';
import type { SystemNotice, User } from '../../../shared/protocol/entities';

/** Today: HH:mm; this year: month and day; older: the full date — all in the local zone. */
export function formatListTime(at: number, language: string, now = Date.now()): string {
  const date = new Date(at);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hour12: false }).format(date);
  }
  const sameYear = date.getFullYear() === today.getFullYear();
  return new Intl.DateTimeFormat(language, {
    year: sameYear ? undefined : 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).format(date);
}

/** The divider above a run of messages: HH:mm today, otherwise the date and time. */
export function formatDividerTime(at: number, language: string, now = Date.now()): string {
  const date = new Date(at);
  const today = new Date(now);
  const time = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hour12: false }).format(date);
  if (date.toDateString() === today.toDateString()) return time;
  const sameYear = date.getFullYear() === today.getFullYear();
  const day = new Intl.DateTimeFormat(language, {
    year: sameYear ? undefined : 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).format(date);
  return `${day} ${time}`;
}

export function userName(byId: Map<string, User>, id: string, t: TFunction): string {
  return byId.get(id)?.name ?? t('common.unknownUser');
}

/** Group name, else the peer's name (direct), else member names joined (unnamed group). */
export function conversationTitle(
  conversation: Pick<ConversationItem, 'type' | 'name' | 'memberIds'>,
  meId: string,
  byId: Map<string, User>,
  t: TFunction,
): string {
  if (conversation.name) return conversation.name;
  const others = conversation.memberIds.filter((id) => id !== meId);
  if (conversation.type === 'direct') return others[0] ? userName(byId, others[0], t) : t('chat.noteToSelf');
  const names = others.slice(0, 4).map((id) => userName(byId, id, t));
  const joined = names.join(t('common.listSeparator'));
  return others.length > 4 ? `${joined}…` : joined || t('chat.unnamedGroup');
}

/** "张三 invited 李四、王五 to the group", with "you" for the signed-in user. */
export function systemNoticeText(notice: SystemNotice, meId: string, byId: Map<string, User>, t: TFunction): string {
  const who = (id: string) => (id === meId ? t('chat.system.you') : userName(byId, id, t));
  const targets = notice.targetIds.map(who).join(t('common.listSeparator'));
  return t(`chat.system.${notice.action}`, { actor: who(notice.actorId), targets, name: notice.name ?? '' });
}

export function messagePreview(
  message: ChatMessage | null,
  conversation: Pick<ConversationItem, 'type'>,
  meId: string,
  byId: Map<string, User>,
  t: TFunction,
): string {
  if (!message) return '';
  if (message.kind === 'system' && message.system) return systemNoticeText(message.system, meId, byId, t);
  const text = message.text.replace(/\s+/g, ' ');
  if (conversation.type === 'group' && message.senderId !== meId) {
    return t('chat.previewWithSender', { name: userName(byId, message.senderId, t), text });
  }
  return text;
}
