// The department tree as an admin builds it: depth limit, unique sibling names, moving whole
// subtrees (never under themselves), heads, and deleting only empty departments — and what
// other people's clients learn through dir.sync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Department } from '../../shared/protocol';
import {
  activate,
  createEnterprise,
  createMember,
  openClient,
  startTestRelay,
  syncDirectory,
  type TestClient,
  type TestRelay,
} from '../support/relay';

let relay: TestRelay;
let admin: TestClient;
let member: TestClient;
let rootId: string;

const create = async (parentId: string, name: string, order?: number): Promise<Department> =>
  (await admin.request('admin.dept.create', { parentId, name, ...(order === undefined ? {} : { order }) })).department;

beforeAll(async () => {
  relay = await startTestRelay();
  const grant = await createEnterprise(relay.url, { enterpriseName: '企信科技' });
  rootId = grant.enterprise.id;
  admin = await openClient(relay.url, grant);
  const { activation } = await createMember(admin, { name: '李娜', account: 'lina' });
  member = await openClient(relay.url, await activate(relay.url, activation.code));
}, 30_000);

afterAll(async () => {
  await Promise.all([admin?.close(), member?.close()]);
  await relay?.close();
});

describe('departments', () => {
  it('nests up to 15 levels below the enterprise; the 16th is refused with the reason', async () => {
    let parent = rootId;
    const chain: Department[] = [];
    for (let level = 1; level <= 15; level++) {
      const d = await create(parent, `第${level}级`);
      expect(d.depth).toBe(level);
      chain.push(d);
      parent = d.id;
    }
    const err = await admin.call('admin.dept.create', { parentId: parent, name: '第16级' });
    expect(err.payload.error.code).toBe('invalid');
    expect(err.payload.error.message).toMatch(/15 levels/);
    expect(err.payload.error.reason).toBe('department_too_deep');

    // Moving a 2-level subtree under level 14 would put its leaf at 16: refused too.
    const top = await create(rootId, '顶层');
    await create(top.id, '顶层下级');
    const deep = await admin.call('admin.dept.update', { id: top.id, parentId: chain[13]!.id });
    expect(deep.payload.error.code).toBe('invalid');
    expect(deep.payload.error.message).toMatch(/15 levels/);
    expect(deep.payload.error.reason).toBe('department_too_deep');
  });

  it('sibling names are unique; the same name elsewhere is fine; names cannot contain "/"', async () => {
    const rd = await create(rootId, '研发中心');
    const dup = await admin.call('admin.dept.create', { parentId: rootId, name: '研发中心' });
    expect(dup.payload.error).toMatchObject({ code: 'conflict' });
    expect(dup.payload.error.reason).toBe('department_name_taken');
    expect(dup.payload.error.message).toMatch(/研发中心/);
    await create(rd.id, '研发中心');
    const slash = await admin.call('admin.dept.create', { parentId: rootId, name: '研发/测试' });
    expect(slash.payload.error.code).toBe('invalid');
    // Renaming onto a sibling's name is refused as well.
    const other = await create(rootId, '测试中心');
    const rename = await admin.call('admin.dept.update', { id: other.id, name: '研发中心' });
    expect(rename.payload.error.code).toBe('conflict');
    expect(rename.payload.error.reason).toBe('department_name_taken');
    const unknown = await admin.call('admin.dept.create', {
      parentId: '01890000-0000-7000-8000-000000000000',
      name: 'x',
    });
    expect(unknown.payload.error.code).toBe('not_found');
    expect(unknown.payload.error.reason).toBe('department_not_found');
  });

  it('moves a whole subtree (depths follow) but never under itself; the root stays put', async () => {
    const sales = await create(rootId, '销售部');
    const east = await create(sales.id, '华东区');
    const shanghai = await create(east.id, '上海组');
    const market = await create(rootId, '市场部');

    const cycle = await admin.call('admin.dept.update', { id: sales.id, parentId: shanghai.id });
    expect(cycle.payload.error.code).toBe('invalid');
    expect(cycle.payload.error.message).toMatch(/under itself/);
    expect(cycle.payload.error.reason).toBe('department_cycle');
    const self = await admin.call('admin.dept.update', { id: sales.id, parentId: sales.id });
    expect(self.payload.error.code).toBe('invalid');
    expect(self.payload.error.reason).toBe('department_cycle');

    const before = (await syncDirectory(member, 'departments')).cursor;
    const moved = await admin.request('admin.dept.update', { id: sales.id, parentId: market.id });
    expect(moved.department).toMatchObject({ parentId: market.id, depth: 2 });
    const pulled = await syncDirectory(member, 'departments', before);
    const byId = new Map(pulled.departments.map((d) => [d.id, d]));
    expect(byId.get(east.id)?.depth).toBe(3);
    expect(byId.get(shanghai.id)?.depth).toBe(4);

    const moveRoot = await admin.call('admin.dept.update', { id: rootId, parentId: market.id });
    expect(moveRoot.payload.error).toMatchObject({ code: 'invalid' });
    expect(moveRoot.payload.error.reason).toBe('root_department_immutable');
    const deleteRoot = await admin.call('admin.dept.delete', { id: rootId });
    expect(deleteRoot.payload.error.code).toBe('invalid');
    expect(deleteRoot.payload.error.reason).toBe('root_department_immutable');
    const renameRoot = await admin.call('admin.dept.update', { id: rootId, name: '别的企业名' });
    expect(renameRoot.payload.error).toMatchObject({ code: 'invalid', reason: 'root_department_name' });
  });

  it('heads must be members of the department; reorder puts siblings in order', async () => {
    const hr = await create(rootId, '人力资源部');
    const notMember = await admin.call('admin.dept.update', { id: hr.id, headIds: [member.userId] });
    expect(notMember.payload.error.code).toBe('invalid');
    expect(notMember.payload.error.message).toMatch(/member of that department/);
    expect(notMember.payload.error.reason).toBe('head_not_member');
    await admin.request('admin.member.update', { id: member.userId, patch: { departmentIds: [hr.id, rootId] } });
    const { department } = await admin.request('admin.dept.update', { id: hr.id, headIds: [member.userId], order: -5 });
    expect(department.headIds).toEqual([member.userId]);
    const { departments } = await syncDirectory(member, 'departments');
    const firstChild = departments.filter((d) => d.parentId === rootId).sort((a, b) => a.order - b.order)[0];
    expect(firstChild?.id).toBe(hr.id);
    // Put Li Na back in the root for the other tests.
    await admin.request('admin.member.update', { id: member.userId, patch: { departmentIds: [rootId] } });
    const after = await member.request('dir.sync', { kind: 'departments', after: null, limit: 1000 });
    expect(after.departments.find((d) => d.id === hr.id)?.headIds).toEqual([]);
  });

  it('deletes only empty departments; a deletion reaches clients as a removal', async () => {
    const ops = await create(rootId, '运维部');
    const child = await create(ops.id, '值班组');
    const withChild = await admin.call('admin.dept.delete', { id: ops.id });
    expect(withChild.payload.error.code).toBe('invalid');
    expect(withChild.payload.error.message).toMatch(/sub-departments/);
    expect(withChild.payload.error.reason).toBe('department_has_children');

    const { activation } = await createMember(admin, { name: '赵雷', account: 'zhaolei', departmentIds: [child.id] });
    const withMember = await admin.call('admin.dept.delete', { id: child.id });
    expect(withMember.payload.error.code).toBe('invalid');
    expect(withMember.payload.error.message).toMatch(/members/);
    expect(withMember.payload.error.reason).toBe('department_not_empty');
    await admin.request('admin.member.update', { id: activation.userId, patch: { departmentIds: [rootId] } });

    const synced = await syncDirectory(member, 'departments');
    expect(synced.departments.map((d) => d.id)).toContain(child.id);
    const changed = member.nextEvent('change', (p) => p.change.kind === 'directory');
    await admin.request('admin.dept.delete', { id: child.id });
    await changed;
    const pulled = await syncDirectory(member, 'departments', synced.cursor);
    expect(pulled.removedIds).toEqual([child.id]);
    expect(pulled.departments).toEqual([]);
    // A fresh client never hears of it; the name is free again.
    const fresh = await syncDirectory(member, 'departments');
    expect(fresh.departments.map((d) => d.id)).not.toContain(child.id);
    expect(fresh.removedIds).not.toContain(child.id);
    await create(ops.id, '值班组');
    const again = await admin.call('admin.dept.delete', { id: child.id });
    expect(again.payload.error.code).toBe('not_found');
    expect(again.payload.error.reason).toBe('department_not_found');
  });

  it('plain members cannot change the tree', async () => {
    const res = await member.call('admin.dept.create', { parentId: rootId, name: '私设部门' });
    expect(res.payload.error.code).toBe('forbidden');
    expect(res.payload.error.reason).toBe('not_an_admin');
  });
});
