// The per-user change stream: non-message changes, each with a global increasing cursor.
import { sql } from 'kysely';
import { eventFrame, Limits, type Change } from '../../shared/protocol';
import { withinBudget } from './budget';
import type { DomainContext, Tx } from './context';
import { readSnapshot, type Snapshot } from './snapshot';

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
export type ChangeBody = DistributiveOmit<Change, 'cursor'>;

/** A change and who gets it: a user id, or null for everyone in the enterprise. */
export interface Addressed<C> {
  userId: string | null;
  change: C;
}

export class ChangeStream {
  constructor(private readonly ctx: DomainContext) {}

  /** Appends changes inside the caller's transaction. Call it last in the transaction. */
  async append(trx: Tx, entries: Addressed<ChangeBody>[]): Promise<Addressed<Change>[]> {
    if (entries.length === 0) return [];
    if (this.ctx.dialect === 'postgres') {
      // Held to commit: change ids then become visible in id order, so a reader that saw
      // id N never later finds a lower id it skipped.
      await sql`select pg_advisory_xact_lock(7710002)`.execute(trx);
    }
    const now = this.ctx.now();
    const out: Addressed<Change>[] = [];
    for (const entry of entries) {
      const { id } = await trx
        .insertInto('changes')
        .values({ user_id: entry.userId, kind: entry.change.kind, body: JSON.stringify(entry.change), created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      out.push({ userId: entry.userId, change: { ...entry.change, cursor: Number(id) } as Change });
    }
    return out;
  }

  /** After commit: each change goes to its user's devices (or everyone's) as a `change` event. */
  publish(appended: Addressed<Change>[]): void {
    for (const { userId, change } of appended) {
      const frame = eventFrame('change', { change });
      if (userId === null) this.ctx.fanout.toEveryone(frame);
      else this.ctx.fanout.toUsers([userId], frame);
    }
  }

  /** The initial snapshot; see readSnapshot. */
  snapshot(userId: string): Promise<Snapshot> {
    return readSnapshot(this.ctx.db, userId);
  }

  /** Entries after the cursor; 0 is the start of the log (a fresh client uses `snapshot`). */
  async read(userId: string, after: number): Promise<{ changes: Change[]; cursor: number; hasMore: boolean }> {
    const rows = await this.ctx.db
      .selectFrom('changes')
      .select(['id', 'body'])
      .where((eb) => eb.or([eb('user_id', '=', userId), eb('user_id', 'is', null)]))
      .where('id', '>', after)
      .orderBy('id')
      .limit(Limits.changesPageSize + 1)
      .execute();
    // Pages end at the count limit or, for big group views, at a byte budget.
    const page = withinBudget(rows.slice(0, Limits.changesPageSize), (r) => r.body.length + 32);
    const hasMore = rows.length > page.length;
    const changes = page.map((r) => ({ ...(JSON.parse(r.body) as ChangeBody), cursor: Number(r.id) }) as Change);
    return { changes, cursor: page.length ? Number(page.at(-1)!.id) : after, hasMore };
  }
}
