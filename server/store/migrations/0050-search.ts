// Message search (DESIGN §7): the index tables, then every message already stored is indexed.
// SQLite: an FTS5 contentless table whose rowid is the message's rowid in `messages`; the
// relay appends messages as it stores them, so a search walks rowids backwards, newest first.
// PostgreSQL: a side table keyed by message id carrying the filter columns beside two tsvectors
// (bigrams with positions for phrases, distinct characters), each with a GIN index.
import { sql, type Kysely } from 'kysely';
import { indexMessages } from '../../domain/search-index';
import type { Tx } from '../../domain/context';
import type { Migration } from '../migrator';
import type { MessageRow } from '../schema';

// Messages read and indexed per round: bounded memory whatever the store's size.
const BATCH = 2_000;

export const migration0050: Migration = {
  version: 50,
  name: 'search',
  async up(db: Kysely<any>, dialect) {
    if (dialect === 'sqlite') {
      // contentless_delete: a recall deletes the entry without the original tokens.
      await sql`create virtual table message_search using fts5(bi, uni, tags, content='', contentless_delete=1)`.execute(
        db,
      );
    } else {
      await db.schema
        .createTable('message_search')
        .addColumn('message_id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('sender_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('link', 'boolean', (c) => c.notNull())
        .addColumn('bi', sql`tsvector`, (c) => c.notNull())
        .addColumn('uni', sql`tsvector`, (c) => c.notNull())
        .execute();
    }
    await indexStoredMessages(db, dialect);
    if (dialect === 'sqlite') {
      // One merged segment per column: the backfill's many small ones would each be read by every query.
      await sql`insert into message_search (message_search) values ('optimize')`.execute(db);
    } else {
      // Indexes built once over the backfilled rows (much faster than row by row), then statistics
      // so the planner can tell a rare term (GIN first) from a common one (newest-first index scan).
      await sql`create index message_search_bi on message_search using gin (bi)`.execute(db);
      await sql`create index message_search_uni on message_search using gin (uni)`.execute(db);
      // Newest first, overall and within one chat: a common term is read in this order and stops after a page.
      await sql`create index message_search_time on message_search (created_at desc, message_id desc)`.execute(db);
      await sql`create index message_search_chat_time on message_search (conversation_id, created_at desc, message_id desc)`.execute(
        db,
      );
      await sql`analyze message_search`.execute(db);
    }
  },
};

/** Indexes what is already stored, a batch at a time in key order. */
async function indexStoredMessages(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  let after: { conversation_id: string; seq: number } | null = null;
  for (;;) {
    let query = db
      .selectFrom('messages')
      .selectAll()
      .where('kind', '!=', 'system')
      .where('recalled_at', 'is', null)
      .orderBy('conversation_id')
      .orderBy('seq')
      .limit(BATCH);
    if (after) {
      const { conversation_id, seq } = after;
      query = query.where((eb: any) =>
        eb.or([
          eb('conversation_id', '>', conversation_id),
          eb.and([eb('conversation_id', '=', conversation_id), eb('seq', '>', seq)]),
        ]),
      );
    }
    const rows = (await query.execute()) as MessageRow[];
    if (rows.length === 0) return;
    await indexMessages(db as unknown as Tx, dialect, rows);
    const last = rows[rows.length - 1]!;
    after = { conversation_id: last.conversation_id, seq: Number(last.seq) };
  }
}
