// The common tail of every structural change to a conversation (conv.* and group.*): lock the
// group, post system notices, append each affected user's own view to their change stream, and
// after commit deliver the notices and changes.
import { sql } from 'kysely';
import { eventFrame, type Conversation, type SystemNotice } from '../../shared/protocol';
import { newId } from '../../shared/lib/ids';
import type { MessageRow } from '../store/schema';
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
