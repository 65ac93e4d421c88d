// Private subscription URLs (订阅链接): a random 256-bit token per URL, of which only the sha256 is
// kept, so the URL is shown once, when issued. Rotating revokes every earlier one; a revoked or
// unknown token, or one whose owner may no longer sign in, finds nothing (404).
import { QixinError } from '../../shared/protocol';
import type { DomainContext, Tx } from '../domain/context';
import { hashToken, newSessionToken } from '../domain/secrets';

/** Live URLs per person: issuing one more revokes the oldest. */
const FEEDS_MAX = 5;

export class Feeds {
  constructor(private readonly ctx: DomainContext) {}

  /** A new token (the previous ones revoked when `rotate`). */
  async issue(userId: string, rotate: boolean): Promise<{ token: string; createdAt: number }> {
    const token = newSessionToken();
    const now = this.ctx.now();
    await this.ctx.transaction(async (trx) => {
      if (rotate) await this.revokeIn(trx, userId, now);
      await trx
        .insertInto('calendar_feeds')
        .values({ token_hash: hashToken(token), user_id: userId, created_at: now })
        .execute();
      const live = await trx
        .selectFrom('calendar_feeds')
        .select('token_hash')
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .orderBy('created_at', 'desc')
        .execute();
      const old = live.slice(FEEDS_MAX).map((f) => f.token_hash);
      if (old.length)
        await trx.updateTable('calendar_feeds').set({ revoked_at: now }).where('token_hash', 'in', old).execute();
    });
    return { token, createdAt: now };
  }

  async revoke(userId: string): Promise<Record<string, never>> {
    await this.ctx.transaction((trx) => this.revokeIn(trx, userId, this.ctx.now()));
    return {};
  }

  /** Whose feed a token opens; feed_not_found when revoked, unknown, or the person is gone. */
  async ownerOf(token: string): Promise<string> {
    const row = await this.ctx.db
      .selectFrom('calendar_feeds')
      .innerJoin('users', 'users.id', 'calendar_feeds.user_id')
      .select(['calendar_feeds.user_id', 'calendar_feeds.revoked_at', 'users.status'])
      .where('calendar_feeds.token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || row.status !== 'active')
      throw new QixinError('not_found', 'no such calendar feed', 'feed_not_found');
    return row.user_id;
  }

  private async revokeIn(trx: Tx, userId: string, now: number) {
    await trx
      .updateTable('calendar_feeds')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
