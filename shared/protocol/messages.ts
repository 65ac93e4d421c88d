// The wire protocol between a desktop core and the relay: one table of requests
// (client -> relay, answered by a `result` frame with the same id) and one of events
// (relay -> client, no id). Both ends validate every frame against these schemas.
import { z } from 'zod';
import {
  Change,
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

// 2: `sync.changes {after: 0}` is no longer a snapshot (see `sync.snapshot`); a version-1
// client would silently build an incomplete cache, so it is refused at hello instead.
export const PROTOCOL_VERSION = 2;
/** Largest frame either side accepts; the relay closes the socket (1009) beyond it. */
export const MAX_FRAME_BYTES = 64 * 1024;
export const HEARTBEAT_MS = 30_000;

const Text = z.string().trim().min(1).max(Limits.textMaxChars);
const Name = z.string().trim().min(1).max(Limits.nameMaxChars);
const Seq = z.number().int().nonnegative();

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
   * One page of everything the user may see, for a fresh cache. Users come in id order after
   * `afterUserId` (null = first page); the enterprise and the caller's conversations (inactive
   * ones included) come on the first page only. `cursor` is the change-stream position the page
   * is consistent with: after the last page the client pulls `sync.changes` from the cursor of
   * its FIRST page, which replays whatever changed while it was paging.
   */
  'sync.snapshot': {
    params: z.object({
      afterUserId: Id.nullable(),
      limit: z.number().int().min(1).max(Limits.snapshotMaxUsers).default(500),
    }),
    result: z.object({
      cursor: Seq,
      enterprise: Enterprise.nullable(),
      conversations: z.array(Conversation),
      users: z.array(User),
      nextUserId: Id.nullable(),
    }),
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
