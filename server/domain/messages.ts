// Messages: the seq path (system notices here, user sends batched by SendBatcher), history ranges, read positions.
import { sql } from 'kysely';
import { eventFrame, type Message, type ReadState, type SystemNotice } from '../../shared/protocol';
import type { MessageRow } from '../store/schema';
import type { ChangeStream } from './changes';
import type { DomainContext, Tx } from './context';
import { withinBudget } from './budget';
import { SendBatcher } from './send-batcher';
import * as policy from './policy';
import { conversationView, loadConversation, messageView } from './views';

export interface NewMessage {
  id: string;
  conversationId: string;
  senderId: string;
  kind: 'text' | 'system';
  text: string;
  system: SystemNotice | null;
}

/**
 * Takes the conversation's next seq and stores the message, inside the caller's
 * transaction. The UPDATE locks the conversation row (PostgreSQL) so seqs commit in order.
 * Returns undefined when the conversation does not exist.
 */
export async function appendMessage(trx: Tx, now: number, message: NewMessage): Promise<MessageRow | undefined> {
  const bumped = await trx
    .updateTable('conversations')
    .set({ last_seq: sql`last_seq + 1`, last_activity_at: now })
    .where('id', '=', message.conversationId)
    .returning('last_seq')
    .executeTakeFirst();
  if (!bumped) return undefined;
  const row: MessageRow = {
    conversation_id: message.conversationId,
    seq: Number(bumped.last_seq),
    id: message.id,
    sender_id: message.senderId,
    kind: message.kind,
    text: message.text,
    system: message.system ? JSON.stringify(message.system) : null,
    created_at: now,
  };
  await trx.insertInto('messages').values(row).execute();
  return row;
}

export class Messages {
  private readonly batcher: SendBatcher;

  constructor(
    private readonly ctx: DomainContext,
    private readonly changes: ChangeStream,
  ) {
    this.batcher = new SendBatcher(ctx);
  }

  /** A user's text message: stored (or found again, for a retry) by the next batch commit. */
  send(senderId: string, input: { id: string; conversationId: string; text: string }): Promise<Message> {
    return this.batcher.submit({ senderId, id: input.id, conversationId: input.conversationId, text: input.text });
  }

  async range(userId: string, conversationId: string, afterSeq: number, limit: number) {
    const { conv, members } = await loadConversation(this.ctx.db, conversationId);
    const cap = policy.readableUpTo(
      conv,
      members.find((m) => m.user_id === userId),
    );
    const rows = await this.ctx.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', afterSeq)
      .where('seq', '<=', cap)
      .orderBy('seq')
      .limit(limit)
      .execute();
    // A page of long CJK messages could reach megabytes: stop early, the client asks again from the last seq.
    const messages = withinBudget(rows, (r) => r.text.length * 3 + (r.system?.length ?? 0) + 300).map(messageView);
    return { messages, lastSeq: cap };
  }

  async read(userId: string, conversationId: string, seq: number): Promise<{ readSeq: number }> {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await loadConversation(trx, conversationId);
      const me = members.find((m) => m.user_id === userId);
      const cap = policy.readableUpTo(conv, me);
      const readSeq = Math.max(me!.read_seq, Math.min(seq, cap));
      if (readSeq === me!.read_seq) return { readSeq, moved: false as const };
      await trx
        .updateTable('members')
        .set({ read_seq: readSeq })
        .where('conversation_id', '=', conversationId)
        .where('user_id', '=', userId)
        .where('read_seq', '<', readSeq)
        .execute();
      me!.read_seq = readSeq;
      const appended = await this.changes.append(trx, [
        { userId, change: { kind: 'conversation', conversation: conversationView(conv!, members, userId) } },
      ]);
      const activeIds = members.filter((m) => m.active).map((m) => m.user_id);
      return { readSeq, moved: true as const, appended, activeIds };
    });
    if (outcome.moved) {
      this.ctx.fanout.toUsers(
        outcome.activeIds,
        eventFrame('msg.read', { conversationId, userId, readSeq: outcome.readSeq }),
      );
      this.changes.publish(outcome.appended);
    }
    return { readSeq: outcome.readSeq };
  }

  async readStates(userId: string, conversationId: string): Promise<ReadState[]> {
    const { conv, members } = await loadConversation(this.ctx.db, conversationId);
    policy.assertCanSeeReadStates(
      conv,
      members.find((m) => m.user_id === userId),
    );
    return members
      .filter((m) => m.active)
      .map((m) => ({ userId: m.user_id, readSeq: Math.min(m.read_seq, conv!.last_seq) }));
  }

  /** lastSeq of every conversation the user is or was in (capped where they left). */
  async heads(userId: string): Promise<{ conversationId: string; lastSeq: number }[]> {
    const rows = await this.ctx.db
      .selectFrom('members')
      .innerJoin('conversations', 'conversations.id', 'members.conversation_id')
      .select(['members.conversation_id', 'members.active', 'members.left_seq', 'conversations.last_seq'])
      .where('members.user_id', '=', userId)
      .execute();
    return rows.map((r) => ({
      conversationId: r.conversation_id,
      lastSeq: r.active ? r.last_seq : Math.min(r.left_seq ?? 0, r.last_seq),
    }));
  }
}
