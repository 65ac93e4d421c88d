// Members as the admin console manages them: creation with a one-time activation code, the
// member's activation over HTTP, profile edits with their checks, and disabling someone (their
// devices are signed out at once and they cannot sign in again).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/database';
import { uniqueViolationError } from '../../server/domain/taken';
import {
  activate,
  createEnterprise,
  createMember,
  httpJson,
  openClient,
  signIn,
  startTestRelay,
  syncDirectory,
  type TestClient,
  type TestRelay,
} from '../support/relay';

let relay: TestRelay;
let admin: TestClient;
let rootId: string;
const opened: TestClient[] = [];

beforeAll(async () => {
  relay = await startTestRelay();
  const grant = await createEnterprise(relay.url, { enterpriseName: '企信科技' });
  rootId = grant.enterprise.id;
  admin = await openClient(relay.url, grant);
  opened.push(admin);
}, 30_000);

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
  await relay?.close();
});

describe('members', () => {
  it('a new member activates with the code, is signed in, and signs in later with the password', async () => {
    const { department: rd } = await admin.request('admin.dept.create', { parentId: rootId, name: '研发中心' });
    const { user, activation } = await createMember(admin, {
      name: '张三',
      account: 'zhangsan',
      alias: 'San',
      title: '前端工程师',
      departmentIds: [rd.id, rootId],
      gender: 'male',
      mobile: '+8613800138000',
      phone: '010-12345678-123',
      email: 'zhangsan@example.com',
      address: '北京市海淀区',
    });
    expect(user).toMatchObject({
      name: '张三',
      pinyin: 'zhangsan',
      initials: 'zs',
      departmentIds: [rd.id, rootId],
      activated: false,
      status: 'active',
      role: 'member',
    });
    expect(activation.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(activation.expiresAt).toBeGreaterThan(Date.now() + 24 * 3600_000);

    // Not activated yet: signing in says what to do.
    const early = await httpJson(relay.url, 'POST', '/api/sessions', {
      login: 'zhangsan',
      password: 'whatever-1',
      deviceName: 'd',
    });
    expect(early.status).toBe(401);
    expect(early.body.error.message).toMatch(/activate your account with the code from your administrator/);
    expect(early.body.error).toMatchObject({ code: 'unauthenticated', reason: 'account_not_activated' });

    // Typed by hand: lower case and without dashes still works.
    const grant = await activate(relay.url, activation.code.toLowerCase().replace(/-/g, ''), 'zhangsan-pass-1');
    expect(grant.user).toMatchObject({ id: user.id, activated: true });
    const socket = await openClient(relay.url, grant);
    opened.push(socket);
    expect((await socket.request('dir.users', { ids: [user.id] })).users[0]?.activated).toBe(true);
    expect((await signIn(relay.url, 'zhangsan', 'zhangsan-pass-1')).user.id).toBe(user.id);

    // The code was single use.
    const reused = await httpJson(relay.url, 'POST', '/api/activate', {
      code: activation.code,
      password: 'another-pass-1',
      deviceName: 'd',
    });
    expect(reused.status).toBe(401);
    expect(reused.body.error.message).toMatch(/wrong, expired or already used/);
    expect(reused.body.error.reason).toBe('activation_code_invalid');
    const reissue = await admin.call('admin.member.activation', { userId: user.id });
    expect(reissue.payload.error.code).toBe('invalid');
    expect(reissue.payload.error.reason).toBe('already_activated');

    // The audit trail has the activation.
    const { records } = await admin.request('admin.audit', { action: 'member.activated', targetId: user.id });
    expect(records).toHaveLength(1);
  });

  it('a fresh code replaces the old one; wrong codes get the same answer', async () => {
    const { activation: first } = await createMember(admin, { name: '李四', account: 'lisi' });
    const { activation: second } = await admin.request('admin.member.activation', { userId: first.userId });
    expect(second.code).not.toBe(first.code);
    const issued = await admin.request('admin.audit', { action: 'member.activation_issued', targetId: first.userId });
    expect(issued.records[0]?.detail).toMatchObject({
      before: { codeExpiresAt: first.expiresAt },
      after: { codeExpiresAt: second.expiresAt },
    });
    expect(JSON.stringify(issued.records)).not.toContain(second.code);
    const old = await httpJson(relay.url, 'POST', '/api/activate', {
      code: first.code,
      password: 'lisi-pass-123',
      deviceName: 'd',
    });
    expect(old.status).toBe(401);
    expect(old.body.error.reason).toBe('activation_code_invalid');
    const wrong = await httpJson(relay.url, 'POST', '/api/activate', {
      code: 'AAAA-BBBB-CCCC',
      password: 'lisi-pass-123',
      deviceName: 'd',
    });
    expect(wrong.body).toEqual(old.body);
    const short = await httpJson(relay.url, 'POST', '/api/activate', {
      code: second.code,
      password: 'x',
      deviceName: 'd',
    });
    expect(short.status).toBe(400);
    expect((await activate(relay.url, second.code, 'lisi-pass-123')).user.account).toBe('lisi');
  });

  it('an expired code is refused like a wrong one', async () => {
    const { activation } = await createMember(admin, { name: '过期', account: 'expired' });
    // A week passes: the store's expiry is moved into the past (the relay's clock is real time).
    const store = await openStore({ databaseUrl: relay.shared.databaseUrl, dataDir: relay.shared.dataDir });
    try {
      await store.db
        .updateTable('activation_codes')
        .set({ expires_at: Date.now() - 1 })
        .where('user_id', '=', activation.userId)
        .execute();
    } finally {
      await store.close();
    }
    const res = await httpJson(relay.url, 'POST', '/api/activate', {
      code: activation.code,
      password: 'expired-pass-1',
      deviceName: 'd',
    });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/wrong, expired or already used/);
    expect(res.body.error.reason).toBe('activation_code_invalid');
    // The admin issues a new one and it works.
    const { activation: fresh } = await admin.request('admin.member.activation', { userId: activation.userId });
    expect((await activate(relay.url, fresh.code, 'expired-pass-1')).user.activated).toBe(true);
  });

  it('edits check unique accounts and mobiles, real departments and managers', async () => {
    const { user: a } = await createMember(admin, { name: '王五', account: 'wangwu', mobile: '13900000001' });
    const { user: b } = await createMember(admin, { name: '赵六', account: 'zhaoliu' });
    const dupAccount = await admin.call('admin.member.update', { id: b.id, patch: { account: 'wangwu' } });
    expect(dupAccount.payload.error.code).toBe('conflict');
    expect(dupAccount.payload.error.reason).toBe('account_taken');
    const dupMobile = await admin.call('admin.member.update', { id: b.id, patch: { mobile: '13900000001' } });
    expect(dupMobile.payload.error.code).toBe('conflict');
    expect(dupMobile.payload.error.reason).toBe('mobile_taken');
    const dupCreate = await admin.call('admin.member.create', {
      name: 'x',
      account: 'wangwu',
      departmentIds: [rootId],
    });
    expect(dupCreate.payload.error.code).toBe('conflict');
    expect(dupCreate.payload.error.reason).toBe('account_taken');
    const ghostDept = await admin.call('admin.member.update', {
      id: b.id,
      patch: { departmentIds: ['01890000-0000-7000-8000-000000000000'] },
    });
    expect(ghostDept.payload.error.code).toBe('not_found');
    expect(ghostDept.payload.error.reason).toBe('department_not_found');
    const selfManager = await admin.call('admin.member.update', { id: b.id, patch: { managerId: b.id } });
    expect(selfManager.payload.error.code).toBe('invalid');
    expect(selfManager.payload.error.reason).toBe('manager_self');
    const ghostManager = await admin.call('admin.member.update', {
      id: b.id,
      patch: { managerId: '01890000-0000-7000-8000-000000000000' },
    });
    expect(ghostManager.payload.error.code).toBe('not_found');
    expect(ghostManager.payload.error.reason).toBe('manager_invalid');
    const badMobile = await admin.call('admin.member.update', { id: b.id, patch: { mobile: '12345' } });
    expect(badMobile.payload.error.code).toBe('invalid');
    const unknown = await admin.call('admin.member.update', {
      id: '01890000-0000-7000-8000-000000000000',
      patch: { title: 'x' },
    });
    expect(unknown.payload.error.code).toBe('not_found');
    expect(unknown.payload.error.reason).toBe('member_not_found');

    const { user } = await admin.request('admin.member.update', {
      id: b.id,
      patch: { name: '曾七', managerId: a.id, mobile: '+12025550123' },
    });
    expect(user).toMatchObject({
      name: '曾七',
      pinyin: 'zengqi',
      initials: 'zq',
      managerId: a.id,
      mobile: '+12025550123',
    });
  });

  it('two admins adding the same account at once: one wins, the others are told the account is taken', async () => {
    const attempts = await Promise.all(
      ['甲', '乙', '丙', '丁'].map((name) =>
        admin.call('admin.member.create', { name, account: 'same-time', departmentIds: [rootId] }),
      ),
    );
    expect(attempts.filter((a) => a.payload.ok)).toHaveLength(1);
    for (const lost of attempts.filter((a) => !a.payload.ok)) {
      expect(lost.payload.error).toMatchObject({ code: 'conflict', reason: 'account_taken' });
    }
  });

  it("a write that loses a race on a unique rule is named by the database's own error", async () => {
    const { user: a } = await createMember(admin, { name: '竞一', account: 'race-a', mobile: '13900000111' });
    const { user: b } = await createMember(admin, { name: '竞二', account: 'race-b' });
    const { department: x } = await admin.request('admin.dept.create', { parentId: rootId, name: '竞赛甲' });
    const { department: y } = await admin.request('admin.dept.create', { parentId: rootId, name: '竞赛乙' });
    const store = await openStore({ databaseUrl: relay.shared.databaseUrl, dataDir: relay.shared.dataDir });
    const violation = (write: Promise<unknown>) =>
      write.then(
        () => expect.fail('the database accepted a duplicate'),
        (err: unknown) => uniqueViolationError(err),
      );
    try {
      const db = store.db;
      const account = await violation(
        db.updateTable('users').set({ account: a.account }).where('id', '=', b.id).execute(),
      );
      expect(account).toMatchObject({ code: 'conflict', reason: 'account_taken' });
      const mobile = await violation(
        db.updateTable('users').set({ mobile: '13900000111' }).where('id', '=', b.id).execute(),
      );
      expect(mobile).toMatchObject({ code: 'conflict', reason: 'mobile_taken' });
      const name = await violation(
        db.updateTable('departments').set({ name: x.name }).where('id', '=', y.id).execute(),
      );
      expect(name).toMatchObject({ code: 'conflict', reason: 'department_name_taken' });
    } finally {
      await store.close();
    }
  });

  it('disabling a member signs out all their devices at once; they cannot sign in until re-enabled', async () => {
    const { activation } = await createMember(admin, { name: '孙丽', account: 'sunli' });
    const laptop = await openClient(relay.url, await activate(relay.url, activation.code, 'sunli-pass-1', 'laptop'));
    const phone = await openClient(relay.url, await signIn(relay.url, 'sunli', 'sunli-pass-1', 'phone'));
    opened.push(laptop, phone);

    const { user } = await admin.request('admin.member.update', {
      id: activation.userId,
      patch: { status: 'disabled' },
    });
    expect(user.status).toBe('disabled');
    for (const device of [laptop, phone]) {
      const revoked = await device.nextEvent('session.revoked');
      expect(revoked.reason).toMatch(/disabled/);
      expect((await device.closed).code).toBe(4001);
    }
    const again = await httpJson(relay.url, 'POST', '/api/sessions', {
      login: 'sunli',
      password: 'sunli-pass-1',
      deviceName: 'd',
    });
    expect(again.status).toBe(401);
    expect(again.body.error.message).toMatch(/disabled/);
    expect(again.body.error.reason).toBe('account_disabled');
    await expect(openClient(relay.url, laptop.grant)).rejects.toMatchObject({ code: 'unauthenticated' });

    // Colleagues' directories drop the disabled member; the admin still sees them.
    const { users } = await syncDirectory(admin, 'users');
    expect(users.find((u) => u.id === user.id)?.status).toBe('disabled');

    await admin.request('admin.member.update', { id: user.id, patch: { status: 'left' } });
    const left = await httpJson(relay.url, 'POST', '/api/sessions', {
      login: 'sunli',
      password: 'sunli-pass-1',
      deviceName: 'd',
    });
    expect(left.body.error.message).toMatch(/left the enterprise/);
    expect(left.body.error.reason).toBe('account_left');
    await admin.request('admin.member.update', { id: user.id, patch: { status: 'active' } });
    expect((await signIn(relay.url, 'sunli', 'sunli-pass-1')).user.status).toBe('active');

    // An admin cannot lock themselves out.
    const selfDisable = await admin.call('admin.member.update', { id: admin.userId, patch: { status: 'disabled' } });
    expect(selfDisable.payload.error.code).toBe('invalid');
    expect(selfDisable.payload.error.reason).toBe('disable_self');
  });
});
