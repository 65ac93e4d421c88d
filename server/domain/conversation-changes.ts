// The common tail of every structural change to a conversation (conv.* and group.*): lock the
// group, post system notices, append each affected user's own view to their change stream, and
// after commit deliver the notices and changes.
import { sql } from 'kysely';
import { eventFrame, type Conversation, type SystemNotice } from '../../shared/protocol';
import { newId } from '../../shared/lib/ids';
import type { MessageRow } from '../store/schema';
import { audit } from './audit';
import type { Appended, ChangeStream } from './changes';
import type { DomainContext, Tx } from './context';
import { appendMessage } from './messages';
import { loadConversation, messageView, ownConversationView, sharedConversationView, type StoredMember } from './views';

/** What a committed change must tell clients. */
export interface Outcome {
  conversation: Conversation;
  appended: Appended[];
  /** System notices in seq order; every id in `activeIds` gets each one as msg.new. */
  notices: MessageRow[];
  activeIds: string[];
}

export class ConversationChanges {
  constructor(
    private readonly ctx: DomainContext,
    private readonly changes: ChangeStream,
  ) {}

  /** Loads the conversation, serializing structural changes of one group on PostgreSQL. */
  async lock(trx: Tx, conversationId: string) {
    if (this.ctx.dialect === 'postgres') {
      // SQLite write transactions are serial already.
      await sql`select id from conversations where id = ${conversationId} for update`.execute(trx);
    }
    return loadConversation(trx, conversationId);
  }

  notice(trx: Tx, conversationId: string, actorId: string, notice: Omit<SystemNotice, 'actorId'>) {
    return appendMessage(trx, this.ctx.now(), {
      id: newId(),
      conversationId,
      senderId: actorId,
      kind: 'system',
      text: '',
      system: { ...notice, actorId },
    }).then((row) => row!);
  }

  /**
   * Reloads the conversation and appends, for every affected user, a change with that
   * user's own view (a user who just left or was removed sees active:false). The part all of
   * them share is built and stored once.
   */
  async finish(trx: Tx, conversationId: string, actorId: string, affected: string[]): Promise<Outcome> {
    const { conv, members } = await loadConversation(trx, conversationId);
    const shared = sharedConversationView(conv!, members);
    const byUser = new Map(members.map((m) => [m.user_id, m]));
    const appended = await this.changes.appendConversation(trx, {
      shared,
      owners: [...new Set(affected)].map((userId) => ({ userId, own: ownConversationView(conv!, byUser.get(userId)) })),
    });
    return {
      conversation: { ...shared, ...ownConversationView(conv!, byUser.get(actorId)) },
      appended,
      notices: [],
      activeIds: activeIds(members),
    };
  }

  /**
   * The direct chat of the two, made if missing (both members, audited, a conversation change for
   * each: `created`); `created` is null when it existed. Two writers making it at once: the second
   * waits for the first's row and takes it, so a caller's transaction never fails on it.
   */
  async openDirect(
    trx: Tx,
    actorId: string,
    peerId: string,
  ): Promise<{ conversationId: string; created: Outcome | null }> {
    const directKey = [actorId, peerId].sort().join(':');
    const now = this.ctx.now();
    const inserted = await trx
      .insertInto('conversations')
      .values({
        id: newId(),
        type: 'direct',
        name: null,
        owner_id: actorId,
        direct_key: directKey,
        created_at: now,
        last_seq: 0,
        last_activity_at: now,
      })
      .onConflict((oc) => oc.column('direct_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const existing = await trx
        .selectFrom('conversations')
        .select('id')
        .where('direct_key', '=', directKey)
        .executeTakeFirstOrThrow();
      return { conversationId: existing.id, created: null };
    }
    await insertMembers(trx, inserted.id, [actorId, peerId], 0, now);
    await audit(trx, now, {
      actorId,
      action: 'conversation.created',
      targetId: inserted.id,
      detail: { type: 'direct', memberIds: [actorId, peerId] },
    });
    return { conversationId: inserted.id, created: await this.finish(trx, inserted.id, actorId, [actorId, peerId]) };
  }

  /** After commit. */
  publish(outcome: Outcome): { conversation: Conversation } {
    this.changes.publish(outcome.appended);
    for (const notice of outcome.notices) {
      this.ctx.fanout.toUsers(outcome.activeIds, eventFrame('msg.new', { message: messageView(notice) }));
    }
    return { conversation: outcome.conversation };
  }

  /** The enterprise's member limit of a group. */
  async groupLimit(trx: Tx): Promise<number> {
    const row = await trx.selectFrom('enterprises').select('group_max_members').executeTakeFirstOrThrow();
    return row.group_max_members;
  }
}

export function memberOf(members: StoredMember[], userId: string): StoredMember | undefined {
  return members.find((m) => m.user_id === userId);
}

export function activeIds(members: StoredMember[]): string[] {
  return members.filter((m) => m.active).map((m) => m.user_id);
}

/** New active members of a conversation, in the order given. */
export async function insertMembers(
  trx: Tx,
  conversationId: string,
  userIds: string[],
  joinedSeq: number,
  now: number,
): Promise<void> {
  if (userIds.length === 0) return;
  await trx
    .insertInto('members')
    .values(
      userIds.map((userId, position) => ({
        conversation_id: conversationId,
        user_id: userId,
        joined_seq: joinedSeq,
        join_position: position,
        joined_at: now,
        active: 1,
        left_seq: null,
        left_at: null,
        read_seq: 0,
        pinned: 0,
        muted: 0,
      })),
    )
    .execute();
}
