// Row → wire entity conversions. A Conversation is always one user's view of it.
import type { Conversation, Department, Message, SystemNotice, User } from '../../shared/protocol';
import type { ConversationRow, DepartmentRow, MemberRow, MessageRow, UserRow } from '../store/schema';
import type { Reader } from './context';

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

export function messageView(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    kind: row.kind,
    text: row.text,
    system: row.system ? (JSON.parse(row.system) as SystemNotice) : null,
    createdAt: row.created_at,
  };
}

/** `members` are all member rows of the conversation (active and former). */
export function conversationView(conv: ConversationRow, members: MemberRow[], userId: string): Conversation {
  const me = members.find((m) => m.user_id === userId);
  const active = !!me?.active;
  const lastSeq = active || !me ? conv.last_seq : Math.min(me.left_seq ?? 0, conv.last_seq);
  return {
    id: conv.id,
    type: conv.type,
    name: conv.name,
    ownerId: conv.owner_id,
    memberIds: orderedActive(members).map((m) => m.user_id),
    createdAt: conv.created_at,
    lastSeq,
    lastActivityAt: active || !me ? conv.last_activity_at : (me.left_at ?? conv.last_activity_at),
    readSeq: Math.min(me?.read_seq ?? 0, lastSeq),
    pinned: !!me?.pinned,
    muted: !!me?.muted,
    active,
  };
}

/** Active members, longest-standing first (the order ownership passes in). */
export function orderedActive(members: MemberRow[]): MemberRow[] {
  return members
    .filter((m) => m.active)
    .sort((a, b) => a.joined_seq - b.joined_seq || a.join_position - b.join_position);
}

export async function loadConversation(db: Reader, id: string) {
  const conv = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!conv) return { conv: undefined, members: [] as MemberRow[] };
  const members = await db.selectFrom('members').selectAll().where('conversation_id', '=', id).execute();
  return { conv, members };
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
  const byConv = new Map<string, MemberRow[]>();
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
  return convs.map((c) => conversationView(c, byConv.get(c.id) ?? [], userId));
}
