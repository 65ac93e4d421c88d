// The relay's message search index (DESIGN §7): what a stored message puts into it and takes
// out of it. Tokens come from shared/lib/search-text (bigrams for phrases, distinct characters
// for one-character queries). System notices are never indexed; a recall removes the message.
//
// SQLite: FTS5 contentless table `message_search(bi, uni, tags)` whose rowid is the message's
// rowid in `messages` (rows are appended as the relay stores them, so newest is highest and a
// search walks the index backwards and stops after a page). `tags` holds filter tokens: the
// conversation, the sender and `link`, so a filtered search is an FTS intersection.
// PostgreSQL: side table `message_search` keyed by message id with the filter columns, two
// tsvectors and GIN indexes (see migration 0050); the characters' one without positions (a
// one-character query needs none).
import { sql } from 'kysely';
import { hasLink, indexTokens, searchableText } from '../../shared/lib/search-text';
import type { MessageBody } from '../../shared/protocol';
import type { Dialect } from '../store/migrator';
import type { MessageRow } from '../store/schema';
import type { Tx } from './context';

/** What indexing needs of a message row (a full MessageRow fits). */
export type IndexableMessage = Pick<
  MessageRow,
  'id' | 'conversation_id' | 'seq' | 'sender_id' | 'kind' | 'text' | 'body' | 'created_at' | 'recalled_at'
>;

/** One message's entry: the two token columns, its filter tokens and whether it holds a link. */
export interface SearchEntry {
  bigrams: string;
  unigrams: string;
  tags: string;
  link: boolean;
  /** A bigram occurs more often than PostgreSQL keeps positions for (255). */
  positionsOverflow: boolean;
}

// PostgreSQL keeps at most 255 positions per lexeme and drops the rest silently, so a phrase
// could miss in a text that repeats a bigram more often. Such texts also carry OVERFLOW_TOKEN,
// and the search lets them through when all the query's bigrams are present (then checks the text).
const PG_MAX_POSITIONS = 255;
/** Not a bigram token (those are 10 letters), so it never matches one. */
export const OVERFLOW_TOKEN = 'overflow';

function parseBody(row: IndexableMessage): MessageBody | null {
  return row.body ? (JSON.parse(row.body) as MessageBody) : null;
}

/** The 链接 filter: a web address in the searchable text, or a linked run of rich text. */
export function messageHasLink(row: IndexableMessage, body = parseBody(row)): boolean {
  if (body?.kind === 'rich' && body.segments.some((s) => s.type === 'link')) return true;
  return hasLink(searchableText({ kind: row.kind, text: row.text, body }));
}

// Ids are UUIDs: their 32 hex digits spelled a–p, so the FTS tokenizer keeps each id one token.
const HEX_LETTERS = 'abcdefghijklmnop';
function spellId(prefix: 'c' | 's', id: string): string {
  let out = prefix;
  for (const ch of id.toLowerCase()) {
    const d = parseInt(ch, 16);
    if (!Number.isNaN(d)) out += HEX_LETTERS[d];
  }
  return out;
}

/** The tag token of a conversation (filter by chat). */
export const conversationTag = (conversationId: string) => spellId('c', conversationId);
/** The tag token of a sender (filter by sender). */
export const senderTag = (senderId: string) => spellId('s', senderId);
/** The tag token of messages that hold a link. */
export const LINK_TAG = 'link';

export function searchEntry(row: IndexableMessage): SearchEntry {
  const body = parseBody(row);
  const text = searchableText({ kind: row.kind, text: row.text, body });
  const { bigrams, unigrams } = indexTokens(text);
  const link = messageHasLink(row, body);
  const tags = [conversationTag(row.conversation_id), senderTag(row.sender_id), ...(link ? [LINK_TAG] : [])].join(' ');
  return { bigrams, unigrams, tags, link, positionsOverflow: bigramOverflow(bigrams) };
}

function bigramOverflow(bigrams: string): boolean {
  // Fewer bigrams than the cap cannot overflow it: the common case costs nothing.
  if (bigrams.length < PG_MAX_POSITIONS * 11) return false;
  const counts = new Map<string, number>();
  for (const t of bigrams.split(' ')) {
    const n = (counts.get(t) ?? 0) + 1;
    if (n > PG_MAX_POSITIONS) return true;
    counts.set(t, n);
  }
  return false;
}

/** Messages a search can find: not system notices, not recalled. */
export function isSearchable(row: Pick<MessageRow, 'kind' | 'recalled_at'>): boolean {
  return row.kind !== 'system' && row.recalled_at == null;
}

// Rows per statement: 4 parameters a row on SQLite, 9 on PostgreSQL, well under either limit.
const CHUNK = 500;

/**
 * Puts stored messages into the search index, in the caller's transaction (the messages must
 * already be inserted: on SQLite the entry takes the message's rowid). Skips system notices and
 * recalled messages; a message indexed twice on SQLite is an error, on PostgreSQL replaced.
 */
export async function indexMessages(trx: Tx, dialect: Dialect, rows: readonly IndexableMessage[]): Promise<void> {
  const searchable = rows.filter(isSearchable);
  for (let i = 0; i < searchable.length; i += CHUNK) {
    const chunk = searchable.slice(i, i + CHUNK).map((row) => ({ row, entry: searchEntry(row) }));
    if (dialect === 'sqlite') {
      const values = sql.join(
        chunk.map(({ row, entry }) => sql`(${row.id}, ${entry.bigrams}, ${entry.unigrams}, ${entry.tags})`),
      );
      await sql`with v(id, bi, uni, tags) as (values ${values})
        insert into message_search (rowid, bi, uni, tags)
        select m.rowid, v.bi, v.uni, v.tags from v join messages as m on m.id = v.id`.execute(trx);
    } else {
      const values = sql.join(
        chunk.map(({ row, entry }) => {
          const bi = entry.positionsOverflow ? `${entry.bigrams} ${OVERFLOW_TOKEN}` : entry.bigrams;
          return sql`(${row.id}, ${row.conversation_id}, ${row.seq}::bigint, ${row.created_at}::bigint, ${row.sender_id}, ${row.kind}, ${entry.link}, to_tsvector('simple', ${bi}), strip(to_tsvector('simple', ${entry.unigrams})))`;
        }),
      );
      await sql`insert into message_search (message_id, conversation_id, seq, created_at, sender_id, kind, link, bi, uni)
        values ${values}
        on conflict (message_id) do update set bi = excluded.bi, uni = excluded.uni, link = excluded.link`.execute(trx);
    }
  }
}

/** Takes messages out of the search index (recall); ids that were never indexed are ignored. */
export async function removeFromSearchIndex(trx: Tx, dialect: Dialect, messageIds: readonly string[]): Promise<void> {
  for (let i = 0; i < messageIds.length; i += CHUNK) {
    const ids = messageIds.slice(i, i + CHUNK);
    if (dialect === 'sqlite') {
      await sql`delete from message_search where rowid in (select rowid from messages where id in (${sql.join(ids)}))`.execute(
        trx,
      );
    } else {
      await sql`delete from message_search where message_id in (${sql.join(ids)})`.execute(trx);
    }
  }
}

/** The slice of better-sqlite3 the synchronous writer uses (the SQLite message log's transaction). */
export interface SyncSqlite {
  prepare(source: string): { run(...params: unknown[]): unknown };
}

/**
 * The same as indexMessages for SQLite code that runs inside better-sqlite3's synchronous
 * transaction (SqliteMessageLog cannot await): prepare once, then call `index(rows)` after
 * inserting them.
 */
export function sqliteSearchIndexWriter(sqlite: SyncSqlite) {
  const insert = sqlite.prepare(
    'insert into message_search (rowid, bi, uni, tags) select rowid, ?, ?, ? from messages where id = ?',
  );
  const remove = sqlite.prepare('delete from message_search where rowid = (select rowid from messages where id = ?)');
  return {
    index(rows: readonly IndexableMessage[]): void {
      for (const row of rows) {
        if (!isSearchable(row)) continue;
        const entry = searchEntry(row);
        insert.run(entry.bigrams, entry.unigrams, entry.tags, row.id);
      }
    },
    remove(messageIds: readonly string[]): void {
      for (const id of messageIds) remove.run(id);
    },
  };
}
