import { describe, expect, it } from 'vitest';
import type { ConversationRow, DeviceRow, MemberRow, UserRow } from '../store/schema';
import * as policy from './policy';
import type { AdminScope } from './directory/scope';
import { sampleTree } from './directory/tree.test-fixture';
import { groupRow, memberRow } from './rows.test-fixture';

const group = groupRow('g', { name: 'team', last_seq: 40 });
const direct: ConversationRow = { ...group, id: 'd', type: 'direct', direct_key: 'a:b' };

function member(user_id: string, extra: Partial<MemberRow> = {}): MemberRow {
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

describe('policy', () => {
  it('lets only active members send, and answers the same for a missing conversation', () => {
    expect(code(() => policy.assertCanSend(true, member('a')))).toBeUndefined();
    expect(code(() => policy.assertCanSend(true, former))).toBe('forbidden');
    expect(code(() => policy.assertCanSend(true, undefined))).toBe('forbidden');
    expect(code(() => policy.assertCanSend(false, undefined))).toBe('forbidden');
  });

  it('lets former members read history only up to where they left', () => {
    expect(policy.readableUpTo(group, member('a'))).toBe(40);
    expect(policy.readableUpTo(group, former)).toBe(12);
    expect(code(() => policy.readableUpTo(group, undefined))).toBe('forbidden');
  });

  it('lets only the owner remove members, never themselves, and only in groups', () => {
    expect(code(() => policy.assertCanRemoveMember(group, member('owner'), 'a'))).toBeUndefined();
    expect(code(() => policy.assertCanRemoveMember(group, member('a'), 'b'))).toBe('forbidden');
    expect(code(() => policy.assertCanRemoveMember(group, member('owner'), 'owner'))).toBe('invalid');
    expect(code(() => policy.assertCanRemoveMember(direct, member('owner'), 'a'))).toBe('invalid');
    expect(code(() => policy.assertCanRemoveMember(group, former, 'a'))).toBe('forbidden');
  });

  it('lets any active group member rename, add people or leave; not in direct chats', () => {
    for (const check of [policy.assertCanRename, policy.assertCanAddMembers, policy.assertCanLeave]) {
      expect(code(() => check(group, member('a')))).toBeUndefined();
      expect(code(() => check(group, former))).toBe('forbidden');
      expect(code(() => check(direct, member('a')))).toBe('invalid');
    }
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
