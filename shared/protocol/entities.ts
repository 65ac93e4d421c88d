// Entities as they travel on the wire (relay <-> desktop core) and across the contract
// (core <-> renderer). Times are UTC milliseconds from the relay's clock.
import { z } from 'zod';
import { MessageBody, MessageKind, MessagingLimits, Quote, Reaction } from './message-content';

export { MessageKind } from './message-content';

export const Id = z.uuid();
export type Id = z.infer<typeof Id>;

export const Millis = z.number().int().nonnegative();

// Fields people type, validated the same way on every boundary.
export const PersonName = z.string().trim().min(1).max(64);
export const AccountName = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/);
/**
 * A mainland mobile (11 digits starting with 1, optionally written +86…) or an international
 * number in E.164 form (+, country code, up to 15 digits).
 */
export const Mobile = z
  .string()
  .trim()
  .regex(
    /^(?:(?:\+86)?1[3-9][0-9]{9}|\+(?!86)[1-9][0-9]{6,14})$/,
    'a mobile is 11 digits (+86 optional) or +country code and number',
  );
export const NewPassword = z.string().min(8).max(128);
/** A password being checked (old ones may predate today's rules). */
export const GivenPassword = z.string().min(1).max(128);
/** An account name or a mobile number. */
export const Login = z.string().trim().min(1).max(64);

/** What an admin enters for a new member. */
export const NewMember = z.object({
  name: PersonName,
  account: AccountName,
  mobile: Mobile.optional(),
  email: z.email().optional(),
  password: NewPassword,
});

export const Role = z.enum(['admin', 'member']);
export type Role = z.infer<typeof Role>;

export const Gender = z.enum(['male', 'female', 'unspecified']);
export type Gender = z.infer<typeof Gender>;

/** 在职 / 已禁用 / 离职. Disabled and departed members cannot sign in; nobody is ever deleted. */
export const MemberStatus = z.enum(['active', 'disabled', 'left']);
export type MemberStatus = z.infer<typeof MemberStatus>;

/** The columns of WeCom's member template, validated the same way in forms, the API and imports. */
export const MemberFieldLimits = {
  name: 64,
  alias: 64,
  title: 64,
  phone: 32,
  email: 128,
  address: 128,
  departments: 20,
} as const;
export const Email = z.email().max(MemberFieldLimits.email);
/** 座机: digits with the usual separators and an optional extension (010-12345678-123). */
export const Landline = z
  .string()
  .trim()
  .max(MemberFieldLimits.phone)
  .regex(/^\+?[0-9][0-9 ()-]{2,30}$/);
const Optional = (max: number) => z.string().trim().max(max);

const MemberFieldShape = {
  name: PersonName,
  account: AccountName,
  alias: Optional(MemberFieldLimits.alias),
  title: Optional(MemberFieldLimits.title),
  departmentIds: z.array(z.uuid()).min(1).max(MemberFieldLimits.departments),
  gender: Gender,
  mobile: Mobile.nullable(),
  phone: Landline.nullable(),
  email: Email.nullable(),
  address: Optional(MemberFieldLimits.address),
  managerId: z.uuid().nullable(),
  status: MemberStatus,
  /** 隐藏成员: only admins (and the member) see them in the directory. */
  hidden: z.boolean(),
};

/** Everything an admin enters for a new member (the template's columns, departments by id). */
export const MemberFields = z.object({
  ...MemberFieldShape,
  alias: MemberFieldShape.alias.default(''),
  title: MemberFieldShape.title.default(''),
  gender: MemberFieldShape.gender.default('unspecified'),
  mobile: MemberFieldShape.mobile.default(null),
  phone: MemberFieldShape.phone.default(null),
  email: MemberFieldShape.email.default(null),
  address: MemberFieldShape.address.default(''),
  managerId: MemberFieldShape.managerId.default(null),
  status: MemberFieldShape.status.default('active'),
  hidden: MemberFieldShape.hidden.default(false),
});
export type MemberFields = z.infer<typeof MemberFields>;

/** An edit: only the fields present change. */
export const MemberPatch = z.object(MemberFieldShape).partial();
export type MemberPatch = z.infer<typeof MemberPatch>;

export const User = z.object({
  id: Id,
  account: z.string(),
  name: z.string(),
  /** Pinyin of the name without tones or spaces ("zhangsan"), the sort and search key. */
  pinyin: z.string(),
  /** First letters of the pinyin syllables ("zs"). */
  initials: z.string(),
  alias: z.string(),
  title: z.string(),
  departmentIds: z.array(Id),
  gender: Gender,
  mobile: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string(),
  managerId: Id.nullable(),
  status: MemberStatus,
  hidden: z.boolean(),
  /** False until the member set a password through an activation code. */
  activated: z.boolean(),
  role: Role,
  createdAt: Millis,
});
export type User = z.infer<typeof User>;

/** WeCom allows 15 levels below the enterprise; the root (the enterprise itself) is level 0. */
export const MAX_DEPARTMENT_DEPTH = 15;
export const DepartmentName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((v) => !v.includes('/'), 'a department name cannot contain "/" (it separates levels in paths)');

export const Department = z.object({
  id: Id,
  /** null for the root department, which is the enterprise itself. */
  parentId: Id.nullable(),
  name: z.string(),
  /** Position among its siblings (ascending). */
  order: z.number().int(),
  /** 负责人. */
  headIds: z.array(Id),
  /** Hidden departments (and everything under them) are seen only by admins and their own members. */
  hidden: z.boolean(),
  /** 0 for the root. */
  depth: z.number().int().nonnegative(),
});
export type Department = z.infer<typeof Department>;

/** What a department admin may do inside their departments. */
export const AdminRight = z.enum(['directory', 'apps', 'customers']);
export type AdminRight = z.infer<typeof AdminRight>;

/** A department admin: rights over the subtrees under `departmentIds`. Super admins have role 'admin'. */
export const AdminGrant = z.object({
  userId: Id,
  departmentIds: z.array(Id).min(1).max(100),
  rights: z.array(AdminRight).min(1),
});
export type AdminGrant = z.infer<typeof AdminGrant>;

/**
 * 通讯录查看权限: members of the `subjectDepartmentIds` subtrees see only the `visibleDepartmentIds`
 * subtrees (plus their own departments). Without a rule that applies, a member sees everyone
 * not hidden. Several rules that apply add up.
 */
export const VisibilityRule = z.object({
  id: Id,
  subjectDepartmentIds: z.array(Id).min(1).max(100),
  visibleDepartmentIds: z.array(Id).min(1).max(100),
});
export type VisibilityRule = z.infer<typeof VisibilityRule>;

/** One audit record: who did what to whom, when, and the values before and after. */
export const AuditRecord = z.object({
  id: z.number().int().positive(),
  at: Millis,
  actorId: Id.nullable(),
  action: z.string(),
  targetId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

export const Enterprise = z.object({
  id: Id,
  name: z.string(),
  createdAt: Millis,
  /** Member limit of new groups (500 by default; a super admin may raise it up to 2,000). */
  groupMaxMembers: z.number().int().positive().default(MessagingLimits.groupMaxMembersDefault),
});
export type Enterprise = z.infer<typeof Enterprise>;

/** System notices inside a chat ("张三 created the group"); the renderer localizes them. */
export const SystemNotice = z.object({
  action: z.enum([
    'created',
    'renamed',
    'added',
    'removed',
    'left',
    /** Ownership passed to targetIds[0]. */
    'transferred',
    /** The group admins are now targetIds. */
    'admins',
    /** The announcement changed (name = its new text, '' when cleared). */
    'announcement',
    /** 全员禁言 on / off. */
    'muteAll',
    'unmuteAll',
    /** The owner dissolved the group; nobody can send any more. */
    'dissolved',
    /** 入群欢迎语 for targetIds (name = the welcome text). */
    'welcome',
    /**
     * 日程: the actor invited targetIds to an event / changed its time or place / cancelled it
     * (name = the event's title; `event` says which and when). Posted in the direct chat.
     */
    'eventInvited',
    'eventChanged',
    'eventCancelled',
  ]),
  actorId: Id,
  targetIds: z.array(Id).default([]),
  name: z.string().nullable().default(null),
  event: z.object({ eventId: Id, start: Millis, allDay: z.boolean() }).optional(),
});
export type SystemNotice = z.infer<typeof SystemNotice>;

export const Message = z.object({
  /** Generated by the sending client (UUIDv7); the relay dedupes on (senderId, id). */
  id: Id,
  conversationId: Id,
  /** Position in the conversation, assigned by the relay in the storing transaction. */
  seq: z.number().int().positive(),
  senderId: Id,
  kind: MessageKind,
  /** The text, or for other kinds their plain-text summary (searchable); '' once recalled. */
  text: z.string(),
  system: SystemNotice.nullable(),
  /** Kind-specific payload (image, voice, card …); null for text and system, and once recalled. */
  body: MessageBody.nullable().default(null),
  quote: Quote.nullable().default(null),
  /** @mentioned members; `mentionAll` is @所有人 (owner and group admins only). */
  mentions: z.array(Id).default([]),
  mentionAll: z.boolean().default(false),
  /** Forwarded one by one from another chat (shown as 转发). */
  forwarded: z.boolean().default(false),
  reactions: z.array(Reaction).default([]),
  /** Set when the sender recalled it (撤回); text and body are gone for everyone. */
  recalledAt: Millis.nullable().default(null),
  /**
   * The conversation's revision at this message's last change (recall, reaction); 0 if never
   * changed. Clients pull `msg.updates` from the highest revision they hold, like seq gap fill.
   */
  rev: z.number().int().nonnegative().default(0),
  /** Deleted for the asking user only (删除): present only in that user's own reads. */
  hidden: z.boolean().default(false),
  createdAt: Millis,
});
export type Message = z.infer<typeof Message>;

export const ConversationType = z.enum(['direct', 'group']);
export type ConversationType = z.infer<typeof ConversationType>;

/** 群公告: its text, who wrote it and when; `version` counts edits (history via `group.announcements`). */
export const Announcement = z.object({
  text: z.string(),
  authorId: Id,
  updatedAt: Millis,
  version: z.number().int().positive(),
});
export type Announcement = z.infer<typeof Announcement>;

/** A tag one user gives their groups to sort them (per user, synced to their devices). */
export const ConversationTag = z.string().trim().min(1).max(MessagingLimits.tagMaxChars);

/** A conversation as one user sees it: shared fields plus that user's own state. */
export const Conversation = z.object({
  id: Id,
  type: ConversationType,
  /** Group name; null for direct chats (the peer's name is shown) and unnamed groups. */
  name: z.string().nullable(),
  ownerId: Id,
  /** Group admins (besides the owner). */
  adminIds: z.array(Id).default([]),
  memberIds: z.array(Id),
  createdAt: Millis,
  lastSeq: z.number().int().nonnegative(),
  /** Highest revision of any message (recalls, reactions); see Message.rev. */
  lastRev: z.number().int().nonnegative().default(0),
  lastActivityAt: Millis,
  announcement: Announcement.nullable().default(null),
  /** 入群欢迎语 ('' = none). */
  welcome: z.string().default(''),
  /** 全员禁言: only the owner and admins may send. */
  muteAll: z.boolean().default(false),
  /** Only the owner and admins may invite or rename. */
  managersOnly: z.boolean().default(false),
  dissolved: z.boolean().default(false),
  /** This user's own state. */
  readSeq: z.number().int().nonnegative(),
  pinned: z.boolean(),
  muted: z.boolean(),
  tags: z.array(ConversationTag).default([]),
  /** False once this user left or was removed: history stays readable, sending is refused. */
  active: z.boolean(),
});
export type Conversation = z.infer<typeof Conversation>;

/** 收藏: a copy of a message, kept even if the original is recalled or the chat is left. */
export const Favorite = z.object({
  id: Id,
  conversationId: Id,
  messageId: Id,
  senderId: Id,
  kind: MessageKind,
  text: z.string(),
  body: MessageBody.nullable(),
  /** When the original message was sent. */
  createdAt: Millis,
  savedAt: Millis,
});
export type Favorite = z.infer<typeof Favorite>;

export const ReadState = z.object({
  userId: Id,
  readSeq: z.number().int().nonnegative(),
});
export type ReadState = z.infer<typeof ReadState>;

export const Device = z.object({
  id: Id,
  name: z.string(),
  createdAt: Millis,
  lastSeenAt: Millis,
  current: z.boolean(),
});
export type Device = z.infer<typeof Device>;

/**
 * One entry of a user's change stream (non-message data). `cursor` grows monotonically;
 * the client stores the highest one it applied and asks for what follows.
 */
export const Change = z.discriminatedUnion('kind', [
  /**
   * The directory (users, departments) moved to `version`; pull `dir.sync` from your version.
   * A new `epoch` means who-sees-whom changed (visibility rules): drop the directory and pull it
   * again from version 0.
   */
  z.object({
    cursor: z.number().int().nonnegative(),
    kind: z.literal('directory'),
    version: z.number().int().nonnegative(),
    epoch: z.number().int().nonnegative(),
  }),
  z.object({ cursor: z.number().int().nonnegative(), kind: z.literal('enterprise'), enterprise: Enterprise }),
  z.object({
    cursor: z.number().int().nonnegative(),
    kind: z.literal('conversation'),
    conversation: Conversation,
  }),
  /** This user deleted these messages for themselves (删除) on one of their devices. */
  z.object({
    cursor: z.number().int().nonnegative(),
    kind: z.literal('hidden'),
    conversationId: Id,
    messageIds: z.array(Id),
  }),
  /** This user's favorites changed on one of their devices. */
  z.object({
    cursor: z.number().int().nonnegative(),
    kind: z.literal('favorites'),
    added: z.array(Favorite),
    removedIds: z.array(Id),
  }),
  /**
   * Events this user sees changed (created, moved, cancelled, answered) or their calendars did:
   * clients fetch the range they hold again (`cal.events`) and reschedule reminders.
   */
  z.object({
    cursor: z.number().int().nonnegative(),
    kind: z.literal('calendar'),
    eventIds: z.array(Id),
    calendarsChanged: z.boolean(),
  }),
]);
export type Change = z.infer<typeof Change>;

export const Limits = {
  textMaxChars: 10_000,
  nameMaxChars: 64,
  groupMaxMembers: MessagingLimits.groupMaxMembersCeiling,
  /** Directory rows per `dir.sync` / `dir.members` page. */
  directoryPageSize: 1000,
  searchMaxResults: 200,
  rangeMaxMessages: 500,
  changesPageSize: 500,
  snapshotMaxUsers: 1000,
} as const;
