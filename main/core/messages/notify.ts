// Whether a newly arrived message becomes a desktop notification, and what it says. Pure: the
// core hands in the message, the chat, what is on screen, the settings and the local time.
import type { EventPayload, Settings } from '../../../shared/contract';
import type { Conversation, Message } from '../../../shared/protocol';
import { coreStrings, messageSummary } from './strings';

export type NotifyContext = {
  message: Message;
  selfId: string;
  conversation: Conversation | null;
  /** The chat on screen, if any. */
  focusedId: string | null;
  settings: Settings;
  senderName: string;
  now: Date;
};

export type Notification = EventPayload<'notification'>;

/** True when the message @mentions `selfId` by name or @所有人. */
export function mentionsMe(message: Pick<Message, 'mentions' | 'mentionAll'>, selfId: string): boolean {
  return message.mentionAll || message.mentions.includes(selfId);
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * 勿扰 in local time, start inclusive, end exclusive; a window whose end comes before its start
 * wraps past midnight (22:00–08:00). Equal start and end silence the whole day.
 */
export function inDoNotDisturb(dnd: Settings['notifications']['dnd'], now: Date): boolean {
  if (!dnd.enabled) return false;
  const start = minutesOf(dnd.start);
  const end = minutesOf(dnd.end);
  const at = now.getHours() * 60 + now.getMinutes();
  if (start === end) return true;
  return start < end ? at >= start && at < end : at >= start || at < end;
}

/**
 * The notification for a message, or null: never for one's own messages, system notices,
 * recalled or deleted ones, or the chat on screen; a muted chat only when it @mentions me
 * (mentions break through mute); nothing while notifications are off or during 勿扰.
 */
export function notificationFor(ctx: NotifyContext): Notification | null {
  const { message: m, settings, conversation } = ctx;
  const { notifications } = settings;
  if (!notifications.enabled) return null;
  if (m.senderId === ctx.selfId || m.kind === 'system' || m.recalledAt !== null || m.hidden) return null;
  if (m.conversationId === ctx.focusedId) return null;
  const mention = mentionsMe(m, ctx.selfId);
  if (conversation?.muted && !mention) return null;
  if (inDoNotDisturb(notifications.dnd, ctx.now)) return null;
  const t = coreStrings(settings.language);
  if (!notifications.showPreview) {
    return { conversationId: m.conversationId, title: t.appName, body: t.newMessage, mention };
  }
  const group = conversation?.type === 'group' && conversation.name ? conversation.name : null;
  const title = group ? `${ctx.senderName} (${group})` : ctx.senderName;
  const summary = messageSummary(m, settings.language);
  return { conversationId: m.conversationId, title, body: mention ? `${t.mentionedMe} ${summary}` : summary, mention };
}
