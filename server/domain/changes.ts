// The per-user change stream: non-message changes, each with a global increasing cursor.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { eventFrame, Limits, type Change, type Conversation } from '../../shared/protocol';
import { withinBudget } from './budget';
import type { DomainContext, Tx } from './context';
import { readSnapshot, type Snapshot } from './snapshot';
import { OWN_CONVERSATION_KEYS, type OwnConversationView, type SharedConversationView } from './views';

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
export type ChangeBody = DistributiveOmit<Change, 'cursor'>;

/** A change and who gets it: a user id, or null for everyone in the enterprise. */
export interface Addressed<C> {
  userId: string | null;
  change: C;
}

/** An appended change; a conversation change also carries its event frame in parts (see publish). */
export interface Appended extends Addressed<Change> {
  frame?: FrameParts;
}

/** An event frame as `head + shared + tail`, the long shared middle serialized once per change. */
interface FrameParts {
  head: string;
  shared: string;
  tail: string;
}

/** One change of a conversation for many distinct users: the shared part, then each user's own. */
export interface ConversationChange {
  shared: SharedConversationView;
  owners: { userId: string; own: OwnConversationView }[];
}

// Change rows per insert: 5 bound parameters each, far under SQLite's limit.
const INSERT_CHUNK = 500;

export class ChangeStream {
  constructor(private readonly ctx: DomainContext) {}

  /** Appends changes inside the caller's transaction. Call it last in the transaction. */
  async append(trx: Tx, entries: Addressed<ChangeBody>[]): Promise<Appended[]> {
    if (entries.length === 0) return [];
    await this.serialize(trx);
    const now = this.ctx.now();
    const out: Appended[] = [];
    for (const entry of entries) {
      if (entry.change.kind === 'conversation' && entry.userId !== null) {
        // One user's view (a read position, say): its shared part is usually the stored one.
        const { shared, own } = splitView(entry.change.conversation);
        out.push(...(await this.insertConversation(trx, { shared, owners: [{ userId: entry.userId, own }] }, now)));
        continue;
      }
      const { id } = await trx
        .insertInto('changes')
        .values({ user_id: entry.userId, kind: entry.change.kind, body: JSON.stringify(entry.change), created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      out.push({ userId: entry.userId, change: { ...entry.change, cursor: Number(id) } as Change });
    }
    return out;
  }

  /**
   * Appends a conversation change for many users: the shared part is stored once and each
   * user's row refers to it. Call it last in the transaction.
   */
  async appendConversation(trx: Tx, change: ConversationChange): Promise<Appended[]> {
    if (change.owners.length === 0) return [];
    await this.serialize(trx);
    return this.insertConversation(trx, change, this.ctx.now());
  }

  /**
   * After commit: each change goes to its user's devices (or everyone's) as a `change` event.
   * A run of changes sharing one conversation view goes out as one bus message, in order.
   */
  publish(appended: readonly Appended[]): void {
    for (let i = 0; i < appended.length;) {
      const { userId, change, frame } = appended[i]!;
      if (!frame || userId === null) {
        const text = eventFrame('change', { change });
        if (userId === null) this.ctx.fanout.toEveryone(text);
        else this.ctx.fanout.toUsers([userId], text);
        i++;
        continue;
      }
      const frames: { userId: string; head: string; tail: string }[] = [];
      for (let next = appended[i]; next?.frame?.shared === frame.shared && next.userId !== null; next = appended[++i]) {
        frames.push({ userId: next.userId, head: next.frame.head, tail: next.frame.tail });
      }
      this.ctx.fanout.toEach(frame.shared, frames);
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
      .leftJoin('conversation_snapshots', 'conversation_snapshots.id', 'changes.snapshot_id')
      .select(['changes.id', 'changes.body', 'changes.snapshot_id', 'conversation_snapshots.size'])
      .where((eb) => eb.or([eb('changes.user_id', '=', userId), eb('changes.user_id', 'is', null)]))
      .where('changes.id', '>', after)
      .orderBy('changes.id')
      .limit(Limits.changesPageSize + 1)
      .execute();
    // Pages end at the count limit or, for big group views, at a byte budget.
    const page = withinBudget(rows.slice(0, Limits.changesPageSize), (r) => r.body.length + (r.size ?? 0) + 32);
    const hasMore = rows.length > page.length;
    const shared = await this.sharedParts(page.flatMap((r) => (r.snapshot_id == null ? [] : [Number(r.snapshot_id)])));
    const changes = page.map((r) => {
      const body = JSON.parse(r.body) as ChangeBody;
      const cursor = Number(r.id);
      if (r.snapshot_id == null || body.kind !== 'conversation') return { ...body, cursor } as Change;
      const conversation = { ...shared.get(Number(r.snapshot_id))!, ...body.conversation } as Conversation;
      return { kind: 'conversation', conversation, cursor } as Change;
    });
    return { changes, cursor: page.length ? Number(page.at(-1)!.id) : after, hasMore };
  }

  /** The shared parts a page refers to, each parsed once, in one query. */
  private async sharedParts(ids: number[]): Promise<Map<number, SharedConversationView>> {
    const out = new Map<number, SharedConversationView>();
    const unique = [...new Set(ids)];
    if (unique.length === 0) return out;
    const rows = await this.ctx.db
      .selectFrom('conversation_snapshots')
      .select(['id', 'body'])
      .where('id', 'in', unique)
      .execute();
    for (const r of rows) out.set(Number(r.id), JSON.parse(r.body) as SharedConversationView);
    return out;
  }

  private async serialize(trx: Tx): Promise<void> {
    if (this.ctx.dialect === 'postgres') {
      // Held to commit: change ids then become visible in id order, so a reader that saw
      // id N never later finds a lower id it skipped.
      await sql`select pg_advisory_xact_lock(7710002)`.execute(trx);
    }
  }

  private async insertConversation(trx: Tx, change: ConversationChange, now: number): Promise<Appended[]> {
    const sharedJson = JSON.stringify(change.shared);
    const snapshotId = await storeSnapshot(trx, change.shared.id, sharedJson, now);
    const owners = change.owners.map((o) => ({ ...o, json: JSON.stringify(o.own) }));
    const cursors = new Map<string, number>();
    for (let i = 0; i < owners.length; i += INSERT_CHUNK) {
      const rows = await trx
        .insertInto('changes')
        .values(
          owners.slice(i, i + INSERT_CHUNK).map((o) => ({
            user_id: o.userId,
            kind: 'conversation' as const,
            body: `{"kind":"conversation","conversation":${o.json}}`,
            created_at: now,
            snapshot_id: snapshotId,
          })),
        )
        .returning(['id', 'user_id'])
        .execute();
      for (const r of rows) cursors.set(r.user_id!, Number(r.id));
    }
    // The frame is the shared JSON with the user's fields spliced in: no per-user serialization.
    const shared = sharedJson.slice(1, -1);
    return owners.map(({ userId, own, json }) => {
      const cursor = cursors.get(userId)!;
      return {
        userId,
        change: { kind: 'conversation', conversation: { ...change.shared, ...own }, cursor },
        frame: {
          head: `{"type":"change","payload":{"change":{"kind":"conversation","cursor":${cursor},"conversation":{`,
          shared,
          tail: `,${json.slice(1)}}}}`,
        },
      };
    });
  }
}

/** The id of a snapshot holding exactly this shared part: the conversation's latest if unchanged. */
async function storeSnapshot(trx: Tx, conversationId: string, body: string, now: number): Promise<number> {
  const hash = createHash('sha256').update(body).digest('base64url');
  const latest = await trx
    .selectFrom('conversation_snapshots')
    .select(['id', 'hash'])
    .where('conversation_id', '=', conversationId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest?.hash === hash) return Number(latest.id);
  const { id } = await trx
    .insertInto('conversation_snapshots')
    .values({ conversation_id: conversationId, hash, body, size: body.length, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

function splitView(view: Conversation): { shared: SharedConversationView; own: OwnConversationView } {
  const shared: Record<string, unknown> = { ...view };
  const own: Record<string, unknown> = {};
  for (const key of OWN_CONVERSATION_KEYS) {
    own[key] = view[key];
    delete shared[key];
  }
  return { shared: shared as SharedConversationView, own: own as OwnConversationView };
}
