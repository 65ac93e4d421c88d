// Row → wire entity conversions. A Conversation is always one user's view of it.
import type { Conversation, Message, SystemNotice, User } from '../../shared/protocol';
import type { ConversationRow, MemberRow, MessageRow, UserRow } from '../store/schema';
import type { Reader } from './context';

export function userView(row: UserRow): User {
  return {
    id: row.id,
    account: row.account,
    name: row.name,
    mobile: row.mobile,
    email: row.email,
    role: row.role,
    createdAt: row.created_at,
  };
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
