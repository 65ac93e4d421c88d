// The renderer <-> desktop-core contract: every call the renderer can make and every
// event it can receive. The preload bridge, the ipcMain handlers and the browser-mode
// bridge are all derived from these two tables; nobody writes a channel name by hand.
import { z } from 'zod';
import { ErrorBody } from '../protocol/errors';
import {
  AccountName,
  Conversation,
  GivenPassword,
  Login,
  NewMember,
  NewPassword,
  PersonName,
  Device,
  Enterprise,
  Id,
  Limits,
  MessageKind,
  Millis,
  ReadState,
  SystemNotice,
  User,
} from '../protocol/entities';
import { Department } from '../protocol/entities';
import { ImportJob, ImportMode, MAX_IMPORT_BYTES } from '../protocol/directory-io';
import { ActivateBody } from '../protocol/http';
import { checkedSend, requests, SendFields } from '../protocol/messages';
import { Favorite } from '../protocol/entities';
import {
  MediaLimits,
  MessageBody,
  MessageSearchFilters,
  MessagingLimits,
  Quote,
  Reaction,
} from '../protocol/message-content';
import { MediaUpload, MediaUploadKind } from '../protocol/http';
import { DriveNode, FileLimitsView } from '../protocol/files';
import { ImportReport } from '../protocol/calendar';

/** A reminder of one occurrence, as the core schedules and fires it (also when the window is closed). */
export const Reminder = z.object({
  /** eventId, occurrence start and lead, joined: one id per reminder of one occurrence. */
  id: z.string(),
  eventId: Id,
  title: z.string(),
  location: z.string(),
  start: Millis,
  end: Millis,
  allDay: z.boolean(),
  /** When it fires (the start minus its lead, or a snooze). */
  fireAt: Millis,
  /** It came due while the app was not running (shown at the next start). */
  missed: z.boolean(),
});
export type Reminder = z.infer<typeof Reminder>;

/**
 * A file the renderer hands to the core: a path on this computer (Electron: dropped or picked
 * files, via webUtils.getPathForFile) or, in browser mode, a file the renderer first streamed to
 * the core's stage URL (`files.stageUrl`), which answered with its id.
 */
export const FileSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('path'), path: z.string().min(1).max(4096) }),
  z.object({ type: z.literal('staged'), stagedId: Id }),
]);
export type FileSource = z.infer<typeof FileSource>;

export const TransferState = z.enum(['hashing', 'queued', 'running', 'paused', 'done', 'failed', 'cancelled']);
export type TransferState = z.infer<typeof TransferState>;

/** An upload or download of this desktop. Kept in the cache: it survives restarts and resumes. */
export const Transfer = z.object({
  id: Id,
  direction: z.enum(['upload', 'download']),
  name: z.string(),
  size: z.number().int().nonnegative(),
  /** Bytes the other side holds (upload) or written and checked locally (download). */
  done: z.number().int().nonnegative(),
  /** Recent speed; 0 when not running. */
  bytesPerSec: z.number().nonnegative(),
  state: TransferState,
  /** failed: why (retried automatically before it gets here; `files.retry` starts again). */
  error: ErrorBody.nullable(),
  /** Chat: the file's conversation and message (an upload's message is sent when the bytes are in). */
  conversationId: Id.nullable(),
  messageId: Id.nullable(),
  /** The chat file (media id) or drive item the bytes belong to. */
  mediaId: Id.nullable(),
  nodeId: Id.nullable(),
  /** Uploads to the drive: the target folder. */
  folderId: Id.nullable(),
  /** Downloads: the finished file on this computer (null until done). */
  localPath: z.string().nullable(),
  /** 秒传: the relay already held the bytes, nothing was sent. */
  instant: z.boolean(),
  createdAt: Millis,
  updatedAt: Millis,
});
export type Transfer = z.infer<typeof Transfer>;
const TransferRef = z.object({ transferId: Id });

export const Language = z.enum(['zh-CN', 'en-US']);
export type Language = z.infer<typeof Language>;

/** 勿扰: no desktop notifications between `start` and `end` (local time, may wrap past midnight). */
export const DoNotDisturb = z.object({
  enabled: z.boolean(),
  start: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/),
  end: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/),
});
/** Notification choices of this desktop (kept in desktop settings, not on the relay). */
export const NotificationSettings = z.object({
  enabled: z.boolean(),
  /** false: notifications say only "新消息", never who sent what. */
  showPreview: z.boolean(),
  dnd: DoNotDisturb,
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;
export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  enabled: true,
  showPreview: true,
  dnd: { enabled: false, start: '22:00', end: '08:00' },
};

/** Where downloads go and how fast uploads may go (this desktop's choices). */
export const FileSettings = z.object({
  /** null: the system's Downloads folder, sub-folder Qixin. */
  downloadDir: z.string().max(4096).nullable(),
  /** Bytes per second for all uploads together; null: no limit. */
  maxUploadBytesPerSec: z
    .number()
    .int()
    .min(16 * 1024)
    .nullable(),
});
export type FileSettings = z.infer<typeof FileSettings>;
export const DEFAULT_FILE_SETTINGS: FileSettings = { downloadDir: null, maxUploadBytesPerSec: null };

export const Settings = z.object({
  language: Language,
  notifications: NotificationSettings,
  files: FileSettings.default(DEFAULT_FILE_SETTINGS),
});
export type Settings = z.infer<typeof Settings>;

export const SessionState = z.enum(['needs-setup', 'signed-out', 'signed-in', 'relay-unreachable']);

export const SessionInfo = z.object({
  state: SessionState,
  user: User.nullable(),
  enterprise: Enterprise.nullable(),
  deviceId: Id.nullable(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const ConnectionState = z.enum(['connecting', 'online', 'offline']);
export type ConnectionState = z.infer<typeof ConnectionState>;

/** A message as the desktop shows it: acknowledged ones have a seq, queued ones don't yet. */
export const ChatMessage = z.object({
  id: Id,
  conversationId: Id,
  seq: z.number().int().positive().nullable(),
  senderId: Id,
  kind: MessageKind,
  text: z.string(),
  system: SystemNotice.nullable(),
  body: MessageBody.nullable(),
  quote: Quote.nullable(),
  mentions: z.array(Id),
  mentionAll: z.boolean(),
  forwarded: z.boolean(),
  reactions: z.array(Reaction),
  recalledAt: Millis.nullable(),
  /** The sender's own recalled text, kept on their device so they can edit and send it again. */
  recalledText: z.string().nullable(),
  createdAt: Millis,
  /** failed: the relay refused it for good (the reason is in `error`); it stays until removed. */
  status: z.enum(['sent', 'sending', 'failed']),
  error: ErrorBody.nullable(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ConversationItem = Conversation.extend({
  unread: z.number().int().nonnegative(),
  lastMessage: ChatMessage.nullable(),
  /** [有人@我]: an unread message @mentions this user (or @所有人). */
  mentionedMe: z.boolean(),
});
export type ConversationItem = z.infer<typeof ConversationItem>;

const Empty = z.object({});

function call<A extends z.ZodType, R extends z.ZodType>(args: A, result: R) {
  return { args, result };
}

/** Admin calls go to the relay as they are: same arguments, same result (online only). */
function relayed<T extends keyof typeof requests>(
  type: T,
): { args: (typeof requests)[T]['params']; result: (typeof requests)[T]['result'] } {
  // Annotated: inferred, `requests[type]` widens to every request's schemas at once.
  return { args: requests[type].params, result: requests[type].result };
}

/** A file handed across the contract (imports, reports): base64 of its bytes. */
const FileData = z.object({
  fileName: z.string().min(1).max(255),
  base64: z.string().max(Math.ceil(MAX_IMPORT_BYTES / 3) * 4),
});

export const calls = {
  'app.info': call(
    Empty,
    z.object({ version: z.string(), mode: z.enum(['electron', 'browser']), relayUrl: z.string() }),
  ),
  /** The relay link's state now; later changes arrive as `connection` events. */
  'app.connection': call(Empty, z.object({ state: ConnectionState, retryAt: Millis.nullable() })),
  'settings.get': call(Empty, Settings),
  'settings.set': call(Settings.partial(), Settings),

  'session.status': call(Empty, SessionInfo),
  'session.createEnterprise': call(
    z.object({
      enterpriseName: PersonName,
      adminName: PersonName,
      account: AccountName,
      password: NewPassword,
    }),
    SessionInfo,
  ),
  'session.signIn': call(z.object({ login: Login, password: GivenPassword }), SessionInfo),
  /** A new member redeems the one-time code from their admin, sets a password and is signed in. */
  'session.activate': call(ActivateBody.pick({ code: true, password: true }), SessionInfo),
  'session.signOut': call(Empty, SessionInfo),
  'session.changePassword': call(z.object({ oldPassword: GivenPassword, newPassword: NewPassword }), Empty),
  'session.devices': call(Empty, z.object({ devices: z.array(Device) })),
  'session.revokeDevice': call(z.object({ deviceId: Id }), Empty),

  // The directory as the cache holds it: only what this user may see (the relay filters).
  /** Every department, as a flat list (parentId links them); siblings by `order`. */
  'directory.departments': call(Empty, z.object({ departments: z.array(Department) })),
  /** Direct members of a department in pinyin order, a window at a time (virtualized lists). */
  'directory.members': call(
    z.object({ departmentId: Id, offset: z.number().int().nonnegative(), limit: z.number().int().min(1).max(1000) }),
    z.object({ users: z.array(User), total: z.number().int().nonnegative() }),
  ),
  /** Name, pinyin (zhangsan), initials (zs), account, mobile, email; departments by name. */
  'directory.search': call(
    z.object({ query: z.string().trim().min(1).max(64), limit: z.number().int().min(1).max(200).default(50) }),
    z.object({ users: z.array(User), departments: z.array(Department) }),
  ),
  /** Profiles by id (chat members, senders, cards); unknown ones are fetched from the relay. */
  'directory.users': call(z.object({ ids: z.array(Id).max(2000) }), z.object({ users: z.array(User) })),
  'directory.addMember': call(NewMember, z.object({ user: User })),

  // 管理后台: passed to the relay, which checks every right.
  'admin.scope': relayed('admin.scope'),
  'admin.dept.create': relayed('admin.dept.create'),
  'admin.dept.update': relayed('admin.dept.update'),
  'admin.dept.delete': relayed('admin.dept.delete'),
  'admin.member.create': relayed('admin.member.create'),
  'admin.member.update': relayed('admin.member.update'),
  'admin.member.activation': relayed('admin.member.activation'),
  'admin.roles.get': relayed('admin.roles.get'),
  'admin.roles.set': relayed('admin.roles.set'),
  'admin.visibility.get': relayed('admin.visibility.get'),
  'admin.visibility.set': relayed('admin.visibility.set'),
  'admin.audit': relayed('admin.audit'),
  /** Uploads a spreadsheet and starts validating it; progress arrives as `admin.import` events. */
  'admin.import.start': call(
    FileData.extend({ mode: ImportMode, createDepartments: z.boolean() }),
    z.object({ job: ImportJob }),
  ),
  'admin.import.status': call(z.object({ jobId: z.string() }), z.object({ job: ImportJob })),
  'admin.import.apply': call(z.object({ jobId: z.string() }), z.object({ job: ImportJob })),
  'admin.import.cancel': call(z.object({ jobId: z.string() }), z.object({ job: ImportJob })),
  /** The error report (.xlsx): the refused rows as they were, plus a column saying why. */
  'admin.import.errorReport': call(z.object({ jobId: z.string() }), FileData),
  /** After an import: the new members' one-time activation codes (.xlsx), to hand out. */
  'admin.import.activations': call(z.object({ jobId: z.string() }), FileData),
  'admin.directory.export': call(Empty, FileData),
  'admin.directory.template': call(Empty, FileData),

  /** Pinned first, then by last activity, newest first. */
  'conversations.list': call(Empty, z.object({ conversations: z.array(ConversationItem) })),
  'conversations.openDirect': call(z.object({ userId: Id }), z.object({ conversation: ConversationItem })),
  'conversations.createGroup': call(
    z.object({ memberIds: z.array(Id).min(1).max(Limits.groupMaxMembers), name: PersonName.optional() }),
    z.object({ conversation: ConversationItem }),
  ),
  'conversations.rename': call(z.object({ conversationId: Id, name: PersonName }), Empty),
  'conversations.addMembers': call(z.object({ conversationId: Id, userIds: z.array(Id).min(1) }), Empty),
  'conversations.removeMember': call(z.object({ conversationId: Id, userId: Id }), Empty),
  'conversations.leave': call(z.object({ conversationId: Id }), Empty),
  'conversations.setPrefs': call(
    z.object({
      conversationId: Id,
      pinned: z.boolean().optional(),
      muted: z.boolean().optional(),
      tags: requests['conv.setPrefs'].params.shape.tags,
    }),
    Empty,
  ),
  // 群管理: passed to the relay, which checks every rule (owner, admins, settings).
  'groups.setAdmins': relayed('group.setAdmins'),
  'groups.transfer': relayed('group.transfer'),
  'groups.dissolve': relayed('group.dissolve'),
  'groups.setAnnouncement': relayed('group.setAnnouncement'),
  'groups.announcements': relayed('group.announcements'),
  'groups.setSettings': relayed('group.setSettings'),
  'admin.enterprise.update': relayed('admin.enterprise.update'),
  /** Tells the core which chat is on screen: it is marked read and not notified. */
  'conversations.focus': call(z.object({ conversationId: Id.nullable() }), Empty),

  /** A page of messages ending before `beforeSeq` (newest page when absent), ascending;
   * queued (unsent) messages follow the newest page. */
  'messages.page': call(
    z.object({
      conversationId: Id,
      beforeSeq: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500).default(50),
    }),
    z.object({ messages: z.array(ChatMessage), hasMore: z.boolean() }),
  ),
  /** Messages around `seq` (search results open here): up to `limit` on each side, ascending. */
  'messages.around': call(
    z.object({
      conversationId: Id,
      seq: z.number().int().positive(),
      limit: z.number().int().min(1).max(200).default(30),
    }),
    z.object({ messages: z.array(ChatMessage), hasMoreBefore: z.boolean(), hasMoreAfter: z.boolean() }),
  ),
  /** Queued in the outbox and sent when online; a forward names its source (see SendFields). */
  'messages.send': call(checkedSend(SendFields), z.object({ message: ChatMessage })),
  /** Drops a failed send from the outbox. */
  'messages.discard': call(z.object({ messageId: Id }), Empty),
  'messages.recall': call(requests['msg.recall'].params, Empty),
  'messages.react': call(requests['msg.react'].params, Empty),
  /** 删除 (for me): gone from this user's devices; others keep it. */
  'messages.hide': call(requests['msg.hide'].params, Empty),

  /** Uploads an image, voice clip or video for a message; returns the id to put in its body. */
  'media.upload': call(
    z.object({
      kind: MediaUploadKind,
      mime: z.string().max(100),
      base64: z.string().max(Math.ceil(MediaLimits.videoMaxBytes / 3) * 4),
    }),
    MediaUpload,
  ),
  /** A URL the renderer can load (img/audio/video src); the core fetches and caches the bytes. */
  'media.url': call(z.object({ mediaId: Id }), z.object({ url: z.string() })),

  // Files: bytes move between this desktop and the relay in the core, never through the renderer.
  /** What this relay allows (sizes, retention). */
  'files.limits': call(Empty, FileLimitsView),
  /** Browser mode: where the renderer POSTs a file's bytes to stage them (→ {stagedId}); null in Electron. */
  'files.stageUrl': call(Empty, z.object({ url: z.string().nullable() })),
  /**
   * Sends files into a chat: one file message per source (a folder's files each), shown at once
   * with their upload's progress and sent when the relay has the bytes (秒传 when it has them already).
   */
  'files.send': call(
    z.object({ conversationId: Id, sources: z.array(FileSource).min(1).max(500) }),
    z.object({ messages: z.array(ChatMessage), transfers: z.array(Transfer) }),
  ),
  /** Uploads files into a drive folder (a folder's files keep their sub-folders). */
  'files.uploadToDrive': call(
    z.object({ folderId: Id, sources: z.array(FileSource).min(1).max(500) }),
    z.object({ transfers: z.array(Transfer) }),
  ),
  /** Downloads a chat file (by its message) or a drive file; resumes a download already under way. */
  'files.download': call(
    z.union([z.object({ conversationId: Id, messageId: Id }), z.object({ nodeId: Id })]),
    z.object({ transfer: Transfer }),
  ),
  /** This desktop's transfers: those under way and the latest finished ones, newest first. */
  'files.transfers': call(Empty, z.object({ transfers: z.array(Transfer) })),
  'files.pause': call(TransferRef, Empty),
  'files.resume': call(TransferRef, Empty),
  'files.cancel': call(TransferRef, Empty),
  /** Starts a failed transfer again (from where it stopped). */
  'files.retry': call(TransferRef, Empty),
  /** A finished download, as a URL the renderer can open or save (browser mode). */
  'files.localUrl': call(TransferRef, z.object({ url: z.string() })),
  /** Electron: opens a finished download with its program / shows it in its folder / saves a copy. */
  'files.open': call(TransferRef, Empty),
  'files.reveal': call(TransferRef, Empty),
  'files.saveAs': call(TransferRef, z.object({ path: z.string().nullable() })),
  /** Electron: starts dragging a finished download out of the window (webContents.startDrag). */
  'files.startDrag': call(TransferRef, Empty),

  // 微盘: tree operations go to the relay as they are (online only); every rule is checked there.
  'drive.spaces': relayed('drive.spaces'),
  'drive.createSpace': relayed('drive.createSpace'),
  'drive.list': relayed('drive.list'),
  'drive.get': relayed('drive.get'),
  'drive.createFolder': relayed('drive.createFolder'),
  'drive.rename': relayed('drive.rename'),
  'drive.move': relayed('drive.move'),
  'drive.copy': relayed('drive.copy'),
  'drive.trash': relayed('drive.trash'),
  'drive.trashList': relayed('drive.trashList'),
  'drive.restore': relayed('drive.restore'),
  'drive.purge': relayed('drive.purge'),
  'drive.star': relayed('drive.star'),
  'drive.starred': relayed('drive.starred'),
  'drive.sharedWithMe': relayed('drive.sharedWithMe'),
  'drive.recent': relayed('drive.recent'),
  'drive.grants': relayed('drive.grants'),
  'drive.setGrants': relayed('drive.setGrants'),
  'drive.setNoForward': relayed('drive.setNoForward'),
  'drive.accessLog': relayed('drive.accessLog'),
  'drive.saveFromChat': relayed('drive.saveFromChat'),
  'drive.usage': relayed('drive.usage'),
  /** A URL the renderer can show (img, video, pdf, text) for 仅查看 and above; the relay logs the preview. */
  'drive.previewUrl': call(z.object({ nodeId: Id }), z.object({ url: z.string(), node: DriveNode })),

  // 日程: calendars and events live on the relay (online); the core keeps the coming weeks for reminders.
  'calendar.calendars': relayed('cal.calendars'),
  'calendar.createCalendar': relayed('cal.createCalendar'),
  'calendar.updateCalendar': relayed('cal.updateCalendar'),
  'calendar.deleteCalendar': relayed('cal.deleteCalendar'),
  'calendar.events': relayed('cal.events'),
  'calendar.get': relayed('cal.get'),
  'calendar.create': relayed('cal.create'),
  'calendar.update': relayed('cal.update'),
  'calendar.cancel': relayed('cal.cancel'),
  'calendar.respond': relayed('cal.respond'),
  'calendar.freeBusy': relayed('cal.freeBusy'),
  'calendar.rooms': relayed('cal.rooms'),
  'calendar.saveRoom': relayed('cal.saveRoom'),
  'calendar.deleteRoom': relayed('cal.deleteRoom'),
  'calendar.roomBusy': relayed('cal.roomBusy'),
  'calendar.feed': relayed('cal.feed'),
  'calendar.revokeFeed': relayed('cal.revokeFeed'),
  /** Imports an .ics file into one of the caller's calendars (the relay parses and checks it). */
  'calendar.import': call(
    z.object({
      calendarId: Id,
      fileName: z.string().min(1).max(255),
      base64: z.string().max(Math.ceil((10 * 1024 * 1024) / 3) * 4),
    }),
    ImportReport,
  ),
  /** One calendar as an .ics file. */
  'calendar.export': call(z.object({ calendarId: Id }), z.object({ fileName: z.string(), base64: z.string() })),
  /** Reminders due now or missed while the app was off, not yet dismissed. */
  'calendar.reminders': call(Empty, z.object({ reminders: z.array(Reminder) })),
  /** 稍后提醒: fires again after `minutes`. */
  'calendar.snooze': call(
    z.object({
      reminderId: z.string(),
      minutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60),
    }),
    Empty,
  ),
  'calendar.dismiss': call(z.object({ reminderId: z.string() }), Empty),

  /** 收藏, newest saved first; `query` filters by substring of the text. */
  'favorites.list': call(
    z.object({ query: z.string().trim().max(64).optional() }),
    z.object({ favorites: z.array(Favorite) }),
  ),
  'favorites.add': call(requests['fav.add'].params, Empty),
  'favorites.remove': call(requests['fav.remove'].params, Empty),

  /**
   * 全局搜索: contacts, groups (by name or member) and messages at once; each list short
   * (the UI asks `search.messages` for more).
   */
  'search.global': call(
    z.object({ query: z.string().trim().min(1).max(64) }),
    z.object({
      users: z.array(User),
      conversations: z.array(ConversationItem),
      messages: z.array(ChatMessage),
    }),
  ),
  /**
   * Messages containing `query`, newest first: the cache first, then the relay for what the cache
   * does not hold (when online). Same matching and filters in both.
   */
  'search.messages': call(
    MessageSearchFilters.extend({
      query: z.string().trim().min(1).max(64),
      before: z.object({ createdAt: Millis, id: Id }).nullable().default(null),
      limit: z.number().int().min(1).max(MessagingLimits.searchPageSize).default(MessagingLimits.searchPageSize),
    }),
    z.object({
      messages: z.array(ChatMessage),
      next: z.object({ createdAt: Millis, id: Id }).nullable(),
      /** False when offline and the cache may not hold everything. */
      complete: z.boolean(),
    }),
  ),
  'messages.markRead': call(z.object({ conversationId: Id }), Empty),
  /** Every member's read position (refreshed from the relay when online). */
  'messages.readStates': call(z.object({ conversationId: Id }), z.object({ states: z.array(ReadState) })),
} as const;

export type CallName = keyof typeof calls;
export type CallArgs<N extends CallName> = z.input<(typeof calls)[N]['args']>;
export type CallResult<N extends CallName> = z.infer<(typeof calls)[N]['result']>;

export const events = {
  connection: z.object({ state: ConnectionState, retryAt: Millis.nullable() }),
  session: SessionInfo,
  'conversations.changed': Empty,
  'messages.changed': z.object({ conversationId: Id }),
  'readStates.changed': z.object({ conversationId: Id }),
  'directory.changed': Empty,
  'favorites.changed': Empty,
  /** Events or calendars this user sees changed on the relay: views fetch their range again. */
  'calendar.changed': Empty,
  /** A reminder fired (the desktop shell shows it as a notification, the UI as a popup). */
  'calendar.reminder': z.object({ reminder: Reminder }),
  /** The shell asks the UI to show the calendar at an event (a reminder's notification was clicked). */
  'calendar.open': z.object({ eventId: Id, start: Millis }),
  /** A transfer moved on (progress at most a few times a second, and every change of state). */
  'files.transfer': z.object({ transfer: Transfer }),
  'settings.changed': Settings,
  /** An import job moved on (progress, preview ready, done). */
  'admin.import': z.object({ job: ImportJob }),
  /** A new message from someone else in a chat that is not muted and not on screen. */
  notification: z.object({ conversationId: Id, title: z.string(), body: z.string(), mention: z.boolean() }),
  /** The shell asks the UI to open a chat (notification click, qixin:// deep link). */
  'conversation.open': z.object({ conversationId: Id }),
} as const;

/** What the preload script exposes as `window.qixinBridge` (a ContractTransport). */
export const BRIDGE_GLOBAL = 'qixinBridge';

export type EventName = keyof typeof events;
export type EventPayload<N extends EventName> = z.infer<(typeof events)[N]>;

/** Channel names on every transport: one prefix, derived from the tables. */
export const CHANNEL_PREFIX = 'qixin:';
export const callChannel = (name: CallName) => `${CHANNEL_PREFIX}call:${name}`;
export const eventChannel = (name: EventName) => `${CHANNEL_PREFIX}event:${name}`;
