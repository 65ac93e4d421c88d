// Every permission decision of the relay, in one place. Each check throws a QixinError
// that the gateway sends back as is; callers pass the rows they already loaded.
import { QixinError } from '../../shared/protocol';
import type { ConversationRow, DeviceRow, MemberRow, UserRow } from '../store/schema';
import type { AdminScope } from './directory/scope';
import type { DepartmentTree } from './directory/tree';

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
