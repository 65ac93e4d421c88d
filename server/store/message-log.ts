// The write path of user messages: a whole batch of sends is read, decided and stored in
// one transaction. Deciding (dedupe, policy, seqs) is the caller's business; this module
// only loads what that needs, with the conversations locked, and writes what it returns.
import type Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { indexMessages, sqliteSearchIndexWriter } from '../domain/search-index';
import type { StoredConversation, StoredMember } from '../domain/views';
import { linkMessageMedia, type MessageMediaLink } from '../media/media-refs';
import type { MessageRow, Schema } from './schema';

export interface SendBatchQuery {
  messageIds: string[];
  conversationIds: string[];
}

/** What the store holds for a batch, read after the conversations were locked. */
export interface SendBatchSnapshot {
  /** Stored messages having one of the batch's ids. */
  existing: MessageRow[];
  /** Those of the batch's conversations that exist. */
  conversations: StoredConversation[];
  /** Active members of those conversations. */
  members: StoredMember[];
}

export interface SendBatchWrites {
  /** New messages, in seq order per conversation. */
  messages: MessageRow[];
  /** Each touched conversation's new last_seq. */
  heads: { conversationId: string; lastSeq: number; at: number }[];
  /** Senders' read positions, moved to their newest message. */
  reads: { conversationId: string; userId: string; readSeq: number }[];
  /** Media the new messages reference (their readers may download it). */
  mediaLinks: MessageMediaLink[];
}

export type SendBatchDecision<T> = (snapshot: SendBatchSnapshot) => { writes: SendBatchWrites; result: T };

export interface MessageLog {
  /**
   * One transaction: locks the conversations, loads the snapshot, lets `decide` choose the
   * writes, stores them (with their search index entries and media links) and commits.
   * Throws (nothing stored) if anything fails.
   */
  commitSends<T>(query: SendBatchQuery, decide: SendBatchDecision<T>): Promise<T>;
}

type Exclusive = <T>(work: () => T) => Promise<T>;

/**
 * SQLite: better-sqlite3's synchronous statements in one IMMEDIATE transaction. Kysely's
 * per-query async round trips cost more than the queries themselves; here a batch of 256
 * sends is a few milliseconds of straight-line work. It runs in the store's write queue so
 * that it never interleaves with an open Kysely transaction on the same connection.
 */
export class SqliteMessageLog implements MessageLog {
  // Prepared on first use: the store is opened before its migrations create the tables.
  private statements: ReturnType<typeof prepare> | undefined;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly exclusive: Exclusive,
  ) {}

  commitSends<T>(query: SendBatchQuery, decide: SendBatchDecision<T>): Promise<T> {
    const s = (this.statements ??= prepare(this.sqlite));
    const run = this.sqlite.transaction(() => {
      const existing: MessageRow[] = [];
      for (const id of query.messageIds) {
        const row = s.messageById.get(id) as MessageRow | undefined;
        if (row) existing.push(row);
      }
      const conversations: StoredConversation[] = [];
      const members: StoredMember[] = [];
      for (const id of query.conversationIds) {
        const conv = s.conversationById.get(id) as StoredConversation | undefined;
        if (!conv) continue;
        conversations.push(conv);
        members.push(...(s.activeMembers.all(id) as StoredMember[]));
      }
      const { writes, result } = decide({ existing, conversations, members });
      for (const m of writes.messages) {
        s.insertMessage.run(
          m.conversation_id,
          m.seq,
          m.id,
          m.sender_id,
          m.kind,
          m.text,
          m.system,
          m.created_at,
          m.body,
          m.quote,
          m.mentions,
          m.mention_all,
          m.forwarded,
        );
      }
      s.searchIndex.index(writes.messages);
      for (const l of writes.mediaLinks) s.linkMedia.run(l.mediaId, l.messageId, l.conversationId, l.seq);
      for (const h of writes.heads) s.setHead.run(h.lastSeq, h.at, h.conversationId);
      for (const r of writes.reads) s.setRead.run(r.readSeq, r.conversationId, r.userId, r.readSeq);
      return result;
    });
    return this.exclusive(() => {
      // The queue guarantees this; a nested call would silently become a savepoint of someone else's transaction.
      if (this.sqlite.inTransaction) throw new Error('message batch would join an open transaction');
      return run.immediate();
    });
  }
}

function prepare(sqlite: Database.Database) {
  return {
    messageById: sqlite.prepare('select * from messages where id = ?'),
    conversationById: sqlite.prepare('select * from conversations where id = ?'),
    activeMembers: sqlite.prepare('select * from members where conversation_id = ? and active = 1'),
    insertMessage: sqlite.prepare(
      `insert into messages (conversation_id, seq, id, sender_id, kind, text, system, created_at,
        body, quote, mentions, mention_all, forwarded) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    searchIndex: sqliteSearchIndexWriter(sqlite),
    // linkMessageMedia's statement, for this synchronous transaction.
    linkMedia: sqlite.prepare(
      `insert into message_media (media_id, message_id, conversation_id, seq) values (?, ?, ?, ?)
        on conflict (media_id, message_id) do nothing`,
    ),
    setHead: sqlite.prepare('update conversations set last_seq = ?, last_activity_at = ? where id = ?'),
    setRead: sqlite.prepare(
      'update members set read_seq = ? where conversation_id = ? and user_id = ? and read_seq < ?',
    ),
  };
}

/**
 * PostgreSQL: one Kysely transaction per batch. `FOR UPDATE` on the conversation rows (in id
 * order, so two nodes' batches cannot deadlock) serializes seqs with every other writer of
 * those conversations, and the membership read after it sees any removal that committed first.
 */
export class PostgresMessageLog implements MessageLog {
  constructor(private readonly db: Kysely<Schema>) {}

  commitSends<T>(query: SendBatchQuery, decide: SendBatchDecision<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      const conversations =
        query.conversationIds.length === 0
          ? []
          : await trx
              .selectFrom('conversations')
              .selectAll()
              .where('id', 'in', query.conversationIds)
              .orderBy('id')
              .forUpdate()
              .execute();
      const existing =
        query.messageIds.length === 0
          ? []
          : await trx.selectFrom('messages').selectAll().where('id', 'in', query.messageIds).execute();
      const members =
        conversations.length === 0
          ? []
          : await trx
              .selectFrom('members')
              .selectAll()
              .where(
                'conversation_id',
                'in',
                conversations.map((c) => c.id),
              )
              .where('active', '=', 1)
              .execute();
      const { writes, result } = decide({ existing, conversations, members });
      if (writes.messages.length > 0) {
        await trx.insertInto('messages').values(writes.messages).execute();
        await indexMessages(trx, 'postgres', writes.messages);
        await linkMessageMedia(trx, writes.mediaLinks);
      }
      if (writes.heads.length > 0) {
        const values = sql.join(
          writes.heads.map((h) => sql`(${h.conversationId}, ${h.lastSeq}::bigint, ${h.at}::bigint)`),
        );
        await sql`update conversations as c set last_seq = v.last_seq, last_activity_at = v.at
          from (values ${values}) as v(id, last_seq, at) where c.id = v.id`.execute(trx);
      }
      if (writes.reads.length > 0) {
        const values = sql.join(writes.reads.map((r) => sql`(${r.conversationId}, ${r.userId}, ${r.readSeq}::bigint)`));
        await sql`update members as m set read_seq = v.read_seq
          from (values ${values}) as v(conversation_id, user_id, read_seq)
          where m.conversation_id = v.conversation_id and m.user_id = v.user_id and m.read_seq < v.read_seq`.execute(
          trx,
        );
      }
      return result;
    });
  }
}
