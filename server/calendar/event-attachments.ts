// Event attachments (日程附件): links to drive files. The person saving must be allowed to share
// each newly linked file, by the same rule as sending a drive file into a chat (resolveDriveLink:
// file_not_found, drive_forbidden, drive_no_forward). The event keeps the file's name, size and type
// as they were; attendees open the file through the drive with their own level, so the link never
// widens who may read it.
import type { EventAttachment } from '../../shared/protocol';
import type { Reader } from '../domain/context';
import { recordDriveShare, resolveDriveLink } from '../drive/drive-links';

export function parseAttachments(json: string): EventAttachment[] {
  return JSON.parse(json) as EventAttachment[];
}

export interface ResolvedAttachments {
  attachments: EventAttachment[];
  /** Files linked by this save (checked now, recorded in their access history once stored). */
  added: string[];
}

/**
 * The attachments named by `nodeIds`, in that order, once each. Files already on the event
 * (`known`) keep what was stored: an edit by someone else (an editor of the calendar) or after the
 * file's 禁止转发 changed does not drop or refuse them. Every other file is checked for `userId`.
 */
export async function resolveAttachments(
  db: Reader,
  userId: string,
  nodeIds: readonly string[],
  known: readonly EventAttachment[] = [],
): Promise<ResolvedAttachments> {
  const stored = new Map(known.map((a) => [a.nodeId, a]));
  const attachments: EventAttachment[] = [];
  const added: string[] = [];
  for (const nodeId of new Set(nodeIds)) {
    const kept = stored.get(nodeId);
    if (kept) {
      attachments.push(kept);
      continue;
    }
    const link = await resolveDriveLink(db, userId, nodeId);
    attachments.push({ nodeId, name: link.name, size: link.size, mime: link.mime });
    added.push(nodeId);
  }
  return { attachments, added };
}

/** Records in each file's access history that `userId` shared it into an event. */
export async function recordAttached(
  db: Reader,
  userId: string,
  nodeIds: readonly string[],
  at: number,
): Promise<void> {
  for (const nodeId of nodeIds) await recordDriveShare(db, userId, nodeId, at);
}
