// What a message carries besides its text: the payload of each kind, quotes, mentions,
// reactions. Validated the same way on the relay, in the desktop core and in the renderer.
import { z } from 'zod';

const Id = z.uuid();
const Millis = z.number().int().nonnegative();

/** Every kind a message can be. */
export const MessageKind = z.enum([
  'text',
  'system',
  'image',
  'voice',
  'video',
  'card',
  'location',
  'rich',
  'history',
  'file',
]);
export type MessageKind = z.infer<typeof MessageKind>;

/** The kinds a person can send with `msg.send` (system notices come from the relay). */
export const SendableKind = MessageKind.exclude(['system']);
export type SendableKind = z.infer<typeof SendableKind>;

/**
 * Media (images, voice, video) are uploaded first over HTTP (`HttpPaths.media`) and referenced
 * by the random id the relay returns; only people who can read a message that references it
 * (and its uploader) can download it. The content hash is never an access key.
 */
export const MediaId = z.uuid();
export const MediaMime = z.string().regex(/^(image|audio|video)\/[a-z0-9.+-]+$/, 'a media type like image/png');

export const MediaLimits = {
  imageMaxBytes: 20 * 1024 * 1024,
  voiceMaxBytes: 5 * 1024 * 1024,
  videoMaxBytes: 50 * 1024 * 1024,
  /** Voice messages are at most 60 s, like WeCom's. */
  voiceMaxMs: 60_000,
  imageMaxSide: 30_000,
} as const;

const Dimension = z.number().int().positive().max(MediaLimits.imageMaxSide);

export const ImageBody = z.object({
  kind: z.literal('image'),
  mediaId: MediaId,
  /** A small preview (longest side ≤ 480 px) the client made and uploaded beside the original. */
  thumbId: MediaId.nullable(),
  mime: MediaMime,
  size: z.number().int().positive().max(MediaLimits.imageMaxBytes),
  width: Dimension,
  height: Dimension,
});
export const VoiceBody = z.object({
  kind: z.literal('voice'),
  mediaId: MediaId,
  mime: MediaMime,
  size: z.number().int().positive().max(MediaLimits.voiceMaxBytes),
  durationMs: z.number().int().positive().max(MediaLimits.voiceMaxMs),
});
export const VideoBody = z.object({
  kind: z.literal('video'),
  mediaId: MediaId,
  thumbId: MediaId.nullable(),
  mime: MediaMime,
  size: z.number().int().positive().max(MediaLimits.videoMaxBytes),
  durationMs: z.number().int().nonnegative(),
  width: Dimension,
  height: Dimension,
});
/** 名片: a member's card; the relay fills `name` from the directory when it stores the message. */
export const CardBody = z.object({ kind: z.literal('card'), userId: Id, name: z.string().max(64) });
export const LocationBody = z.object({
  kind: z.literal('location'),
  name: z.string().trim().min(1).max(100),
  address: z.string().trim().max(200),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});
/** Rich text: runs of plain, bold or linked text. `text` of the message is the plain text of it. */
export const RichSegment = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().max(10_000), bold: z.boolean().default(false) }),
  z.object({
    type: z.literal('link'),
    text: z.string().max(2_000),
    url: z.url({ protocol: /^https?$/ }).max(2_000),
  }),
]);
export type RichSegment = z.infer<typeof RichSegment>;
export const RichBody = z.object({ kind: z.literal('rich'), segments: z.array(RichSegment).min(1).max(200) });

/**
 * A file (文件): a chat file uploaded for this chat (`mediaId`, kept `FileLimits.chatRetentionDays`),
 * or a link to a drive file (`driveNodeId`) that opens only for those the drive lets in. Exactly one
 * of the two is set. The relay fills name, size, mime, sha256 and expiresAt from what it stored.
 */
export const FileBody = z.object({
  kind: z.literal('file'),
  mediaId: MediaId.nullable(),
  driveNodeId: Id.nullable(),
  name: z.string().min(1).max(255),
  size: z.number().int().nonnegative(),
  mime: z.string().max(127),
  /** '' only on the sender's device while it is still hashing; the relay always stores the real one. */
  sha256: z.string().regex(/^([0-9a-f]{64})?$/),
  expiresAt: Millis.nullable().default(null),
});
export type FileBody = z.infer<typeof FileBody>;

/** One message inside a merged forward (合并转发), frozen as it was when forwarded. */
export const HistoryItem = z.object({
  senderId: Id,
  senderName: z.string(),
  kind: MessageKind.exclude(['system', 'history']),
  text: z.string(),
  body: z.lazy(() => ItemBody).nullable(),
  createdAt: Millis,
});
export type HistoryItem = z.infer<typeof HistoryItem>;
export const HistoryLimits = { maxItems: 100, maxTextChars: 20_000 } as const;
/** 聊天记录: built by the relay from a forward of several messages. */
export const HistoryBody = z.object({
  kind: z.literal('history'),
  /** "张三和李四的聊天记录" or "群聊的聊天记录": the relay writes the names, the client words it. */
  title: z.object({ conversationType: z.enum(['direct', 'group']), names: z.array(z.string()).max(2) }),
  items: z.array(HistoryItem).min(1).max(HistoryLimits.maxItems),
});

/** Bodies a history item may carry (everything but another history). */
const ItemBody = z.discriminatedUnion('kind', [
  ImageBody,
  VoiceBody,
  VideoBody,
  CardBody,
  LocationBody,
  RichBody,
  FileBody,
]);

export const MessageBody = z.discriminatedUnion('kind', [
  ImageBody,
  VoiceBody,
  VideoBody,
  CardBody,
  LocationBody,
  RichBody,
  HistoryBody,
  FileBody,
]);
export type MessageBody = z.infer<typeof MessageBody>;

/** A quoted message (引用), frozen at the time of the reply; `text` is cut to 200 characters. */
export const Quote = z.object({
  messageId: Id,
  seq: z.number().int().positive(),
  senderId: Id,
  kind: MessageKind,
  text: z.string().max(200),
});
export type Quote = z.infer<typeof Quote>;

export const Reaction = z.object({
  /** One emoji (a grapheme: flags and skin tones included). */
  emoji: z.string().min(1).max(16),
  userIds: z.array(Id),
});
export type Reaction = z.infer<typeof Reaction>;

export const MessagingLimits = {
  /** A sender may recall a message for 24 hours. */
  recallWindowMs: 24 * 60 * 60 * 1000,
  mentionsMax: 100,
  forwardMax: HistoryLimits.maxItems,
  reactionKindsPerMessage: 50,
  announcementMaxChars: 2_000,
  welcomeMaxChars: 500,
  groupAdminsMax: 10,
  /** Groups hold 500 by default; an enterprise admin may raise the limit up to 2,000. */
  groupMaxMembersDefault: 500,
  groupMaxMembersCeiling: 2_000,
  tagsPerConversation: 10,
  tagMaxChars: 20,
  favoritesPageSize: 200,
  searchPageSize: 50,
} as const;

/** Kinds a search can be narrowed to (WeCom: 文件 / 图片 / 链接). */
export const SearchKind = z.enum(['file', 'image', 'link']);
export type SearchKind = z.infer<typeof SearchKind>;

/** Filters of a message search, the same locally and on the relay. */
export const MessageSearchFilters = z.object({
  conversationId: Id.optional(),
  senderId: Id.optional(),
  from: Millis.optional(),
  to: Millis.optional(),
  kind: SearchKind.optional(),
});
export type MessageSearchFilters = z.infer<typeof MessageSearchFilters>;
