// A fresh client's first read: sync.snapshot (the enterprise and its conversations) and then the
// directory through dir.sync, over a 1,201-person enterprise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  createEnterprise,
  openClient,
  startTestRelay,
  syncDirectory,
  type TestClient,
  type TestRelay,
} from '../support/relay';
import { seedMembers } from '../support/seed';

const SEEDED = 1200;
let relay: TestRelay;
let admin: TestClient;
let adminId: string;
let seeded: { id: string }[];

beforeAll(async () => {
  relay = await startTestRelay();
  const grant = await createEnterprise(relay.url);
  adminId = grant.user.id;
  seeded = await seedMembers(relay.shared, SEEDED);
  admin = await openClient(relay.url, grant);
}, 30_000);

afterAll(async () => {
  await admin?.close();
  await relay?.close();
});

describe('sync.snapshot', () => {
  it('holds the enterprise and the caller’s conversations, and the cursor to pull changes from', async () => {
    const { conversation } = await admin.request('conv.create', {
      type: 'group',
      memberIds: [seeded[0]!.id],
      name: '快照',
    });
    const snapshot = await admin.request('sync.snapshot', {});
    expect(snapshot.enterprise?.name).toBe('测试科技有限公司');
    expect(snapshot.conversations.map((c) => c.id)).toEqual([conversation.id]);
    expect(Object.keys(snapshot).sort()).toEqual(['conversations', 'cursor', 'enterprise']);
    const after = await admin.request('sync.changes', { after: snapshot.cursor });
    expect(after.changes).toEqual([]);
  });
});

describe('dir.sync', () => {
  it('pages deliver every person exactly once; a change made while paging arrives afterwards', async () => {
    const first = await admin.request('dir.sync', { kind: 'users', after: null, limit: 500 });
    expect(first.users).toHaveLength(500);
    expect(first.removedIds).toEqual([]);
    // Someone joins while the client is still paging.
    const { user: late } = await addMember(admin, { name: '迟到', account: 'late' });
    const rest = await syncDirectory(admin, 'users', first.next, 500);

    const ids = [...first.users, ...rest.users].map((u) => u.id);
    expect(ids.filter((id) => id !== late.id)).toHaveLength(SEEDED + 1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(adminId);
    expect(ids.at(-1)).toBe(late.id);
    expect(rest.removedIds).toEqual([]);
    expect(rest.users.find((u) => u.id === late.id)).toMatchObject({ name: '迟到', pinyin: 'chidao', initials: 'cd' });

    // Up to date: pulling again from the cursor brings nothing.
    const again = await admin.request('dir.sync', { kind: 'users', after: rest.cursor, limit: 500 });
    expect(again).toMatchObject({ users: [], removedIds: [], next: null });

    // An edit moves the person to the end of the order: only they come on the next pull.
    await admin.request('admin.member.update', { id: seeded[5]!.id, patch: { title: '工程师' } });
    const edited = await syncDirectory(admin, 'users', rest.cursor);
    expect(edited.users.map((u) => [u.id, u.title])).toEqual([[seeded[5]!.id, '工程师']]);
  });

  it('departments sync the same way, starting with the root (the enterprise)', async () => {
    const { departments } = await syncDirectory(admin, 'departments');
    expect(departments).toEqual([
      {
        id: admin.grant.enterprise.id,
        parentId: null,
        name: '测试科技有限公司',
        order: 0,
        headIds: [],
        hidden: false,
        depth: 0,
      },
    ]);
  });
});
