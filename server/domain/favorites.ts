// 收藏: a user's frozen copies of messages they could read, kept even if the original is
// recalled or the chat is left. Every change goes to the user's other devices as a `favorites` change.
import { MessagingLimits, type Favorite, type MessageBody } from '../../shared/protocol';
import { newId } from '../../shared/lib/ids';
import { isUniqueViolation } from '../store/errors';
import type { FavoriteRow } from '../store/schema';
import { withinBudget } from './budget';
import type { ChangeStream } from './changes';
import type { DomainContext } from './context';
import * as policy from './policy';
import { loadConversation } from './views';

type Cursor = { savedAt: number; id: string };

export function favoriteView(row: FavoriteRow): Favorite {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    senderId: row.sender_id,
    kind: row.kind,
    text: row.text,
    body: row.body ? (JSON.parse(row.body) as MessageBody) : null,
    createdAt: Number(row.created_at),
    savedAt: Number(row.saved_at),
  };
}

export class Favorites {
  constructor(
    private readonly ctx: DomainContext,
    private readonly changes: ChangeStream,
  ) {}

  /** Copies of the messages, in the order asked; a message saved before answers with its existing copy. */
  async add(userId: string, conversationId: string, messageIds: string[]): Promise<Favorite[]> {
    const ids = [...new Set(messageIds)];
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.addOnce(userId, conversationId, ids);
      } catch (err) {
        // Two devices saving the same message at once: the second finds the first's copy.
        if (attempt < 2 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  private async addOnce(userId: string, conversationId: string, ids: string[]): Promise<Favorite[]> {
    const { favorites, appended } = await this.ctx.transaction(async (trx) => {
      const { conv, members } = await loadConversation(trx, conversationId);
      const cap = policy.readableUpTo(
        conv,
        members.find((m) => m.user_id === userId),
      );
      const rows = await trx
        .selectFrom('messages')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('id', 'in', ids)
        .execute();
      const messages = new Map(rows.map((r) => [r.id, r]));
      for (const id of ids) {
        const row = messages.get(id);
        policy.assertReadableMessage(row, conversationId, cap);
        policy.assertCopyable(row);
      }
      const saved = await trx
        .selectFrom('favorites')
        .selectAll()
        .where('user_id', '=', userId)
        .where('message_id', 'in', ids)
        .execute();
      const byMessage = new Map(saved.map((f) => [f.message_id, f]));
      const now = this.ctx.now();
      const fresh: FavoriteRow[] = ids
        .filter((id) => !byMessage.has(id))
        .map((id) => {
          const m = messages.get(id)!;
          return {
            id: newId(),
            user_id: userId,
            conversation_id: conversationId,
            message_id: id,
            sender_id: m.sender_id,
            kind: m.kind,
            text: m.text,
            body: m.body,
            created_at: Number(m.created_at),
            saved_at: now,
          };
        });
      if (fresh.length === 0) return { favorites: ids.map((id) => favoriteView(byMessage.get(id)!)), appended: [] };
      await trx.insertInto('favorites').values(fresh).execute();
      for (const f of fresh) byMessage.set(f.message_id, f);
      const appended = await this.changes.append(trx, [
        { userId, change: { kind: 'favorites', added: fresh.map(favoriteView), removedIds: [] } },
      ]);
      return { favorites: ids.map((id) => favoriteView(byMessage.get(id)!)), appended };
    });
    this.changes.publish(appended);
    return favorites;
  }

  /** Newest saved first, a page after `before`. */
  async list(
    userId: string,
    before: Cursor | null,
    limit: number,
  ): Promise<{ favorites: Favorite[]; next: Cursor | null }> {
    let query = this.ctx.db
      .selectFrom('favorites')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('saved_at', 'desc')
      .orderBy('id', 'desc')
      .limit(Math.min(limit, MessagingLimits.favoritesPageSize) + 1);
    if (before) {
      query = query.where((eb) =>
        eb.or([
          eb('saved_at', '<', before.savedAt),
          eb.and([eb('saved_at', '=', before.savedAt), eb('id', '<', before.id)]),
        ]),
      );
    }
    const rows = await query.execute();
    // Copies of chat histories are large: a page ends early rather than outgrow a frame.
    const page = withinBudget(rows.slice(0, limit), (r) => (r.text.length + (r.body?.length ?? 0)) * 3 + 300);
    const more = rows.length > page.length;
    const last = page.at(-1);
    return {
      favorites: page.map(favoriteView),
      next: more && last ? { savedAt: Number(last.saved_at), id: last.id } : null,
    };
  }

  /** Removes the user's own favorites; ids that are not theirs (or gone already) are ignored. */
  async remove(userId: string, ids: string[]): Promise<void> {
    const wanted = [...new Set(ids)];
    const appended = await this.ctx.transaction(async (trx) => {
      const rows = await trx
        .selectFrom('favorites')
        .select('id')
        .where('user_id', '=', userId)
        .where('id', 'in', wanted)
        .execute();
      if (rows.length === 0) return [];
      const removedIds = rows.map((r) => r.id);
      await trx.deleteFrom('favorites').where('user_id', '=', userId).where('id', 'in', removedIds).execute();
      return this.changes.append(trx, [{ userId, change: { kind: 'favorites', added: [], removedIds } }]);
    });
    this.changes.publish(appended);
  }
}
