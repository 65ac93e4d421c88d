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
} from './entities';

// 3: users left `sync.snapshot` and the `user` change; the directory syncs through `dir.sync`.
// 2: `sync.changes {after: 0}` is no longer a snapshot (see `sync.snapshot`); a version-1
// client would silently build an incomplete cache, so it is refused at hello instead.
export const PROTOCOL_VERSION = 3;
/** Largest frame either side accepts; the relay closes the socket (1009) beyond it. */
export const MAX_FRAME_BYTES = 64 * 1024;
export const HEARTBEAT_MS = 30_000;

const Text = z.string().trim().min(1).max(Limits.textMaxChars);
const Name = z.string().trim().min(1).max(Limits.nameMaxChars);
const Seq = z.number().int().nonnegative();
const PageSize = z.number().int().min(1).max(Limits.directoryPageSize).default(500);
/** Position in the directory's change order: rows come by (version, id). */
const DirCursor = z.object({ version: Seq, id: Id });

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
    result: z.object({ heads: z.array(z.object({ conversationId: Id, lastSeq: Seq })) }),
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
    params: z.object({ id: Id, conversationId: Id, text: Text }),
    result: z.object({ message: Message }),
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
    params: z.object({ conversationId: Id, pinned: z.boolean().optional(), muted: z.boolean().optional() }),
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
} as const;

export type RequestType = keyof typeof requests;
export type RequestParams<T extends RequestType> = z.input<(typeof requests)[T]['params']>;
export type RequestResult<T extends RequestType> = z.infer<(typeof requests)[T]['result']>;

export const events = {
  'msg.new': z.object({ message: Message }),
  /** A member's read position moved (for read receipts). */
  'msg.read': z.object({ conversationId: Id, userId: Id, readSeq: Seq }),
  /** A change-stream entry for this user; apply it if its cursor follows yours, else pull. */
  change: z.object({ change: Change }),
  /** This device's session ended (revoked, password changed, signed out elsewhere). */
  'session.revoked': z.object({ reason: z.string() }),
} as const;

export type EventType = keyof typeof events;
export type EventPayload<T extends EventType> = z.infer<(typeof events)[T]>;
