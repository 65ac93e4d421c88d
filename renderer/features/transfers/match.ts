// Which of this desktop's transfers belongs to a file card. Pure, so it is unit-tested.
import type { Transfer } from '../../../shared/contract';

/** Newest first; a cancelled transfer only when nothing else matches (a new try replaces it). */
function pick(found: Transfer[]): Transfer | null {
  if (found.length === 0) return null;
  found.sort((a, b) => b.updatedAt - a.updatedAt);
  return found.find((t) => t.state !== 'cancelled') ?? found[0] ?? null;
}

/** The upload that carries a chat message's file (its message is sent when the bytes are in). */
export function uploadFor(transfers: Iterable<Transfer>, messageId: string): Transfer | null {
  const found: Transfer[] = [];
  for (const t of transfers) if (t.direction === 'upload' && t.messageId === messageId) found.push(t);
  return pick(found);
}

/** The download of a chat file (by media id) or of a drive file (by node id). */
export function downloadFor(
  transfers: Iterable<Transfer>,
  key: { mediaId: string | null; nodeId: string | null },
): Transfer | null {
  const found: Transfer[] = [];
  for (const t of transfers) {
    if (t.direction !== 'download') continue;
    if ((key.mediaId !== null && t.mediaId === key.mediaId) || (key.nodeId !== null && t.nodeId === key.nodeId)) {
      found.push(t);
    }
  }
  return pick(found);
}

/** A transfer still moving bytes or waiting to (what 传输列表 counts as under way). */
export function isUnderWay(t: Transfer): boolean {
  return t.state === 'hashing' || t.state === 'queued' || t.state === 'running' || t.state === 'paused';
}

/** Keeps the later of two reports of one transfer (events and a reload may cross). */
export function newer(current: Transfer | undefined, next: Transfer): boolean {
  return !current || next.updatedAt >= current.updatedAt;
}
