// Which announcement version this person has seen in each group, so the first-view popup shows
// once per version. Kept per user in localStorage: losing it only means seeing a notice again.
const PREFIX = 'qixin.announcementSeen';

function key(userId: string, conversationId: string): string {
  return `${PREFIX}.${userId}.${conversationId}`;
}

export function seenAnnouncementVersion(storage: Storage, userId: string, conversationId: string): number {
  const value = Number(storage.getItem(key(userId, conversationId)));
  return Number.isInteger(value) && value > 0 ? value : 0;
}

export function markAnnouncementSeen(storage: Storage, userId: string, conversationId: string, version: number) {
  if (version > seenAnnouncementVersion(storage, userId, conversationId)) {
    storage.setItem(key(userId, conversationId), String(version));
  }
}
