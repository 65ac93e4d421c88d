// Every permission decision of the relay, in one place. Each check throws a QixinError
// that the gateway sends back as is; callers pass the rows they already loaded.
import { QixinError } from '../../shared/protocol';
import type { ConversationRow, DeviceRow, MemberRow, UserRow } from '../store/schema';

const notAMember = () => new QixinError('forbidden', 'you are not a member of this conversation');

/** Sending: only active members. A missing conversation looks the same, so ids leak nothing. */
export function assertCanSend(conversationExists: boolean, member: MemberRow | undefined): void {
  if (!conversationExists || !member || !member.active) throw notAMember();
}

/**
 * Reading history: members, and former members up to the seq at which they left.
 * Returns the highest seq the user may read.
 */
export function readableUpTo(conversation: ConversationRow | undefined, member: MemberRow | undefined): number {
  if (!conversation || !member) throw notAMember();
  if (member.active) return conversation.last_seq;
  return Math.min(member.left_seq ?? 0, conversation.last_seq);
}

/** Read receipts of others: active members only. */
export function assertCanSeeReadStates(conversation: ConversationRow | undefined, member: MemberRow | undefined): void {
  if (!conversation || !member || !member.active) throw notAMember();
}

/** Pinning/muting is the user's own business, also after leaving. */
export function assertCanSetPrefs(conversation: ConversationRow | undefined, member: MemberRow | undefined): void {
  if (!conversation || !member) throw notAMember();
}

function assertActiveGroupMember(conversation: ConversationRow | undefined, member: MemberRow | undefined) {
  if (!conversation || !member || !member.active) throw notAMember();
  if (conversation.type !== 'group') throw new QixinError('invalid', 'only group chats have this operation');
}

/** Any active member may rename a group. */
export function assertCanRename(conversation: ConversationRow | undefined, member: MemberRow | undefined): void {
  assertActiveGroupMember(conversation, member);
}

/** Any active member may invite people into a group. */
export function assertCanAddMembers(conversation: ConversationRow | undefined, member: MemberRow | undefined): void {
  assertActiveGroupMember(conversation, member);
}

/** Only the owner removes members, and never themselves (they leave instead). */
export function assertCanRemoveMember(
  conversation: ConversationRow | undefined,
  actor: MemberRow | undefined,
  targetUserId: string,
): void {
  assertActiveGroupMember(conversation, actor);
  if (conversation!.owner_id !== actor!.user_id)
    throw new QixinError('forbidden', 'only the group owner can remove members');
  if (targetUserId === actor!.user_id)
    throw new QixinError('invalid', 'the owner cannot remove themselves; leave the group instead');
}

/** Leaving: groups only, active members only. */
export function assertCanLeave(conversation: ConversationRow | undefined, member: MemberRow | undefined): void {
  assertActiveGroupMember(conversation, member);
}

/** Adding people to the enterprise directory: admins only. */
export function assertCanAddEnterpriseMember(actor: UserRow): void {
  if (actor.role !== 'admin') throw new QixinError('forbidden', 'only an administrator can add members');
}

/** Revoking a session: only one's own devices; someone else's device looks missing. */
export function assertCanRevokeDevice(actorId: string, device: DeviceRow | undefined): asserts device is DeviceRow {
  if (!device || device.user_id !== actorId) throw new QixinError('not_found', 'no such device');
}
