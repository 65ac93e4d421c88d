import { describe, expect, it } from 'vitest';
import type { ConversationRow, DeviceRow, MemberRow, UserRow } from '../store/schema';
import * as policy from './policy';
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
