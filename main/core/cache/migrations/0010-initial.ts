import type { Database } from 'better-sqlite3';

/** The first cache schema: session values, directory, conversations, messages, outbox. */
export const version = 10;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE kv (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE users (
      id TEXT PRIMARY KEY,
      account TEXT NOT NULL,
      name TEXT NOT NULL,
      mobile TEXT,
      email TEXT,
      role TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;

    -- The per-user view of a conversation (shared fields plus this user's own state).
    CREATE TABLE conversations (
      id TEXT PRIMARY KEY,
      type TEXT NOT NULL,
      name TEXT,
      owner_id TEXT NOT NULL,
      member_ids TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      last_seq INTEGER NOT NULL,
      last_activity_at INTEGER NOT NULL,
      read_seq INTEGER NOT NULL,
      pinned INTEGER NOT NULL,
      muted INTEGER NOT NULL,
      active INTEGER NOT NULL
    ) STRICT;

    -- Highest contiguous seq held per conversation; kept apart so a conversation
    -- snapshot from the change stream never moves it.
    CREATE TABLE conversation_sync (
      conversation_id TEXT PRIMARY KEY,
      synced_seq INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE messages (
      id TEXT NOT NULL UNIQUE,
      conversation_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      sender_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      text TEXT NOT NULL,
      system TEXT,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX messages_conversation_seq ON messages (conversation_id, seq);

    CREATE TABLE read_states (
      conversation_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      read_seq INTEGER NOT NULL,
      PRIMARY KEY (conversation_id, user_id)
    ) STRICT;

    -- Durable sends: position gives the order they were written and are sent in.
    CREATE TABLE outbox (
      position INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      conversation_id TEXT NOT NULL,
      text TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
  `);
}
