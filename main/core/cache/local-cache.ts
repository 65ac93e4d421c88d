// LocalCache: the desktop's SQLite copy of what the relay holds, plus the outbox.
// Reads and writes are separate interfaces; every write goes through this one connection.
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type {
  Conversation,
  Department,
  ErrorBody,
  Favorite,
  Message,
  ReadState,
  SendFields,
  User,
} from '../../../shared/protocol';
import { QixinError } from '../../../shared/protocol';
import type { CachedMessage, OutboxRow } from '../messages/chat-message';
import {
  indexCachedMessages,
  searchCachedMessages,
  unindexCachedMessages,
  type CachedMessagePage,
  type CachedMessageQuery,
  type IndexableCachedMessage,
} from './message-search';
import { pinyinKeys } from '../../../shared/lib/pinyin';
import { createLogger } from '../log';
import { latestVersion, migrations } from './migrations';
import { NameIndex, type NameRow } from './name-index';
import { SqliteTransferRows, type TransferRows } from './transfer-rows';
import { SqliteCalendarRows, type CalendarRows } from './calendar-rows';

const log = createLogger('core.cache');

export type { CachedMessage, OutboxRow } from '../messages/chat-message';
export type { TransferRows } from './transfer-rows';
export type { CalendarRows, ReminderRow, ReminderState } from './calendar-rows';

/** Which directory rows a re-read (`DIR_PASS_KEY`) covers. */
export type DirectoryKind = 'users' | 'departments';

/** kv key of the directory pass counter: every stored directory row records the pass it came in. */
export const DIR_PASS_KEY = 'dirPass';

export interface CacheReader {
  kv<T>(key: string): T | null;
  users(): User[];
  user(id: string): User | null;
  /** The profiles held among `ids`, in the order asked. */
  usersByIds(ids: readonly string[]): User[];
  /** The ids among `ids` that no cached profile has. */
  unknownUserIds(ids: readonly string[]): string[];
  /** Members of conversations whose profile the cache does not hold. */
  unknownConversationMembers(): string[];
  /** Every department, parents before children, siblings by their order. */
  departments(): Department[];
  department(id: string): Department | null;
  /** Direct members of a department in pinyin order: the window at `offset`, and how many there are. */
  members(departmentId: string, offset: number, limit: number): { users: User[]; total: number };
  /**
   * Members by name (contains), pinyin and initials (prefix), account and email (prefix),
   * mobile (contains); departments by name (contains). Best matches first.
   */
  search(query: string, limit: number): { users: User[]; departments: Department[] };
  conversations(): Conversation[];
  conversation(id: string): Conversation | null;
  /** Highest seq held with no hole below it. */
  syncedSeq(conversationId: string): number;
  /** Highest seq held at all (holes allowed). */
  maxSeq(conversationId: string): number;
  /** Highest message revision applied with none missing below it. */
  syncedRev(conversationId: string): number;
  /** The newest message not deleted for this user. */
  lastMessage(conversationId: string): CachedMessage | null;
  /** A held message by id (deleted-for-me ones included). */
  message(id: string): CachedMessage | null;
  /**
   * Messages after `readSeq` that ask for attention: others' messages, not system notices, not
   * recalled or deleted. Seqs above the newest one held (not fetched yet) count as unread too.
   */
  unreadCount(conversationId: string, readSeq: number, lastSeq: number, selfId: string): number;
  /** [有人@我]: an unread message of someone else (not recalled or deleted) @mentions `selfId` or everyone. */
  mentionedMe(conversationId: string, readSeq: number, selfId: string): boolean;
  /** Up to `limit` messages before `beforeSeq` (newest when null), ascending; deleted ones left out. */
  page(
    conversationId: string,
    beforeSeq: number | null,
    limit: number,
  ): { messages: CachedMessage[]; hasMore: boolean };
  /** The message at `seq` with up to `limit` messages on each side, ascending. */
  around(
    conversationId: string,
    seq: number,
    limit: number,
  ): { messages: CachedMessage[]; hasMoreBefore: boolean; hasMoreAfter: boolean };
  /** Queued and failed sends of a conversation, in the order they were written. */
  outboxFor(conversationId: string): OutboxRow[];
  outboxRow(id: string): OutboxRow | null;
  /**
   * Pending sends after `position`, in the order they were written (failed ones skipped, and file
   * messages whose upload is not done yet: they go once the relay holds the bytes).
   */
  outboxAfter(position: number, limit: number): OutboxRow[];
  outboxCount(): number;
  readStates(conversationId: string): ReadState[];
  /** 收藏, newest saved first; `query` keeps those whose text contains it (case-insensitive). */
  favorites(query?: string): Favorite[];
  /** Messages containing a query, newest first, a page at a time (message-search.ts). */
  searchMessages(query: CachedMessageQuery): CachedMessagePage;
}

export interface CacheWriter {
  setKv(key: string, value: unknown): void;
  deleteKv(key: string): void;
  /** Stores a profile and the departments it sits in, marked as seen by the current directory pass. */
  upsertUser(user: User): void;
  /** Many profiles in one transaction (a page of dir.sync). */
  upsertUsers(users: readonly User[]): void;
  upsertDepartment(department: Department): void;
  /** Removes profiles or departments (no longer visible, or deleted); returns how many went. */
  deleteDirectoryRows(kind: DirectoryKind, ids: readonly string[]): number;
  /** After a full re-read: removes every row of `kind` not stored since pass `pass` began. */
  sweepDirectory(kind: DirectoryKind, pass: number): number;
  /**
   * Stores a snapshot; counters and read position never move backwards, and never fall behind
   * the messages already held (change-stream snapshots can be older than the messages).
   */
  upsertConversation(conversation: Conversation, selfId: string | null): void;
  /** The relay's head for a conversation (sync.heads): unread counts are right before gap fill. */
  raiseLastSeq(conversationId: string, lastSeq: number, lastRev?: number): void;
  /**
   * Stores messages, removes any outbox row with the same id, advances synced_seq and the
   * conversation's counters. A message already held takes the copy's changes when its revision
   * is newer. Returns the newly stored ones.
   */
  insertMessages(messages: Message[], selfId: string | null): Message[];
  /**
   * Applies newer revisions of held messages (recalls, reactions; unknown and older ones are
   * skipped). A recall of one's own message keeps its text as recalled_text. Returns the changed.
   */
  applyMessageUpdates(messages: Message[], selfId: string | null): Message[];
  /** Raises synced_rev (never lowers it). */
  raiseSyncedRev(conversationId: string, rev: number): void;
  /** Deletes messages for this user (删除); returns how many were held and not yet hidden. */
  hideMessages(conversationId: string, messageIds: readonly string[]): number;
  enqueue(row: { id: string; send: SendFields; createdAt: number }): OutboxRow;
  /** Keeps a send the relay refused for good, with its error, out of the sending queue. */
  failOutbox(id: string, error: ErrorBody): void;
  /** Puts a failed send back in the queue (its file upload is tried again). */
  unfailOutbox(id: string): void;
  /** Rewrites a queued send (a file message gets its sha256 once hashed). */
  updateOutboxSend(id: string, send: SendFields): void;
  deleteOutbox(id: string): void;
  upsertFavorites(favorites: readonly Favorite[]): void;
  removeFavorites(ids: readonly string[]): void;
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
  /** This desktop's uploads and downloads (files/transfers.ts). */
  readonly transfers: TransferRows;
  /** The events of the coming days and the reminders' states (calendar/reminders.ts). */
  readonly calendar: CalendarRows;
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
  admin_ids: string;
  last_rev: number;
  announcement: string | null;
  welcome: string;
  mute_all: number;
  managers_only: number;
  dissolved: number;
  tags: string;
};

type MessageRow = {
  rowid: number;
  id: string;
  conversation_id: string;
  seq: number;
  sender_id: string;
  kind: Message['kind'];
  text: string;
  system: string | null;
  created_at: number;
  body: string | null;
  quote: string | null;
  mentions: string;
  mention_all: number;
  forwarded: number;
  reactions: string;
  recalled_at: number | null;
  recalled_text: string | null;
  rev: number;
  hidden: number;
};

/** Every message column, the rowid included (the search index is keyed by it). */
const MESSAGE_COLUMNS = 'rowid, *';

type UserRow = {
  id: string;
  account: string;
  name: string;
  pinyin: string;
  initials: string;
  alias: string;
  title: string;
  department_ids: string;
  gender: User['gender'];
  mobile: string | null;
  phone: string | null;
  email: string | null;
  address: string;
  manager_id: string | null;
  status: User['status'];
  hidden: number;
  activated: number;
  role: 'admin' | 'member';
  created_at: number;
};

const toUser = (r: UserRow): User => ({
  id: r.id,
  account: r.account,
  name: r.name,
  pinyin: r.pinyin,
  initials: r.initials,
  alias: r.alias,
  title: r.title,
  departmentIds: JSON.parse(r.department_ids) as string[],
  gender: r.gender,
  mobile: r.mobile,
  phone: r.phone,
  email: r.email,
  address: r.address,
  managerId: r.manager_id,
  status: r.status,
  hidden: r.hidden === 1,
  activated: r.activated === 1,
  role: r.role,
  createdAt: r.created_at,
});

type DepartmentRow = {
  id: string;
  parent_id: string | null;
  name: string;
  sort_order: number;
  head_ids: string;
  hidden: number;
  depth: number;
};

const toDepartment = (r: DepartmentRow): Department => ({
  id: r.id,
  parentId: r.parent_id,
  name: r.name,
  order: r.sort_order,
  headIds: JSON.parse(r.head_ids) as string[],
  hidden: r.hidden === 1,
  depth: r.depth,
});

/** The sort and search keys: the relay's, or computed here for a profile that came without them. */
function keysOf(user: User): { pinyin: string; initials: string } {
  return user.pinyin ? { pinyin: user.pinyin, initials: user.initials } : pinyinKeys(user.name);
}

/** `%`, `_` and the escape itself taken literally in a LIKE pattern. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
/** Just above every string starting with `prefix` (prefix ranges over an index). */
const prefixEnd = (prefix: string) => `${prefix}\uffff`;
/** Ids travel to SQLite as one JSON array: no bound-parameter limit, one statement. */
const idList = (ids: readonly string[]) => JSON.stringify(ids);
/** The directory pass under way (or last finished), stamped on every stored directory row. */
const CURRENT_PASS = `coalesce((SELECT CAST(value AS INTEGER) FROM kv WHERE key = '${DIR_PASS_KEY}'), 0)`;

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
  adminIds: JSON.parse(r.admin_ids) as string[],
  lastRev: r.last_rev,
  announcement: r.announcement === null ? null : (JSON.parse(r.announcement) as Conversation['announcement']),
  welcome: r.welcome,
  muteAll: r.mute_all === 1,
  managersOnly: r.managers_only === 1,
  dissolved: r.dissolved === 1,
  tags: JSON.parse(r.tags) as string[],
});

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

const toMessage = (r: MessageRow): CachedMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  seq: r.seq,
  senderId: r.sender_id,
  kind: r.kind,
  text: r.text,
  system: json<Message['system']>(r.system),
  body: json<Message['body']>(r.body),
  quote: json<Message['quote']>(r.quote),
  mentions: JSON.parse(r.mentions) as string[],
  mentionAll: r.mention_all === 1,
  forwarded: r.forwarded === 1,
  reactions: JSON.parse(r.reactions) as Message['reactions'],
  recalledAt: r.recalled_at,
  rev: r.rev,
  hidden: r.hidden === 1,
  createdAt: r.created_at,
  recalledText: r.recalled_text,
});

/** The columns a message's changes (recall, reactions) rewrite, as bound parameters. */
const messageParams = (m: Message) => ({
  id: m.id,
  conversationId: m.conversationId,
  seq: m.seq,
  senderId: m.senderId,
  kind: m.kind,
  text: m.text,
  system: m.system ? JSON.stringify(m.system) : null,
  createdAt: m.createdAt,
  body: m.body ? JSON.stringify(m.body) : null,
  quote: m.quote ? JSON.stringify(m.quote) : null,
  mentions: JSON.stringify(m.mentions),
  mentionAll: m.mentionAll ? 1 : 0,
  forwarded: m.forwarded ? 1 : 0,
  reactions: JSON.stringify(m.reactions),
  recalledAt: m.recalledAt,
  rev: m.rev,
  hidden: m.hidden ? 1 : 0,
});

/** What the search index needs of a stored message: recalled and deleted ones are not found. */
const searchable = (m: Message) => m.recalledAt === null && !m.hidden && m.kind !== 'system';

type OutboxDbRow = {
  position: number;
  id: string;
  send: string;
  status: OutboxRow['status'];
  error: string | null;
  created_at: number;
};
const toOutbox = (r: OutboxDbRow): OutboxRow => ({
  position: r.position,
  id: r.id,
  send: JSON.parse(r.send) as SendFields,
  status: r.status,
  error: json<ErrorBody>(r.error),
  createdAt: r.created_at,
});

type FavoriteRow = {
  id: string;
  conversation_id: string;
  message_id: string;
  sender_id: string;
  kind: Favorite['kind'];
  text: string;
  body: string | null;
  created_at: number;
  saved_at: number;
};
const toFavorite = (r: FavoriteRow): Favorite => ({
  id: r.id,
  conversationId: r.conversation_id,
  messageId: r.message_id,
  senderId: r.sender_id,
  kind: r.kind,
  text: r.text,
  body: json<Favorite['body']>(r.body),
  createdAt: r.created_at,
  savedAt: r.saved_at,
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
  readonly transfers: TransferRows;
  readonly calendar: CalendarRows;

  constructor(private readonly db: Db) {
    const namesInOrder = db.prepare('SELECT id, name, mobile FROM users ORDER BY pinyin, id');
    const names = new NameIndex(() => namesInOrder.all() as NameRow[]);
    this.read = new CacheReads(db, names);
    this.write = new CacheWrites(db, names);
    this.transfers = new SqliteTransferRows(db);
    this.calendar = new SqliteCalendarRows(db);
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

  constructor(
    private readonly db: Db,
    private readonly names: NameIndex,
  ) {
    this.s = {
      kv: db.prepare('SELECT value FROM kv WHERE key = ?'),
      users: db.prepare('SELECT * FROM users'),
      user: db.prepare('SELECT * FROM users WHERE id = ?'),
      usersByIds: db.prepare('SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))'),
      knownIds: db.prepare('SELECT id FROM users WHERE id IN (SELECT value FROM json_each(?))'),
      unknownMembers: db.prepare(
        `SELECT DISTINCT m.value AS id FROM conversations c, json_each(c.member_ids) m
         WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = m.value)`,
      ),
      departments: db.prepare('SELECT * FROM departments ORDER BY depth, parent_id, sort_order, name, id'),
      department: db.prepare('SELECT * FROM departments WHERE id = ?'),
      // The window is cut from the key alone; only its rows are joined with their profiles.
      members: db.prepare(
        `SELECT u.* FROM (SELECT pinyin, user_id FROM user_departments WHERE department_id = ?
           ORDER BY pinyin, user_id LIMIT ? OFFSET ?) d
         JOIN users u ON u.id = d.user_id ORDER BY d.pinyin, d.user_id`,
      ),
      memberCount: db.prepare('SELECT count(*) AS n FROM user_departments WHERE department_id = ?'),
      // Search branches: each prefix reads a range of one index; "name contains" and "mobile
      // contains" are the NameIndex's.
      byPinyin: db.prepare('SELECT id FROM users WHERE pinyin >= ? AND pinyin < ? ORDER BY pinyin, id LIMIT ?'),
      byInitials: db.prepare(
        'SELECT id FROM users WHERE initials >= ? AND initials < ? ORDER BY initials, pinyin, id LIMIT ?',
      ),
      byAccount: db.prepare(
        `SELECT id FROM users WHERE account >= ? COLLATE NOCASE AND account < ? COLLATE NOCASE
         ORDER BY account COLLATE NOCASE LIMIT ?`,
      ),
      byEmail: db.prepare(
        `SELECT id FROM users WHERE email >= ? COLLATE NOCASE AND email < ? COLLATE NOCASE
         ORDER BY email COLLATE NOCASE LIMIT ?`,
      ),
      departmentsByName: db.prepare(
        `SELECT * FROM departments WHERE name LIKE @pattern ESCAPE '\\'
         ORDER BY name = @query DESC, depth, sort_order, name LIMIT @limit`,
      ),
      conversations: db.prepare('SELECT * FROM conversations'),
      conversation: db.prepare('SELECT * FROM conversations WHERE id = ?'),
      synced: db.prepare('SELECT synced_seq, synced_rev FROM conversation_sync WHERE conversation_id = ?'),
      maxSeq: db.prepare('SELECT seq FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT 1'),
      unread: db.prepare(
        `SELECT count(*) AS n FROM messages WHERE conversation_id = ? AND seq > ? AND kind <> 'system'
           AND sender_id <> ? AND hidden = 0 AND recalled_at IS NULL`,
      ),
      mentioned: db.prepare(
        `SELECT 1 FROM messages WHERE conversation_id = @conversationId AND seq > @readSeq AND sender_id <> @selfId
           AND hidden = 0 AND recalled_at IS NULL
           AND (mention_all = 1 OR EXISTS (SELECT 1 FROM json_each(mentions) WHERE value = @selfId))
         LIMIT 1`,
      ),
      last: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND hidden = 0 ORDER BY seq DESC LIMIT 1`,
      ),
      message: db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`),
      newest: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND hidden = 0 ORDER BY seq DESC LIMIT ?`,
      ),
      before: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND seq < ? AND hidden = 0
         ORDER BY seq DESC LIMIT ?`,
      ),
      from: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND seq >= ? AND hidden = 0
         ORDER BY seq LIMIT ?`,
      ),
      outboxFor: db.prepare('SELECT * FROM outbox WHERE conversation_id = ? ORDER BY position'),
      outboxRow: db.prepare('SELECT * FROM outbox WHERE id = ?'),
      outboxAfter: db.prepare(
        `SELECT * FROM outbox WHERE position > ? AND status = 'pending'
           AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.message_id = outbox.id AND t.direction = 'upload'
             AND t.state <> 'done')
         ORDER BY position LIMIT ?`,
      ),
      outboxCount: db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'"),
      readStates: db.prepare('SELECT user_id, read_seq FROM read_states WHERE conversation_id = ?'),
      favorites: db.prepare('SELECT * FROM favorites ORDER BY saved_at DESC, id DESC'),
      favoritesLike: db.prepare(
        'SELECT * FROM favorites WHERE instr(lower(text), lower(?)) > 0 ORDER BY saved_at DESC, id DESC',
      ),
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

  usersByIds(ids: readonly string[]): User[] {
    if (ids.length === 0) return [];
    const byId = new Map((this.s.usersByIds!.all(idList(ids)) as UserRow[]).map((r) => [r.id, toUser(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  unknownUserIds(ids: readonly string[]): string[] {
    if (ids.length === 0) return [];
    const known = new Set((this.s.knownIds!.all(idList(ids)) as { id: string }[]).map((r) => r.id));
    return [...new Set(ids)].filter((id) => !known.has(id));
  }

  unknownConversationMembers(): string[] {
    return (this.s.unknownMembers!.all() as { id: string }[]).map((r) => r.id);
  }

  departments(): Department[] {
    return (this.s.departments!.all() as DepartmentRow[]).map(toDepartment);
  }

  department(id: string): Department | null {
    const row = this.s.department!.get(id) as DepartmentRow | undefined;
    return row ? toDepartment(row) : null;
  }

  members(departmentId: string, offset: number, limit: number): { users: User[]; total: number } {
    const { n } = this.s.memberCount!.get(departmentId) as { n: number };
    if (offset >= n) return { users: [], total: n };
    const rows = this.s.members!.all(departmentId, limit, offset) as UserRow[];
    return { users: rows.map(toUser), total: n };
  }

  search(query: string, limit: number): { users: User[]; departments: Department[] } {
    const text = query.trim();
    if (text === '') return { users: [], departments: [] };
    const lower = text.toLowerCase();
    const pattern = `%${likeLiteral(text)}%`;
    const ids = new Set<string>();
    const take = (rows: unknown[]) => {
      for (const r of rows as { id: string }[]) if (ids.size < limit) ids.add(r.id);
    };
    const digits = /^\+?[0-9]+$/.test(text);
    // Names hold no digits: a number is looked for among mobiles and accounts only.
    if (!digits) this.names.find(text, limit).forEach((id) => ids.add(id));
    // zhangsan, zhang san, zs: letters only, spaces between syllables allowed.
    const letters = lower.replace(/\s+/g, '');
    if (/^[a-z]+$/.test(letters)) {
      if (ids.size < limit) take(this.s.byPinyin!.all(letters, prefixEnd(letters), limit));
      if (ids.size < limit) take(this.s.byInitials!.all(letters, prefixEnd(letters), limit));
    }
    if (!/\s/.test(text)) {
      if (ids.size < limit) take(this.s.byAccount!.all(text, prefixEnd(text), limit));
      if (ids.size < limit && !digits) take(this.s.byEmail!.all(text, prefixEnd(text), limit));
      if (ids.size < limit && digits && text.length >= 3) {
        this.names.findMobile(text, limit).forEach((id) => ids.size < limit && ids.add(id));
      }
    }
    const departments = (this.s.departmentsByName!.all({ pattern, query: text, limit }) as DepartmentRow[]).map(
      toDepartment,
    );
    return { users: this.usersByIds([...ids]), departments };
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

  syncedRev(conversationId: string): number {
    return (this.s.synced!.get(conversationId) as { synced_rev: number } | undefined)?.synced_rev ?? 0;
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

  mentionedMe(conversationId: string, readSeq: number, selfId: string): boolean {
    return this.s.mentioned!.get({ conversationId, readSeq, selfId }) !== undefined;
  }

  lastMessage(conversationId: string): CachedMessage | null {
    const row = this.s.last!.get(conversationId) as MessageRow | undefined;
    return row ? toMessage(row) : null;
  }

  message(id: string): CachedMessage | null {
    const row = this.s.message!.get(id) as MessageRow | undefined;
    return row ? toMessage(row) : null;
  }

  around(conversationId: string, seq: number, limit: number) {
    const before = this.s.before!.all(conversationId, seq, limit + 1) as MessageRow[];
    // The message at `seq` itself, then up to `limit` after it.
    const after = this.s.from!.all(conversationId, seq, limit + 2) as MessageRow[];
    return {
      messages: [...before.slice(0, limit).reverse(), ...after.slice(0, limit + 1)].map(toMessage),
      hasMoreBefore: before.length > limit,
      hasMoreAfter: after.length > limit + 1,
    };
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

  outboxRow(id: string): OutboxRow | null {
    const row = this.s.outboxRow!.get(id) as OutboxDbRow | undefined;
    return row ? toOutbox(row) : null;
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

  favorites(query?: string): Favorite[] {
    const rows = query ? this.s.favoritesLike!.all(query) : this.s.favorites!.all();
    return (rows as FavoriteRow[]).map(toFavorite);
  }

  searchMessages(query: CachedMessageQuery): CachedMessagePage {
    return searchCachedMessages(this.db, query);
  }
}

class CacheWrites implements CacheWriter {
  private readonly s: Record<string, Statement>;

  constructor(
    private readonly db: Db,
    private readonly names: NameIndex,
  ) {
    this.s = {
      setKv: db.prepare(
        'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      deleteKv: db.prepare('DELETE FROM kv WHERE key = ?'),
      upsertUser: db.prepare(
        `INSERT INTO users (id, account, name, pinyin, initials, alias, title, department_ids, gender, mobile, phone,
           email, address, manager_id, status, hidden, activated, role, created_at, seen_pass, digest)
         VALUES (@id, @account, @name, @pinyin, @initials, @alias, @title, @departmentIds, @gender, @mobile, @phone,
           @email, @address, @managerId, @status, @hidden, @activated, @role, @createdAt, ${CURRENT_PASS}, @digest)
         ON CONFLICT (id) DO UPDATE SET account = excluded.account, name = excluded.name, pinyin = excluded.pinyin,
           initials = excluded.initials, alias = excluded.alias, title = excluded.title,
           department_ids = excluded.department_ids, gender = excluded.gender, mobile = excluded.mobile,
           phone = excluded.phone, email = excluded.email, address = excluded.address,
           manager_id = excluded.manager_id, status = excluded.status, hidden = excluded.hidden,
           activated = excluded.activated, role = excluded.role, created_at = excluded.created_at,
           seen_pass = excluded.seen_pass, digest = excluded.digest`,
      ),
      touchUser: db.prepare(`UPDATE users SET seen_pass = ${CURRENT_PASS} WHERE id = ? AND digest = ?`),
      unlinkUser: db.prepare('DELETE FROM user_departments WHERE user_id = ?'),
      linkUser: db.prepare('INSERT OR IGNORE INTO user_departments (department_id, pinyin, user_id) VALUES (?, ?, ?)'),
      upsertDepartment: db.prepare(
        `INSERT INTO departments (id, parent_id, name, sort_order, head_ids, hidden, depth, seen_pass)
         VALUES (@id, @parentId, @name, @order, @headIds, @hidden, @depth, ${CURRENT_PASS})
         ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, name = excluded.name,
           sort_order = excluded.sort_order, head_ids = excluded.head_ids, hidden = excluded.hidden,
           depth = excluded.depth, seen_pass = excluded.seen_pass`,
      ),
      deleteUsers: db.prepare('DELETE FROM users WHERE id IN (SELECT value FROM json_each(?))'),
      unlinkUsers: db.prepare('DELETE FROM user_departments WHERE user_id IN (SELECT value FROM json_each(?))'),
      deleteDepartments: db.prepare('DELETE FROM departments WHERE id IN (SELECT value FROM json_each(?))'),
      unlinkDepartments: db.prepare(
        'DELETE FROM user_departments WHERE department_id IN (SELECT value FROM json_each(?))',
      ),
      sweepUserLinks: db.prepare(
        'DELETE FROM user_departments WHERE user_id IN (SELECT id FROM users WHERE seen_pass < ?)',
      ),
      sweepUsers: db.prepare('DELETE FROM users WHERE seen_pass < ?'),
      sweepDepartments: db.prepare('DELETE FROM departments WHERE seen_pass < ?'),
      upsertConversation: db.prepare(
        `INSERT INTO conversations (id, type, name, owner_id, member_ids, created_at, last_seq, last_activity_at,
           read_seq, pinned, muted, active, admin_ids, last_rev, announcement, welcome, mute_all, managers_only,
           dissolved, tags)
         VALUES (@id, @type, @name, @ownerId, @memberIds, @createdAt, @lastSeq, @lastActivityAt, @readSeq, @pinned,
           @muted, @active, @adminIds, @lastRev, @announcement, @welcome, @muteAll, @managersOnly, @dissolved, @tags)
         ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name, owner_id = excluded.owner_id,
           member_ids = excluded.member_ids, created_at = excluded.created_at,
           last_seq = max(last_seq, excluded.last_seq),
           last_activity_at = max(last_activity_at, excluded.last_activity_at),
           read_seq = max(read_seq, excluded.read_seq),
           pinned = excluded.pinned, muted = excluded.muted, active = excluded.active,
           admin_ids = excluded.admin_ids, last_rev = max(last_rev, excluded.last_rev),
           announcement = excluded.announcement, welcome = excluded.welcome, mute_all = excluded.mute_all,
           managers_only = excluded.managers_only, dissolved = excluded.dissolved, tags = excluded.tags`,
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
      raiseLastSeq: db.prepare(
        `UPDATE conversations SET last_seq = max(last_seq, @lastSeq), last_rev = max(last_rev, @lastRev)
         WHERE id = @id AND (last_seq < @lastSeq OR last_rev < @lastRev)`,
      ),
      insertMessage: db.prepare(
        `INSERT OR IGNORE INTO messages (id, conversation_id, seq, sender_id, kind, text, system, created_at, body,
           quote, mentions, mention_all, forwarded, reactions, recalled_at, rev, hidden)
         VALUES (@id, @conversationId, @seq, @senderId, @kind, @text, @system, @createdAt, @body, @quote, @mentions,
           @mentionAll, @forwarded, @reactions, @recalledAt, @rev, @hidden)`,
      ),
      // The text is read before it is overwritten: a sender's own recall keeps it for 重新编辑.
      updateMessage: db.prepare(
        `UPDATE messages SET
           recalled_text = CASE WHEN sender_id = @selfId AND recalled_at IS NULL AND @recalledAt IS NOT NULL
             THEN text ELSE recalled_text END,
           text = @text, body = @body, reactions = @reactions, recalled_at = @recalledAt, rev = @rev,
           hidden = max(hidden, @hidden)
         WHERE id = @id AND rev < @rev
         RETURNING rowid, recalled_at, hidden`,
      ),
      hide: db.prepare(
        `UPDATE messages SET hidden = 1 WHERE conversation_id = ? AND hidden = 0
           AND id IN (SELECT value FROM json_each(?))
         RETURNING rowid`,
      ),
      synced: db.prepare('SELECT synced_seq FROM conversation_sync WHERE conversation_id = ?'),
      setSynced: db.prepare(
        `INSERT INTO conversation_sync (conversation_id, synced_seq) VALUES (?, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET synced_seq = excluded.synced_seq`,
      ),
      raiseSyncedRev: db.prepare(
        `INSERT INTO conversation_sync (conversation_id, synced_seq, synced_rev) VALUES (?, 0, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET synced_rev = max(synced_rev, excluded.synced_rev)`,
      ),
      seqsAfter: db.prepare('SELECT seq FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT 500'),
      bumpConversation: db.prepare(
        `UPDATE conversations SET last_seq = max(last_seq, @seq), last_activity_at = max(last_activity_at, @at),
           read_seq = CASE WHEN @own THEN max(read_seq, @seq) ELSE read_seq END
         WHERE id = @conversationId`,
      ),
      enqueue: db.prepare(
        "INSERT INTO outbox (id, conversation_id, text, send, created_at, status) VALUES (?, ?, ?, ?, ?, 'pending')",
      ),
      failOutbox: db.prepare("UPDATE outbox SET status = 'failed', error = ? WHERE id = ?"),
      unfailOutbox: db.prepare("UPDATE outbox SET status = 'pending', error = NULL WHERE id = ?"),
      updateOutboxSend: db.prepare('UPDATE outbox SET send = ? WHERE id = ?'),
      deleteOutbox: db.prepare('DELETE FROM outbox WHERE id = ?'),
      upsertFavorite: db.prepare(
        `INSERT INTO favorites (id, conversation_id, message_id, sender_id, kind, text, body, created_at, saved_at)
         VALUES (@id, @conversationId, @messageId, @senderId, @kind, @text, @body, @createdAt, @savedAt)
         ON CONFLICT (id) DO UPDATE SET text = excluded.text, body = excluded.body, saved_at = excluded.saved_at`,
      ),
      removeFavorites: db.prepare('DELETE FROM favorites WHERE id IN (SELECT value FROM json_each(?))'),
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
    this.upsertUsers([user]);
  }

  upsertUsers(users: readonly User[]): void {
    if (users.length === 0) return;
    // One transaction for the batch: a savepoint per row would cost more than the row itself.
    this.db.transaction(() => {
      for (const user of users) {
        const digest = createHash('sha1').update(JSON.stringify(user)).digest('base64');
        // Unchanged (a re-read after a visibility change brings mostly these): only mark it seen.
        if (this.s.touchUser!.run(user.id, digest).changes > 0) continue;
        this.names.invalidate();
        const keys = keysOf(user);
        this.s.upsertUser!.run({
          ...user,
          ...keys,
          departmentIds: JSON.stringify(user.departmentIds),
          hidden: user.hidden ? 1 : 0,
          activated: user.activated ? 1 : 0,
          digest,
        });
        this.s.unlinkUser!.run(user.id);
        for (const departmentId of user.departmentIds) this.s.linkUser!.run(departmentId, keys.pinyin, user.id);
      }
    })();
  }

  upsertDepartment(d: Department): void {
    this.s.upsertDepartment!.run({ ...d, headIds: JSON.stringify(d.headIds), hidden: d.hidden ? 1 : 0 });
  }

  deleteDirectoryRows(kind: DirectoryKind, ids: readonly string[]): number {
    if (ids.length === 0) return 0;
    const list = idList(ids);
    return this.db.transaction(() => {
      if (kind === 'users') {
        this.names.invalidate();
        this.s.unlinkUsers!.run(list);
        return this.s.deleteUsers!.run(list).changes;
      }
      this.s.unlinkDepartments!.run(list);
      return this.s.deleteDepartments!.run(list).changes;
    })();
  }

  sweepDirectory(kind: DirectoryKind, pass: number): number {
    return this.db.transaction(() => {
      if (kind === 'departments') return this.s.sweepDepartments!.run(pass).changes;
      this.names.invalidate();
      this.s.sweepUserLinks!.run(pass);
      return this.s.sweepUsers!.run(pass).changes;
    })();
  }

  upsertConversation(c: Conversation, selfId: string | null): void {
    this.s.upsertConversation!.run({
      ...c,
      memberIds: JSON.stringify(c.memberIds),
      pinned: c.pinned ? 1 : 0,
      muted: c.muted ? 1 : 0,
      active: c.active ? 1 : 0,
      adminIds: JSON.stringify(c.adminIds),
      announcement: c.announcement ? JSON.stringify(c.announcement) : null,
      muteAll: c.muteAll ? 1 : 0,
      managersOnly: c.managersOnly ? 1 : 0,
      dissolved: c.dissolved ? 1 : 0,
      tags: JSON.stringify(c.tags),
    });
    this.s.reconcile!.run({ id: c.id, selfId: selfId ?? '' });
  }

  raiseLastSeq(conversationId: string, lastSeq: number, lastRev = 0): void {
    this.s.raiseLastSeq!.run({ id: conversationId, lastSeq, lastRev });
  }

  insertMessages(messages: Message[], selfId: string | null): Message[] {
    const stored: Message[] = [];
    const touched = new Set<string>();
    const index: IndexableCachedMessage[] = [];
    this.db.transaction(() => {
      for (const m of messages) {
        const info = this.s.insertMessage!.run(messageParams(m));
        this.s.deleteOutbox!.run(m.id);
        if (info.changes === 0) {
          // Held already: a copy from a later read (gap fill after a recall) may be newer.
          this.applyMessageUpdates([m], selfId);
          continue;
        }
        if (searchable(m)) index.push({ ...m, rowid: Number(info.lastInsertRowid) });
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
      if (index.length > 0) indexCachedMessages(this.db, index);
    })();
    return stored;
  }

  applyMessageUpdates(messages: Message[], selfId: string | null): Message[] {
    const changed: Message[] = [];
    const unindex: number[] = [];
    this.db.transaction(() => {
      for (const m of messages) {
        const row = this.s.updateMessage!.get({ ...messageParams(m), selfId: selfId ?? '' }) as
          { rowid: number; recalled_at: number | null; hidden: number } | undefined;
        if (!row) continue;
        changed.push(m);
        if (row.recalled_at !== null || row.hidden === 1) unindex.push(row.rowid);
      }
      if (unindex.length > 0) unindexCachedMessages(this.db, unindex);
    })();
    return changed;
  }

  raiseSyncedRev(conversationId: string, rev: number): void {
    this.s.raiseSyncedRev!.run(conversationId, rev);
  }

  hideMessages(conversationId: string, messageIds: readonly string[]): number {
    if (messageIds.length === 0) return 0;
    return this.db.transaction(() => {
      const rows = this.s.hide!.all(conversationId, idList(messageIds)) as { rowid: number }[];
      if (rows.length > 0)
        unindexCachedMessages(
          this.db,
          rows.map((r) => r.rowid),
        );
      return rows.length;
    })();
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

  enqueue(row: { id: string; send: SendFields; createdAt: number }): OutboxRow {
    const { send } = row;
    const info = this.s.enqueue!.run(row.id, send.conversationId, send.text, JSON.stringify(send), row.createdAt);
    return { ...row, position: Number(info.lastInsertRowid), status: 'pending', error: null };
  }

  failOutbox(id: string, error: ErrorBody): void {
    this.s.failOutbox!.run(JSON.stringify(error), id);
  }

  unfailOutbox(id: string): void {
    this.s.unfailOutbox!.run(id);
  }

  updateOutboxSend(id: string, send: SendFields): void {
    this.s.updateOutboxSend!.run(JSON.stringify(send), id);
  }

  upsertFavorites(favorites: readonly Favorite[]): void {
    if (favorites.length === 0) return;
    this.db.transaction(() => {
      for (const f of favorites) {
        this.s.upsertFavorite!.run({ ...f, body: f.body ? JSON.stringify(f.body) : null });
      }
    })();
  }

  removeFavorites(ids: readonly string[]): void {
    if (ids.length > 0) this.s.removeFavorites!.run(idList(ids));
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
    this.names.invalidate();
    this.db.exec(`
      DELETE FROM kv; DELETE FROM users; DELETE FROM departments; DELETE FROM user_departments;
      DELETE FROM conversations; DELETE FROM conversation_sync;
      DELETE FROM messages; DELETE FROM read_states; DELETE FROM outbox; DELETE FROM favorites;
      DELETE FROM transfers; DELETE FROM calendar_events; DELETE FROM calendar_reminders;
    `);
  }
}
