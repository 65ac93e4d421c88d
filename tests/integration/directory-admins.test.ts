// Admin roles through the raw protocol: a department admin acts inside their subtree only and
// gets a clear 'forbidden' outside it; roles and visibility rules belong to super admins; every
// admin action leaves an audit record with before and after, and admin.audit's filters work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/lib/ids';
import {
  activate,
  createEnterprise,
  createMember,
  openClient,
  startTestRelay,
  type TestClient,
  type TestRelay,
} from '../support/relay';

let relay: TestRelay;
let admin: TestClient;
let lead: TestClient;
let rootId: string;
const dept: Record<string, string> = {};

beforeAll(async () => {
  relay = await startTestRelay();
  const grant = await createEnterprise(relay.url, { enterpriseName: '企信科技' });
  rootId = grant.enterprise.id;
  admin = await openClient(relay.url, grant);
  dept.rd = (await admin.request('admin.dept.create', { parentId: rootId, name: '研发中心' })).department.id;
  dept.fe = (await admin.request('admin.dept.create', { parentId: dept.rd, name: '前端组' })).department.id;
  dept.sales = (await admin.request('admin.dept.create', { parentId: rootId, name: '销售部' })).department.id;
  const { activation } = await createMember(admin, { name: '周主管', account: 'zhou', departmentIds: [dept.rd] });
  await admin.request('admin.roles.set', {
    userId: activation.userId,
    role: 'department',
    departmentIds: [dept.rd],
    rights: ['directory'],
  });
  lead = await openClient(relay.url, await activate(relay.url, activation.code, 'zhou-pass-1'));
}, 30_000);

afterAll(async () => {
  await Promise.all([admin?.close(), lead?.close()]);
  await relay?.close();
});

async function refused(client: TestClient, type: string, payload: unknown) {
  const frame = await client.call(type, payload);
  expect(frame.payload.ok).toBe(false);
  return frame.payload.error as { code: string; message: string };
}

describe('a department admin', () => {
  it('knows their scope', async () => {
    expect(await lead.request('admin.scope', {})).toEqual({
      superAdmin: false,
      grant: { userId: lead.userId, departmentIds: [dept.rd], rights: ['directory'] },
    });
    expect(await admin.request('admin.scope', {})).toEqual({ superAdmin: true, grant: null });
  });

  it('manages members and departments inside their subtree', async () => {
    const { user } = await createMember(lead, { name: '前端新人', account: 'fe-new', departmentIds: [dept.fe!] });
    const { user: edited } = await lead.request('admin.member.update', { id: user.id, patch: { title: '实习生' } });
    expect(edited.title).toBe('实习生');
    const { department } = await lead.request('admin.dept.create', { parentId: dept.fe!, name: '组件小组' });
    await lead.request('admin.dept.update', { id: department.id, parentId: dept.rd!, name: '组件组' });
    await lead.request('admin.dept.delete', { id: department.id });
    // Hidden members inside the subtree are theirs to see.
    await lead.request('admin.member.update', { id: user.id, patch: { hidden: true } });
    expect((await lead.request('dir.users', { ids: [user.id] })).users).toHaveLength(1);
  });

  it('cannot act outside their subtree: each attempt is a clear forbidden', async () => {
    const outside = /outside the departments you administer/;
    expect(
      await refused(lead, 'admin.member.create', { name: '越权', account: 'sneaky', departmentIds: [dept.sales] }),
    ).toMatchObject({ code: 'forbidden', reason: 'outside_admin_scope', message: expect.stringMatching(outside) });
    // A member may not be moved out of the subtree, nor one from elsewhere edited.
    const { user: mine } = await createMember(lead, { name: '组员', account: 'fe-member', departmentIds: [dept.fe!] });
    expect(
      await refused(lead, 'admin.member.update', { id: mine.id, patch: { departmentIds: [dept.sales] } }),
    ).toMatchObject({ code: 'forbidden', reason: 'outside_admin_scope', message: expect.stringMatching(outside) });
    const { user: seller } = await createMember(admin, {
      name: '销售',
      account: 'seller',
      departmentIds: [dept.sales!],
    });
    expect(await refused(lead, 'admin.member.update', { id: seller.id, patch: { title: '经理' } })).toMatchObject({
      code: 'forbidden',
      reason: 'outside_admin_scope',
      message: expect.stringMatching(outside),
    });
    expect(await refused(lead, 'admin.member.activation', { userId: seller.id })).toMatchObject({
      code: 'forbidden',
      reason: 'outside_admin_scope',
    });
    // Their own department cannot be moved out (nor at all), sub-departments not moved outside.
    expect(await refused(lead, 'admin.dept.update', { id: dept.rd, parentId: dept.sales })).toMatchObject({
      code: 'forbidden',
      reason: 'own_scope_root',
    });
    expect(await refused(lead, 'admin.dept.update', { id: dept.fe, parentId: dept.sales })).toMatchObject({
      code: 'forbidden',
      reason: 'outside_admin_scope',
      message: expect.stringMatching(outside),
    });
    expect(await refused(lead, 'admin.dept.create', { parentId: dept.sales, name: '外部' })).toMatchObject({
      code: 'forbidden',
      reason: 'outside_admin_scope',
    });
    expect(await refused(lead, 'admin.dept.delete', { id: dept.sales })).toMatchObject({
      code: 'forbidden',
      reason: 'outside_admin_scope',
    });
    expect(await refused(lead, 'admin.dept.update', { id: dept.sales, name: '改名' })).toMatchObject({
      code: 'forbidden',
      reason: 'outside_admin_scope',
    });
    // Super admins, roles and visibility rules are out of reach.
    expect(await refused(lead, 'admin.member.update', { id: admin.userId, patch: { title: '傀儡' } })).toMatchObject({
      code: 'forbidden',
      reason: 'super_admin_only',
      message: expect.stringMatching(/super administrator/),
    });
    expect(await refused(lead, 'admin.roles.set', { userId: lead.userId, role: 'super' })).toMatchObject({
      code: 'forbidden',
      reason: 'super_admin_only',
      message: expect.stringMatching(/super administrator/),
    });
    expect(await refused(lead, 'admin.roles.get', {})).toMatchObject({ code: 'forbidden', reason: 'super_admin_only' });
    expect(await refused(lead, 'admin.visibility.set', { rules: [] })).toMatchObject({
      code: 'forbidden',
      reason: 'super_admin_only',
    });
    // Nothing of it happened.
    const { users } = await admin.request('dir.search', { query: 'sneaky', limit: 5 });
    expect(users).toEqual([]);
    const seen = await admin.request('dir.users', { ids: [seller.id, admin.userId] });
    expect(seen.users.map((u) => u.title)).toEqual(['', '']);
  });

  it('a plain member administers nothing', async () => {
    const { activation } = await createMember(admin, { name: '路人', account: 'passer', departmentIds: [dept.rd!] });
    const passer = await openClient(relay.url, await activate(relay.url, activation.code, 'passer-pass-1'));
    try {
      expect(await passer.request('admin.scope', {})).toEqual({ superAdmin: false, grant: null });
      expect(
        await refused(passer, 'admin.member.update', { id: activation.userId, patch: { title: 'x' } }),
      ).toMatchObject({ code: 'forbidden', reason: 'not_an_admin' });
      expect(await refused(passer, 'admin.audit', {})).toMatchObject({ code: 'forbidden', reason: 'not_an_admin' });
    } finally {
      await passer.close();
    }
  });
});

describe('roles', () => {
  it('super admins set roles; the last super admin cannot be demoted; grants need real departments', async () => {
    expect(await refused(admin, 'admin.roles.set', { userId: admin.userId, role: 'none' })).toMatchObject({
      code: 'invalid',
      reason: 'last_super_admin',
      message: expect.stringMatching(/last super administrator/),
    });
    expect(
      await refused(admin, 'admin.roles.set', {
        userId: lead.userId,
        role: 'department',
        departmentIds: [newId()],
        rights: ['directory'],
      }),
    ).toMatchObject({ code: 'not_found', reason: 'department_not_found' });
    // Someone who has left cannot be made an administrator.
    const { user: gone } = await createMember(admin, { name: '已离职', account: 'gone', departmentIds: [dept.rd!] });
    await admin.request('admin.member.update', { id: gone.id, patch: { status: 'left' } });
    expect(await refused(admin, 'admin.roles.set', { userId: gone.id, role: 'super' })).toMatchObject({
      code: 'invalid',
      reason: 'admin_must_be_active',
    });
    const roles = await admin.request('admin.roles.get', {});
    expect(roles).toEqual({
      superAdminIds: [admin.userId],
      grants: [{ userId: lead.userId, departmentIds: [dept.rd], rights: ['directory'] }],
    });
  });
});

describe('audit', () => {
  it('records who did what to whom with before and after; the filters narrow it; department admins see their own', async () => {
    const start = Date.now();
    const { user } = await createMember(admin, { name: '审计对象', account: 'audited', departmentIds: [dept.fe!] });
    await admin.request('admin.member.update', { id: user.id, patch: { title: '旧职务' } });
    await lead.request('admin.member.update', { id: user.id, patch: { title: '新职务', departmentIds: [dept.rd!] } });

    const { records } = await admin.request('admin.audit', { targetId: user.id });
    expect(records.map((r) => r.action)).toEqual(['member.updated', 'member.updated', 'member.added']);
    expect(records[0]).toMatchObject({
      actorId: lead.userId,
      targetId: user.id,
      detail: {
        before: { title: '旧职务', departmentIds: [dept.fe] },
        after: { title: '新职务', departmentIds: [dept.rd] },
      },
    });
    expect(records[0]!.at).toBeGreaterThanOrEqual(start);
    expect(records[2]!.detail).toMatchObject({ before: null, after: { name: '审计对象', account: 'audited' } });

    const byLead = await admin.request('admin.audit', { actorId: lead.userId });
    expect(byLead.records.length).toBeGreaterThan(0);
    expect(byLead.records.every((r) => r.actorId === lead.userId)).toBe(true);
    const roleChanges = await admin.request('admin.audit', { action: 'role.changed' });
    expect(roleChanges.records).toHaveLength(1);
    expect(roleChanges.records[0]!.detail).toMatchObject({
      before: { role: 'none' },
      after: { role: 'department', departmentIds: [dept.rd], rights: ['directory'] },
    });
    const future = await admin.request('admin.audit', { from: Date.now() + 60_000 });
    expect(future.records).toEqual([]);
    const past = await admin.request('admin.audit', { to: start - 1, action: 'member.updated', targetId: user.id });
    expect(past.records).toEqual([]);

    // Newest first, a page at a time, with nothing lost or repeated.
    const all = await admin.request('admin.audit', { limit: 500 });
    const paged = [];
    let beforeId: number | undefined;
    for (;;) {
      const page = await admin.request('admin.audit', { limit: 3, ...(beforeId ? { beforeId } : {}) });
      paged.push(...page.records);
      if (page.nextBeforeId === null) break;
      beforeId = page.nextBeforeId;
    }
    expect(paged.map((r) => r.id)).toEqual(all.records.map((r) => r.id));
    expect(all.records.map((r) => r.id)).toEqual([...all.records.map((r) => r.id)].sort((a, b) => b - a));

    // The department admin reads only the records of their own actions, whatever they ask for.
    const own = await lead.request('admin.audit', { limit: 500 });
    expect(own.records.length).toBeGreaterThan(0);
    expect(own.records.every((r) => r.actorId === lead.userId)).toBe(true);
    expect((await lead.request('admin.audit', { actorId: admin.userId })).records).toEqual([]);
  });
});
