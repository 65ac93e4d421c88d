// Group management (group.*): admins, ownership transfer, dissolution, the announcement with its
// history, and the group's settings (mute-all, managers-only, welcome text).
import type { Announcement } from '../../shared/protocol';
import type { ChangeStream } from './changes';
import type { DomainContext } from './context';
import { audit } from './audit';
import { activeIds, ConversationChanges, memberOf } from './conversation-changes';
import * as policy from './policy';
import { announcementView, loadConversation } from './views';

export class Groups {
  private readonly writes: ConversationChanges;

  constructor(
    private readonly ctx: DomainContext,
    changes: ChangeStream,
  ) {
    this.writes = new ConversationChanges(ctx, changes);
  }

  /** Replaces the admin list; the notice names the admins after the change. */
  async setAdmins(actorId: string, conversationId: string, userIds: string[]) {
    const adminIds = [...new Set(userIds)];
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await this.writes.lock(trx, conversationId);
      policy.assertCanSetAdmins(conv, memberOf(members, actorId), members, adminIds);
      const before = members.filter((m) => m.active && m.admin).map((m) => m.user_id);
      const unchanged = before.length === adminIds.length && before.every((id) => adminIds.includes(id));
      if (unchanged) return this.writes.finish(trx, conversationId, actorId, []);
      await trx
        .updateTable('members')
        .set({ admin: 0 })
        .where('conversation_id', '=', conversationId)
        .where('admin', '=', 1)
        .execute();
      if (adminIds.length) {
        await trx
          .updateTable('members')
          .set({ admin: 1 })
          .where('conversation_id', '=', conversationId)
          .where('user_id', 'in', adminIds)
          .execute();
      }
      const notice = await this.writes.notice(trx, conversationId, actorId, {
        action: 'admins',
        targetIds: adminIds,
        name: null,
      });
      await audit(trx, this.ctx.now(), {
        actorId,
        action: 'conversation.admins_changed',
        targetId: conversationId,
        detail: { before, after: adminIds },
      });
      return { ...(await this.writes.finish(trx, conversationId, actorId, activeIds(members))), notices: [notice] };
    });
    return this.writes.publish(outcome);
  }

  /** The new owner stops being an admin; the old owner stays as a plain member. */
  async transfer(actorId: string, conversationId: string, userId: string) {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await this.writes.lock(trx, conversationId);
      policy.assertCanTransfer(conv, memberOf(members, actorId), memberOf(members, userId));
      await trx.updateTable('conversations').set({ owner_id: userId }).where('id', '=', conversationId).execute();
      await trx
        .updateTable('members')
        .set({ admin: 0 })
        .where('conversation_id', '=', conversationId)
        .where('user_id', '=', userId)
        .execute();
      const notice = await this.writes.notice(trx, conversationId, actorId, {
        action: 'transferred',
        targetIds: [userId],
        name: null,
      });
      await audit(trx, this.ctx.now(), {
        actorId,
        action: 'conversation.owner_changed',
        targetId: conversationId,
        detail: { ownerId: userId },
      });
      return { ...(await this.writes.finish(trx, conversationId, actorId, activeIds(members))), notices: [notice] };
    });
    return this.writes.publish(outcome);
  }

  /**
   * Everyone becomes a former member at the dissolution notice: they keep reading the history up
   * to it, and nobody can send or change anything any more.
   */
  async dissolve(actorId: string, conversationId: string) {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await this.writes.lock(trx, conversationId);
      policy.assertGroupOwner(conv, memberOf(members, actorId));
      const everyone = activeIds(members);
      const notice = await this.writes.notice(trx, conversationId, actorId, {
        action: 'dissolved',
        targetIds: [],
        name: null,
      });
      await trx.updateTable('conversations').set({ dissolved: 1 }).where('id', '=', conversationId).execute();
      await trx
        .updateTable('members')
        .set({ active: 0, left_seq: notice.seq, left_at: this.ctx.now() })
        .where('conversation_id', '=', conversationId)
        .where('active', '=', 1)
        .execute();
      await audit(trx, this.ctx.now(), {
        actorId,
        action: 'conversation.dissolved',
        targetId: conversationId,
        detail: { memberIds: everyone },
      });
      const done = await this.writes.finish(trx, conversationId, actorId, everyone);
      // Nobody is active any more; the notice still goes to everyone who was.
      return { ...done, notices: [notice], activeIds: everyone };
    });
    return this.writes.publish(outcome);
  }

  /** Every edit is a new version ('' clears it); repeating the current text changes nothing. */
  async setAnnouncement(actorId: string, conversationId: string, text: string) {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await this.writes.lock(trx, conversationId);
      policy.assertGroupManager(conv, memberOf(members, actorId));
      if ((conv!.announcement?.text ?? '') === text) return this.writes.finish(trx, conversationId, actorId, []);
      const version = conv!.announcement_version + 1;
      const now = this.ctx.now();
      await trx
        .insertInto('group_announcements')
        .values({ conversation_id: conversationId, version, text, author_id: actorId, created_at: now })
        .execute();
      await trx
        .updateTable('conversations')
        .set({ announcement_version: version })
        .where('id', '=', conversationId)
        .execute();
      const notice = await this.writes.notice(trx, conversationId, actorId, {
        action: 'announcement',
        targetIds: [],
        name: text,
      });
      return { ...(await this.writes.finish(trx, conversationId, actorId, activeIds(members))), notices: [notice] };
    });
    return this.writes.publish(outcome);
  }

  /**
   * Every version, newest first, cleared ones included (text ''). A former member sees the
   * versions written while they were in the group.
   */
  async announcements(userId: string, conversationId: string): Promise<{ announcements: Announcement[] }> {
    const { conv, members } = await loadConversation(this.ctx.db, conversationId);
    const me = memberOf(members, userId);
    policy.assertCanReadAnnouncements(conv, me);
    let query = this.ctx.db
      .selectFrom('group_announcements')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('version', 'desc');
    if (!me!.active && me!.left_at !== null) query = query.where('created_at', '<=', me!.left_at);
    const rows = await query.execute();
    return {
      announcements: rows.map(
        (r) =>
          announcementView(r) ?? {
            text: '',
            authorId: r.author_id,
            updatedAt: Number(r.created_at),
            version: r.version,
          },
      ),
    };
  }

  /** 全员禁言 on/off posts a notice; the welcome text and managers-only change the view only. */
  async setSettings(
    actorId: string,
    conversationId: string,
    settings: { muteAll?: boolean; managersOnly?: boolean; welcome?: string },
  ) {
    const outcome = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await this.writes.lock(trx, conversationId);
      policy.assertGroupManager(conv, memberOf(members, actorId));
      const set: { mute_all?: number; managers_only?: number; welcome?: string } = {};
      if (settings.muteAll !== undefined && settings.muteAll !== !!conv!.mute_all)
        set.mute_all = settings.muteAll ? 1 : 0;
      if (settings.managersOnly !== undefined && settings.managersOnly !== !!conv!.managers_only)
        set.managers_only = settings.managersOnly ? 1 : 0;
      if (settings.welcome !== undefined && settings.welcome !== conv!.welcome) set.welcome = settings.welcome;
      if (Object.keys(set).length === 0) return this.writes.finish(trx, conversationId, actorId, []);
      await trx.updateTable('conversations').set(set).where('id', '=', conversationId).execute();
      const notices = [];
      if (set.mute_all !== undefined) {
        notices.push(
          await this.writes.notice(trx, conversationId, actorId, {
            action: set.mute_all ? 'muteAll' : 'unmuteAll',
            targetIds: [],
            name: null,
          }),
        );
      }
      await audit(trx, this.ctx.now(), {
        actorId,
        action: 'conversation.settings_changed',
        targetId: conversationId,
        detail: { ...settings },
      });
      return { ...(await this.writes.finish(trx, conversationId, actorId, activeIds(members))), notices };
    });
    return this.writes.publish(outcome);
  }
}
