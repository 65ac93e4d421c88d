// Message search over the cache (DESIGN §7): an FTS5 index of every cached message's bigrams
// (phrases, i.e. exact substrings of ≥ 2 characters), distinct characters (1-character queries)
// and filter tags, kept in step by LocalCache, read newest first a page at a time.
//
// Why the index's rowid is a `search_key` and not the message's rowid: a page is "the newest 50
// matches", and FTS5 can walk its postings backwards by rowid and stop after 50 only if rowid order
// is time order. Messages arrive out of time order (gap fill, history), so the key is made from the
// time: createdAt × 1024 + the first free slot of that millisecond (unique; a date range is then a
// rowid range). 1024 slots per millisecond keep the key below 2^53 until the year 2255; a 1025th
// message in one millisecond takes the next millisecond's first free slot (it sorts 1 ms late).
import type { Database, Statement } from 'better-sqlite3';
import { hasLink, indexTokens, queryTokens, searchableText } from '../../../shared/lib/search-text';
import type { MessageBody, MessageKind, MessageSearchFilters } from '../../../shared/protocol/message-content';

/** What indexing needs of a cached message; `body` parsed, or its JSON as the cache stores it. */
export interface IndexableCachedMessage {
  /** The row's rowid in `messages` (the key is stored on that row). */
  rowid: number;
  id: string;
  conversationId: string;
  senderId: string;
  kind: MessageKind;
  text: string;
  body: MessageBody | string | null;
  createdAt: number;
}

/** A position in newest-first results: the last message of the page before. */
export interface SearchCursor {
  createdAt: number;
  id: string;
}

export interface CachedMessageQuery extends MessageSearchFilters {
  query: string;
  before: SearchCursor | null;
  limit: number;
}

/** One hit: the message's id and time (the caller loads the message itself). */
export interface CachedMessageHit {
  id: string;
  conversationId: string;
  createdAt: number;
}

export interface CachedMessagePage {
  hits: CachedMessageHit[];
  /** Where the next page starts; null when this page holds the last match. */
  next: SearchCursor | null;
}

/** Slots per millisecond in a search key. */
export const KEY_SLOTS = 1024;

// Filter tokens, spelled in letters so FTS5's tokenizer keeps each one whole: ids as their hex
// digits a–p, kinds as their (letters-only) names.
const HEX_LETTERS = 'abcdefghijklmnop';
function spellId(id: string): string {
  let out = '';
  for (const ch of id.toLowerCase()) {
    const d = parseInt(ch, 16);
    if (!Number.isNaN(d)) out += HEX_LETTERS[d];
  }
  return out;
}
export const conversationTag = (conversationId: string) => `cv${spellId(conversationId)}`;
export const senderTag = (senderId: string) => `sd${spellId(senderId)}`;
export const kindTag = (kind: MessageKind) => `kd${kind}`;
export const LINK_TAG = 'lnk';

/** The 链接 filter: a web address in the searchable text, or a linked run of rich text. */
export function messageHasLink(kind: MessageKind, text: string, body: MessageBody | null): boolean {
  if (body?.kind === 'rich' && body.segments.some((s) => s.type === 'link')) return true;
  return hasLink(searchableText({ kind, text, body }));
}

type Statements = {
  keyOf: Statement;
  lastKeyIn: Statement;
  setKey: Statement;
  insert: Statement;
  remove: Statement;
};
const statements = new WeakMap<Database, Statements>();
function prepared(db: Database): Statements {
  let s = statements.get(db);
  if (!s) {
    s = {
      keyOf: db.prepare('SELECT search_key AS key FROM messages WHERE rowid = ?').pluck(),
      lastKeyIn: db.prepare('SELECT max(search_key) FROM messages WHERE search_key >= ? AND search_key < ?').pluck(),
      setKey: db.prepare('UPDATE messages SET search_key = ? WHERE rowid = ?'),
      insert: db.prepare('INSERT INTO message_fts (rowid, bi, uni, tags) VALUES (?, ?, ?, ?)'),
      remove: db.prepare('DELETE FROM message_fts WHERE rowid = ?'),
    };
    statements.set(db, s);
  }
  return s;
}

/** A free key in the message's millisecond (or, when all 1024 are taken, the next free one after). */
function freeKey(s: Statements, createdAt: number): number {
  let start = createdAt * KEY_SLOTS;
  for (;;) {
    const last = s.lastKeyIn.get(start, start + KEY_SLOTS) as number | null;
    if (last === null) return start;
    if (last + 1 < start + KEY_SLOTS) return last + 1;
    start += KEY_SLOTS;
  }
}

/**
 * Adds messages to the search index (LocalCache calls it for every message it stores, inside the
 * same transaction). System notices are not searchable. A message indexed before is re-indexed
 * under its key (its text may have changed).
 */
export function indexCachedMessages(db: Database, rows: readonly IndexableCachedMessage[]): void {
  if (rows.length === 0) return;
  const s = prepared(db);
  for (const row of rows) {
    if (row.kind === 'system') continue;
    const body = typeof row.body === 'string' ? (JSON.parse(row.body) as MessageBody) : row.body;
    let key = s.keyOf.get(row.rowid) as number | null | undefined;
    if (key === undefined) continue;
    if (key === null) {
      key = freeKey(s, row.createdAt);
      s.setKey.run(key, row.rowid);
    } else {
      s.remove.run(key);
    }
    const { bigrams, unigrams } = indexTokens(searchableText({ kind: row.kind, text: row.text, body }));
    const tags = [conversationTag(row.conversationId), senderTag(row.senderId), kindTag(row.kind)];
    if (messageHasLink(row.kind, row.text, body)) tags.push(LINK_TAG);
    s.insert.run(key, bigrams, unigrams, tags.join(' '));
  }
}

/**
 * Takes messages out of the index (recalled, deleted for me). Deleting a cached row takes it out
 * by itself (a trigger of migration 0040); the key stays on the row.
 */
export function unindexCachedMessages(db: Database, rowids: readonly number[]): void {
  const s = prepared(db);
  for (const rowid of rowids) {
    const key = s.keyOf.get(rowid) as number | null | undefined;
    if (key !== null && key !== undefined) s.remove.run(key);
  }
}

/** The FTS5 query of a search, or null when nothing can match (an empty query). */
export function matchExpression(query: string, filters: MessageSearchFilters): string | null {
  const q = queryTokens(query);
  if (!q) return null;
  const terms = [q.kind === 'unigram' ? `uni : "${q.token}"` : `bi : "${q.tokens.join(' ')}"`];
  if (filters.conversationId) terms.push(`tags : "${conversationTag(filters.conversationId)}"`);
  if (filters.senderId) terms.push(`tags : "${senderTag(filters.senderId)}"`);
  if (filters.kind === 'link') terms.push(`tags : "${LINK_TAG}"`);
  else if (filters.kind) terms.push(`tags : "${kindTag(filters.kind)}"`);
  return terms.join(' AND ');
}

type HitRow = CachedMessageHit & { key: number };

const searchSql = `
  SELECT m.id AS id, m.conversation_id AS conversationId, m.created_at AS createdAt, f.rowid AS key
  FROM message_fts f JOIN messages m ON m.search_key = f.rowid
  WHERE f.message_fts MATCH @match AND f.rowid >= @lo AND f.rowid < @hi
    AND m.hidden = 0 AND m.recalled_at IS NULL
    AND (m.created_at < @beforeAt OR (m.created_at = @beforeAt AND m.id < @beforeId))
  ORDER BY f.rowid DESC`;
const searches = new WeakMap<Database, Statement>();

const newestFirst = (a: CachedMessageHit, b: CachedMessageHit) =>
  b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * A page of matches, newest first, ordered by (createdAt, id) like the relay's so the two merge.
 * The index is read in key order and stops after the page; the page's last millisecond is read
 * whole, since within a millisecond key order is arrival order, not id order.
 */
export function searchCachedMessages(db: Database, q: CachedMessageQuery): CachedMessagePage {
  const match = matchExpression(q.query, q);
  if (!match) return { hits: [], next: null };
  let search = searches.get(db);
  if (!search) {
    search = db.prepare(searchSql);
    searches.set(db, search);
  }
  const lo = q.from !== undefined ? q.from * KEY_SLOTS : 0;
  let hi = Number.MAX_SAFE_INTEGER;
  if (q.to !== undefined) hi = (q.to + 1) * KEY_SLOTS;
  if (q.before) hi = Math.min(hi, (q.before.createdAt + 1) * KEY_SLOTS);
  if (hi <= lo) return { hits: [], next: null };
  const before = q.before ?? { createdAt: Number.MAX_SAFE_INTEGER, id: '' };
  // Read lazily in key order: the page, one more (is there a next page?), and the rest of the
  // last millisecond, then stop.
  const rows: CachedMessageHit[] = [];
  for (const row of search.iterate({
    match,
    lo,
    hi,
    beforeAt: before.createdAt,
    beforeId: before.id,
  }) as Iterable<HitRow>) {
    if (rows.length > q.limit && row.createdAt < rows[q.limit - 1]!.createdAt) break;
    rows.push(row);
  }
  const hits = rows.map(({ id, conversationId, createdAt }) => ({ id, conversationId, createdAt })).sort(newestFirst);
  if (hits.length <= q.limit) return { hits, next: null };
  const page = hits.slice(0, q.limit);
  const end = page[page.length - 1]!;
  return { hits: page, next: { createdAt: end.createdAt, id: end.id } };
}
