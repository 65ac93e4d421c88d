import type { Database } from 'better-sqlite3';
import { indexCachedMessages, type IndexableCachedMessage } from '../message-search';

/**
 * Message search (DESIGN §7): a contentless FTS5 index whose rowid is the message's search key
 * (time-ordered, see message-search.ts), filled with the messages already cached.
 */
export const version = 40;

export function up(db: Database): void {
  db.exec(`
    -- createdAt × 1024 + a slot: unique, in time order; the search index's rowid.
    ALTER TABLE messages ADD COLUMN search_key INTEGER;
    CREATE UNIQUE INDEX messages_search_key ON messages (search_key) WHERE search_key IS NOT NULL;

    -- bi: every bigram in order (phrases); uni: the distinct characters; tags: chat, sender,
    -- kind and link tokens for filters. Contentless: the text lives in messages only. Every token
    -- is spelled in letters a–z, so the plain ascii tokenizer (faster than unicode61) suffices.
    CREATE VIRTUAL TABLE message_fts USING fts5(
      bi, uni, tags, content = '', contentless_delete = 1, tokenize = 'ascii'
    );

    -- A message leaving the cache (wipe, any delete) leaves the index with it.
    CREATE TRIGGER messages_search_delete AFTER DELETE ON messages
    WHEN old.search_key IS NOT NULL BEGIN
      DELETE FROM message_fts WHERE rowid = old.search_key;
    END;
    -- Recalled or deleted for me: no longer found.
    CREATE TRIGGER messages_search_gone AFTER UPDATE OF hidden, recalled_at ON messages
    WHEN old.search_key IS NOT NULL AND (new.hidden = 1 OR new.recalled_at IS NOT NULL) BEGIN
      DELETE FROM message_fts WHERE rowid = old.search_key;
    END;
  `);
  // Read in pages: better-sqlite3 allows no writes while a statement is being iterated.
  const page = db.prepare(
    `SELECT rowid, id, conversation_id AS conversationId, sender_id AS senderId, kind, text, body,
       created_at AS createdAt
     FROM messages WHERE rowid > ? AND hidden = 0 AND recalled_at IS NULL ORDER BY rowid LIMIT 2000`,
  );
  for (let after = 0; ;) {
    const rows = page.all(after) as IndexableCachedMessage[];
    if (rows.length === 0) break;
    indexCachedMessages(db, rows);
    after = rows[rows.length - 1]!.rowid;
  }
  // One segment instead of the many a bulk fill leaves: the first searches read less.
  db.exec(`INSERT INTO message_fts (message_fts) VALUES ('optimize')`);
}
