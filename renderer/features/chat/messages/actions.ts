import type { CallArgs, ChatMessage } from '../../../../shared/contract';
import { MessagingLimits } from '../../../../shared/protocol/message-content';

/** A message others can see and act on: acknowledged by the relay, not recalled, not a notice. */
export function isActionable(message: ChatMessage): boolean {
  return message.kind !== 'system' && message.status === 'sent' && message.seq !== null && message.recalledAt === null;
}

/** 撤回: own messages, for 24 hours (the relay decides; this only hides the item when it would refuse). */
export function canRecall(message: ChatMessage, meId: string, now = Date.now()): boolean {
  return isActionable(message) && message.senderId === meId && now - message.createdAt < MessagingLimits.recallWindowMs;
}

/** What 复制 puts on the clipboard: the text a person reads in the bubble, or null when there is none. */
export function copyableText(message: ChatMessage): string | null {
  const body = message.body;
  if (message.kind === 'text' || message.kind === 'rich') return message.text || null;
  if (body?.kind === 'location') return [body.name, body.address].filter(Boolean).join(' ');
  return null;
}

/** Forwarding keeps seq order, whatever order the person ticked the messages in. */
export function inChatOrder(messages: readonly ChatMessage[], ids: ReadonlySet<string>): ChatMessage[] {
  return messages.filter((m) => ids.has(m.id) && isActionable(m)).sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}

/**
 * The send that tries a failed message again, or null when it cannot be rebuilt (a forward
 * names its source, which a failed copy does not keep).
 */
export function retryFields(message: ChatMessage): CallArgs<'messages.send'> | null {
  if (message.forwarded || message.kind === 'history' || message.kind === 'system' || message.kind === 'file')
    return null;
  return {
    conversationId: message.conversationId,
    kind: message.kind,
    text: message.text,
    body: message.body,
    quoteId: message.quote?.messageId ?? null,
    mentions: message.mentions,
    mentionAll: message.mentionAll,
  };
}

/** The emoji's reaction toggles: on when I have not reacted with it yet. */
export function reactionIsMine(message: ChatMessage, emoji: string, meId: string): boolean {
  return message.reactions.some((r) => r.emoji === emoji && r.userIds.includes(meId));
}
