// Who sees whom, checked through the raw protocol for a plain member in every directory read
// (dir.sync, dir.members, dir.search, dir.users): hidden members, hidden departments and a
// visibility rule (通讯录查看权限). The admin still sees everyone; a chat partner still resolves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../shared/protocol';
import {
  activate,
  createEnterprise,
  createMember,
  newId,
  openClient,
  startTestRelay,
  syncDirectory,
  type TestClient,
  type TestRelay,
} from '../support/relay';

let relay: TestRelay;
let admin: TestClient;
let plain: TestClient;
let insider: TestClient;
let rootId: string;
const dept: Record<string, string> = {};
const people: Record<string, User> = {};

beforeAll(async () => {
  relay = await startTestRelay();
  const grant = await createEnterprise(relay.url, { enterpriseName: '企信科技' });
  rootId = grant.enterprise.id;
  admin = await openClient(relay.url, grant);
  for (const name of ['研发中心', '销售部', '机密项目', '财务部']) {
    dept[name] = (await admin.request('admin.dept.create', { parentId: rootId, name })).department.id;
  }
  const add = async (key: string, name: string, department: string) => {
    const made = await createMember(admin, { name, account: key, departmentIds: [dept[department]!] });
    people[key] = made.user;
    return made.activation.code;
  };
  const plainCode = await add('plain', '普通人', '销售部');
  await add('coder', '程序员', '研发中心');
  await add('ghost', '隐身侠', '研发中心');
  const insiderCode = await add('insider', '秘密人', '机密项目');
  await add('money', '钱财', '财务部');
  plain = await openClient(relay.url, await activate(relay.url, plainCode, 'plain-pass-1'));
  insider = await openClient(relay.url, await activate(relay.url, insiderCode, 'insider-pass-1'));
}, 60_000);

afterAll(async () => {
  await Promise.all([admin?.close(), plain?.close(), insider?.close()]);
  await relay?.close();
});

const ids = (users: User[]) => users.map((u) => u.id);

/** What `client` sees of `user` in each of the four directory reads. */
async function sightings(client: TestClient, user: User, departmentId: string, query: string) {
  const synced = await syncDirectory(client, 'users');
  const members = await client.call('dir.members', { departmentId, after: null, limit: 100 });
  const found = await client.request('dir.search', { query, limit: 50 });
  const cards = await client.request('dir.users', { ids: [user.id] });
  return {
    sync: ids(synced.users).includes(user.id),
    members: members.payload.ok ? ids(members.payload.value.users).includes(user.id) : members.payload.error.code,
    search: ids(found.users).includes(user.id),
    card: ids(cards.users).includes(user.id),
  };
}
const everywhere = { sync: true, members: true, search: true, card: true };
const nowhere = { sync: false, members: false, search: false, card: false };

describe('directory visibility', () => {
  it('everyone active and not hidden is visible to a plain member', async () => {
    expect(await sightings(plain, people.ghost!, dept['研发中心']!, '隐身')).toEqual(everywhere);
    expect(await sightings(plain, people.money!, dept['财务部']!, 'qiancai')).toEqual(everywhere);
  });

  it('a hidden member disappears for plain members (their cache drops them) but not for the admin', async () => {
    const before = await syncDirectory(plain, 'users');
    const members = await plain.request('dir.members', { departmentId: dept['研发中心']!, after: null, limit: 100 });
    expect(members.total).toBe(2);

    await admin.request('admin.member.update', { id: people.ghost!.id, patch: { hidden: true } });
    const pulled = await syncDirectory(plain, 'users', before.cursor);
    expect(pulled.removedIds).toEqual([people.ghost!.id]);
    expect(pulled.users).toEqual([]);

    expect(await sightings(plain, people.ghost!, dept['研发中心']!, '隐身')).toEqual(nowhere);
    expect(await sightings(plain, people.ghost!, dept['研发中心']!, 'ysx')).toEqual(nowhere);
    const after = await plain.request('dir.members', { departmentId: dept['研发中心']!, after: null, limit: 100 });
    expect(after.total).toBe(1);
    expect(await sightings(admin, people.ghost!, dept['研发中心']!, '隐身')).toEqual(everywhere);
    // They still see themselves.
    expect(ids((await insider.request('dir.users', { ids: [insider.userId] })).users)).toEqual([insider.userId]);
  });

  it('a hidden department hides its members and itself, except from the people inside it', async () => {
    await admin.request('admin.dept.update', { id: dept['机密项目']!, hidden: true });
    expect(await sightings(plain, people.insider!, dept['机密项目']!, '秘密')).toEqual({
      ...nowhere,
      members: 'not_found',
    });
    const { departments } = await syncDirectory(plain, 'departments');
    expect(departments.map((d) => d.id)).not.toContain(dept['机密项目']);
    expect((await plain.request('dir.search', { query: '机密', limit: 10 })).departments).toEqual([]);

    expect(await sightings(admin, people.insider!, dept['机密项目']!, '秘密')).toEqual(everywhere);
    expect((await admin.request('dir.search', { query: '机密', limit: 10 })).departments.map((d) => d.id)).toEqual([
      dept['机密项目'],
    ]);
    // The member inside sees their department and everyone else as usual.
    const inside = await syncDirectory(insider, 'departments');
    expect(inside.departments.map((d) => d.id)).toContain(dept['机密项目']);
    expect(await sightings(insider, people.coder!, dept['研发中心']!, '程序员')).toEqual(everywhere);
  });

  it('a visibility rule limits its subjects to the listed departments (and their own); others are unaffected', async () => {
    const epoch = (await plain.request('dir.sync', { kind: 'users', after: null, limit: 1 })).epoch;
    const changed = plain.nextEvent('change', (p) => p.change.kind === 'directory' && p.change.epoch > epoch);
    await admin.request('admin.visibility.set', {
      rules: [{ id: newId(), subjectDepartmentIds: [dept['销售部']!], visibleDepartmentIds: [dept['研发中心']!] }],
    });
    await changed;
    const synced = await syncDirectory(plain, 'users');
    expect(synced.epoch).toBeGreaterThan(epoch);
    expect(ids(synced.users).sort()).toEqual([people.plain!.id, people.coder!.id].sort());

    expect(await sightings(plain, people.money!, dept['财务部']!, '钱财')).toEqual({
      ...nowhere,
      members: 'not_found',
    });
    expect(await sightings(plain, people.coder!, dept['研发中心']!, 'cxy')).toEqual(everywhere);
    // The root shows for navigation, but its direct members (the admin) are not listed.
    const root = await plain.request('dir.members', { departmentId: rootId, after: null, limit: 100 });
    expect(root).toEqual({ users: [], total: 0, next: null });
    const tree = await syncDirectory(plain, 'departments');
    expect(tree.departments.map((d) => d.id).sort()).toEqual([rootId, dept['研发中心'], dept['销售部']].sort());

    // Someone the rule does not name, and the admin, still see the finance department.
    expect(await sightings(admin, people.money!, dept['财务部']!, '钱财')).toEqual(everywhere);
    expect((await sightings(insider, people.money!, dept['财务部']!, '钱财')).card).toBe(true);
  });

  it('a chat partner always resolves, hidden or outside the rule', async () => {
    expect((await plain.request('dir.users', { ids: [people.money!.id, people.ghost!.id] })).users).toEqual([]);
    await admin.request('conv.create', {
      type: 'group',
      memberIds: [people.plain!.id, people.money!.id, people.ghost!.id],
      name: '跨部门项目',
    });
    const cards = await plain.request('dir.users', { ids: [people.money!.id, people.ghost!.id] });
    expect(cards.users.map((u) => u.name)).toEqual(['钱财', '隐身侠']);
  });
});
