// Files: large transfers (chat files and the drive, 微盘) and the drive's tree and permissions.
//
// Bytes travel over HTTP, never over the socket:
// - upload: tus 1.0 at `FileHttpPaths.uploads` (creation, termination); before that, 秒传 at
//   `FileHttpPaths.instant` when the relay already holds the content, after a proof of possession;
// - download: `HttpPaths.media(id)` for chat files (Range, ETag = sha256) and
//   `FileHttpPaths.nodeContent(id)` for drive files (preview inline, or download).
// Tree operations (list, rename, move, share …) are `drive.*` requests on the socket.
import { z } from 'zod';

const Id = z.uuid();
const Millis = z.number().int().nonnegative();
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const GB = 1024 * 1024 * 1024;

/** Defaults; a relay may be configured otherwise (see server/README.md) and says so in `files.limits`. */
export const FileLimits = {
  chatFileMaxBytes: 2 * GB,
  driveFileMaxBytes: 20 * GB,
  /** Chat files are kept this long unless saved to the drive (then the drive copy stays). */
  chatRetentionDays: 30,
  /** Trashed drive items can be restored this long. */
  trashRetentionDays: 30,
  personalQuotaBytes: 10 * GB,
  enterpriseQuotaBytes: 1024 * GB,
  /** Byte ranges a 秒传 proof asks for, each this long (or the whole file when shorter). */
  proofRanges: 3,
  proofRangeBytes: 64 * 1024,
  nameMaxChars: 255,
  /** A drive folder lists at most this many children per page. */
  listPageSize: 500,
  accessLogPageSize: 200,
} as const;

/**
 * A file or folder name: no path separators, no NUL or other control characters, not `.` or `..`,
 * at most 255 characters. Chinese and emoji are fine. Refused, never silently rewritten.
 */
export const FileName = z
  .string()
  .min(1)
  .max(FileLimits.nameMaxChars)
  .refine((name) => name.trim() === name && name.length > 0, 'a name cannot start or end with spaces')
  // eslint-disable-next-line no-control-regex
  .refine((name) => !/[/\\\u0000-\u001f\u007f]/.test(name), 'a name cannot contain / \\ or control characters')
  .refine((name) => name !== '.' && name !== '..', 'a name cannot be . or ..');

export const FileMime = z
  .string()
  .max(127)
  .regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/i, 'a media type like text/plain');

/** Where an upload goes: a chat (as a chat file, kept `chatRetentionDays`) or a drive folder. */
export const UploadTarget = z.discriminatedUnion('type', [
  z.object({ type: z.literal('chat'), conversationId: Id }),
  z.object({ type: z.literal('drive'), folderId: Id }),
]);
export type UploadTarget = z.infer<typeof UploadTarget>;

/**
 * What every upload declares up front (as tus `Upload-Metadata`, values base64 as tus says, or as
 * the 秒传 request body). `fileId` is made by the client, so a client that restarts after the last
 * byte knows what it uploaded. For a chat it is the media id the message will reference; for the
 * drive it is the new node's id.
 */
export const UploadDeclaration = z.object({
  fileId: Id,
  name: FileName,
  size: z.number().int().nonnegative(),
  mime: FileMime,
  sha256: Sha256,
  target: UploadTarget,
});
export type UploadDeclaration = z.infer<typeof UploadDeclaration>;

/** The tus `Upload-Metadata` keys; `target` is JSON of UploadTarget. */
export const UPLOAD_METADATA_KEYS = ['fileId', 'name', 'size', 'mime', 'sha256', 'target'] as const;

/** A committed upload: the relay verified the sha256 and the file is now visible to its target. */
export const StoredFile = z.object({
  fileId: Id,
  name: FileName,
  size: z.number().int().nonnegative(),
  mime: FileMime,
  sha256: Sha256,
  target: UploadTarget,
  createdAt: Millis,
  /** Chat files: when the bytes go away (null for drive files). */
  expiresAt: Millis.nullable(),
});
export type StoredFile = z.infer<typeof StoredFile>;

/**
 * 秒传, step 1: POST FileHttpPaths.instant {declaration} → `absent` (upload with tus) or a
 * challenge: byte ranges (inclusive) of the file to hash with the nonce. Step 2: POST again with
 * the challenge's nonce and, per range in order, hex sha256(nonce ‖ bytes[start..end]) → `stored`.
 * Knowing a file's hash is never enough: only someone holding the bytes can answer.
 */
export const InstantRequest = z.object({
  declaration: UploadDeclaration,
  proof: z.object({ nonce: z.string().min(16).max(128), hashes: z.array(Sha256).max(8) }).optional(),
});
export type InstantRequest = z.infer<typeof InstantRequest>;
export const ByteRange = z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() });
export type ByteRange = z.infer<typeof ByteRange>;
export const InstantAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('absent') }),
  z.object({ status: z.literal('challenge'), nonce: z.string(), ranges: z.array(ByteRange), expiresAt: Millis }),
  z.object({ status: z.literal('stored'), file: StoredFile }),
]);
export type InstantAnswer = z.infer<typeof InstantAnswer>;

export const FileHttpPaths = {
  /** tus 1.0 (core, creation, termination); Authorization: Bearer <session token> on every request. */
  uploads: '/api/files/uploads',
  /** POST InstantRequest → InstantAnswer. */
  instant: '/api/files/instant',
  /** GET → StoredFile once the upload of `fileId` committed (a client that restarted asks here). */
  upload: (fileId: string) => `/api/files/committed/${encodeURIComponent(fileId)}`,
  /**
   * GET a drive file's bytes (Range, ETag = sha256). `?disposition=inline` previews (needs 仅查看);
   * otherwise it is a download (needs 可下载, and 禁止转发 limits it to managers). Both are logged.
   */
  nodeContent: (nodeId: string) => `/api/drive/nodes/${encodeURIComponent(nodeId)}/content`,
  /** GET FileLimitsView (what this relay is configured to allow). */
  limits: '/api/files/limits',
} as const;

export const FileLimitsView = z.object({
  chatFileMaxBytes: z.number().int().nonnegative(),
  driveFileMaxBytes: z.number().int().nonnegative(),
  chatRetentionDays: z.number().int().positive(),
});
export type FileLimitsView = z.infer<typeof FileLimitsView>;

// --- the drive (微盘) ---

/** 仅查看 < 可下载 < 可编辑 < 可管理; a level includes those below it. */
export const DriveLevel = z.enum(['view', 'download', 'edit', 'manage']);
export type DriveLevel = z.infer<typeof DriveLevel>;
export const DRIVE_LEVEL_RANK: Record<DriveLevel, number> = { view: 1, download: 2, edit: 3, manage: 4 };

export const DriveSpaceKind = z.enum(['personal', 'team']);
export const DriveSpace = z.object({
  id: Id,
  kind: DriveSpaceKind,
  /** Personal spaces are named by the client (我的文件); team spaces by their creator. */
  name: z.string(),
  ownerId: Id.nullable(),
  rootId: Id,
  /** Bytes held, the trash included. */
  usedBytes: z.number().int().nonnegative(),
  quotaBytes: z.number().int().nonnegative().nullable(),
  /** The caller's level on the root. */
  level: DriveLevel,
});
export type DriveSpace = z.infer<typeof DriveSpace>;

export const DriveNode = z.object({
  id: Id,
  spaceId: Id,
  parentId: Id.nullable(),
  type: z.enum(['folder', 'file']),
  name: z.string(),
  size: z.number().int().nonnegative(),
  mime: z.string().nullable(),
  sha256: Sha256.nullable(),
  /** 禁止转发: only managers may download or send it on; others may preview. */
  noForward: z.boolean(),
  createdBy: Id,
  createdAt: Millis,
  updatedBy: Id,
  updatedAt: Millis,
  trashedAt: Millis.nullable(),
  /** The caller's effective level here (grants on it and its folders, the space's owner). */
  level: DriveLevel,
  starred: z.boolean(),
});
export type DriveNode = z.infer<typeof DriveNode>;

export const DrivePrincipal = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), id: Id }),
  z.object({ type: z.literal('department'), id: Id }),
]);
export type DrivePrincipal = z.infer<typeof DrivePrincipal>;
/** A permission on a node; it holds for the node and everything under it. */
export const DriveGrant = z.object({ principal: DrivePrincipal, level: DriveLevel });
export type DriveGrant = z.infer<typeof DriveGrant>;

export const DriveAccessAction = z.enum(['preview', 'download', 'upload', 'edit', 'share', 'trash', 'restore']);
export const DriveAccessEntry = z.object({
  id: Id,
  nodeId: Id,
  nodeName: z.string(),
  userId: Id,
  action: DriveAccessAction,
  at: Millis,
});
export type DriveAccessEntry = z.infer<typeof DriveAccessEntry>;

export const DriveUsage = z.object({
  personalUsedBytes: z.number().int().nonnegative(),
  personalQuotaBytes: z.number().int().nonnegative(),
  enterpriseUsedBytes: z.number().int().nonnegative(),
  enterpriseQuotaBytes: z.number().int().nonnegative(),
});
export type DriveUsage = z.infer<typeof DriveUsage>;

const NodeIds = z.array(Id).min(1).max(FileLimits.listPageSize);
const NodeResult = z.object({ node: DriveNode });
const NodesResult = z.object({ nodes: z.array(DriveNode) });

/** `drive.*` requests (merged into the protocol's request table). Every rule is checked on the relay. */
export const driveRequests = {
  /** The caller's personal space (made on first use) and the team spaces they can see. */
  'drive.spaces': { params: z.object({}), result: z.object({ spaces: z.array(DriveSpace) }) },
  'drive.createSpace': {
    params: z.object({ name: FileName }),
    result: z.object({ space: DriveSpace }),
  },
  /** A folder's children (not trashed), folders first then by name; and the path from the root. */
  'drive.list': {
    params: z.object({ folderId: Id }),
    result: z.object({ folder: DriveNode, path: z.array(DriveNode), children: z.array(DriveNode) }),
  },
  'drive.get': { params: z.object({ nodeId: Id }), result: NodeResult },
  'drive.createFolder': { params: z.object({ parentId: Id, name: FileName }), result: NodeResult },
  'drive.rename': { params: z.object({ nodeId: Id, name: FileName }), result: NodeResult },
  /** Needs 可编辑 on the items and on the target folder; within one space or across spaces. */
  'drive.move': { params: z.object({ nodeIds: NodeIds, folderId: Id }), result: NodesResult },
  /** Copies share the bytes (no second blob); quota counts them again. */
  'drive.copy': { params: z.object({ nodeIds: NodeIds, folderId: Id }), result: NodesResult },
  /** To the trash (restorable for `trashRetentionDays`). */
  'drive.trash': { params: z.object({ nodeIds: NodeIds }), result: z.object({}) },
  /** What the caller trashed and may restore, newest first. */
  'drive.trashList': { params: z.object({}), result: NodesResult },
  'drive.restore': { params: z.object({ nodeIds: NodeIds }), result: NodesResult },
  /** Deleted for good (from the trash). */
  'drive.purge': { params: z.object({ nodeIds: NodeIds }), result: z.object({}) },
  'drive.star': { params: z.object({ nodeId: Id, starred: z.boolean() }), result: NodeResult },
  'drive.starred': { params: z.object({}), result: NodesResult },
  /** 共享给我: the top-most items others granted the caller (or a department of theirs), newest first. */
  'drive.sharedWithMe': { params: z.object({}), result: NodesResult },
  /** Files the caller opened, downloaded or uploaded lately, newest first. */
  'drive.recent': { params: z.object({}), result: NodesResult },
  /** 可管理: the grants set on this node (not inherited ones). */
  'drive.grants': { params: z.object({ nodeId: Id }), result: z.object({ grants: z.array(DriveGrant) }) },
  /** 可管理: replaces the grants set on this node. */
  'drive.setGrants': {
    params: z.object({ nodeId: Id, grants: z.array(DriveGrant).max(200) }),
    result: z.object({ grants: z.array(DriveGrant) }),
  },
  /** 可管理: 禁止转发 on or off. */
  'drive.setNoForward': { params: z.object({ nodeId: Id, noForward: z.boolean() }), result: NodeResult },
  /** 可管理: who previewed, downloaded or changed what under this node, newest first. */
  'drive.accessLog': {
    params: z.object({ nodeId: Id, before: Millis.optional() }),
    result: z.object({ entries: z.array(DriveAccessEntry), hasMore: z.boolean() }),
  },
  /** Saves a chat file into a drive folder (no copy of the bytes); it then outlives the chat's retention. */
  'drive.saveFromChat': {
    params: z.object({ conversationId: Id, messageId: Id, folderId: Id, name: FileName.optional() }),
    result: NodeResult,
  },
  'drive.usage': { params: z.object({}), result: DriveUsage },
} as const;
