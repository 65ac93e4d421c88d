// LocalCache: the desktop's SQLite copy of what the relay holds, plus the outbox.
// Reads and writes are separate interfaces; every write goes through this one connection.
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import type { Conversation, Message, ReadState, User } from '../../../shared/protocol';
import { QixinError } from '../../../shared/protocol';
import { createLogger } from '../log';
import { latestVersion, migrations } from './migrations';

const log = createLogger('core.cache');

export type OutboxRow = { position: number; id: string; conversationId: string; text: string; createdAt: number };

export interface CacheReader {
  kv<T>(key: string): T | null;
  users(): User[];
  user(id: string): User | null;
  conversations(): Conversation[];
  conversation(id: string): Conversation | null;
  /** Highest seq held with no hole below it. */
  syncedSeq(conversationId: string): number;
  /** Highest seq held at all (holes allowed). */
  maxSeq(conversationId: string): number;
  lastMessage(conversationId: string): Message | null;
  /**
   * Messages after `readSeq` that ask for attention: others' text, not system notices.
   * Seqs above the newest one held (not fetched yet) count as unread too.
   */
  unreadCount(conversationId: string, readSeq: number, lastSeq: number, selfId: string): number;
  /** Up to `limit` messages before `beforeSeq` (newest when null), ascending. */
  page(conversationId: string, beforeSeq: number | null, limit: number): { messages: Message[]; hasMore: boolean };
  outboxFor(conversationId: string): OutboxRow[];
  /** Pending sends after `position`, in the order they were written. */
  outboxAfter(position: number, limit: number): OutboxRow[];
  outboxCount(): number;
  readStates(conversationId: string): ReadState[];
}

export interface CacheWriter {
  setKv(key: string, value: unknown): void;
  deleteKv(key: string): void;
  upsertUser(user: User): void;
  /**
   * Stores a snapshot; counters and read position never move backwards, and never fall behind
   * the messages already held (change-stream snapshots can be older than the messages).
   */
  upsertConversation(conversation: Conversation, selfId: string | null): void;
  /** The relay's head for a conversation (sync.heads): unread counts are right before gap fill. */
  raiseLastSeq(conversationId: string, lastSeq: number): void;
  /**
   * Stores messages (ignoring ones already held), removes any outbox row with the same id,
   * advances synced_seq and the conversation's counters. Returns the newly stored ones.
   */
  insertMessages(messages: Message[], selfId: string | null): Message[];
  enqueue(row: Omit<OutboxRow, 'position'>): OutboxRow;
  deleteOutbox(id: string): void;
  /** Raises this user's read position (never lowers it); returns true when it moved. */
  raiseReadSeq(conversationId: string, seq: number): boolean;
  raiseReadState(conversationId: string, userId: string, readSeq: number): boolean;
  replaceReadStates(conversationId: string, states: ReadState[]): void;
  /** Drops every user datum (another user signed in); the schema stays. */
  wipe(): void;
}

export type LocalCacheOptions = { path: string; nativeBinding?: string };

export interface LocalCache {
  readonly read: CacheReader;
  readonly write: CacheWriter;
  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  close(): void;
}

type ConversationRow = {
  id: string;
  type: 'direct' | 'group';
  name: string | null;
  owner_id: string;
  member_ids: string;
  created_at: number;
  last_seq: number;
  last_activity_at: number;
  read_seq: number;
  pinned: number;
  muted: number;
  active: number;
};

type MessageRow = {
  id: string;
  conversation_id: string;
  seq: number;
  sender_id: string;
  kind: 'text' | 'system';
  text: string;
  system: string | null;
  created_at: number;
};

type UserRow = {
  id: string;
  account: string;
  name: string;
  mobile: string | null;
  email: string | null;
  role: 'admin' | 'member';
  created_at: number;
};

const toUser = (r: UserRow): User => ({
  id: r.id,
  account: r.account,
  name: r.name,
  mobile: r.mobile,
  email: r.email,
  role: r.role,
  createdAt: r.created_at,
});

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  type: r.type,
  name: r.name,
  ownerId: r.owner_id,
  memberIds: JSON.parse(r.member_ids) as string[],
  createdAt: r.created_at,
  lastSeq: r.last_seq,
  lastActivityAt: r.last_activity_at,
  readSeq: r.read_seq,
  pinned: r.pinned === 1,
  muted: r.muted === 1,
  active: r.active === 1,
});

const toMessage = (r: MessageRow): Message => ({
  id: r.id,
  conversationId: r.conversation_id,
  seq: r.seq,
  senderId: r.sender_id,
  kind: r.kind,
  text: r.text,
  system: r.system === null ? null : (JSON.parse(r.system) as Message['system']),
  createdAt: r.created_at,
});

type OutboxDbRow = { position: number; id: string; conversation_id: string; text: string; created_at: number };
const toOutbox = (r: OutboxDbRow): OutboxRow => ({
  position: r.position,
  id: r.id,
  conversationId: r.conversation_id,
  text: r.text,
  createdAt: r.created_at,
});

/** Brings the schema to the latest version; refuses a cache written by newer code. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latestVersion) {
    throw new QixinError(
      'internal',
      `the local cache has schema version ${current}, newer than this app understands (${latestVersion}); update Qixin or delete the cache`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    log.info({ version: m.version }, 'cache migrated');
  }
}

export function openLocalCache(options: LocalCacheOptions): LocalCache {
  const db = new Database(options.path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return new SqliteCache(db);
}

class SqliteCache implements LocalCache {
  readonly read: CacheReader;
  readonly write: CacheWriter;

  constructor(private readonly db: Db) {
    this.read = new CacheReads(db);
    this.write = new CacheWrites(db);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

class CacheReads implements CacheReader {
  private readonly s: Record<string, Statement>;

  constructor(db: Db) {
    this.s = {
      kv: db.prepare('SELECT value FROM kv WHERE key = ?'),
      users: db.prepare('SELECT * FROM users'),
      user: db.prepare('SELECT * FROM users WHERE id = ?'),
      conversations: db.prepare('SELECT * FROM conversations'),
      conversation: db.prepare('SELECT * FROM conversations WHERE id = ?'),
      synced: db.prepare('SELECT synced_seq FROM conversation_sync WHERE conversation_id = ?'),
      maxSeq: db.prepare('SELECT seq FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT 1'),
      unread: db.prepare(
        "SELECT count(*) AS n, max(seq) AS top FROM messages WHERE conversation_id = ? AND seq > ? AND kind = 'text' AND sender_id <> ?",
      ),
      last: db.prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT 1'),
      newest: db.prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?'),
      before: db.prepare('SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
      outboxFor: db.prepare('SELECT * FROM outbox WHERE conversation_id = ? ORDER BY position'),
      outboxAfter: db.prepare('SELECT * FROM outbox WHERE position > ? ORDER BY position LIMIT ?'),
      outboxCount: db.prepare('SELECT count(*) AS n FROM outbox'),
      readStates: db.prepare('SELECT user_id, read_seq FROM read_states WHERE conversation_id = ?'),
    };
  }

  kv<T>(key: string): T | null {
    const row = this.s.kv!.get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : null;
  }

  users(): User[] {
    return (this.s.users!.all() as UserRow[]).map(toUser);
  }

  user(id: string): User | null {
    const row = this.s.user!.get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  conversations(): Conversation[] {
    return (this.s.conversations!.all() as ConversationRow[]).map(toConversation);
  }

  conversation(id: string): Conversation | null {
    const row = this.s.conversation!.get(id) as ConversationRow | undefined;
    return row ? toConversation(row) : null;
  }

  syncedSeq(conversationId: string): number {
    return (this.s.synced!.get(conversationId) as { synced_seq: number } | undefined)?.synced_seq ?? 0;
  }

  maxSeq(conversationId: string): number {
    return (this.s.maxSeq!.get(conversationId) as { seq: number } | undefined)?.seq ?? 0;
  }

  unreadCount(conversationId: string, readSeq: number, lastSeq: number, selfId: string): number {
    if (lastSeq <= readSeq) return 0;
    const { n } = this.s.unread!.get(conversationId, readSeq, selfId) as { n: number };
    const held = Math.max(readSeq, this.maxSeq(conversationId));
    return n + Math.max(0, lastSeq - held);
  }

  lastMessage(conversationId: string): Message | null {
    const row = this.s.last!.get(conversationId) as MessageRow | undefined;
    return row ? toMessage(row) : null;
  }

  page(conversationId: string, beforeSeq: number | null, limit: number) {
    // One extra row tells whether an older page exists without a count query.
    const rows = (
      beforeSeq === null
        ? this.s.newest!.all(conversationId, limit + 1)
        : this.s.before!.all(conversationId, beforeSeq, limit + 1)
    ) as MessageRow[];
    const hasMore = rows.length > limit;
    return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore };
  }

  outboxFor(conversationId: string): OutboxRow[] {
    return (this.s.outboxFor!.all(conversationId) as OutboxDbRow[]).map(toOutbox);
  }

  outboxAfter(position: number, limit: number): OutboxRow[] {
    return (this.s.outboxAfter!.all(position, limit) as OutboxDbRow[]).map(toOutbox);
  }

  outboxCount(): number {
    return (this.s.outboxCount!.get() as { n: number }).n;
  }

  readStates(conversationId: string): ReadState[] {
    return (this.s.readStates!.all(conversationId) as { user_id: string; read_seq: number }[]).map((r) => ({
      userId: r.user_id,
      readSeq: r.read_seq,
    }));
  }
}

class CacheWrites implements CacheWriter {
  private readonly s: Record<string, Statement>;

  constructor(private readonly db: Db) {
    this.s = {
      setKv: db.prepare(
        'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      deleteKv: db.prepare('DELETE FROM kv WHERE key = ?'),
      upsertUser: db.prepare(
        `INSERT INTO users (id, account, name, mobile, email, role, created_at)
         VALUES (@id, @account, @name, @mobile, @email, @role, @createdAt)
         ON CONFLICT (id) DO UPDATE SET account = excluded.account, name = excluded.name, mobile = excluded.mobile,
           email = excluded.email, role = excluded.role, created_at = excluded.created_at`,
      ),
      upsertConversation: db.prepare(
        `INSERT INTO conversations (id, type, name, owner_id, member_ids, created_at, last_seq, last_activity_at,
           read_seq, pinned, muted, active)
         VALUES (@id, @type, @name, @ownerId, @memberIds, @createdAt, @lastSeq, @lastActivityAt, @readSeq, @pinned,
           @muted, @active)
         ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name, owner_id = excluded.owner_id,
           member_ids = excluded.member_ids, created_at = excluded.created_at,
           last_seq = max(last_seq, excluded.last_seq),
           last_activity_at = max(last_activity_at, excluded.last_activity_at),
           read_seq = max(read_seq, excluded.read_seq),
           pinned = excluded.pinned, muted = excluded.muted, active = excluded.active`,
      ),
      reconcile: db.prepare(
        `UPDATE conversations SET
           last_seq = max(last_seq, coalesce((SELECT max(seq) FROM messages WHERE conversation_id = @id), 0)),
           last_activity_at = max(last_activity_at, coalesce((SELECT created_at FROM messages
             WHERE conversation_id = @id ORDER BY seq DESC LIMIT 1), 0)),
           read_seq = max(read_seq, coalesce((SELECT seq FROM messages WHERE conversation_id = @id
             AND sender_id = @selfId ORDER BY seq DESC LIMIT 1), 0))
         WHERE id = @id`,
      ),
      raiseLastSeq: db.prepare('UPDATE conversations SET last_seq = ? WHERE id = ? AND last_seq < ?'),
      insertMessage: db.prepare(
        `INSERT OR IGNORE INTO messages (id, conversation_id, seq, sender_id, kind, text, system, created_at)
         VALUES (@id, @conversationId, @seq, @senderId, @kind, @text, @system, @createdAt)`,
      ),
      synced: db.prepare('SELECT synced_seq FROM conversation_sync WHERE conversation_id = ?'),
      setSynced: db.prepare(
        `INSERT INTO conversation_sync (conversation_id, synced_seq) VALUES (?, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET synced_seq = excluded.synced_seq`,
      ),
      seqsAfter: db.prepare('SELECT seq FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT 500'),
      bumpConversation: db.prepare(
        `UPDATE conversations SET last_seq = max(last_seq, @seq), last_activity_at = max(last_activity_at, @at),
           read_seq = CASE WHEN @own THEN max(read_seq, @seq) ELSE read_seq END
         WHERE id = @conversationId`,
      ),
      enqueue: db.prepare('INSERT INTO outbox (id, conversation_id, text, created_at) VALUES (?, ?, ?, ?)'),
      deleteOutbox: db.prepare('DELETE FROM outbox WHERE id = ?'),
      raiseReadSeq: db.prepare('UPDATE conversations SET read_seq = ? WHERE id = ? AND read_seq < ?'),
      raiseReadState: db.prepare(
        `INSERT INTO read_states (conversation_id, user_id, read_seq) VALUES (?, ?, ?)
         ON CONFLICT (conversation_id, user_id) DO UPDATE SET read_seq = excluded.read_seq
         WHERE excluded.read_seq > read_seq`,
      ),
      clearReadStates: db.prepare('DELETE FROM read_states WHERE conversation_id = ?'),
    };
  }

  setKv(key: string, value: unknown): void {
    this.s.setKv!.run(key, JSON.stringify(value));
  }

  deleteKv(key: string): void {
    this.s.deleteKv!.run(key);
  }

  upsertUser(user: User): void {
    this.s.upsertUser!.run(user);
  }

  upsertConversation(c: Conversation, selfId: string | null): void {
    this.s.upsertConversation!.run({
      ...c,
      memberIds: JSON.stringify(c.memberIds),
      pinned: c.pinned ? 1 : 0,
      muted: c.muted ? 1 : 0,
      active: c.active ? 1 : 0,
    });
    this.s.reconcile!.run({ id: c.id, selfId: selfId ?? '' });
  }

  raiseLastSeq(conversationId: string, lastSeq: number): void {
    this.s.raiseLastSeq!.run(lastSeq, conversationId, lastSeq);
  }

  insertMessages(messages: Message[], selfId: string | null): Message[] {
    const stored: Message[] = [];
    const touched = new Set<string>();
    this.db.transaction(() => {
      for (const m of messages) {
        const info = this.s.insertMessage!.run({ ...m, system: m.system ? JSON.stringify(m.system) : null });
        this.s.deleteOutbox!.run(m.id);
        if (info.changes === 0) continue;
        stored.push(m);
        touched.add(m.conversationId);
        this.s.bumpConversation!.run({
          conversationId: m.conversationId,
          seq: m.seq,
          at: m.createdAt,
          own: m.senderId === selfId ? 1 : 0,
        });
      }
      for (const id of touched) this.advanceSynced(id);
    })();
    return stored;
  }

  private advanceSynced(conversationId: string): void {
    const start = (this.s.synced!.get(conversationId) as { synced_seq: number } | undefined)?.synced_seq ?? 0;
    let seq = start;
    for (;;) {
      const next = this.s.seqsAfter!.all(conversationId, seq) as { seq: number }[];
      let i = 0;
      while (i < next.length && next[i]!.seq === seq + 1) seq = next[i++]!.seq;
      if (i < next.length || next.length < 500) break;
    }
    if (seq !== start) this.s.setSynced!.run(conversationId, seq);
  }

  enqueue(row: Omit<OutboxRow, 'position'>): OutboxRow {
    const info = this.s.enqueue!.run(row.id, row.conversationId, row.text, row.createdAt);
    return { ...row, position: Number(info.lastInsertRowid) };
  }

  deleteOutbox(id: string): void {
    this.s.deleteOutbox!.run(id);
  }

  raiseReadSeq(conversationId: string, seq: number): boolean {
    return this.s.raiseReadSeq!.run(seq, conversationId, seq).changes > 0;
  }

  raiseReadState(conversationId: string, userId: string, readSeq: number): boolean {
    return this.s.raiseReadState!.run(conversationId, userId, readSeq).changes > 0;
  }

  replaceReadStates(conversationId: string, states: ReadState[]): void {
    this.db.transaction(() => {
      this.s.clearReadStates!.run(conversationId);
      for (const st of states) this.s.raiseReadState!.run(conversationId, st.userId, st.readSeq);
    })();
  }

  wipe(): void {
    this.db.exec(`
      DELETE FROM kv; DELETE FROM users; DELETE FROM conversations; DELETE FROM conversation_sync;
      DELETE FROM messages; DELETE FROM read_states; DELETE FROM outbox;
    `);
  }
}
