// The rules of a user's send, applied to a whole batch at once against one snapshot of
// the store. Pure: the same decisions on SQLite and PostgreSQL.
import { QixinError } from '../../shared/protocol';
import type { SendBatchSnapshot, SendBatchWrites } from '../store/message-log';
import type { MessageRow } from '../store/schema';
import { mediaIdsOf, type MessageContent } from './message-content';
import * as policy from './policy';
import type { StoredMember } from './views';

export interface SendRequest {
  senderId: string;
  id: string;
  conversationId: string;
  /** Resolved before the batch (see MessageContentResolver); the batch decides only who may send it where. */
  content: MessageContent;
}

export type SendOutcome =
  /** fresh: stored by this batch (fan it out); otherwise a retry answered with the stored message. */
  { ok: true; row: MessageRow; fresh: boolean; memberIds: string[] } | { ok: false; error: QixinError };

/**
 * Decides every send in arrival order. Each one is checked on its own: a refused send gets
 * its error and takes no seq, the others go on. An id seen before (stored, or earlier in
 * this batch) answers a retry from the same sender and is a conflict for anyone else.
 */
export function decideSends(
  sends: readonly SendRequest[],
  snapshot: SendBatchSnapshot,
  now: number,
): { writes: SendBatchWrites; result: SendOutcome[] } {
  const known = new Map(snapshot.existing.map((row) => [row.id, row]));
  const heads = new Map(snapshot.conversations.map((c) => [c.id, c.last_seq]));
  const convs = new Map(snapshot.conversations.map((c) => [c.id, c]));
  const members = new Map<string, Map<string, StoredMember>>();
  for (const m of snapshot.members) {
    let byUser = members.get(m.conversation_id);
    if (!byUser) members.set(m.conversation_id, (byUser = new Map()));
    byUser.set(m.user_id, m);
  }
  const memberIds = new Map([...members].map(([id, byUser]) => [id, [...byUser.keys()]]));
  const messages: MessageRow[] = [];
  const mediaLinks: SendBatchWrites['mediaLinks'] = [];
  const reads = new Map<string, SendBatchWrites['reads'][number]>();
  const result = sends.map((send): SendOutcome => {
    const prior = known.get(send.id);
    if (prior) {
      if (prior.sender_id !== send.senderId)
        return { ok: false, error: new QixinError('conflict', 'this message id is already taken') };
      return { ok: true, row: prior, fresh: false, memberIds: [] };
    }
    const head = heads.get(send.conversationId);
    const byUser = members.get(send.conversationId);
    const { content } = send;
    try {
      const conv = convs.get(send.conversationId);
      const sender = byUser?.get(send.senderId);
      policy.assertCanSend(conv, sender);
      policy.assertMentionsAreMembers(content.mentions, (id) => !!byUser?.has(id));
      if (content.mentionAll) policy.assertCanMentionAll(conv!, sender!);
    } catch (err) {
      if (err instanceof QixinError) return { ok: false, error: err };
      throw err;
    }
    const seq = head! + 1;
    heads.set(send.conversationId, seq);
    const row: MessageRow = {
      conversation_id: send.conversationId,
      seq,
      id: send.id,
      sender_id: send.senderId,
      kind: content.kind,
      text: content.text,
      system: null,
      created_at: now,
      body: content.body ? JSON.stringify(content.body) : null,
      quote: content.quote ? JSON.stringify(content.quote) : null,
      mentions: JSON.stringify(content.mentions),
      mention_all: content.mentionAll ? 1 : 0,
      forwarded: content.forwarded ? 1 : 0,
      recalled_at: null,
      rev: 0,
    };
    for (const mediaId of mediaIdsOf(content.body)) {
      mediaLinks.push({ mediaId, messageId: row.id, conversationId: row.conversation_id, seq });
    }
    messages.push(row);
    known.set(row.id, row);
    reads.set(`${send.conversationId}\n${send.senderId}`, {
      conversationId: send.conversationId,
      userId: send.senderId,
      readSeq: seq,
    });
    return { ok: true, row, fresh: true, memberIds: memberIds.get(send.conversationId) ?? [] };
  });
  const touched = new Set(messages.map((m) => m.conversation_id));
  return {
    writes: {
      messages,
      heads: [...touched].map((id) => ({ conversationId: id, lastSeq: heads.get(id)!, at: now })),
      reads: [...reads.values()],
      mediaLinks,
    },
    result,
  };
}
