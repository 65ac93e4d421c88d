// Conversations: direct chats (one per pair) and groups with owner, admins, members and notices.
import { QixinError, type ConversationType } from '../../shared/protocol';
import { newId } from '../../shared/lib/ids';
import { isUniqueViolation } from '../store/errors';
import type { ChangeStream } from './changes';
import type { DomainContext, Tx } from './context';
import { audit } from './audit';
import { activeIds, ConversationChanges, insertMembers, memberOf as mine, type Outcome } from './conversation-changes';
import * as policy from './policy';
import { conversationView, loadConversation, orderedActive } from './views';

export class Conversations {
  private readonly writes: ConversationChanges;

  constructor(
    private readonly ctx: DomainContext,
    changes: ChangeStream,
  ) {
    this.writes = new ConversationChanges(ctx, changes);
  }

  async create(actorId: string, input: { type: ConversationType; memberIds: string[]; name?: string }) {
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome =
          input.type === 'direct'
            ? await this.createDirect(actorId, input.memberIds)
            : await this.createGroup(actorId, input);
        return this.writes.publish(outcome);
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
    return this.ctx.transaction(async (trx) => {
      await this.assertUsersExist(trx, [peerId]);
      const { conversationId, created } = await this.writes.openDirect(trx, actorId, peerId);
      if (created) return created;
      const { conv, members } = await loadConversation(trx, conversationId);
      return { conversation: conversationView(conv!, members, actorId), appended: [], notices: [], activeIds: [] };
    });
  }

  private async createGroup(actorId: string, input: { memberIds: string[]; name?: string }): Promise<Outcome> {
    const memberIds = [...new Set([actorId, ...input.memberIds])];
    return this.ctx.transaction(async (trx) => {
      policy.assertGroupHasRoom(await this.writes.groupLimit(trx), memberIds.length);
      await this.assertUsersExist(trx, memberIds);
      const now = this.ctx.now();
      const id = await insertConversation(trx, now, {
        type: 'group',
        name: input.name ?? null,
        ownerId: actorId,
        directKey: null,
      });
      const notice = await this.writes.notice(trx, id, actorId, {
        action: 'created',
        targetIds: memberIds.filter((m) => m !== actorId),
        name: input.name ?? null,
      });
      await insertMembers(trx, id, memberIds, notice.seq, now);
      await audit(trx, now, {
        actorId,
        action: 'conversation.created',
        targetId: id,
        detail: { type: 'group', memberIds },
      });
      return { ...(await this.writes.finish(trx, id, actorId, memberIds)), notices: [notice] };
    });
  }

  async rename(actorId: string, conversationId: string, name: string) {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await this.writes.lock(trx, conversationId);
      policy.assertCanRename(conv, mine(members, actorId));
      await trx.updateTable('conversations').set({ name }).where('id', '=', conversationId).execute();
      const notice = await this.writes.notice(trx, conversationId, actorId, { action: 'renamed', targetIds: [], name });
      return { ...(await this.writes.finish(trx, conversationId, actorId, activeIds(members))), notices: [notice] };
    });
    return this.writes.publish(outcome);
  }

  async addMembers(actorId: string, conversationId: string, userIds: string[]) {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await this.writes.lock(trx, conversationId);
      policy.assertCanAddMembers(conv, mine(members, actorId));
      const current = new Set(activeIds(members));
      const joining = [...new Set(userIds)].filter((id) => !current.has(id));
      if (joining.length === 0) return this.writes.finish(trx, conversationId, actorId, []);
      policy.assertGroupHasRoom(await this.writes.groupLimit(trx), current.size + joining.length);
      await this.assertUsersExist(trx, joining);
      const now = this.ctx.now();
      const notice = await this.writes.notice(trx, conversationId, actorId, {
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
      await insertMembers(
        trx,
        conversationId,
        joining.filter((id) => !former.has(id)),
        notice.seq,
        now,
      );
      // 入群欢迎语: right after the notice that let them in, so they see it first.
      const notices = [notice];
      if (conv!.welcome) {
        notices.push(
          await this.writes.notice(trx, conversationId, actorId, {
            action: 'welcome',
            targetIds: joining,
            name: conv!.welcome,
          }),
        );
      }
      await audit(trx, now, {
        actorId,
        action: 'conversation.members_added',
        targetId: conversationId,
        detail: { userIds: joining },
      });
      return { ...(await this.writes.finish(trx, conversationId, actorId, [...current, ...joining])), notices };
    });
    return this.writes.publish(outcome);
  }

  async removeMember(actorId: string, conversationId: string, userId: string) {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await this.writes.lock(trx, conversationId);
      policy.assertCanRemoveMember(conv, mine(members, actorId), mine(members, userId), userId);
      const notice = await this.writes.notice(trx, conversationId, actorId, {
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
      const done = await this.writes.finish(trx, conversationId, actorId, activeIds(members));
      // The removed user sees the notice too: it is the last message they may read.
      return { ...done, notices: [notice], activeIds: [...done.activeIds, userId] };
    });
    return this.writes.publish(outcome);
  }

  async leave(actorId: string, conversationId: string) {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await this.writes.lock(trx, conversationId);
      policy.assertCanLeave(conv, mine(members, actorId));
      const notice = await this.writes.notice(trx, conversationId, actorId, {
        action: 'left',
        targetIds: [],
        name: null,
      });
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
          // The owner is not one of the admins.
          await trx
            .updateTable('members')
            .set({ admin: 0 })
            .where('conversation_id', '=', conversationId)
            .where('user_id', '=', heir.user_id)
            .execute();
          await audit(trx, this.ctx.now(), {
            actorId,
            action: 'conversation.owner_changed',
            targetId: conversationId,
            detail: { ownerId: heir.user_id },
          });
        }
      }
      const done = await this.writes.finish(trx, conversationId, actorId, activeIds(members));
      return { ...done, notices: [notice], activeIds: [...done.activeIds, actorId] };
    });
    return this.writes.publish(outcome);
  }

  async setPrefs(
    actorId: string,
    conversationId: string,
    prefs: { pinned?: boolean; muted?: boolean; tags?: string[] },
  ) {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await loadConversation(trx, conversationId);
      policy.assertCanSetPrefs(conv, mine(members, actorId));
      const set: { pinned?: number; muted?: number; tags?: string } = {};
      if (prefs.pinned !== undefined) set.pinned = prefs.pinned ? 1 : 0;
      if (prefs.muted !== undefined) set.muted = prefs.muted ? 1 : 0;
      if (prefs.tags !== undefined) set.tags = JSON.stringify(normalizeTags(prefs.tags));
      if (Object.keys(set).length === 0) return this.writes.finish(trx, conversationId, actorId, []);
      await trx
        .updateTable('members')
        .set(set)
        .where('conversation_id', '=', conversationId)
        .where('user_id', '=', actorId)
        .execute();
      // Only this user's devices care about their own pins, mutes and tags.
      return this.writes.finish(trx, conversationId, actorId, [actorId]);
    });
    return this.writes.publish(outcome);
  }

  private async deactivate(trx: Tx, conversationId: string, userId: string, leftSeq: number) {
    await trx
      .updateTable('members')
      // Whoever comes back later comes back as a plain member.
      .set({ active: 0, left_seq: leftSeq, left_at: this.ctx.now(), admin: 0 })
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
}

/** Tags as the user means them: trimmed, each once, in the order given. */
function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t.length > 0))];
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
