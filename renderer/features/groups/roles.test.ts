import { describe, expect, it } from 'vitest';
import { composerBlock, inviteOverflow, isGroupManager, isGroupOwner, mayInviteOrRename } from './roles';

const OWNER = '0190a000-0000-7000-8000-000000000001';
const ADMIN = '0190a000-0000-7000-8000-000000000002';
const MEMBER = '0190a000-0000-7000-8000-000000000003';

const group = {
  type: 'group' as const,
  ownerId: OWNER,
  adminIds: [ADMIN],
  memberIds: [OWNER, ADMIN, MEMBER],
  active: true,
  dissolved: false,
  muteAll: false,
  managersOnly: false,
};

describe('group roles', () => {
  it('knows the owner and the managers', () => {
    expect(isGroupOwner(group, OWNER)).toBe(true);
    expect(isGroupOwner(group, ADMIN)).toBe(false);
    expect(isGroupManager(group, ADMIN)).toBe(true);
    expect(isGroupManager(group, MEMBER)).toBe(false);
    expect(isGroupManager({ ...group, type: 'direct' }, OWNER)).toBe(false);
  });

  it('hides invite and rename from plain members only when the group says so', () => {
    expect(mayInviteOrRename(group, MEMBER)).toBe(true);
    const managersOnly = { ...group, managersOnly: true };
    expect(mayInviteOrRename(managersOnly, MEMBER)).toBe(false);
    expect(mayInviteOrRename(managersOnly, ADMIN)).toBe(true);
    expect(mayInviteOrRename({ ...group, dissolved: true }, OWNER)).toBe(false);
    expect(mayInviteOrRename({ ...group, active: false }, MEMBER)).toBe(false);
  });

  it('blocks the composer of a plain member under 全员禁言, of everyone once dissolved', () => {
    const muted = { ...group, muteAll: true };
    expect(composerBlock(muted, MEMBER)).toBe('muted');
    expect(composerBlock(muted, ADMIN)).toBeNull();
    expect(composerBlock(muted, OWNER)).toBeNull();
    expect(composerBlock({ ...muted, dissolved: true, active: false }, OWNER)).toBe('dissolved');
    expect(composerBlock({ ...group, active: false }, MEMBER)).toBe('left');
    expect(composerBlock(group, MEMBER)).toBeNull();
  });

  it('counts how far an invite goes over the limit', () => {
    expect(inviteOverflow(500, 1, 500)).toBe(1);
    expect(inviteOverflow(499, 1, 500)).toBe(0);
    expect(inviteOverflow(10, 5, 2000)).toBe(0);
  });
});
