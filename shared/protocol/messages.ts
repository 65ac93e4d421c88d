// The wire protocol between a desktop core and the relay: one table of requests
// (client -> relay, answered by a `result` frame with the same id) and one of events
// (relay -> client, no id). Both ends validate every frame against these schemas.
import { z } from 'zod';
import {
  AdminGrant,
  AdminRight,
  AuditRecord,
  Change,
  Department,
  DepartmentName,
  MemberFields,
  MemberPatch,
  VisibilityRule,
  Conversation,
  ConversationType,
  Device,
  Enterprise,
  Id,
  Limits,
  GivenPassword,
  Message,
  Millis,
  NewMember,
  NewPassword,
  ReadState,
  User,
  Announcement,
  ConversationTag,
  Favorite,
} from './entities';
import { calendarRequests } from './calendar';
import { driveRequests } from './files';
import { MessageBody, MessageSearchFilters, MessagingLimits, SendableKind, type MessageKind } from './message-content';

// 6: the calendar's `cal.*` requests, the `calendar` change, calendar notices in chats.
// 5: messages of kind `file`; the drive's `drive.*` requests.
// 4: messages carry kinds, bodies, quotes, mentions, reactions and revisions (`msg.updates`);
// groups have admins and settings; `sync.heads` reports each conversation's lastRev.
// 3: users left `sync.snapshot` and the `user` change; the directory syncs through `dir.sync`.
// 2: `sync.changes {after: 0}` is no longer a snapshot (see `sync.snapshot`); a version-1
// client would silently build an incomplete cache, so it is refused at hello instead.
export const PROTOCOL_VERSION = 6;
/** Largest frame either side accepts; the relay closes the socket (1009) beyond it. */
export const MAX_FRAME_BYTES = 128 * 1024;
export const HEARTBEAT_MS = 30_000;

const Name = z.string().trim().min(1).max(Limits.nameMaxChars);
const Seq = z.number().int().nonnegative();
const PageSize = z.number().int().min(1).max(Limits.directoryPageSize).default(500);
/** Position in the directory's change order: rows come by (version, id). */
const DirCursor = z.object({ version: Seq, id: Id });

/**
 * What a person sends. A forward names its source instead of content: the relay copies the
 * message (one by one) or builds a 聊天记录 card (merged) from messages the caller can read.
 */
export const SendFields = z.object({
  conversationId: Id,
  kind: SendableKind.default('text'),
  /** The text (kind text) or the plain text of a rich message; '' for the other kinds. */
  text: z.string().trim().max(Limits.textMaxChars).default(''),
  body: MessageBody.nullable().default(null),
  /** 引用: a message of the same chat. */
  quoteId: Id.nullable().default(null),
  mentions: z.array(Id).max(MessagingLimits.mentionsMax).default([]),
  mentionAll: z.boolean().default(false),
  forward: z
    .object({
      conversationId: Id,
      messageIds: z.array(Id).min(1).max(MessagingLimits.forwardMax),
      merged: z.boolean(),
    })
    .nullable()
    .default(null),
});
export type SendFields = z.infer<typeof SendFields>;

/** Checks a send's fields fit together (see `sendShapeProblem`). */
export function checkedSend<T extends z.ZodType<z.infer<typeof SendFields>>>(schema: T) {
  return schema.superRefine((p, ctx) => {
    const problem = sendShapeProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}
/** The client makes the id (UUIDv7) and keeps the send in its outbox until the relay answers. */
export const SendParams = checkedSend(SendFields.extend({ id: Id }));
export type SendParams = z.infer<typeof SendParams>;

/** Why a send's fields do not fit together, or null. Shared so every boundary words it alike. */
export function sendShapeProblem(p: {
  kind: z.infer<typeof SendableKind>;
  text: string;
  body: MessageBody | null;
  forward: { messageIds: string[]; merged: boolean } | null;
}): string | null {
  if (p.forward) {
    if (p.kind !== 'text' || p.text !== '' || p.body)
      return 'a forward carries no content of its own: the relay copies it from the source';
    if (!p.forward.merged && p.forward.messageIds.length !== 1)
      return 'forwarding one by one sends one message per source message';
    return null;
  }
  const kind: MessageKind = p.kind;
  if (kind === 'text') return p.text.trim() ? (p.body ? 'a text message has no body' : null) : 'the text is empty';
  if (!p.body || p.body.kind !== kind) return `a ${kind} message needs a ${kind} body`;
  if (kind === 'history') return 'a chat history is made by forwarding messages (forward.merged)';
  return null;
}

/** A position in newest-first message search results. */
const SearchCursor = z.object({ createdAt: Millis, id: Id });

/** A one-time code a new member uses to set their password (shown to the admin once). */
export const Activation = z.object({ userId: Id, code: z.string(), expiresAt: Millis });
export type Activation = z.infer<typeof Activation>;

export const requests = {
  /** First frame on every socket. Nothing else is processed before it succeeds. */
  hello: {
    params: z.object({ protocolVersion: z.number().int(), token: z.string().min(1).max(200), deviceId: Id }),
    result: z.object({ user: User, deviceId: Id, serverTime: Millis }),
  },

  // --- sync ---
  /**
   * Change-stream entries with cursor > `after`, in cursor order. 0 is an ordinary cursor (the
   * start of the log), never a snapshot: a fresh client pages through `sync.snapshot` first and
   * pulls from the cursor of its first page, so it never depends on old entries being kept.
   */
  'sync.changes': {
    params: z.object({ after: Seq }),
    result: z.object({ changes: z.array(Change), cursor: Seq, hasMore: z.boolean() }),
  },
  /**
   * What a fresh cache starts from: the enterprise and the caller's conversations (inactive ones
   * included), and the change-stream cursor they are consistent with; the client pulls
   * `sync.changes` from that cursor. The directory comes separately, through `dir.sync`.
   */
  'sync.snapshot': {
    params: z.object({}),
    result: z.object({
      cursor: Seq,
      enterprise: Enterprise.nullable(),
      conversations: z.array(Conversation),
    }),
  },
  // --- directory (every answer holds only what the caller may see: DESIGN §4.5) ---
  /**
   * Directory rows changed after `after` (null = from the start), in (version, id) order: the
   * ones the caller may see come whole; the ones they may not see (any more), and deleted
   * departments, come as `removedIds`. `next` is where the following page starts (after the last
   * row this page examined); null when nothing changed after `after`: the caller is up to date
   * and keeps its cursor. A page may hold no rows and still have a `next` (keep pulling).
   */
  'dir.sync': {
    params: z.object({ kind: z.enum(['users', 'departments']), after: DirCursor.nullable(), limit: PageSize }),
    result: z.object({
      epoch: Seq,
      users: z.array(User),
      departments: z.array(Department),
      removedIds: z.array(Id),
      next: DirCursor.nullable(),
    }),
  },
  /** Profiles by id, for cards and chat names: people the caller may see or shares a chat with. */
  'dir.users': {
    params: z.object({ ids: z.array(Id).min(1).max(500) }),
    result: z.object({ users: z.array(User) }),
  },
  /** Name, pinyin (zhangsan), initials (zs), account, mobile or email; departments by name. */
  'dir.search': {
    params: z.object({
      query: z.string().trim().min(1).max(64),
      limit: z.number().int().min(1).max(Limits.searchMaxResults).default(50),
    }),
    result: z.object({ users: z.array(User), departments: z.array(Department) }),
  },
  /** Direct members of a department in pinyin order, a page at a time. */
  'dir.members': {
    params: z.object({
      departmentId: Id,
      after: z.object({ pinyin: z.string(), id: Id }).nullable().default(null),
      limit: PageSize,
    }),
    result: z.object({
      users: z.array(User),
      total: z.number().int().nonnegative(),
      next: z.object({ pinyin: z.string(), id: Id }).nullable(),
    }),
  },

  // --- administration (super admins, or department admins inside their subtrees) ---
  /** What the caller may administer (the console shows only that). */
  'admin.scope': {
    params: z.object({}),
    result: z.object({ superAdmin: z.boolean(), grant: AdminGrant.nullable() }),
  },
  'admin.dept.create': {
    params: z.object({ parentId: Id, name: DepartmentName, order: z.number().int().optional() }),
    result: z.object({ department: Department }),
  },
  /** Rename, move (with the whole subtree), reorder, set heads, hide. */
  'admin.dept.update': {
    params: z.object({
      id: Id,
      name: DepartmentName.optional(),
      parentId: Id.optional(),
      order: z.number().int().optional(),
      headIds: z.array(Id).max(20).optional(),
      hidden: z.boolean().optional(),
    }),
    result: z.object({ department: Department }),
  },
  /** Only an empty department (no members, no sub-departments) can be deleted. */
  'admin.dept.delete': {
    params: z.object({ id: Id }),
    result: z.object({}),
  },
  /** A new member gets no password: they activate with the returned one-time code. */
  'admin.member.create': {
    params: MemberFields,
    result: z.object({ user: User, activation: Activation }),
  },
  'admin.member.update': {
    params: z.object({ id: Id, patch: MemberPatch }),
    result: z.object({ user: User }),
  },
  /** A fresh activation code (the previous one stops working); only for members not yet activated. */
  'admin.member.activation': {
    params: z.object({ userId: Id }),
    result: z.object({ activation: Activation }),
  },
  'admin.roles.get': {
    params: z.object({}),
    result: z.object({ superAdminIds: z.array(Id), grants: z.array(AdminGrant) }),
  },
  /** Super admins only. The last super admin cannot be demoted. */
  'admin.roles.set': {
    params: z.discriminatedUnion('role', [
      z.object({ userId: Id, role: z.literal('super') }),
      z.object({
        userId: Id,
        role: z.literal('department'),
        departmentIds: z.array(Id).min(1).max(100),
        rights: z.array(AdminRight).min(1),
      }),
      z.object({ userId: Id, role: z.literal('none') }),
    ]),
    result: z.object({}),
  },
  'admin.visibility.get': {
    params: z.object({}),
    result: z.object({ rules: z.array(VisibilityRule) }),
  },
  /** Replaces every rule (super admins only); clients re-read the directory afterwards. */
  'admin.visibility.set': {
    params: z.object({ rules: z.array(VisibilityRule).max(200) }),
    result: z.object({ rules: z.array(VisibilityRule) }),
  },
  /** Newest first. Department admins see the records of their own actions only. */
  'admin.audit': {
    params: z.object({
      actorId: Id.optional(),
      action: z.string().max(64).optional(),
      targetId: z.string().max(64).optional(),
      from: Millis.optional(),
      to: Millis.optional(),
      beforeId: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    result: z.object({ records: z.array(AuditRecord), nextBeforeId: z.number().int().positive().nullable() }),
  },
  /** Highest seq of every conversation the user belongs to (or belonged to). */
  'sync.heads': {
    params: z.object({}),
    result: z.object({ heads: z.array(z.object({ conversationId: Id, lastSeq: Seq, lastRev: Seq })) }),
  },
  /**
   * Messages changed (recalled, reacted to) after revision `afterRev`, in revision order: the
   * other half of gap fill. `lastRev` is the highest revision the caller may read.
   */
  'msg.updates': {
    params: z.object({
      conversationId: Id,
      afterRev: Seq,
      limit: z.number().int().min(1).max(Limits.rangeMaxMessages).default(200),
    }),
    result: z.object({ messages: z.array(Message), lastRev: Seq }),
  },
  /** Messages with seq > afterSeq in ascending order (gap fill, history). */
  'msg.range': {
    params: z.object({
      conversationId: Id,
      afterSeq: Seq,
      limit: z.number().int().min(1).max(Limits.rangeMaxMessages).default(200),
    }),
    result: z.object({ messages: z.array(Message), lastSeq: Seq }),
  },

  // --- messaging ---
  'msg.send': {
    params: SendParams,
    result: z.object({ message: Message }),
  },
  /** 撤回: the sender, within 24 hours. Everyone gets `msg.updated` with text and body gone. */
  'msg.recall': {
    params: z.object({ conversationId: Id, messageId: Id }),
    result: z.object({ message: Message }),
  },
  /** Adds (on) or takes back (off) the caller's reaction; idempotent. */
  'msg.react': {
    params: z.object({ conversationId: Id, messageId: Id, emoji: z.string().min(1).max(16), on: z.boolean() }),
    result: z.object({ message: Message }),
  },
  /** 删除 for the caller only (their other devices get a `hidden` change). */
  'msg.hide': {
    params: z.object({ conversationId: Id, messageIds: z.array(Id).min(1).max(MessagingLimits.forwardMax) }),
    result: z.object({}),
  },
  /**
   * Messages containing `query` (case-insensitive substring, any script; CJK-aware index), in
   * chats the caller can read, newest first. Recalled and hidden messages are not found.
   */
  'msg.search': {
    params: MessageSearchFilters.extend({
      query: z.string().trim().min(1).max(64),
      before: SearchCursor.nullable().default(null),
      limit: z.number().int().min(1).max(MessagingLimits.searchPageSize).default(MessagingLimits.searchPageSize),
    }),
    result: z.object({ messages: z.array(Message), next: SearchCursor.nullable() }),
  },

  // --- favorites (收藏) ---
  /** Copies of messages the caller can read; favoriting one again returns the existing copy. */
  'fav.add': {
    params: z.object({ conversationId: Id, messageIds: z.array(Id).min(1).max(MessagingLimits.forwardMax) }),
    result: z.object({ favorites: z.array(Favorite) }),
  },
  /** Newest saved first. */
  'fav.list': {
    params: z.object({
      before: z.object({ savedAt: Millis, id: Id }).nullable().default(null),
      limit: z.number().int().min(1).max(MessagingLimits.favoritesPageSize).default(MessagingLimits.favoritesPageSize),
    }),
    result: z.object({ favorites: z.array(Favorite), next: z.object({ savedAt: Millis, id: Id }).nullable() }),
  },
  'fav.remove': {
    params: z.object({ ids: z.array(Id).min(1).max(MessagingLimits.favoritesPageSize) }),
    result: z.object({}),
  },

  // --- group management (owner and group admins; every rule checked here) ---
  /** Owner only: the group admins (replaces the list). */
  'group.setAdmins': {
    params: z.object({ conversationId: Id, userIds: z.array(Id).max(MessagingLimits.groupAdminsMax) }),
    result: z.object({ conversation: Conversation }),
  },
  /** Owner only: hands the group to another member (the old owner stays as a member). */
  'group.transfer': {
    params: z.object({ conversationId: Id, userId: Id }),
    result: z.object({ conversation: Conversation }),
  },
  /** Owner only: ends the group for everyone; history stays readable. */
  'group.dissolve': {
    params: z.object({ conversationId: Id }),
    result: z.object({ conversation: Conversation }),
  },
  /** Owner and admins: 群公告 ('' clears it). Every version is kept. */
  'group.setAnnouncement': {
    params: z.object({ conversationId: Id, text: z.string().trim().max(MessagingLimits.announcementMaxChars) }),
    result: z.object({ conversation: Conversation }),
  },
  /** Every version of the announcement, newest first (members only). */
  'group.announcements': {
    params: z.object({ conversationId: Id }),
    result: z.object({ announcements: z.array(Announcement) }),
  },
  /** Owner and admins: 全员禁言, who may invite and rename, 入群欢迎语. */
  'group.setSettings': {
    params: z.object({
      conversationId: Id,
      muteAll: z.boolean().optional(),
      managersOnly: z.boolean().optional(),
      welcome: z.string().trim().max(MessagingLimits.welcomeMaxChars).optional(),
    }),
    result: z.object({ conversation: Conversation }),
  },
  /** Super admins: enterprise-wide settings (the group member limit, 500 up to 2,000). */
  'admin.enterprise.update': {
    params: z.object({
      groupMaxMembers: z
        .number()
        .int()
        .min(MessagingLimits.groupMaxMembersDefault)
        .max(MessagingLimits.groupMaxMembersCeiling)
        .optional(),
    }),
    result: z.object({ enterprise: Enterprise }),
  },
  /** Marks everything up to `seq` as read by the caller (never moves backwards). */
  'msg.read': {
    params: z.object({ conversationId: Id, seq: Seq }),
    result: z.object({ readSeq: Seq }),
  },
  'conv.readStates': {
    params: z.object({ conversationId: Id }),
    result: z.object({ states: z.array(ReadState) }),
  },

  // --- conversations ---
  /** Direct chats are unique per pair: creating one again returns the existing one. */
  'conv.create': {
    params: z.object({
      type: ConversationType,
      memberIds: z.array(Id).min(1).max(Limits.groupMaxMembers),
      name: Name.optional(),
    }),
    result: z.object({ conversation: Conversation }),
  },
  'conv.rename': {
    params: z.object({ conversationId: Id, name: Name }),
    result: z.object({ conversation: Conversation }),
  },
  'conv.addMembers': {
    params: z.object({ conversationId: Id, userIds: z.array(Id).min(1).max(Limits.groupMaxMembers) }),
    result: z.object({ conversation: Conversation }),
  },
  /** Owner only; the owner cannot remove themselves (they leave instead). */
  'conv.removeMember': {
    params: z.object({ conversationId: Id, userId: Id }),
    result: z.object({ conversation: Conversation }),
  },
  /** Leaving a group; an owner who leaves hands ownership to the longest-standing member. */
  'conv.leave': {
    params: z.object({ conversationId: Id }),
    result: z.object({ conversation: Conversation }),
  },
  /** Per-user preferences, synced to the user's other devices through the change stream. */
  'conv.setPrefs': {
    params: z.object({
      conversationId: Id,
      pinned: z.boolean().optional(),
      muted: z.boolean().optional(),
      tags: z.array(ConversationTag).max(MessagingLimits.tagsPerConversation).optional(),
    }),
    result: z.object({ conversation: Conversation }),
  },

  // --- directory and accounts ---
  /** Admin only. */
  'admin.addMember': {
    params: NewMember,
    result: z.object({ user: User }),
  },
  'auth.devices': {
    params: z.object({}),
    result: z.object({ devices: z.array(Device) }),
  },
  /** Revokes a device's session; its sockets are closed at once. */
  'auth.revoke': {
    params: z.object({ deviceId: Id }),
    result: z.object({}),
  },
  'auth.signOut': {
    params: z.object({}),
    result: z.object({}),
  },
  /** Changing the password revokes every other device of the user. */
  'auth.changePassword': {
    params: z.object({ oldPassword: GivenPassword, newPassword: NewPassword }),
    result: z.object({}),
  },

  // --- the drive (微盘); see files.ts ---
  ...driveRequests,

  // --- the calendar (日程); see calendar.ts ---
  ...calendarRequests,
} as const;

export type RequestType = keyof typeof requests;
export type RequestParams<T extends RequestType> = z.input<(typeof requests)[T]['params']>;
export type RequestResult<T extends RequestType> = z.infer<(typeof requests)[T]['result']>;

export const events = {
  'msg.new': z.object({ message: Message }),
  /** A message changed (recalled, reactions); its `rev` follows the conversation's revisions. */
  'msg.updated': z.object({ message: Message }),
  /** A member's read position moved (for read receipts). */
  'msg.read': z.object({ conversationId: Id, userId: Id, readSeq: Seq }),
  /** A change-stream entry for this user; apply it if its cursor follows yours, else pull. */
  change: z.object({ change: Change }),
  /** This device's session ended (revoked, password changed, signed out elsewhere). */
  'session.revoked': z.object({ reason: z.string() }),
} as const;

export type EventType = keyof typeof events;
export type EventPayload<T extends EventType> = z.infer<(typeof events)[T]>;
