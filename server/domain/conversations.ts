// Conversations: direct chats (one per pair) and groups with owner, members and notices.
import { sql } from 'kysely';
import {
  eventFrame,
  Limits,
  QixinError,
  type Change,
  type Conversation,
  type ConversationType,
  type SystemNotice,
} from '../../shared/protocol';
import { newId } from '../../shared/lib/ids';
import { isUniqueViolation } from '../store/errors';
import type { MemberRow, MessageRow } from '../store/schema';
import type { Addressed, ChangeStream } from './changes';
import type { DomainContext, Tx } from './context';
import { appendMessage } from './messages';
import { audit } from './audit';
import * as policy from './policy';
import { conversationView, loadConversation, messageView, orderedActive } from './views';

/** What a committed change must tell clients. */
interface Outcome {
  conversation: Conversation;
  appended: Addressed<Change>[];
  notice?: MessageRow;
  /** Active members after the change: they get the notice as msg.new. */
  activeIds: string[];
}

export class Conversations {
  constructor(
    private readonly ctx: DomainContext,
    private readonly changes: ChangeStream,
  ) {}

  async create(actorId: string, input: { type: ConversationType; memberIds: string[]; name?: string }) {
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome =
          input.type === 'direct'
            ? await this.createDirect(actorId, input.memberIds)
            : await this.createGroup(actorId, input);
        return this.publish(outcome);
      } catch (err) {
        // Two devices opening the same direct chat at once: the loser finds the winner's.
        if (attempt < 2 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  private async createDirect(actorId: string, memberIds: string[]): Promise<Outcome> {
    const others = [...new Set(memberIds)];
    if (others.length !== 1) throw new QixinError('invalid', 'a direct chat has exactly one other member');
    const peerId = others[0]!;
    if (peerId === actorId) throw new QixinError('invalid', 'a direct chat needs another person');
    const directKey = [actorId, peerId].sort().join(':');
    return this.ctx.transaction(async (trx) => {
      const existing = await trx
        .selectFrom('conversations')
        .select('id')
        .where('direct_key', '=', directKey)
        .executeTakeFirst();
      if (existing) {
        const { conv, members } = await loadConversation(trx, existing.id);
        return { conversation: conversationView(conv!, members, actorId), appended: [], activeIds: [] };
      }
      await this.assertUsersExist(trx, [peerId]);
      const now = this.ctx.now();
      const id = await insertConversation(trx, now, { type: 'direct', name: null, ownerId: actorId, directKey });
      await this.insertMembers(trx, id, [actorId, peerId], 0, now);
      await audit(trx, now, {
        actorId,
        action: 'conversation.created',
        targetId: id,
        detail: { type: 'direct', memberIds: [actorId, peerId] },
      });
      return this.finish(trx, id, actorId, [actorId, peerId]);
    });
  }

  private async createGroup(actorId: string, input: { memberIds: string[]; name?: string }): Promise<Outcome> {
    const memberIds = [...new Set([actorId, ...input.memberIds])];
    if (memberIds.length > Limits.groupMaxMembers) {
      throw new QixinError('invalid', `a group has at most ${Limits.groupMaxMembers} members`);
    }
    return this.ctx.transaction(async (trx) => {
      await this.assertUsersExist(trx, memberIds);
      const now = this.ctx.now();
      const id = await insertConversation(trx, now, {
        type: 'group',
        name: input.name ?? null,
        ownerId: actorId,
        directKey: null,
      });
      const notice = await this.notice(trx, id, actorId, {
        action: 'created',
        targetIds: memberIds.filter((m) => m !== actorId),
        name: input.name ?? null,
      });
      await this.insertMembers(trx, id, memberIds, notice.seq, now);
      await audit(trx, now, {
        actorId,
        action: 'conversation.created',
        targetId: id,
        detail: { type: 'group', memberIds },
      });
      return { ...(await this.finish(trx, id, actorId, memberIds)), notice };
    });
  }

  async rename(actorId: string, conversationId: string, name: string) {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await this.lock(trx, conversationId);
      policy.assertCanRename(conv, mine(members, actorId));
      await trx.updateTable('conversations').set({ name }).where('id', '=', conversationId).execute();
      const notice = await this.notice(trx, conversationId, actorId, { action: 'renamed', targetIds: [], name });
      return { ...(await this.finish(trx, conversationId, actorId, activeIds(members))), notice };
    });
    return this.publish(outcome);
  }

  async addMembers(actorId: string, conversationId: string, userIds: string[]) {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await this.lock(trx, conversationId);
      policy.assertCanAddMembers(conv, mine(members, actorId));
      const current = new Set(activeIds(members));
      const joining = [...new Set(userIds)].filter((id) => !current.has(id));
      if (joining.length === 0) return this.finish(trx, conversationId, actorId, []);
      if (current.size + joining.length > Limits.groupMaxMembers) {
        throw new QixinError('invalid', `a group has at most ${Limits.groupMaxMembers} members`);
      }
      await this.assertUsersExist(trx, joining);
      const now = this.ctx.now();
      const notice = await this.notice(trx, conversationId, actorId, {
        action: 'added',
        targetIds: joining,
        name: null,
      });
      const former = new Set(members.map((m) => m.user_id));
      // Someone who left and is invited back becomes active again and reads the whole history.
      const returning = joining.filter((id) => former.has(id));
      if (returning.length) {
        await trx
          .updateTable('members')
          .set({ active: 1, left_seq: null, left_at: null, joined_seq: notice.seq, joined_at: now })
          .where('conversation_id', '=', conversationId)
          .where('user_id', 'in', returning)
          .execute();
      }
      await this.insertMembers(
        trx,
        conversationId,
        joining.filter((id) => !former.has(id)),
        notice.seq,
        now,
      );
      await audit(trx, now, {
        actorId,
        action: 'conversation.members_added',
        targetId: conversationId,
        detail: { userIds: joining },
      });
      return { ...(await this.finish(trx, conversationId, actorId, [...current, ...joining])), notice };
    });
    return this.publish(outcome);
  }

  async removeMember(actorId: string, conversationId: string, userId: string) {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await this.lock(trx, conversationId);
      policy.assertCanRemoveMember(conv, mine(members, actorId), userId);
      if (!mine(members, userId)?.active) throw new QixinError('not_found', 'that user is not a member of this group');
      const notice = await this.notice(trx, conversationId, actorId, {
        action: 'removed',
        targetIds: [userId],
        name: null,
      });
      await this.deactivate(trx, conversationId, userId, notice.seq);
      await audit(trx, this.ctx.now(), {
        actorId,
        action: 'conversation.member_removed',
        targetId: conversationId,
        detail: { userId },
      });
      const done = await this.finish(trx, conversationId, actorId, activeIds(members));
      // The removed user sees the notice too: it is the last message they may read.
      return { ...done, notice, activeIds: [...done.activeIds, userId] };
    });
    return this.publish(outcome);
  }

  async leave(actorId: string, conversationId: string) {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await this.lock(trx, conversationId);
      policy.assertCanLeave(conv, mine(members, actorId));
      const notice = await this.notice(trx, conversationId, actorId, { action: 'left', targetIds: [], name: null });
      await this.deactivate(trx, conversationId, actorId, notice.seq);
      await audit(trx, this.ctx.now(), { actorId, action: 'conversation.member_left', targetId: conversationId });
      if (conv!.owner_id === actorId) {
        const heir = orderedActive(members).find((m) => m.user_id !== actorId);
        // The last one out keeps the (empty) group's ownership; there is nobody to hand it to.
        if (heir) {
          await trx
            .updateTable('conversations')
            .set({ owner_id: heir.user_id })
            .where('id', '=', conversationId)
            .execute();
          await audit(trx, this.ctx.now(), {
            actorId,
            action: 'conversation.owner_changed',
            targetId: conversationId,
            detail: { ownerId: heir.user_id },
          });
        }
      }
      const done = await this.finish(trx, conversationId, actorId, activeIds(members));
      return { ...done, notice, activeIds: [...done.activeIds, actorId] };
    });
    return this.publish(outcome);
  }

  async setPrefs(actorId: string, conversationId: string, prefs: { pinned?: boolean; muted?: boolean }) {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await loadConversation(trx, conversationId);
      policy.assertCanSetPrefs(conv, mine(members, actorId));
      const set: { pinned?: number; muted?: number } = {};
      if (prefs.pinned !== undefined) set.pinned = prefs.pinned ? 1 : 0;
      if (prefs.muted !== undefined) set.muted = prefs.muted ? 1 : 0;
      if (Object.keys(set).length === 0) return this.finish(trx, conversationId, actorId, []);
      await trx
        .updateTable('members')
        .set(set)
        .where('conversation_id', '=', conversationId)
        .where('user_id', '=', actorId)
        .execute();
      // Only this user's devices care about their own pins and mutes.
      return this.finish(trx, conversationId, actorId, [actorId]);
    });
    return this.publish(outcome);
  }

  private async lock(trx: Tx, conversationId: string) {
    if (this.ctx.dialect === 'postgres') {
      // Serializes structural changes of one group (SQLite transactions are serial already).
      await sql`select id from conversations where id = ${conversationId} for update`.execute(trx);
    }
    return loadConversation(trx, conversationId);
  }

  private notice(trx: Tx, conversationId: string, actorId: string, notice: Omit<SystemNotice, 'actorId'>) {
    return appendMessage(trx, this.ctx.now(), {
      id: newId(),
      conversationId,
      senderId: actorId,
      kind: 'system',
      text: '',
      system: { ...notice, actorId },
    }).then((row) => row!);
  }

  private async insertMembers(trx: Tx, conversationId: string, userIds: string[], joinedSeq: number, now: number) {
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

  private async deactivate(trx: Tx, conversationId: string, userId: string, leftSeq: number) {
    await trx
      .updateTable('members')
      .set({ active: 0, left_seq: leftSeq, left_at: this.ctx.now() })
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .execute();
  }

  private async assertUsersExist(trx: Tx, userIds: string[]) {
    const found = new Set<string>();
    for (let i = 0; i < userIds.length; i += 500) {
      const rows = await trx
        .selectFrom('users')
        .select('id')
        .where('id', 'in', userIds.slice(i, i + 500))
        .execute();
      for (const r of rows) found.add(r.id);
    }
    const missing = userIds.filter((id) => !found.has(id));
    if (missing.length) throw new QixinError('invalid', `no such user: ${missing.join(', ')}`);
  }

  /**
   * Reloads the conversation and appends, for every affected user, a change with that
   * user's own view (a user who just left or was removed sees active:false).
   */
  private async finish(trx: Tx, conversationId: string, actorId: string, affected: string[]): Promise<Outcome> {
    const { conv, members } = await loadConversation(trx, conversationId);
    const users = [...new Set(affected)];
    const appended = await this.changes.append(
      trx,
      users.map((userId) => ({
        userId,
        change: { kind: 'conversation' as const, conversation: conversationView(conv!, members, userId) },
      })),
    );
    return { conversation: conversationView(conv!, members, actorId), appended, activeIds: activeIds(members) };
  }

  private publish(outcome: Outcome): { conversation: Conversation } {
    this.changes.publish(outcome.appended);
    if (outcome.notice) {
      this.ctx.fanout.toUsers(outcome.activeIds, eventFrame('msg.new', { message: messageView(outcome.notice) }));
    }
    return { conversation: outcome.conversation };
  }
}

function mine(members: MemberRow[], userId: string): MemberRow | undefined {
  return members.find((m) => m.user_id === userId);
}

function activeIds(members: MemberRow[]): string[] {
  return members.filter((m) => m.active).map((m) => m.user_id);
}

/** A new, empty conversation row; members and the first notice are the caller's business. */
async function insertConversation(
  trx: Tx,
  now: number,
  c: { type: 'direct' | 'group'; name: string | null; ownerId: string; directKey: string | null },
): Promise<string> {
  const id = newId();
  await trx
    .insertInto('conversations')
    .values({
      id,
      type: c.type,
      name: c.name,
      owner_id: c.ownerId,
      direct_key: c.directKey,
      created_at: now,
      last_seq: 0,
      last_activity_at: now,
    })
    .execute();
  return id;
}
