// A drive file sent into a chat as a link (a `file` message with driveNodeId). The sender must be
// allowed to take the file away (可下载; 禁止转发: managers only); recipients then open it through
// FileHttpPaths.nodeContent with their own level, so the link never widens who may read it.
import type { Reader } from '../domain/context';
import * as policy from '../domain/policy';
import { accessTo, principalOf } from './drive-access';
import { logAccess } from './drive-log';
import { loadNode, notFound } from './drive-rows';

export interface DriveLink {
  name: string;
  size: number;
  mime: string;
  sha256: string;
}

/**
 * What a link to `nodeId` shows in the chat, when `userId` may share it: a live file they can
 * download. Throws file_not_found (none, trashed, a folder, no level), drive_forbidden (仅查看) or
 * drive_no_forward.
 */
export async function resolveDriveLink(db: Reader, userId: string, nodeId: string): Promise<DriveLink> {
  const at = await accessTo(db, await principalOf(db, userId), nodeId);
  if (!at || at.level === null || at.node.trashed_at !== null || at.node.type !== 'file' || !at.node.sha256)
    throw notFound();
  policy.assertCanTakeDriveFile(at.node, at.level, 'send it into a chat');
  return {
    name: at.node.name,
    size: at.node.size,
    mime: at.node.mime ?? 'application/octet-stream',
    sha256: at.node.sha256,
  };
}

/** Records in the file's access history that `userId` shared it into a chat (call once the message is stored). */
export async function recordDriveShare(db: Reader, userId: string, nodeId: string, at: number): Promise<void> {
  const node = await loadNode(db, nodeId);
  if (node) await logAccess(db, { nodeId, spaceId: node.space_id, userId, action: 'share', at });
}
