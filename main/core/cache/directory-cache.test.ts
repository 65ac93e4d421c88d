// The directory as the cache answers it: department windows in pinyin order, search by every
// key a person types, and the bookkeeping of removals and full re-reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Department, User } from '../../../shared/protocol';
import { newId } from '../../../shared/lib/ids';
import { DIR_PASS_KEY, openLocalCache, type LocalCache } from './local-cache';
import { pinyinKeys } from '../../../shared/lib/pinyin';
import { testUser } from '../../../shared/protocol/user.test-fixture';

let dir: string;
let cache: LocalCache;

const root: Department = {
  id: newId(),
  parentId: null,
  name: '企信科技',
  order: 0,
  headIds: [],
  hidden: false,
  depth: 0,
};
const rnd: Department = { ...root, id: newId(), parentId: root.id, name: '研发中心', order: 2, depth: 1 };
const sales: Department = { ...root, id: newId(), parentId: root.id, name: '销售部', order: 1, depth: 1 };
const frontend: Department = { ...root, id: newId(), parentId: rnd.id, name: '前端组', order: 0, depth: 2 };

/** A profile as the relay sends it, with a fresh id and account. */
const person = (name: string, departmentIds: string[], extra: Partial<User> = {}): User =>
  testUser(newId(), name, { account: `acct${Math.random().toString(36).slice(2, 10)}`, departmentIds, ...extra });

function store(users: User[], departments: Department[] = []): void {
  cache.transaction(() => {
    departments.forEach((d) => cache.write.upsertDepartment(d));
    users.forEach((u) => cache.write.upsertUser(u));
  });
}

const names = (users: User[]) => users.map((u) => u.name);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qixin-dir-cache-'));
  cache = openLocalCache({ path: join(dir, 'cache.db') });
  store([], [root, rnd, sales, frontend]);
});
afterEach(() => {
  cache.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('directory members', () => {
  it('lists direct members in pinyin order, reading the surnames 曾 (zeng) and 单 (shan) as surnames', () => {
    store(['张三', '曾小明', '单田芳', '李四', '安娜', 'Bob Smith'].map((n) => person(n, [rnd.id])));
    store([person('王五', [frontend.id])]); // a sub-department's member is not a direct member
    const { users, total } = cache.read.members(rnd.id, 0, 50);
    // an(na), bob, li, shan, zeng, zhang — not 曾 as ceng nor 单 as dan.
    expect(names(users)).toEqual(['安娜', 'Bob Smith', '李四', '单田芳', '曾小明', '张三']);
    expect(total).toBe(6);
  });

  it('answers any window of a large department with the right total', () => {
    const many = Array.from({ length: 1200 }, (_, i) => person(`员工${String(i).padStart(4, '0')}`, [sales.id]));
    store(many);
    const sorted = [...many].sort((a, b) => (a.pinyin < b.pinyin ? -1 : a.pinyin > b.pinyin ? 1 : 0));
    const window = cache.read.members(sales.id, 1000, 100);
    expect(window.total).toBe(1200);
    expect(window.users.map((u) => u.id)).toEqual(sorted.slice(1000, 1100).map((u) => u.id));
    const tail = cache.read.members(sales.id, 1150, 100);
    expect(tail.users).toHaveLength(50);
    expect(cache.read.members(sales.id, 5000, 100)).toEqual({ users: [], total: 1200 });
  });

  it('shows a member in every department they sit in, and moves them when their departments change', () => {
    const li = person('李四', [rnd.id, sales.id], { title: '工程师', mobile: '13800138000', hidden: true });
    store([li]);
    expect(names(cache.read.members(rnd.id, 0, 10).users)).toEqual(['李四']);
    expect(cache.read.members(sales.id, 0, 10).users[0]).toEqual(li);
    store([{ ...li, departmentIds: [frontend.id] }]);
    expect(cache.read.members(rnd.id, 0, 10).total).toBe(0);
    expect(cache.read.members(sales.id, 0, 10).total).toBe(0);
    expect(names(cache.read.members(frontend.id, 0, 10).users)).toEqual(['李四']);
  });

  it('keeps a renamed member in pinyin order', () => {
    const a = person('张三', [rnd.id]);
    store([a, person('李四', [rnd.id])]);
    expect(names(cache.read.search('张', 10).users)).toEqual(['张三']);
    store([{ ...a, name: '艾伦', ...pinyinKeys('艾伦') }]);
    expect(names(cache.read.members(rnd.id, 0, 10).users)).toEqual(['艾伦', '李四']);
    // Search sees the new name at once, and no longer the old one.
    expect(names(cache.read.search('张', 10).users)).toEqual([]);
    expect(names(cache.read.search('艾', 10).users)).toEqual(['艾伦']);
  });
});

describe('directory search', () => {
  const people = () => [
    person('张三', [rnd.id], { account: 'zhangsan', mobile: '13800138000', email: 'zhang.san@qixin.cn' }),
    person('张三丰', [sales.id], { account: 'sanfeng', email: 'feng@qixin.cn' }),
    person('赵四', [sales.id], { account: 'zhaosi', mobile: '+85261234567' }),
    person('曾小明', [rnd.id], { account: 'xiaoming' }),
    person('Alice Wang', [frontend.id], { account: 'alice', email: 'alice@example.com' }),
  ];

  it('finds people by initials, pinyin, name, account, mobile and email', () => {
    store(people());
    const find = (q: string) => names(cache.read.search(q, 50).users);
    expect(find('zs')).toEqual(['张三', '赵四', '张三丰']); // whole initials first, then longer ones
    expect(find('zsf')).toEqual(['张三丰']);
    expect(find('zhangsan')).toEqual(['张三', '张三丰']);
    expect(find('zhang san')).toEqual(['张三', '张三丰']);
    expect(find('ZengXiao')).toEqual(['曾小明']);
    expect(find('三')).toEqual(['张三', '张三丰']);
    expect(find('张三')).toEqual(['张三', '张三丰']); // the exact name first
    expect(find('三丰')).toEqual(['张三丰']);
    expect(find('sanf')).toEqual(['张三丰']); // account prefix
    expect(find('0013800')).toEqual(['张三']); // mobile contains
    expect(find('6123')).toEqual(['赵四']);
    expect(find('alice@')).toEqual(['Alice Wang']); // email prefix
    expect(find('wang')).toEqual(['Alice Wang']); // a Latin name contains
    expect(find('feng@')).toEqual(['张三丰']);
    expect(find('qixin.cn')).toEqual([]); // email is matched from its start only
    expect(find('%')).toEqual([]);
    expect(find('_')).toEqual([]);
  });

  it('caps the answer at the limit and finds departments by name', () => {
    store(people());
    expect(cache.read.search('z', 2).users).toHaveLength(2);
    expect(cache.read.search('研发', 10).departments.map((d) => d.name)).toEqual(['研发中心']);
    expect(cache.read.search('组', 10).departments.map((d) => d.name)).toEqual(['前端组']);
  });
});

describe('directory removals and re-reads', () => {
  it('removes profiles and their department places', () => {
    const [a, b] = [person('甲', [rnd.id]), person('乙', [rnd.id])];
    store([a!, b!]);
    expect(names(cache.read.search('甲', 10).users)).toEqual(['甲']);
    expect(cache.write.deleteDirectoryRows('users', [a!.id, newId()])).toBe(1);
    expect(names(cache.read.members(rnd.id, 0, 10).users)).toEqual(['乙']);
    expect(names(cache.read.search('甲', 10).users)).toEqual([]);
    expect(cache.read.user(a!.id)).toBeNull();
    cache.write.deleteDirectoryRows('departments', [sales.id]);
    expect(cache.read.departments().map((d) => d.name)).toEqual(['企信科技', '研发中心', '前端组']);
  });

  it('sweeps what a full re-read did not see, and keeps what it saw', () => {
    const [kept, gone] = [person('留下', [rnd.id]), person('离开', [rnd.id])];
    store([kept!, gone!]);
    const pass = 1 + (cache.read.kv<number>(DIR_PASS_KEY) ?? 0);
    cache.write.setKv(DIR_PASS_KEY, pass);
    store([kept!], [root, rnd, frontend]);
    expect(names(cache.read.search('离开', 10).users)).toEqual(['离开']);
    expect(cache.write.sweepDirectory('users', pass)).toBe(1);
    expect(names(cache.read.search('离开', 10).users)).toEqual([]);
    expect(cache.write.sweepDirectory('departments', pass)).toBe(1);
    expect(names(cache.read.members(rnd.id, 0, 10).users)).toEqual(['留下']);
    expect(cache.read.department(sales.id)).toBeNull();
  });

  it('reports the conversation members and senders it holds no profile of', () => {
    const known = person('甲', [rnd.id]);
    const stranger = newId();
    store([known]);
    cache.write.upsertConversation(
      {
        id: newId(),
        type: 'group',
        name: null,
        ownerId: known.id,
        memberIds: [known.id, stranger],
        createdAt: 1,
        lastSeq: 0,
        lastActivityAt: 1,
        readSeq: 0,
        pinned: false,
        muted: false,
        active: true,
        adminIds: [],
        lastRev: 0,
        announcement: null,
        welcome: '',
        muteAll: false,
        managersOnly: false,
        dissolved: false,
        tags: [],
      },
      known.id,
    );
    expect(cache.read.unknownConversationMembers()).toEqual([stranger]);
    expect(cache.read.unknownUserIds([known.id, stranger, stranger])).toEqual([stranger]);
    expect(cache.read.usersByIds([stranger, known.id]).map((u) => u.id)).toEqual([known.id]);
  });
});
