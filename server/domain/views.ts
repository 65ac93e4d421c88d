// Row → wire entity conversions. A Conversation is always one user's view of it.
import type { Selectable } from 'kysely';
import type {
  Announcement,
  Conversation,
  Department,
  Enterprise,
  Message,
  MessageBody,
  Quote,
  Reaction,
  SystemNotice,
  User,
} from '../../shared/protocol';
import type {
  ConversationRow,
  DepartmentRow,
  EnterpriseRow,
  GroupAnnouncementRow,
  MemberRow,
  MessageRow,
  UserRow,
} from '../store/schema';
import type { Reader } from './context';

export function enterpriseView(
  row: Pick<Selectable<EnterpriseRow>, 'id' | 'name' | 'created_at' | 'group_max_members'>,
): Enterprise {
  return {
    id: row.id,
    name: row.name,
    createdAt: Number(row.created_at),
    groupMaxMembers: row.group_max_members,
  };
}

/** `departmentIds` in the member's own order (user_departments.position); the first is the main one. */
export function userView(row: UserRow, departmentIds: string[]): User {
  return {
    id: row.id,
    account: row.account,
    name: row.name,
    pinyin: row.pinyin,
    initials: row.initials,
    alias: row.alias,
    title: row.title,
    departmentIds,
    gender: row.gender,
    mobile: row.mobile,
    phone: row.phone,
    email: row.email,
    address: row.address,
    managerId: row.manager_id,
    status: row.status,
    hidden: !!row.hidden,
    activated: !!row.activated,
    role: row.role,
    createdAt: Number(row.created_at),
  };
}

export function departmentView(row: DepartmentRow, headIds: string[]): Department {
  return {
    id: row.id,
    parentId: row.parent_id,
    name: row.name,
    order: row.sort_order,
    headIds,
    hidden: !!row.hidden,
    depth: row.depth,
  };
}

// Chunks keep every `in (…)` list under SQLite's bound-parameter limit.
const CHUNK = 500;

/** Departments of many users at once, each list in the member's own order. */
export async function loadDepartmentIds(db: Reader, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const id of userIds) out.set(id, []);
  for (let i = 0; i < userIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('user_departments')
      .select(['user_id', 'department_id'])
      .where('user_id', 'in', userIds.slice(i, i + CHUNK))
      .orderBy('user_id')
      .orderBy('position')
      .orderBy('department_id')
      .execute();
    for (const r of rows) out.get(r.user_id)?.push(r.department_id);
  }
  return out;
}

/** Heads of many departments at once, in their order. */
export async function loadHeadIds(db: Reader, departmentIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const id of departmentIds) out.set(id, []);
  for (let i = 0; i < departmentIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('department_heads')
      .select(['department_id', 'user_id'])
      .where('department_id', 'in', departmentIds.slice(i, i + CHUNK))
      .orderBy('department_id')
      .orderBy('position')
      .execute();
    for (const r of rows) out.get(r.department_id)?.push(r.user_id);
  }
  return out;
}

/** Wire users for rows already loaded (departments fetched in batches). */
export async function usersView(db: Reader, rows: readonly UserRow[]): Promise<User[]> {
  const departments = await loadDepartmentIds(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => userView(r, departments.get(r.id) ?? []));
}

/** Users by id (unknown ids are skipped), in no particular order. */
export async function loadUserRows(db: Reader, ids: readonly string[]): Promise<UserRow[]> {
  const unique = [...new Set(ids)];
  const out: UserRow[] = [];
  for (let i = 0; i < unique.length; i += CHUNK) {
    out.push(
      ...(await db
        .selectFrom('users')
        .selectAll()
        .where('id', 'in', unique.slice(i, i + CHUNK))
        .execute()),
    );
  }
  return out;
}

export async function loadUser(db: Reader, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await usersView(db, [row]))[0] : undefined;
}

/** What a message's wire view adds to its row: reactions (message_reactions) and the reader's own 删除. */
export interface MessageExtras {
  reactions?: Reaction[];
  hidden?: boolean;
}

export function messageView(row: MessageRow, extras: MessageExtras = {}): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    senderId: row.sender_id,
    kind: row.kind,
    text: row.text,
    system: row.system ? (JSON.parse(row.system) as SystemNotice) : null,
    body: row.body ? (JSON.parse(row.body) as MessageBody) : null,
    quote: row.quote ? (JSON.parse(row.quote) as Quote) : null,
    mentions: row.mentions ? (JSON.parse(row.mentions) as string[]) : [],
    mentionAll: !!row.mention_all,
    forwarded: !!row.forwarded,
    reactions: extras.reactions ?? [],
    recalledAt: row.recalled_at == null ? null : Number(row.recalled_at),
    rev: Number(row.rev ?? 0),
    hidden: extras.hidden ?? false,
    createdAt: Number(row.created_at),
  };
}

/** Rows as read from the store (generated columns filled in). */
export type StoredConversation = Selectable<ConversationRow>;
export type StoredMember = Selectable<MemberRow>;
/** A conversation row with its current announcement (null when it never had one). */
export type LoadedConversation = StoredConversation & { announcement: GroupAnnouncementRow | null };

/** `members` are all member rows of the conversation (active and former). */
export function conversationView(conv: LoadedConversation, members: StoredMember[], userId: string): Conversation {
  return conversationViews(conv, members, [userId])[0]!;
}

/** What differs from one user's view of a conversation to the next. */
export const OWN_CONVERSATION_KEYS = [
  'lastSeq',
  'lastActivityAt',
  'readSeq',
  'pinned',
  'muted',
  'tags',
  'active',
] as const satisfies readonly (keyof Conversation)[];
export type OwnConversationKey = (typeof OWN_CONVERSATION_KEYS)[number];
/** The part of a conversation's view every user shares: members, admins, announcement, settings. */
export type SharedConversationView = Omit<Conversation, OwnConversationKey>;
/** A user's own part: their read position and prefs, and where a former member's view stops. */
export type OwnConversationView = Pick<Conversation, OwnConversationKey>;

/**
 * Several users' views of one conversation. The shared part (members, admins, announcement) is
 * built once: a big group's change reaches thousands of members.
 */
export function conversationViews(
  conv: LoadedConversation,
  members: StoredMember[],
  userIds: string[],
): Conversation[] {
  const shared = sharedConversationView(conv, members);
  const byUser = new Map(members.map((m) => [m.user_id, m]));
  return userIds.map((userId) => ({ ...shared, ...ownConversationView(conv, byUser.get(userId)) }));
}

export function sharedConversationView(conv: LoadedConversation, members: StoredMember[]): SharedConversationView {
  const ordered = orderedActive(members);
  return {
    id: conv.id,
    type: conv.type,
    name: conv.name,
    ownerId: conv.owner_id,
    adminIds: ordered.filter((m) => m.admin && m.user_id !== conv.owner_id).map((m) => m.user_id),
    memberIds: ordered.map((m) => m.user_id),
    createdAt: conv.created_at,
    lastRev: Number(conv.last_rev),
    announcement: announcementView(conv.announcement),
    welcome: conv.welcome,
    muteAll: !!conv.mute_all,
    managersOnly: !!conv.managers_only,
    dissolved: !!conv.dissolved,
  };
}

/** `me` is the user's member row, active or former (undefined for someone never in it). */
export function ownConversationView(conv: StoredConversation, me: StoredMember | undefined): OwnConversationView {
  const active = !!me?.active;
  // A former member's view stops where they left: they never learn of later messages.
  const lastSeq = active || !me ? conv.last_seq : Math.min(me.left_seq ?? 0, conv.last_seq);
  return {
    lastSeq,
    lastActivityAt: active || !me ? conv.last_activity_at : (me.left_at ?? conv.last_activity_at),
    readSeq: Math.min(me?.read_seq ?? 0, lastSeq),
    pinned: !!me?.pinned,
    muted: !!me?.muted,
    tags: me ? (JSON.parse(me.tags) as string[]) : [],
    active,
  };
}

/** One version of a group announcement; a cleared one ('') is no announcement. */
export function announcementView(row: GroupAnnouncementRow | null): Announcement | null {
  if (!row || row.text === '') return null;
  return { text: row.text, authorId: row.author_id, updatedAt: Number(row.created_at), version: row.version };
}

/** Active members, longest-standing first (the order ownership passes in). */
export function orderedActive<M extends StoredMember>(members: M[]): M[] {
  return members
    .filter((m) => m.active)
    .sort((a, b) => a.joined_seq - b.joined_seq || a.join_position - b.join_position);
}

export async function loadConversation(
  db: Reader,
  id: string,
): Promise<{ conv: LoadedConversation | undefined; members: StoredMember[] }> {
  const row = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return { conv: undefined, members: [] };
  const members = await db.selectFrom('members').selectAll().where('conversation_id', '=', id).execute();
  const announcement = row.announcement_version
    ? ((await db
        .selectFrom('group_announcements')
        .selectAll()
        .where('conversation_id', '=', id)
        .where('version', '=', row.announcement_version)
        .executeTakeFirst()) ?? null)
    : null;
  return { conv: { ...row, announcement }, members };
}

/** The current announcement of each conversation that has one, by conversation id. */
async function loadCurrentAnnouncements(db: Reader, convs: StoredConversation[]) {
  const out = new Map<string, GroupAnnouncementRow>();
  const ids = convs.filter((c) => c.announcement_version > 0).map((c) => c.id);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('group_announcements')
      .innerJoin('conversations', (join) =>
        join
          .onRef('conversations.id', '=', 'group_announcements.conversation_id')
          .onRef('conversations.announcement_version', '=', 'group_announcements.version'),
      )
      .selectAll('group_announcements')
      .where('group_announcements.conversation_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.set(r.conversation_id, r);
  }
  return out;
}

/** Every conversation the user is or was in, as that user sees it. */
export async function loadConversationsOf(db: Reader, userId: string): Promise<Conversation[]> {
  const convs = await db
    .selectFrom('conversations')
    .innerJoin('members', 'members.conversation_id', 'conversations.id')
    .selectAll('conversations')
    .where('members.user_id', '=', userId)
    .execute();
  if (convs.length === 0) return [];
  const byConv = new Map<string, StoredMember[]>();
  const ids = convs.map((c) => c.id);
  // Chunked so a user in thousands of groups stays under SQLite's bound-parameter limit.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('members')
      .selectAll()
      .where('conversation_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) {
      const list = byConv.get(row.conversation_id) ?? [];
      list.push(row);
      byConv.set(row.conversation_id, list);
    }
  }
  const announcements = await loadCurrentAnnouncements(db, convs);
  return convs.map((c) =>
    conversationView({ ...c, announcement: announcements.get(c.id) ?? null }, byConv.get(c.id) ?? [], userId),
  );
}
