// dir.search as people type into the search box: Chinese names, pinyin and initials (zs → 张三),
// account, mobile and email, case-insensitive on both stores, LIKE wildcards taken literally,
// results in pinyin order; departments by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEnterprise,
  createMember,
  openClient,
  startTestRelay,
  type TestClient,
  type TestRelay,
} from '../support/relay';

let relay: TestRelay;
let admin: TestClient;

beforeAll(async () => {
  relay = await startTestRelay();
  const grant = await createEnterprise(relay.url, { enterpriseName: '企信科技', adminName: '管理员' });
  admin = await openClient(relay.url, grant);
  const rd = (await admin.request('admin.dept.create', { parentId: grant.enterprise.id, name: '研发中心' })).department;
  await admin.request('admin.dept.create', { parentId: rd.id, name: '研发测试组' });
  await createMember(admin, {
    name: '张伟',
    account: 'ZhangWei',
    mobile: '13800138000',
    email: 'Wei.Zhang@Example.com',
  });
  await createMember(admin, { name: '张三', account: 'zs01', email: 'x_y@example.com' });
  await createMember(admin, { name: '章子', account: 'zz02', email: 'xay@example.com', alias: 'Zed' });
  await createMember(admin, { name: '王芳', account: 'wangfang', mobile: '+8613912345678' });
}, 30_000);

afterAll(async () => {
  await admin?.close();
  await relay?.close();
});

const names = async (query: string) =>
  (await admin.request('dir.search', { query, limit: 50 })).users.map((u) => u.name);

describe('dir.search', () => {
  it('finds people by name, pinyin and initials, in pinyin order', async () => {
    expect(await names('张')).toEqual(['张三', '张伟']);
    expect(await names('伟')).toEqual(['张伟']);
    expect(await names('zhang')).toEqual(['张三', '张伟', '章子']);
    expect(await names('zs')).toEqual(['张三']);
    expect(await names('ZHANG SAN')).toEqual(['张三']);
    expect(await names('wf')).toEqual(['王芳']);
  });

  it('finds people by account and email prefix and mobile digits, ignoring case', async () => {
    expect(await names('zhangw')).toEqual(['张伟']);
    expect(await names('wei.zhang@')).toEqual(['张伟']);
    expect(await names('0013')).toEqual(['张伟']);
    expect(await names('912345')).toEqual(['王芳']);
    expect(await names('zed')).toEqual(['章子']);
  });

  it('takes % and _ literally', async () => {
    expect(await names('x_y')).toEqual(['张三']);
    expect(await names('%')).toEqual([]);
    expect(await names('_')).toEqual([]);
    expect(await names('y_')).toEqual([]);
  });

  it('finds departments by name, shallow ones first; limits results', async () => {
    const { departments } = await admin.request('dir.search', { query: '研发', limit: 10 });
    expect(departments.map((d) => d.name)).toEqual(['研发中心', '研发测试组']);
    const one = await admin.request('dir.search', { query: 'zhang', limit: 1 });
    expect(one.users.map((u) => u.name)).toEqual(['张三']);
    const empty = await admin.call('dir.search', { query: '   ', limit: 10 });
    expect(empty.payload.error.code).toBe('invalid');
  });
});
