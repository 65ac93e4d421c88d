// Changes to stored messages: 撤回 (recall) and reactions, which everyone sees, and 删除 (hide),
// which only the user does. A change everyone sees takes the conversation's next revision in its
// transaction (messages.rev); clients pull `msg.updates` from the highest revision they hold.
import { sql } from 'kysely';
import { eventFrame, MessagingLimits, QixinError, type Message } from '../../shared/protocol';
import type { MessageRow } from '../store/schema';
import type { ChangeStream } from './changes';
import type { DomainContext, Tx } from './context';
import { messagesView, readablePage } from './messages';
import * as policy from './policy';
import { removeFromSearchIndex } from './search-index';
import { loadConversation, type StoredMember } from './views';

/** What a committed change to a message tells its chat. */
interface Changed {
  row: MessageRow;
  /** Active members, who get `msg.updated`; empty when nothing changed. */
  notify: string[];
}

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** One emoji: a single grapheme (flags, skin tones and keycaps included) that is an emoji. */
export function isOneEmoji(text: string): boolean {
  const parts = [...graphemes.segment(text)];
  return parts.length === 1 && EMOJI.test(text);
}

export class MessageActions {
  constructor(
    private readonly ctx: DomainContext,
    private readonly changes: ChangeStream,
  ) {}

  /** 撤回: text, body, quote and mentions are gone for everyone, and so is its search entry. */
  async recall(userId: string, conversationId: string, messageId: string): Promise<Message> {
    const changed = await this.ctx.transaction(async (trx) => {
      const { row, members } = await this.lockMessage(trx, userId, conversationId, messageId);
      if (!mine(members, userId)?.active) throw notAMember();
      const now = this.ctx.now();
      policy.assertCanRecall(row, userId, now);
      const rev = await nextRevision(trx, conversationId);
      const recalled: MessageRow = {
        ...row,
        text: '',
        body: null,
        quote: null,
        mentions: '[]',
        mention_all: 0,
        recalled_at: now,
        rev,
      };
      await trx
        .updateTable('messages')
        .set({ text: '', body: null, quote: null, mentions: '[]', mention_all: 0, recalled_at: now, rev })
        .where('id', '=', messageId)
        .execute();
      // Nothing of it stays: not its reactions, not its search entry, not access to its media.
      await trx.deleteFrom('message_reactions').where('message_id', '=', messageId).execute();
      await trx.deleteFrom('message_media').where('message_id', '=', messageId).execute();
      await removeFromSearchIndex(trx, this.ctx.dialect, [messageId]);
      return { row: recalled, notify: activeIds(members) };
    });
    return this.publish(userId, changed);
  }

  /** Adds (on) or takes back (off) the user's reaction; doing it twice changes nothing the second time. */
  async react(userId: string, conversationId: string, messageId: string, emoji: string, on: boolean): Promise<Message> {
    if (!isOneEmoji(emoji)) throw new QixinError('invalid', 'a reaction is one emoji', 'content_invalid');
    const changed = await this.ctx.transaction(async (trx): Promise<Changed> => {
      const { row, members } = await this.lockMessage(trx, userId, conversationId, messageId);
      policy.assertCanReact(mine(members, userId), row);
      const moved = on
        ? await addReaction(trx, row.id, userId, emoji, this.ctx.now())
        : await dropReaction(trx, row.id, userId, emoji);
      if (!moved) return { row, notify: [] };
      const rev = await nextRevision(trx, conversationId);
      await trx.updateTable('messages').set({ rev }).where('id', '=', messageId).execute();
      return { row: { ...row, rev }, notify: activeIds(members) };
    });
    return this.publish(userId, changed);
  }

  /** 删除 for the user only: marked hidden in their reads, and their other devices are told. */
  async hide(userId: string, conversationId: string, messageIds: string[]): Promise<void> {
    const ids = [...new Set(messageIds)];
    const appended = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await loadConversation(trx, conversationId);
      const cap = policy.readableUpTo(conv, mine(members, userId));
      const rows = await trx
        .selectFrom('messages')
        .select(['id', 'conversation_id', 'seq'])
        .where('conversation_id', '=', conversationId)
        .where('id', 'in', ids)
        .execute();
      const found = new Map(rows.map((r) => [r.id, r]));
      for (const id of ids) policy.assertReadableMessage(found.get(id), conversationId, cap);
      const now = this.ctx.now();
      await trx
        .insertInto('hidden_messages')
        .values(
          ids.map((id) => ({ user_id: userId, message_id: id, conversation_id: conversationId, created_at: now })),
        )
        .onConflict((oc) => oc.columns(['user_id', 'message_id']).doNothing())
        .execute();
      return this.changes.append(trx, [{ userId, change: { kind: 'hidden', conversationId, messageIds: ids } }]);
    });
    this.changes.publish(appended);
  }

  /** Messages changed after `afterRev` that the user may read, in revision order. */
  async updates(userId: string, conversationId: string, afterRev: number, limit: number) {
    const { conv, members } = await loadConversation(this.ctx.db, conversationId);
    const cap = policy.readableUpTo(conv, mine(members, userId));
    const messages = await readablePage(this.ctx.db, userId, {
      conversationId,
      by: 'rev',
      after: afterRev,
      cap,
      limit,
    });
    return { messages, lastRev: Number(conv!.last_rev) };
  }

  /**
   * Loads the conversation and the message the user may read. On PostgreSQL the conversation row
   * is locked first, so changes to its messages (and their revisions) take turns; SQLite's write
   * transactions do anyway.
   */
  private async lockMessage(trx: Tx, userId: string, conversationId: string, messageId: string) {
    if (this.ctx.dialect === 'postgres') {
      await sql`select id from conversations where id = ${conversationId} for update`.execute(trx);
    }
    const { conv, members } = await loadConversation(trx, conversationId);
    const cap = policy.readableUpTo(conv, mine(members, userId));
    const row = await trx.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirst();
    policy.assertReadableMessage(row, conversationId, cap);
    return { row, members };
  }

  /** After commit: the chat's active members get the changed message; the caller gets their own view of it. */
  private async publish(userId: string, changed: Changed): Promise<Message> {
    const [message] = await messagesView(this.ctx.db, userId, [changed.row]);
    if (changed.notify.length > 0) {
      this.ctx.fanout.toUsers(changed.notify, eventFrame('msg.updated', { message: { ...message!, hidden: false } }));
    }
    return message!;
  }
}

/** The conversation's next revision, taken inside the transaction that changes a message. */
async function nextRevision(trx: Tx, conversationId: string): Promise<number> {
  const bumped = await trx
    .updateTable('conversations')
    .set({ last_rev: sql`last_rev + 1` })
    .where('id', '=', conversationId)
    .returning('last_rev')
    .executeTakeFirstOrThrow();
  return Number(bumped.last_rev);
}

/** True when the reaction is new; refuses a 51st different emoji on one message. */
async function addReaction(trx: Tx, messageId: string, userId: string, emoji: string, now: number): Promise<boolean> {
  const present = await trx
    .selectFrom('message_reactions')
    .select(['emoji', 'user_id', 'created_at'])
    .where('message_id', '=', messageId)
    .execute();
  if (present.some((r) => r.emoji === emoji && r.user_id === userId)) return false;
  const kinds = new Set(present.map((r) => r.emoji));
  if (!kinds.has(emoji) && kinds.size >= MessagingLimits.reactionKindsPerMessage)
    throw new QixinError(
      'conflict',
      `a message holds at most ${MessagingLimits.reactionKindsPerMessage} different reactions`,
      'content_invalid',
    );
  // Strictly after every earlier reaction: created_at is the order of reacting, even within one millisecond.
  const at = present.reduce((latest, r) => Math.max(latest, Number(r.created_at) + 1), now);
  await trx
    .insertInto('message_reactions')
    .values({ message_id: messageId, user_id: userId, emoji, created_at: at })
    .execute();
  return true;
}

async function dropReaction(trx: Tx, messageId: string, userId: string, emoji: string): Promise<boolean> {
  const { numDeletedRows } = await trx
    .deleteFrom('message_reactions')
    .where('message_id', '=', messageId)
    .where('user_id', '=', userId)
    .where('emoji', '=', emoji)
    .executeTakeFirst();
  return Number(numDeletedRows) > 0;
}

const notAMember = () => new QixinError('forbidden', 'you are not a member of this conversation', 'not_a_member');
const mine = (members: StoredMember[], userId: string) => members.find((m) => m.user_id === userId);
const activeIds = (members: StoredMember[]) => members.filter((m) => m.active).map((m) => m.user_id);
