// Messages: the seq path (system notices here, user sends batched by SendBatcher), history ranges, read positions.
import { sql } from 'kysely';
import {
  eventFrame,
  QixinError,
  type Message,
  type Reaction,
  type ReadState,
  type SendParams,
  type SystemNotice,
} from '../../shared/protocol';
import type { MessageRow } from '../store/schema';
import type { ChangeStream } from './changes';
import type { DomainContext, Reader, Tx } from './context';
import { withinBudget } from './budget';
import { recordDriveShare } from '../drive/drive-links';
import { MessageContentResolver, needsResolution, textContent, type VisibleUsers } from './message-content';
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
 * Returns undefined when the conversation does not exist. The relay's notices go through here;
 * they are never searchable, so they take no search index entry (see search-index.ts).
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
    body: null,
    quote: null,
    mentions: '[]',
    mention_all: 0,
    forwarded: 0,
    recalled_at: null,
    rev: 0,
  };
  await trx.insertInto('messages').values(row).execute();
  return row;
}

/** Reactions of many messages in one query: emoji in order of first use, people in order of reacting. */
export async function loadReactions(db: Reader, messageIds: readonly string[]): Promise<Map<string, Reaction[]>> {
  const out = new Map<string, Reaction[]>();
  for (let i = 0; i < messageIds.length; i += 500) {
    const rows = await db
      .selectFrom('message_reactions')
      .select(['message_id', 'emoji', 'user_id'])
      .where('message_id', 'in', messageIds.slice(i, i + 500))
      .orderBy('created_at')
      .orderBy('emoji')
      .orderBy('user_id')
      .execute();
    for (const r of rows) {
      const list = out.get(r.message_id) ?? [];
      let reaction = list.find((x) => x.emoji === r.emoji);
      if (!reaction) list.push((reaction = { emoji: r.emoji, userIds: [] }));
      reaction.userIds.push(r.user_id);
      out.set(r.message_id, list);
    }
  }
  return out;
}

/** A page of rows as `userId` sees them: reactions and their own 删除 marks, one query each. */
export async function messagesView(db: Reader, userId: string, rows: readonly MessageRow[]): Promise<Message[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [reactions, hidden] = await Promise.all([
    loadReactions(db, ids),
    db
      .selectFrom('hidden_messages')
      .select('message_id')
      .where('user_id', '=', userId)
      .where('message_id', 'in', ids)
      .execute(),
  ]);
  const hiddenIds = new Set(hidden.map((h) => h.message_id));
  return rows.map((r) => messageView(r, { reactions: reactions.get(r.id), hidden: hiddenIds.has(r.id) }));
}

/**
 * A page's rows that fit the result budget: a page of long CJK messages or large bodies could
 * reach megabytes; the client asks again from the last one it got. Reactions are counted roughly.
 */
/**
 * One page of a conversation's messages after `after` in `by` order (seq for history, rev for
 * changed messages), only those up to the reader's `cap`, as the reader sees them.
 */
export async function readablePage(
  db: Reader,
  userId: string,
  page: { conversationId: string; by: 'seq' | 'rev'; after: number; cap: number; limit: number },
): Promise<Message[]> {
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', page.conversationId)
    .where(page.by, '>', page.after)
    .where('seq', '<=', page.cap)
    .orderBy(page.by)
    .limit(page.limit)
    .execute();
  return messagesView(db, userId, withinPageBudget(rows));
}

export function withinPageBudget(rows: MessageRow[]): MessageRow[] {
  return withinBudget(
    rows,
    (r) =>
      (r.text.length + (r.body?.length ?? 0) + (r.quote?.length ?? 0)) * 3 +
      (r.system?.length ?? 0) +
      r.mentions.length +
      600,
  );
}

export class Messages {
  private readonly batcher: SendBatcher;
  private readonly resolver: MessageContentResolver;

  constructor(
    private readonly ctx: DomainContext,
    private readonly changes: ChangeStream,
    visibleUsers: VisibleUsers,
  ) {
    this.batcher = new SendBatcher(ctx);
    this.resolver = new MessageContentResolver(ctx.db, visibleUsers, ctx.now);
  }

  /**
   * A user's message: its content resolved first (reads, outside any batch), then stored (or
   * found again, for a retry) by the next batch commit. A plain text skips the reads.
   */
  async send(senderId: string, input: SendParams): Promise<Message> {
    if (!needsResolution(input)) {
      return this.batcher.submit({
        senderId,
        id: input.id,
        conversationId: input.conversationId,
        content: textContent(input),
      });
    }
    // A retry answers with what was stored, even if its quote or source changed since.
    const stored = await this.ctx.db.selectFrom('messages').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (stored) {
      if (stored.sender_id !== senderId) throw new QixinError('conflict', 'this message id is already taken');
      return (await messagesView(this.ctx.db, senderId, [stored]))[0]!;
    }
    const content = await this.resolver.resolve(senderId, input);
    const message = await this.batcher.submit({
      senderId,
      id: input.id,
      conversationId: input.conversationId,
      content,
    });
    // A drive file sent into a chat is a share, in that file's access history.
    if (content.body?.kind === 'file' && content.body.driveNodeId)
      await recordDriveShare(this.ctx.db, senderId, content.body.driveNodeId, message.createdAt);
    return message;
  }

  async range(userId: string, conversationId: string, afterSeq: number, limit: number) {
    const { conv, members } = await loadConversation(this.ctx.db, conversationId);
    const cap = policy.readableUpTo(
      conv,
      members.find((m) => m.user_id === userId),
    );
    const messages = await readablePage(this.ctx.db, userId, {
      conversationId,
      by: 'seq',
      after: afterSeq,
      cap,
      limit,
    });
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

  /** lastSeq (capped where they left) and lastRev of every conversation the user is or was in. */
  async heads(userId: string): Promise<{ conversationId: string; lastSeq: number; lastRev: number }[]> {
    const rows = await this.ctx.db
      .selectFrom('members')
      .innerJoin('conversations', 'conversations.id', 'members.conversation_id')
      .select([
        'members.conversation_id',
        'members.active',
        'members.left_seq',
        'conversations.last_seq',
        'conversations.last_rev',
      ])
      .where('members.user_id', '=', userId)
      .execute();
    return rows.map((r) => ({
      conversationId: r.conversation_id,
      lastSeq: r.active ? r.last_seq : Math.min(r.left_seq ?? 0, r.last_seq),
      lastRev: Number(r.last_rev),
    }));
  }
}
