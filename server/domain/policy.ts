// Every permission decision of the relay, in one place. Each check throws a QixinError
// that the gateway sends back as is; callers pass the rows they already loaded.
import { DRIVE_LEVEL_RANK, MessagingLimits, QixinError, type DriveLevel } from '../../shared/protocol';
import type { DeviceRow, UserRow } from '../store/schema';
import type { StoredConversation, StoredMember } from './views';
import type { AdminScope } from './directory/scope';
import type { DepartmentTree } from './directory/tree';

const notAMember = () => new QixinError('forbidden', 'you are not a member of this conversation', 'not_a_member');

/**
 * Sending: only active members (a missing conversation looks the same, so ids leak nothing), never
 * into a dissolved group, and under 全员禁言 only the owner and the group admins.
 */
export function assertCanSend(conversation: StoredConversation | undefined, member: StoredMember | undefined): void {
  // Before membership: a dissolved group has no active members, and the send batch loads only those.
  if (conversation?.dissolved) throw new QixinError('conflict', 'this group was dissolved', 'group_dissolved');
  if (!conversation || !member || !member.active) throw notAMember();
  if (conversation.mute_all && !isManager(conversation, member))
    throw new QixinError(
      'forbidden',
      'everyone is muted in this group: only the owner and admins can send',
      'group_muted',
    );
}

/**
 * Reading history: members, and former members up to the seq at which they left.
 * Returns the highest seq the user may read.
 */
export function readableUpTo(conversation: StoredConversation | undefined, member: StoredMember | undefined): number {
  if (!conversation || !member) throw notAMember();
  if (member.active) return conversation.last_seq;
  return Math.min(member.left_seq ?? 0, conversation.last_seq);
}

/** Read receipts of others: active members only. */
export function assertCanSeeReadStates(
  conversation: StoredConversation | undefined,
  member: StoredMember | undefined,
): void {
  if (!conversation || !member || !member.active) throw notAMember();
}

/** Pinning, muting and tagging are the user's own business, also after leaving or a dissolution. */
export function assertCanSetPrefs(
  conversation: StoredConversation | undefined,
  member: StoredMember | undefined,
): void {
  if (!conversation || !member) throw notAMember();
}

/**
 * Group operations: a group (not a direct chat), not dissolved, and the caller an active member.
 * Former members learn it is dissolved rather than that they are out: everyone is out then.
 */
function assertActiveGroupMember(
  conversation: StoredConversation | undefined,
  member: StoredMember | undefined,
): asserts conversation is StoredConversation {
  if (!conversation || !member) throw notAMember();
  if (conversation.type !== 'group')
    throw new QixinError('invalid', 'direct chats have no group management', 'not_a_group');
  if (conversation.dissolved) throw new QixinError('conflict', 'this group was dissolved', 'group_dissolved');
  if (!member.active) throw notAMember();
}

const isManager = (conversation: StoredConversation, member: StoredMember) =>
  conversation.owner_id === member.user_id || !!member.admin;

/** Owner and admins always; everyone else only while the group is not managers-only. */
function assertMayInviteOrRename(
  conversation: StoredConversation | undefined,
  member: StoredMember | undefined,
  what: string,
): void {
  assertActiveGroupMember(conversation, member);
  if (conversation.managers_only && !isManager(conversation, member!))
    throw new QixinError('forbidden', `only the group owner and admins can ${what} in this group`, 'not_group_manager');
}

export function assertCanRename(conversation: StoredConversation | undefined, member: StoredMember | undefined): void {
  assertMayInviteOrRename(conversation, member, 'rename the group');
}

export function assertCanAddMembers(
  conversation: StoredConversation | undefined,
  member: StoredMember | undefined,
): void {
  assertMayInviteOrRename(conversation, member, 'invite people');
}

/** A group holds at most the enterprise's limit of active members. */
export function assertGroupHasRoom(limit: number, activeAfter: number): void {
  if (activeAfter > limit) throw new QixinError('conflict', `a group has at most ${limit} members`, 'group_full');
}

/**
 * The owner removes anyone but themselves; admins remove plain members only. Nobody removes
 * themselves (they leave instead).
 */
export function assertCanRemoveMember(
  conversation: StoredConversation | undefined,
  actor: StoredMember | undefined,
  target: StoredMember | undefined,
  targetUserId: string,
): void {
  assertActiveGroupMember(conversation, actor);
  if (!isManager(conversation, actor!))
    throw new QixinError('forbidden', 'only the group owner and admins can remove members', 'not_group_manager');
  if (targetUserId === actor!.user_id)
    throw new QixinError('invalid', 'you cannot remove yourself; leave the group instead');
  if (!target?.active)
    throw new QixinError('invalid', 'that person is not a member of this group', 'target_not_member');
  if (conversation.owner_id !== actor!.user_id && isManager(conversation, target))
    throw new QixinError('forbidden', 'only the group owner can remove the owner or an admin', 'not_group_owner');
}

/** Leaving: groups only, active members only. */
export function assertCanLeave(conversation: StoredConversation | undefined, member: StoredMember | undefined): void {
  assertActiveGroupMember(conversation, member);
}

/** Adding people to the enterprise directory: admins only. */
export function assertCanAddEnterpriseMember(actor: UserRow): void {
  if (actor.role !== 'admin')
    throw new QixinError('forbidden', 'only an administrator can add members', 'not_an_admin');
}

/** Revoking a session: only one's own devices; someone else's device looks missing. */
export function assertCanRevokeDevice(actorId: string, device: DeviceRow | undefined): asserts device is DeviceRow {
  if (!device || device.user_id !== actorId) throw new QixinError('not_found', 'no such device');
}

// ---------------------------------------------------------------- the directory
// Super admins administer everything. A department admin holding the 'directory' right
// administers members and departments inside the subtrees of their grant, and nothing else:
// not super admins, not roles, not visibility rules.

const isDirectoryAdmin = (scope: AdminScope) =>
  scope.superAdmin || (scope.rights.includes('directory') && scope.departmentIds.length > 0);

/** Any directory administration at all. */
export function assertDirectoryAdmin(scope: AdminScope): void {
  if (!isDirectoryAdmin(scope))
    throw new QixinError('forbidden', 'only an administrator can manage the directory', 'not_an_admin');
}

/** Roles and visibility rules: super admins only. */
export function assertSuperAdmin(scope: AdminScope, what: string): void {
  if (!scope.superAdmin)
    throw new QixinError('forbidden', `only a super administrator can ${what}`, 'super_admin_only');
}

/** Every department must lie inside the admin's subtrees. */
export function assertDepartmentsInScope(
  scope: AdminScope,
  tree: DepartmentTree,
  departmentIds: readonly string[],
  action: string,
): void {
  assertDirectoryAdmin(scope);
  if (scope.superAdmin) return;
  for (const id of departmentIds) {
    if (!tree.within(id, scope.departmentIds)) {
      const name = tree.get(id)?.name ?? id;
      throw new QixinError(
        'forbidden',
        `you cannot ${action}: ${name} is outside the departments you administer`,
        'outside_admin_scope',
      );
    }
  }
}

/** Creating a department: its parent must be in scope. */
export function assertCanCreateDepartment(scope: AdminScope, tree: DepartmentTree, parentId: string): void {
  assertDepartmentsInScope(scope, tree, [parentId], 'create a department there');
}

const CHANGE_WORDS = { edit: 'edit this department', move: 'move this department', delete: 'delete this department' };

/** Editing, moving or deleting a department: it (and a new parent) must be in scope. */
export function assertCanChangeDepartment(
  scope: AdminScope,
  tree: DepartmentTree,
  departmentId: string,
  change: 'edit' | 'move' | 'delete',
  newParentId?: string,
): void {
  const action = CHANGE_WORDS[change];
  assertDepartmentsInScope(scope, tree, [departmentId], action);
  // Moving or deleting a root of one's own grant would change one's own scope.
  if (!scope.superAdmin && change !== 'edit' && scope.departmentIds.includes(departmentId)) {
    throw new QixinError('forbidden', `you cannot ${action}: your administration starts at it`, 'own_scope_root');
  }
  if (newParentId !== undefined) assertDepartmentsInScope(scope, tree, [newParentId], 'move a department there');
}

/**
 * Creating or editing a member: the member's current and new departments must all be in scope,
 * and only super admins touch super admins.
 */
export function assertCanManageMember(
  scope: AdminScope,
  tree: DepartmentTree,
  target: { role: UserRow['role']; departmentIds: readonly string[] } | null,
  newDepartmentIds: readonly string[] | undefined,
): void {
  assertDirectoryAdmin(scope);
  if (scope.superAdmin) return;
  if (target?.role === 'admin')
    throw new QixinError('forbidden', 'only a super administrator can edit a super administrator', 'super_admin_only');
  if (target) assertDepartmentsInScope(scope, tree, target.departmentIds, 'edit this member');
  if (newDepartmentIds) assertDepartmentsInScope(scope, tree, newDepartmentIds, 'place a member there');
}

/** The audit log: super admins read all of it, department admins the records of their own actions. */
export function auditActorFilter(scope: AdminScope, actorId: string): string | null {
  if (!scope.superAdmin && scope.departmentIds.length === 0) {
    throw new QixinError('forbidden', 'only an administrator can read the audit log', 'not_an_admin');
  }
  return scope.superAdmin ? null : actorId;
}

// --- groups
// The owner hands the group over, names admins and dissolves it; the owner and admins write the
// announcement and the settings. Group members (also former ones) read the announcement history.

/** Owner-only group operations. */
export function assertGroupOwner(conversation: StoredConversation | undefined, member: StoredMember | undefined): void {
  assertActiveGroupMember(conversation, member);
  if (conversation.owner_id !== member!.user_id)
    throw new QixinError('forbidden', 'only the group owner can do this', 'not_group_owner');
}

/** Announcement and settings: the owner and admins. */
export function assertGroupManager(
  conversation: StoredConversation | undefined,
  member: StoredMember | undefined,
): void {
  assertActiveGroupMember(conversation, member);
  if (!isManager(conversation, member!))
    throw new QixinError('forbidden', 'only the group owner and admins can do this', 'not_group_manager');
}

/** The admin list: at most groupAdminsMax active members, never the owner. */
export function assertCanSetAdmins(
  conversation: StoredConversation | undefined,
  actor: StoredMember | undefined,
  members: readonly StoredMember[],
  adminIds: readonly string[],
): void {
  assertGroupOwner(conversation, actor);
  if (adminIds.length > MessagingLimits.groupAdminsMax)
    throw new QixinError('invalid', `a group has at most ${MessagingLimits.groupAdminsMax} admins`, 'too_many_admins');
  for (const id of adminIds) {
    if (id === conversation!.owner_id) throw new QixinError('invalid', 'the owner is not one of the admins');
    if (!members.some((m) => m.user_id === id && m.active))
      throw new QixinError('invalid', 'an admin must be a member of the group', 'target_not_member');
  }
}

/** Handing over: owner only, to another active member. */
export function assertCanTransfer(
  conversation: StoredConversation | undefined,
  actor: StoredMember | undefined,
  target: StoredMember | undefined,
): void {
  assertGroupOwner(conversation, actor);
  if (!target?.active)
    throw new QixinError('invalid', 'the new owner must be a member of the group', 'target_not_member');
  if (target.user_id === actor!.user_id) throw new QixinError('invalid', 'you already own this group');
}

/** The announcement history: members and former members of a group, dissolved or not. */
export function assertCanReadAnnouncements(
  conversation: StoredConversation | undefined,
  member: StoredMember | undefined,
): void {
  if (!conversation || !member) throw notAMember();
  if (conversation.type !== 'group')
    throw new QixinError('invalid', 'direct chats have no announcement', 'not_a_group');
}

/** Enterprise-wide settings (the group member limit): super admins only. */
export function assertCanUpdateEnterprise(scope: AdminScope): void {
  assertSuperAdmin(scope, 'change the enterprise settings');
}

// --- messages
// Who may mention, quote, forward, recall, react to and keep which messages. Readability is
// readableUpTo's: members, and former members up to the seq at which they left.

/** @所有人: groups only, and only their owner and admins. */
export function assertCanMentionAll(conversation: StoredConversation, member: StoredMember): void {
  if (conversation.type !== 'group' || !isManager(conversation, member))
    throw new QixinError('forbidden', 'only the group owner and admins can mention everyone', 'mention_all_forbidden');
}

/** Every @mentioned person must be an active member of the chat. */
export function assertMentionsAreMembers(mentions: readonly string[], isActiveMember: (userId: string) => boolean) {
  for (const id of mentions) {
    if (!isActiveMember(id))
      throw new QixinError('invalid', 'a mentioned person is not a member of this chat', 'mention_not_member');
  }
}

const messageNotFound = () => new QixinError('not_found', 'no such message in this chat', 'message_not_found');

/**
 * A message the user can see (quote, favorite, hide, react): of this chat and within the readable
 * seqs. Quoting, forwarding and favoriting also need it to be a person's message, not recalled.
 */
export function assertReadableMessage(
  row: { conversation_id: string; seq: number } | undefined,
  conversationId: string,
  readableSeq: number,
): asserts row {
  if (!row || row.conversation_id !== conversationId || Number(row.seq) > readableSeq) throw messageNotFound();
}

/** Content that can be copied (quote, forward, favorite): a person's message that was not recalled. */
export function assertCopyable(row: { kind: string; recalled_at: number | null }): void {
  if (row.kind === 'system') throw messageNotFound();
  if (row.recalled_at != null) throw new QixinError('conflict', 'this message was recalled', 'already_recalled');
}

/** Forwarding reads from a chat the user is still active in (not one they left). */
export function assertCanForwardFrom(conversation: StoredConversation | undefined, member: StoredMember | undefined) {
  if (!conversation || !member || !member.active)
    throw new QixinError('forbidden', 'you can only forward from a chat you are in', 'forward_source_unreadable');
}

/** 撤回: the sender's own message (not a notice), once, within the recall window. */
export function assertCanRecall(
  row: { sender_id: string; kind: string; recalled_at: number | null; created_at: number },
  userId: string,
  now: number,
): void {
  if (row.kind === 'system') throw messageNotFound();
  if (row.sender_id !== userId)
    throw new QixinError('forbidden', 'only the sender can recall a message', 'recall_not_sender');
  if (row.recalled_at != null)
    throw new QixinError('conflict', 'this message was already recalled', 'already_recalled');
  if (now - Number(row.created_at) > MessagingLimits.recallWindowMs)
    throw new QixinError('forbidden', 'a message can only be recalled within 24 hours', 'recall_expired');
}

/** Reactions: active members, on people's messages that were not recalled. */
export function assertCanReact(
  member: StoredMember | undefined,
  row: { kind: string; recalled_at: number | null },
): void {
  if (!member?.active) throw notAMember();
  assertCopyable(row);
}

// --- the drive (微盘)
// Levels 仅查看 view < 可下载 download < 可编辑 edit < 可管理 manage; a level includes those below it.
// Where a level comes from (grants on a node and its folders, to a person or a department they are
// in, and the owner of a personal space) is computed in server/drive/drive-access.ts; what each
// action needs is decided here. No level at all: the item does not exist for the caller (404).

/** The higher of two levels (null = none). */
export function higherDriveLevel(a: DriveLevel | null, b: DriveLevel | null): DriveLevel | null {
  if (a === null) return b;
  if (b === null) return a;
  return DRIVE_LEVEL_RANK[a] >= DRIVE_LEVEL_RANK[b] ? a : b;
}

export const driveLevelAtLeast = (level: DriveLevel | null, needed: DriveLevel): boolean =>
  level !== null && DRIVE_LEVEL_RANK[level] >= DRIVE_LEVEL_RANK[needed];

const driveNotFound = () => new QixinError('not_found', 'no such file or folder', 'file_not_found');

/**
 * What each drive action needs: reading (list, get, preview, star) 仅查看; download and copying out
 * 可下载; rename, move, create, upload, trash, restore, purge and copying in 可编辑; grants,
 * 禁止转发 and the access history 可管理.
 */
export const DRIVE_NEEDS = {
  read: 'view',
  download: 'download',
  write: 'edit',
  manage: 'manage',
} as const satisfies Record<string, DriveLevel>;

/** The caller's level must reach `needed`; without any level the item is hidden (404). */
export function assertDriveLevel(level: DriveLevel | null, needed: DriveLevel, action: string): void {
  if (level === null) throw driveNotFound();
  if (!driveLevelAtLeast(level, needed))
    throw new QixinError(
      'forbidden',
      `your permission on this item does not allow you to ${action}`,
      'drive_forbidden',
    );
}

/**
 * Taking the bytes away (download, copy out, send into a chat): 可下载, and under 禁止转发 only
 * managers; others may still preview.
 */
export function assertCanTakeDriveFile(node: { no_forward: number }, level: DriveLevel | null, action: string): void {
  assertDriveLevel(level, DRIVE_NEEDS.download, action);
  if (Number(node.no_forward) === 1 && level !== 'manage')
    throw new QixinError(
      'forbidden',
      `this file is marked 禁止转发: you may preview it but not ${action}`,
      'drive_no_forward',
    );
}

/** A space's root folder is never renamed, moved or trashed. */
export function assertDriveNotRoot(node: { parent_id: string | null }): void {
  if (node.parent_id === null)
    throw new QixinError(
      'invalid',
      "a space's root folder cannot be renamed, moved or trashed",
      'drive_root_immutable',
    );
}

/** A folder cannot move into itself or below itself: `targetChain` is the target folder and the folders above it. */
export function assertNoDriveCycle(itemId: string, targetChain: readonly { id: string }[]): void {
  if (targetChain.some((n) => n.id === itemId))
    throw new QixinError('invalid', 'a folder cannot move into itself or one of its sub-folders', 'drive_cycle');
}

/** Only active members hold drive levels (a disabled or departed member loses every grant). */
export const driveMayHoldLevel = (user: { status: UserRow['status'] } | undefined): boolean =>
  user?.status === 'active';

/**
 * In-app preview shows only types a viewer can render without running the file: images (not SVG,
 * which can carry script), video, audio, PDF and plain text.
 */
export function drivePreviewable(mime: string | null): boolean {
  if (!mime) return false;
  const bare = mime.split(';')[0]!.trim().toLowerCase();
  if (bare === 'image/svg+xml') return false;
  return /^(image|video|audio)\//.test(bare) || bare === 'application/pdf' || bare.startsWith('text/');
}

/** Any active member may make a team space (and manages it). */
export function assertCanCreateTeamSpace(active: boolean): void {
  if (!active) throw new QixinError('forbidden', 'only active members can create a team space', 'drive_forbidden');
}

/**
 * A node's grants: one per member or department, and a team space's root keeps at least one 可管理
 * (else nobody could manage the space any more).
 */
export function assertDriveGrantsValid(
  grants: readonly { principal: { type: string; id: string }; level: DriveLevel }[],
  isTeamRoot: boolean,
): void {
  const seen = new Set<string>();
  for (const g of grants) {
    const key = `${g.principal.type}:${g.principal.id}`;
    if (seen.has(key)) throw new QixinError('invalid', 'each member or department can hold only one grant here');
    seen.add(key);
  }
  if (isTeamRoot && !grants.some((g) => g.level === 'manage'))
    throw new QixinError('invalid', 'a team space needs at least one manager');
}

/** 禁止转发 is set on files (a folder's files each carry their own flag). */
export function assertDriveNoForwardTarget(node: { type: 'file' | 'folder' }): void {
  if (node.type !== 'file') throw new QixinError('invalid', 'only a file can be marked 禁止转发');
}

// --- the calendar (日程)
// Levels on a calendar: 仅忙闲 freebusy < 查看 view < 编辑 edit < owner. The owner manages it (name,
// shares, delete); edit writes events into it; view reads them; freebusy sees only when its events
// are busy. An event is also readable by its organizer and its attendees whatever the calendar. The
// organizer (or an editor of the event's calendar) changes and cancels; only attendees answer.
// Meeting rooms are managed by super admins. No level at all: the calendar does not exist for the
// caller (calendar_not_found), as an event nobody let them see (event_not_found).

export type CalendarAccess = 'owner' | 'edit' | 'view' | 'freebusy';
const CALENDAR_RANK: Record<CalendarAccess, number> = { freebusy: 0, view: 1, edit: 2, owner: 3 };

export const calendarLevelAtLeast = (level: CalendarAccess | null, needed: CalendarAccess): boolean =>
  level !== null && CALENDAR_RANK[level] >= CALENDAR_RANK[needed];

const calendarNotFound = () => new QixinError('not_found', 'no such calendar', 'calendar_not_found');
export const eventNotFound = () => new QixinError('not_found', 'no such event', 'event_not_found');

/**
 * What each calendar action needs: reading events' details `view`; writing events (create, import)
 * `edit`; renaming, sharing and deleting `owner`. Free/busy needs only `freebusy`.
 */
export const CALENDAR_NEEDS = {
  busy: 'freebusy',
  read: 'view',
  write: 'edit',
  manage: 'owner',
} as const satisfies Record<string, CalendarAccess>;

/** The caller's level must reach `needed`; without any level the calendar is hidden (404). */
export function assertCalendarLevel(level: CalendarAccess | null, needed: CalendarAccess, action: string): void {
  if (level === null) throw calendarNotFound();
  if (!calendarLevelAtLeast(level, needed))
    throw new QixinError(
      'forbidden',
      `your access to this calendar does not allow you to ${action}`,
      'calendar_forbidden',
    );
}

/** The primary calendar (我的日历) stays as long as its owner. */
export function assertCalendarDeletable(calendar: { is_primary: number }): void {
  if (Number(calendar.is_primary) === 1)
    throw new QixinError('invalid', 'the primary calendar cannot be deleted', 'primary_calendar');
}

/** Shares go to other people, each once. */
export function assertCalendarSharesValid(ownerId: string, shares: readonly { userId: string }[]): void {
  const seen = new Set<string>();
  for (const s of shares) {
    if (s.userId === ownerId) throw new QixinError('invalid', 'a calendar is not shared with its owner');
    if (seen.has(s.userId)) throw new QixinError('invalid', 'each person can hold only one share of a calendar');
    seen.add(s.userId);
  }
}

/**
 * How much of an event the caller may read: all of it (organizer, attendee, view level on its
 * calendar), only its busy time (freebusy level), or nothing (event_not_found).
 */
export function eventReadLevel(
  event: { organizer_id: string },
  userId: string,
  isAttendee: boolean,
  calendarLevel: CalendarAccess | null,
): 'full' | 'busy' {
  if (event.organizer_id === userId || isAttendee || calendarLevelAtLeast(calendarLevel, CALENDAR_NEEDS.read))
    return 'full';
  if (calendarLevel !== null) return 'busy';
  throw eventNotFound();
}

/** Changing or cancelling an event: its organizer, or whoever may write into its calendar. */
export function assertCanChangeEvent(
  event: { organizer_id: string },
  userId: string,
  calendarLevel: CalendarAccess | null,
): void {
  if (event.organizer_id === userId || calendarLevelAtLeast(calendarLevel, CALENDAR_NEEDS.write)) return;
  throw new QixinError('forbidden', 'only the organizer can change or cancel this event', 'not_organizer');
}

/** Answering an invitation: only the people invited. */
export function assertCanRespond(isAttendee: boolean): void {
  if (!isAttendee) throw new QixinError('forbidden', 'only an invited person can answer', 'not_attendee');
}

/** Meeting rooms (会议室) are the enterprise's: super admins add, change and remove them. */
export function assertCanManageRooms(scope: AdminScope): void {
  assertSuperAdmin(scope, 'manage meeting rooms');
}

/** A room holds the organizer and every attendee. */
export function assertRoomFits(room: { capacity: number; name: string }, people: number): void {
  if (people > room.capacity)
    throw new QixinError(
      'conflict',
      `${room.name} holds ${room.capacity} people; this meeting has ${people}`,
      'room_too_small',
    );
}

/** No double booking: an occurrence of the event overlaps another booking of the room. */
export function assertRoomFree(room: { name: string }, clash: { start: number } | undefined): void {
  if (clash)
    throw new QixinError(
      'conflict',
      `${room.name} is already booked at ${new Date(clash.start).toISOString()}`,
      'room_booked',
    );
}
