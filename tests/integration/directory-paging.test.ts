// Big directories through the raw protocol: dir.sync pages of 1,201 people for a plain member
// (every visible person exactly once, hidden ones never, a change made while paging afterwards),
// and dir.members over a 5,000-member department (pinyin order, keyset pages, visible total).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../shared/protocol';
import {
  activate,
  addMember,
  createEnterprise,
  createMember,
  openClient,
  startTestRelay,
  syncDirectory,
  type TestClient,
  type TestRelay,
} from '../support/relay';
import { seedMembers } from '../support/seed';

const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰'];

let relay: TestRelay;
let admin: TestClient;
let plain: TestClient;
let rootId: string;
let bigId: string;
let seeded: { id: string; hidden: number }[];

beforeAll(async () => {
  relay = await startTestRelay();
  const grant = await createEnterprise(relay.url, { enterpriseName: '企信科技' });
  rootId = grant.enterprise.id;
  admin = await openClient(relay.url, grant);
  const { activation } = await createMember(admin, { name: '普通人', account: 'plain' });
  plain = await openClient(relay.url, await activate(relay.url, activation.code, 'plain-pass-1'));
  // 1,199 more in the root: 1,201 people with the admin and the plain member; every 10th hidden.
  seeded = await seedMembers(relay.shared, 1199, 'p', { hidden: (i) => i % 10 === 3 });
  bigId = (await admin.request('admin.dept.create', { parentId: rootId, name: '制造部' })).department.id;
  await seedMembers(relay.shared, 5000, 'big', {
    departmentId: bigId,
    name: (i) => `${SURNAMES[i % 10]}${GIVEN[Math.floor(i / 10) % 12]}${GIVEN[Math.floor(i / 120) % 12]}`,
    hidden: (i) => i % 100 === 0,
  });
}, 120_000);

afterAll(async () => {
  await Promise.all([admin?.close(), plain?.close()]);
  await relay?.close();
});

describe('dir.sync paging', () => {
  it('delivers every visible person exactly once, never a hidden one; a change while paging comes afterwards', async () => {
    const first = await plain.request('dir.sync', { kind: 'users', after: null, limit: 300 });
    // Joins while the plain member is still paging.
    const { user: late } = await addMember(admin, { name: '迟到', account: 'late' });
    const rest = await syncDirectory(plain, 'users', first.next, 300);
    const got: User[] = [...first.users, ...rest.users];
    const ids = got.map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);

    const hidden = new Set(seeded.filter((s) => s.hidden).map((s) => s.id));
    const visibleSeeded = seeded.filter((s) => !s.hidden).map((s) => s.id);
    expect(hidden.size).toBe(120);
    expect(ids.filter((id) => hidden.has(id))).toEqual([]);
    for (const id of [...visibleSeeded, admin.userId, plain.userId, late.id]) expect(ids).toContain(id);
    // 1,079 visible seeded + admin + plain + the late one + 4,950 visible in 制造部.
    expect(ids).toHaveLength(1079 + 3 + 4950);
    expect(ids.at(-1)).toBe(late.id);
    // Hidden people met after the first page come as removals (a client may hold them), never whole.
    expect(rest.removedIds.every((id) => !ids.includes(id))).toBe(true);
  });
});

describe('dir.members', () => {
  it('pages a 5,000-member department in pinyin order with the visible total', async () => {
    const firstPage = async (client: TestClient) => {
      const t0 = performance.now();
      const page = await client.request('dir.members', { departmentId: bigId, after: null, limit: 100 });
      return { page, ms: performance.now() - t0 };
    };
    // Warm once, then measure (reported, not asserted: DESIGN §10).
    await firstPage(plain);
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) timings.push((await firstPage(plain)).ms);
    const adminTimings: number[] = [];
    for (let i = 0; i < 5; i++) adminTimings.push((await firstPage(admin)).ms);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(
      `[dir.members] first page of a 5,000-member department on ${relay.store}: member ${median(timings).toFixed(1)} ms, admin ${median(adminTimings).toFixed(1)} ms (median of 5, through the socket)`,
    );

    const { page } = await firstPage(plain);
    expect(page.total).toBe(4950);
    expect(page.users).toHaveLength(100);
    expect((await firstPage(admin)).page.total).toBe(5000);

    const all: User[] = [];
    let after: { pinyin: string; id: string } | null = null;
    for (;;) {
      const p: Awaited<ReturnType<typeof firstPage>>['page'] = await plain.request('dir.members', {
        departmentId: bigId,
        after,
        limit: 1000,
      });
      all.push(...p.users);
      if (!p.next) break;
      after = p.next;
    }
    expect(all).toHaveLength(4950);
    expect(new Set(all.map((u) => u.id)).size).toBe(4950);
    expect(all.every((u) => !u.hidden)).toBe(true);
    const keys = all.map((u) => [u.pinyin, u.id] as const);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
    expect(keys).toEqual(sorted);
    expect(all[0]!.pinyin.startsWith('chen')).toBe(true);
  });
});
