import type { Database } from 'better-sqlite3';

/**
 * Messaging (protocol 4): message payloads and revisions, this user's deletions, the sender's
 * own recalled text, group settings, whole sends in the outbox (with a failed state), favorites.
 */
export const version = 30;

export function up(db: Database): void {
  db.exec(`
    -- JSON columns (body, quote, mentions, reactions) hold the wire shapes as they are.
    ALTER TABLE messages ADD COLUMN body TEXT;
    ALTER TABLE messages ADD COLUMN quote TEXT;
    ALTER TABLE messages ADD COLUMN mentions TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE messages ADD COLUMN mention_all INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE messages ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE messages ADD COLUMN reactions TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE messages ADD COLUMN recalled_at INTEGER;
    -- The sender's own text of a message they recalled, kept only on their devices (重新编辑).
    ALTER TABLE messages ADD COLUMN recalled_text TEXT;
    ALTER TABLE messages ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
    -- Deleted for this user (删除). The row stays so seq stays contiguous for gap fill.
    ALTER TABLE messages ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;

    -- Highest message revision applied with none missing below it (msg.updates gap fill).
    ALTER TABLE conversation_sync ADD COLUMN synced_rev INTEGER NOT NULL DEFAULT 0;

    ALTER TABLE conversations ADD COLUMN admin_ids TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE conversations ADD COLUMN last_rev INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE conversations ADD COLUMN announcement TEXT;
    ALTER TABLE conversations ADD COLUMN welcome TEXT NOT NULL DEFAULT '';
    ALTER TABLE conversations ADD COLUMN mute_all INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE conversations ADD COLUMN managers_only INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE conversations ADD COLUMN dissolved INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE conversations ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';

    -- The whole send (SendFields as JSON), so every kind survives a restart; a send the relay
    -- refused for good stays as 'failed' with the relay's error until it is discarded.
    ALTER TABLE outbox ADD COLUMN send TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
    ALTER TABLE outbox ADD COLUMN error TEXT;

    CREATE TABLE favorites (
      id TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL,
      message_id TEXT NOT NULL,
      sender_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      text TEXT NOT NULL,
      body TEXT,
      created_at INTEGER NOT NULL,
      saved_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX favorites_saved ON favorites (saved_at DESC, id DESC);
  `);
  // Text sends queued by an older version become whole sends.
  db.exec(`
    UPDATE outbox SET send = json_object(
      'conversationId', conversation_id, 'kind', 'text', 'text', text, 'body', NULL, 'quoteId', NULL,
      'mentions', json('[]'), 'mentionAll', json('false'), 'forward', NULL)
  `);
}
