// The one mapping from what the cache holds (stored messages, queued sends) to the ChatMessage
// the renderer shows. Search results, pages and the conversation list all go through here.
import type { ChatMessage } from '../../../shared/contract';
import type { ErrorBody, Message, Quote, SendFields } from '../../../shared/protocol';

/** A stored message plus what only this device keeps: the sender's own recalled text. */
export type CachedMessage = Message & { recalledText: string | null };

/** A send waiting in the outbox (pending) or refused for good (failed). */
export type OutboxRow = {
  position: number;
  id: string;
  send: SendFields;
  status: 'pending' | 'failed';
  error: ErrorBody | null;
  createdAt: number;
};

/** Quotes are cut like the relay cuts them, so a pending reply looks as it will once sent. */
export const QUOTE_MAX_CHARS = 200;

export function quoteOf(m: Message): Quote {
  return { messageId: m.id, seq: m.seq, senderId: m.senderId, kind: m.kind, text: m.text.slice(0, QUOTE_MAX_CHARS) };
}

export function chatMessage(m: Message | CachedMessage): ChatMessage {
  return {
    id: m.id,
    conversationId: m.conversationId,
    seq: m.seq,
    senderId: m.senderId,
    kind: m.kind,
    text: m.text,
    system: m.system,
    body: m.body,
    quote: m.quote,
    mentions: m.mentions,
    mentionAll: m.mentionAll,
    forwarded: m.forwarded,
    reactions: m.reactions,
    recalledAt: m.recalledAt,
    recalledText: 'recalledText' in m ? m.recalledText : null,
    createdAt: m.createdAt,
    status: 'sent',
    error: null,
  };
}

/**
 * A queued send as the sender sees it before the relay stores it. A forward carries no content of
 * its own, so it shows the source message (one by one) or an empty chat-history card (merged).
 */
export function pendingMessage(
  row: OutboxRow,
  senderId: string,
  lookup: (messageId: string) => Message | null,
): ChatMessage {
  const { send } = row;
  const quoted = send.quoteId ? lookup(send.quoteId) : null;
  const source = send.forward && !send.forward.merged ? lookup(send.forward.messageIds[0]!) : null;
  const content = send.forward
    ? source
      ? { kind: source.kind, text: source.text, body: source.body }
      : { kind: send.forward.merged ? ('history' as const) : ('text' as const), text: '', body: null }
    : { kind: send.kind, text: send.text, body: send.body };
  return {
    id: row.id,
    conversationId: send.conversationId,
    seq: null,
    senderId,
    ...content,
    system: null,
    quote: quoted ? quoteOf(quoted) : null,
    mentions: send.mentions,
    mentionAll: send.mentionAll,
    forwarded: send.forward !== null && !send.forward.merged,
    reactions: [],
    recalledAt: null,
    recalledText: null,
    createdAt: row.createdAt,
    status: row.status === 'failed' ? 'failed' : 'sending',
    error: row.error,
  };
}
