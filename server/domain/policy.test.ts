import { describe, expect, it } from 'vitest';
import type { DeviceRow, UserRow } from '../store/schema';
import * as policy from './policy';
import type { AdminScope } from './directory/scope';
import { sampleTree } from './directory/tree.test-fixture';
import { groupRow, memberRow } from './rows.test-fixture';
import type { StoredConversation, StoredMember } from './views';

const group = groupRow('g', { name: 'team', last_seq: 40 });
const direct: StoredConversation = { ...group, id: 'd', type: 'direct', direct_key: 'a:b' };

function member(user_id: string, extra: Partial<StoredMember> = {}): StoredMember {
  return memberRow('g', user_id, extra);
}
const former = member('gone', { active: 0, left_seq: 12 });

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

/** The refusal's reason, or undefined when allowed. */
function reason(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { reason?: string }).reason ?? 'no reason';
  }
  return undefined;
}

describe('policy', () => {
  it('lets only active members send, and answers the same for a missing conversation', () => {
    expect(code(() => policy.assertCanSend(group, member('a')))).toBeUndefined();
    expect(reason(() => policy.assertCanSend(group, former))).toBe('not_a_member');
    expect(reason(() => policy.assertCanSend(group, undefined))).toBe('not_a_member');
    expect(reason(() => policy.assertCanSend(undefined, undefined))).toBe('not_a_member');
  });

  it('refuses sends into a dissolved group, and under mute-all from anyone but the owner and admins', () => {
    const muted = { ...group, owner_id: 'boss', mute_all: 1 };
    expect(reason(() => policy.assertCanSend(muted, member('a')))).toBe('group_muted');
    expect(reason(() => policy.assertCanSend(muted, member('boss')))).toBeUndefined();
    expect(reason(() => policy.assertCanSend(muted, member('a', { admin: 1 })))).toBeUndefined();
    expect(reason(() => policy.assertCanSend({ ...group, dissolved: 1 }, member('a')))).toBe('group_dissolved');
  });

  it('lets former members read history only up to where they left', () => {
    expect(policy.readableUpTo(group, member('a'))).toBe(40);
    expect(policy.readableUpTo(group, former)).toBe(12);
    expect(code(() => policy.readableUpTo(group, undefined))).toBe('forbidden');
  });

  it('lets the owner remove anyone else, admins only plain members, nobody themselves, only in groups', () => {
    const owner = member('owner');
    const admin = member('adm', { admin: 1 });
    const remove = (actor: StoredMember, target: StoredMember | undefined, conv = group) =>
      reason(() => policy.assertCanRemoveMember(conv, actor, target, target?.user_id ?? 'x'));
    expect(remove(owner, member('a'))).toBeUndefined();
    expect(remove(owner, admin)).toBeUndefined();
    expect(remove(admin, member('a'))).toBeUndefined();
    expect(remove(admin, owner)).toBe('not_group_owner');
    expect(remove(admin, member('adm2', { admin: 1 }))).toBe('not_group_owner');
    expect(remove(member('a'), member('b'))).toBe('not_group_manager');
    expect(remove(owner, owner)).toBe('no reason');
    expect(remove(owner, former)).toBe('target_not_member');
    expect(remove(owner, member('a'), direct)).toBe('not_a_group');
    expect(remove(former, member('a'))).toBe('not_a_member');
    expect(remove(owner, member('a'), { ...group, dissolved: 1 })).toBe('group_dissolved');
  });

  it('lets any active group member rename, add people or leave; not in direct chats', () => {
    for (const check of [policy.assertCanRename, policy.assertCanAddMembers, policy.assertCanLeave]) {
      expect(code(() => check(group, member('a')))).toBeUndefined();
      expect(code(() => check(group, former))).toBe('forbidden');
      expect(reason(() => check(direct, member('a')))).toBe('not_a_group');
      expect(reason(() => check({ ...group, dissolved: 1 }, member('a', { active: 0 })))).toBe('group_dissolved');
    }
  });

  it('lets only the owner and admins rename or invite in a managers-only group', () => {
    const strict = { ...group, managers_only: 1 };
    for (const check of [policy.assertCanRename, policy.assertCanAddMembers]) {
      expect(reason(() => check(strict, member('a')))).toBe('not_group_manager');
      expect(reason(() => check(strict, member('a', { admin: 1 })))).toBeUndefined();
      expect(reason(() => check(strict, member('owner')))).toBeUndefined();
    }
    expect(reason(() => policy.assertCanLeave(strict, member('a')))).toBeUndefined();
  });

  it('keeps a group within its member limit', () => {
    expect(reason(() => policy.assertGroupHasRoom(500, 500))).toBeUndefined();
    expect(reason(() => policy.assertGroupHasRoom(500, 501))).toBe('group_full');
  });

  it('leaves admins, transfer and dissolution to the owner; announcement and settings to managers too', () => {
    const owner = member('owner');
    const admin = member('adm', { admin: 1 });
    const plain = member('a');
    expect(reason(() => policy.assertGroupOwner(group, owner))).toBeUndefined();
    expect(reason(() => policy.assertGroupOwner(group, admin))).toBe('not_group_owner');
    expect(reason(() => policy.assertGroupManager(group, admin))).toBeUndefined();
    expect(reason(() => policy.assertGroupManager(group, plain))).toBe('not_group_manager');
    expect(reason(() => policy.assertGroupManager(direct, plain))).toBe('not_a_group');

    const members = [owner, admin, plain, former];
    expect(reason(() => policy.assertCanSetAdmins(group, owner, members, ['adm', 'a']))).toBeUndefined();
    expect(reason(() => policy.assertCanSetAdmins(group, owner, members, ['gone']))).toBe('target_not_member');
    expect(reason(() => policy.assertCanSetAdmins(group, owner, members, ['owner']))).toBe('no reason');
    const eleven = Array.from({ length: 11 }, (_, i) => `m${i}`);
    expect(reason(() => policy.assertCanSetAdmins(group, owner, members, eleven))).toBe('too_many_admins');
    expect(reason(() => policy.assertCanSetAdmins(group, admin, members, []))).toBe('not_group_owner');

    expect(reason(() => policy.assertCanTransfer(group, owner, plain))).toBeUndefined();
    expect(reason(() => policy.assertCanTransfer(group, owner, former))).toBe('target_not_member');
    expect(reason(() => policy.assertCanTransfer(group, owner, undefined))).toBe('target_not_member');
  });

  it('shows the announcement history to members and former members of groups only', () => {
    expect(reason(() => policy.assertCanReadAnnouncements({ ...group, dissolved: 1 }, former))).toBeUndefined();
    expect(reason(() => policy.assertCanReadAnnouncements(group, undefined))).toBe('not_a_member');
    expect(reason(() => policy.assertCanReadAnnouncements(direct, member('a')))).toBe('not_a_group');
  });

  it('lets only super admins change enterprise settings', () => {
    const scope = (superAdmin: boolean): AdminScope => ({ superAdmin, departmentIds: [], rights: [] });
    expect(reason(() => policy.assertCanUpdateEnterprise(scope(true)))).toBeUndefined();
    expect(reason(() => policy.assertCanUpdateEnterprise(scope(false)))).toBe('super_admin_only');
  });

  it('lets a former member keep their own pins and mutes, but not see read receipts', () => {
    expect(code(() => policy.assertCanSetPrefs(group, former))).toBeUndefined();
    expect(code(() => policy.assertCanSeeReadStates(group, former))).toBe('forbidden');
    expect(code(() => policy.assertCanSeeReadStates(group, member('a')))).toBeUndefined();
  });

  it('lets only admins add people to the enterprise', () => {
    const user = { role: 'member' } as UserRow;
    expect(code(() => policy.assertCanAddEnterpriseMember(user))).toBe('forbidden');
    expect(code(() => policy.assertCanAddEnterpriseMember({ ...user, role: 'admin' }))).toBeUndefined();
  });

  it("treats someone else's device as missing when revoking", () => {
    const device = { id: 'd1', user_id: 'a' } as DeviceRow;
    expect(code(() => policy.assertCanRevokeDevice('a', device))).toBeUndefined();
    expect(code(() => policy.assertCanRevokeDevice('b', device))).toBe('not_found');
    expect(code(() => policy.assertCanRevokeDevice('a', undefined))).toBe('not_found');
  });
});

describe('directory administration', () => {
  const tree = sampleTree();
  const superAdmin: AdminScope = { superAdmin: true, departmentIds: [], rights: ['directory', 'apps', 'customers'] };
  const rdAdmin: AdminScope = { superAdmin: false, departmentIds: ['rd'], rights: ['directory'] };
  const appsOnly: AdminScope = { superAdmin: false, departmentIds: ['rd'], rights: ['apps'] };
  const nobody: AdminScope = { superAdmin: false, departmentIds: [], rights: [] };

  it('super admins may do anything in the tree', () => {
    expect(code(() => policy.assertCanCreateDepartment(superAdmin, tree, 'sales'))).toBeUndefined();
    expect(code(() => policy.assertCanChangeDepartment(superAdmin, tree, 'rd', 'move', 'sales'))).toBeUndefined();
    expect(
      code(() => policy.assertCanManageMember(superAdmin, tree, { role: 'admin', departmentIds: ['root'] }, undefined)),
    ).toBeUndefined();
    expect(code(() => policy.assertSuperAdmin(superAdmin, 'x'))).toBeUndefined();
  });

  it('a department admin acts inside their subtrees only, and never on super admins, roles or rules', () => {
    expect(code(() => policy.assertCanCreateDepartment(rdAdmin, tree, 'fe'))).toBeUndefined();
    expect(code(() => policy.assertCanCreateDepartment(rdAdmin, tree, 'sales'))).toBe('forbidden');
    expect(code(() => policy.assertCanChangeDepartment(rdAdmin, tree, 'ui', 'move', 'be'))).toBeUndefined();
    expect(code(() => policy.assertCanChangeDepartment(rdAdmin, tree, 'ui', 'move', 'sales'))).toBe('forbidden');
    expect(code(() => policy.assertCanChangeDepartment(rdAdmin, tree, 'rd', 'edit'))).toBeUndefined();
    expect(code(() => policy.assertCanChangeDepartment(rdAdmin, tree, 'rd', 'delete'))).toBe('forbidden');
    expect(code(() => policy.assertCanChangeDepartment(rdAdmin, tree, 'sales', 'edit'))).toBe('forbidden');
    const inside = { role: 'member' as const, departmentIds: ['fe'] };
    expect(code(() => policy.assertCanManageMember(rdAdmin, tree, inside, ['be']))).toBeUndefined();
    expect(code(() => policy.assertCanManageMember(rdAdmin, tree, inside, ['be', 'sales']))).toBe('forbidden');
    expect(
      code(() => policy.assertCanManageMember(rdAdmin, tree, { ...inside, departmentIds: ['fe', 'sales'] }, undefined)),
    ).toBe('forbidden');
    expect(
      code(() => policy.assertCanManageMember(rdAdmin, tree, { role: 'admin', departmentIds: ['fe'] }, undefined)),
    ).toBe('forbidden');
    expect(code(() => policy.assertSuperAdmin(rdAdmin, 'change roles'))).toBe('forbidden');
    expect(policy.auditActorFilter(rdAdmin, 'me')).toBe('me');
    expect(policy.auditActorFilter(superAdmin, 'me')).toBeNull();
  });

  it('without the directory right, or without a grant, nothing in the directory', () => {
    expect(code(() => policy.assertCanManageMember(appsOnly, tree, null, ['fe']))).toBe('forbidden');
    expect(code(() => policy.assertDirectoryAdmin(nobody))).toBe('forbidden');
    expect(code(() => policy.auditActorFilter(nobody, 'me'))).toBe('forbidden');
  });
});
