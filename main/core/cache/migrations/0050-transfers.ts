import type { Database } from 'better-sqlite3';

/**
 * File transfers (protocol 5): every upload and download of this desktop, so they survive restarts
 * and resume where they stopped (a tus upload's URL, a download's partial file).
 */
export const version = 50;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE transfers (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      direction TEXT NOT NULL CHECK (direction IN ('upload', 'download')),
      state TEXT NOT NULL,
      name TEXT NOT NULL,
      size INTEGER NOT NULL,
      done INTEGER NOT NULL DEFAULT 0,
      mime TEXT NOT NULL,
      -- Uploads: computed while hashing (NULL until then). Downloads: what the bytes must hash to.
      sha256 TEXT,
      -- ErrorBody JSON of a failed transfer.
      error TEXT,
      conversation_id TEXT,
      -- An upload's chat message waits in the outbox until this transfer is done.
      message_id TEXT,
      media_id TEXT,
      node_id TEXT,
      folder_id TEXT,
      -- Uploads: the file read (a staged copy in browser mode), and the tus upload once created.
      source_path TEXT,
      staged_id TEXT,
      upload_url TEXT,
      -- Downloads: the partial file (name.qxdownload) while under way, the finished file when done.
      partial_path TEXT,
      local_path TEXT,
      instant INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX transfers_message ON transfers (message_id) WHERE message_id IS NOT NULL;
    CREATE INDEX transfers_media ON transfers (media_id, direction) WHERE media_id IS NOT NULL;
    CREATE INDEX transfers_node ON transfers (node_id, direction) WHERE node_id IS NOT NULL;
    CREATE INDEX transfers_recent ON transfers (created_at DESC, id DESC);
  `);
}
