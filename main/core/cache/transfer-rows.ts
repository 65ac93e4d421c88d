// The `transfers` table (migration 0050): one row per upload or download of this desktop.
// Part of the LocalCache (the same connection and transactions), kept in its own module.
import type { Database as Db, Statement } from 'better-sqlite3';
import type { ErrorBody } from '../../../shared/protocol';
import type { TransferRow } from '../files/transfer-row';

export interface TransferRows {
  get(id: string): TransferRow | null;
  /** Newest first, at most `limit`. */
  recent(limit: number): TransferRow[];
  /** Rows of `userId` in these states, oldest first (the order they queue in). */
  inStates(userId: string, states: readonly TransferRow['state'][]): TransferRow[];
  /** The upload carrying a chat message. */
  forMessage(messageId: string): TransferRow | null;
  /** The latest download of a chat file or drive item by `userId`. */
  latestDownload(userId: string, key: { mediaId: string } | { nodeId: string }): TransferRow | null;
  /** Staged ids still referenced by a transfer that is not finished. */
  stagedInUse(): Set<string>;
  insert(row: TransferRow): void;
  /** Writes the given fields (and updated_at). */
  update(id: string, change: Partial<Omit<TransferRow, 'id' | 'userId' | 'direction' | 'createdAt'>>): TransferRow;
  delete(id: string): void;
}

type Row = {
  id: string;
  user_id: string;
  direction: TransferRow['direction'];
  state: TransferRow['state'];
  name: string;
  size: number;
  done: number;
  mime: string;
  sha256: string | null;
  error: string | null;
  conversation_id: string | null;
  message_id: string | null;
  media_id: string | null;
  node_id: string | null;
  folder_id: string | null;
  source_path: string | null;
  staged_id: string | null;
  upload_url: string | null;
  partial_path: string | null;
  local_path: string | null;
  instant: number;
  created_at: number;
  updated_at: number;
};

const COLUMNS: Record<keyof TransferRow, keyof Row> = {
  id: 'id',
  userId: 'user_id',
  direction: 'direction',
  state: 'state',
  name: 'name',
  size: 'size',
  done: 'done',
  mime: 'mime',
  sha256: 'sha256',
  error: 'error',
  conversationId: 'conversation_id',
  messageId: 'message_id',
  mediaId: 'media_id',
  nodeId: 'node_id',
  folderId: 'folder_id',
  sourcePath: 'source_path',
  stagedId: 'staged_id',
  uploadUrl: 'upload_url',
  partialPath: 'partial_path',
  localPath: 'local_path',
  instant: 'instant',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

const toRow = (r: Row): TransferRow => ({
  id: r.id,
  userId: r.user_id,
  direction: r.direction,
  state: r.state,
  name: r.name,
  size: r.size,
  done: r.done,
  mime: r.mime,
  sha256: r.sha256,
  error: r.error === null ? null : (JSON.parse(r.error) as ErrorBody),
  conversationId: r.conversation_id,
  messageId: r.message_id,
  mediaId: r.media_id,
  nodeId: r.node_id,
  folderId: r.folder_id,
  sourcePath: r.source_path,
  stagedId: r.staged_id,
  uploadUrl: r.upload_url,
  partialPath: r.partial_path,
  localPath: r.local_path,
  instant: r.instant === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A field as SQLite stores it. */
function stored(key: keyof TransferRow, value: unknown): unknown {
  if (key === 'error') return value === null ? null : JSON.stringify(value);
  if (key === 'instant') return value ? 1 : 0;
  return value;
}

export class SqliteTransferRows implements TransferRows {
  private readonly s: Record<string, Statement>;
  private readonly updates = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    const keys = Object.keys(COLUMNS) as (keyof TransferRow)[];
    this.s = {
      get: db.prepare('SELECT * FROM transfers WHERE id = ?'),
      recent: db.prepare('SELECT * FROM transfers ORDER BY created_at DESC, id DESC LIMIT ?'),
      inStates: db.prepare(
        `SELECT * FROM transfers WHERE user_id = ? AND state IN (SELECT value FROM json_each(?))
         ORDER BY created_at, id`,
      ),
      forMessage: db.prepare("SELECT * FROM transfers WHERE message_id = ? AND direction = 'upload'"),
      latestByMedia: db.prepare(
        `SELECT * FROM transfers WHERE media_id = ? AND user_id = ? AND direction = 'download'
         ORDER BY created_at DESC LIMIT 1`,
      ),
      latestByNode: db.prepare(
        `SELECT * FROM transfers WHERE node_id = ? AND user_id = ? AND direction = 'download'
         ORDER BY created_at DESC LIMIT 1`,
      ),
      stagedInUse: db.prepare(
        "SELECT staged_id FROM transfers WHERE staged_id IS NOT NULL AND state NOT IN ('done', 'cancelled')",
      ),
      insert: db.prepare(
        `INSERT INTO transfers (${keys.map((k) => COLUMNS[k]).join(', ')})
         VALUES (${keys.map((k) => `@${k}`).join(', ')})`,
      ),
      delete: db.prepare('DELETE FROM transfers WHERE id = ?'),
    };
  }

  get(id: string): TransferRow | null {
    const row = this.s.get!.get(id) as Row | undefined;
    return row ? toRow(row) : null;
  }

  recent(limit: number): TransferRow[] {
    return (this.s.recent!.all(limit) as Row[]).map(toRow);
  }

  inStates(userId: string, states: readonly TransferRow['state'][]): TransferRow[] {
    return (this.s.inStates!.all(userId, JSON.stringify(states)) as Row[]).map(toRow);
  }

  forMessage(messageId: string): TransferRow | null {
    const row = this.s.forMessage!.get(messageId) as Row | undefined;
    return row ? toRow(row) : null;
  }

  latestDownload(userId: string, key: { mediaId: string } | { nodeId: string }): TransferRow | null {
    const row = (
      'mediaId' in key ? this.s.latestByMedia!.get(key.mediaId, userId) : this.s.latestByNode!.get(key.nodeId, userId)
    ) as Row | undefined;
    return row ? toRow(row) : null;
  }

  stagedInUse(): Set<string> {
    return new Set((this.s.stagedInUse!.all() as { staged_id: string }[]).map((r) => r.staged_id));
  }

  insert(row: TransferRow): void {
    const params = Object.fromEntries(
      (Object.keys(COLUMNS) as (keyof TransferRow)[]).map((k) => [k, stored(k, row[k])]),
    );
    this.s.insert!.run(params);
  }

  update(id: string, change: Partial<Omit<TransferRow, 'id' | 'userId' | 'direction' | 'createdAt'>>): TransferRow {
    const fields = { ...change, updatedAt: change.updatedAt ?? Date.now() } as Partial<TransferRow>;
    const keys = (Object.keys(fields) as (keyof TransferRow)[]).filter((k) => fields[k] !== undefined).sort();
    // One prepared statement per set of columns (a handful: progress, state, the tus URL …).
    const signature = keys.join(',');
    let statement = this.updates.get(signature);
    if (!statement) {
      statement = this.db.prepare(
        `UPDATE transfers SET ${keys.map((k) => `${COLUMNS[k]} = @${k}`).join(', ')} WHERE id = @id RETURNING *`,
      );
      this.updates.set(signature, statement);
    }
    const params = Object.fromEntries(keys.map((k) => [k, stored(k, fields[k])]));
    const row = statement.get({ ...params, id }) as Row | undefined;
    if (!row) throw new Error(`no transfer ${id}`);
    return toRow(row);
  }

  delete(id: string): void {
    this.s.delete!.run(id);
  }
}
