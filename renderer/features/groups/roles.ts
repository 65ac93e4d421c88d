import type { Conversation } from '../../../shared/protocol/entities';

type GroupState = Pick<
  Conversation,
  'type' | 'ownerId' | 'adminIds' | 'memberIds' | 'active' | 'dissolved' | 'muteAll' | 'managersOnly'
>;

export function isGroupOwner(c: GroupState, userId: string): boolean {
  return c.type === 'group' && c.ownerId === userId;
}

/** 群主 or 群管理员: may edit the announcement, the welcome message and the group's settings. */
export function isGroupManager(c: GroupState, userId: string): boolean {
  return isGroupOwner(c, userId) || (c.type === 'group' && c.adminIds.includes(userId));
}

/** Whether the invite and rename controls are offered (the relay decides anyway). */
export function mayInviteOrRename(c: GroupState, userId: string): boolean {
  if (!c.active || c.dissolved) return false;
  return c.type !== 'group' || !c.managersOnly || isGroupManager(c, userId);
}

/** Why this user cannot write in the chat, if they cannot: the composer says it instead. */
export type ComposerBlock = 'dissolved' | 'left' | 'muted' | null;

export function composerBlock(c: GroupState, userId: string): ComposerBlock {
  if (c.dissolved) return 'dissolved';
  if (!c.active) return 'left';
  if (c.type === 'group' && c.muteAll && !isGroupManager(c, userId)) return 'muted';
  return null;
}

/** How many people an invite would put the group over its limit by (0 when it fits). */
export function inviteOverflow(memberCount: number, adding: number, limit: number): number {
  return Math.max(0, memberCount + adding - limit);
}
