import type { TFunction } from 'i18next';
import type { ChatMessage, ConversationItem } from '../../../shared/contract';
import type { SystemNotice, User } from '../../../shared/protocol/entities';
import type { HistoryItem, MessageBody, MessageKind } from '../../../shared/protocol/message-content';

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
  // Clearing the admins or the announcement reads differently from setting them.
  const cleared =
    (notice.action === 'admins' && notice.targetIds.length === 0) || (notice.action === 'announcement' && !notice.name);
  const key = cleared ? `${notice.action}Cleared` : notice.action;
  // A calendar notice's time, formatted by i18next in the reader's language and zone ("{{when, datetime}}").
  const when = notice.event
    ? {
        when: new Date(notice.event.start),
        formatParams: {
          when: notice.event.allDay
            ? { month: 'numeric', day: 'numeric', timeZone: 'UTC' }
            : { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false },
        },
      }
    : {};
  return t(`chat.system.${key}`, { actor: who(notice.actorId), targets, name: notice.name ?? '', ...when });
}

/** One line for any kind: the text, or "[图片]", "[名片] 张三", "[位置] 西湖" … (lists, quotes, history lines). */
export function contentSummary(
  content: { kind: MessageKind; text: string; body: MessageBody | HistoryItem['body'] },
  t: TFunction,
): string {
  const { body } = content;
  switch (content.kind) {
    case 'text':
    case 'rich':
    case 'system':
      return content.text;
    case 'card':
      return `${t('chat.kind.card')} ${body?.kind === 'card' ? body.name : ''}`.trim();
    case 'location':
      return `${t('chat.kind.location')} ${body?.kind === 'location' ? body.name : ''}`.trim();
    case 'history':
      return t('chat.kind.history');
    default:
      return t(`chat.kind.${content.kind}`);
  }
}

/** "你撤回了一条消息" / "张三撤回了一条消息". */
export function recallText(senderId: string, meId: string, byId: Map<string, User>, t: TFunction): string {
  return senderId === meId ? t('chat.recall.byMe') : t('chat.recall.byOther', { name: userName(byId, senderId, t) });
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
  if (message.recalledAt !== null) return recallText(message.senderId, meId, byId, t);
  const text = contentSummary(message, t).replace(/\s+/g, ' ');
  if (conversation.type === 'group' && message.senderId !== meId) {
    return t('chat.previewWithSender', { name: userName(byId, message.senderId, t), text });
  }
  return text;
}
