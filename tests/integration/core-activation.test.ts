// Activation on real desktop cores: the admin (张三) adds 李四 in the console and hands him the
// one-time code; 李四's own core redeems it with a new password and is signed in with his
// profile, online and syncing. The code works once; a wrong one gets one clear answer; and from
// then on 李四 signs in with his account and the password he chose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Department } from '../../shared/protocol';
import { QixinError } from '../../shared/protocol';
import { online, removeTempDirs, startTestCore, waitFor, type TestCore } from '../support/core';
import { startRelayForCores, type RelayForCores } from '../support/core-relay';

let relay: RelayForCores;
let zhang: TestCore; // super admin
let li: TestCore; // the new member, on his own device
let sales: Department;
let code = '';
let liId = '';

const REFUSED = /activation code is wrong, expired or already used/;

/** The error a call fails with (the test fails if it does not). */
async function failure(run: Promise<unknown>): Promise<QixinError> {
  const outcome = await run.then(
    () => null,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(QixinError);
  return outcome as QixinError;
}

beforeAll(async () => {
  relay = await startRelayForCores();
  zhang = await startTestCore(relay.url, { deviceName: 'zhang-pc' });
  const session = await zhang.call('session.createEnterprise', {
    enterpriseName: '企信科技',
    adminName: '张三',
    account: 'zhangsan',
    password: 'password-zhang',
  });
  await online(zhang);
  sales = (await zhang.call('admin.dept.create', { parentId: session.enterprise!.id, name: '销售部' })).department;
  const created = await zhang.call('admin.member.create', {
    name: '李四',
    account: 'lisi',
    title: '销售经理',
    mobile: '13800138000',
    departmentIds: [sales.id],
  });
  expect(created.user.activated).toBe(false);
  code = created.activation.code;
  liId = created.user.id;
  li = await startTestCore(relay.url, { deviceName: 'li-pc' });
}, 60_000);

afterAll(async () => {
  await Promise.all([zhang, li].map((c) => c?.close()));
  await relay?.close();
  removeTempDirs();
});

describe('activating a new member on their desktop core', () => {
  it('shows the signed-out screen before activation, and refuses a sign-in until the member activates', async () => {
    expect((await li.call('session.status')).state).toBe('signed-out');
    const err = await failure(li.call('session.signIn', { login: 'lisi', password: 'password-li' }));
    expect(err.code).toBe('unauthenticated');
    expect(err.message).toMatch(/activate your account/);
    expect(err.reason).toBe('account_not_activated');
  });

  it('redeems the code typed in lower case without dashes and ends signed in with the profile, online', async () => {
    const typed = code.replace(/-/g, '').toLowerCase();
    const info = await li.call('session.activate', { code: typed, password: 'password-li' });
    expect(info.state).toBe('signed-in');
    expect(info.user).toMatchObject({ id: liId, name: '李四', account: 'lisi', title: '销售经理', activated: true });
    expect(info.enterprise?.name).toBe('企信科技');
    expect((await li.call('session.status')).user?.name).toBe('李四');
    await online(li);
    // Synced like after a sign-in: his department and colleagues are in his own cache.
    await waitFor(
      async () => {
        const { users } = await li.call('directory.members', { departmentId: sales.id, offset: 0, limit: 100 });
        return users.some((u) => u.name === '李四');
      },
      { what: '李四 in 销售部 on his core' },
    );
    // And the admin sees him activated (the 未激活 tag goes away).
    await waitFor(async () => (await zhang.call('directory.users', { ids: [liId] })).users[0]?.activated === true, {
      what: '李四 activated on the admin’s core',
    });
  });

  it('refuses the same code a second time with a clear error, and leaves the session as it was', async () => {
    const other = await startTestCore(relay.url, { deviceName: 'borrowed-pc' });
    try {
      const err = await failure(other.call('session.activate', { code, password: 'another-password' }));
      expect(err.code).toBe('unauthenticated');
      expect(err.message).toMatch(REFUSED);
      expect(err.reason).toBe('activation_code_invalid');
      expect((await other.call('session.status')).state).toBe('signed-out');
    } finally {
      await other.close();
    }
    // 李四's own session on the first device is untouched.
    expect((await li.call('session.status')).user?.id).toBe(liId);
  });

  it('refuses a wrong code with the same clear error', async () => {
    const other = await startTestCore(relay.url, { deviceName: 'guess-pc' });
    try {
      const err = await failure(other.call('session.activate', { code: 'ABCD-EFGH-JKMN', password: 'password-x1' }));
      expect(err.code).toBe('unauthenticated');
      expect(err.message).toMatch(REFUSED);
      expect(err.reason).toBe('activation_code_invalid');
      // A password shorter than the rules is refused before the relay is asked.
      const short = await failure(other.call('session.activate', { code, password: 'short' }));
      expect(short.code).toBe('invalid');
    } finally {
      await other.close();
    }
  });

  it('lets the member sign in with the account and the password chosen at activation', async () => {
    await li.call('session.signOut');
    expect((await li.call('session.status')).state).toBe('signed-out');
    const wrong = await failure(li.call('session.signIn', { login: 'lisi', password: 'not-his-password' }));
    expect(wrong.code).toBe('unauthenticated');
    expect(wrong.reason).toBe('wrong_credentials');
    const info = await li.call('session.signIn', { login: 'lisi', password: 'password-li' });
    expect(info.state).toBe('signed-in');
    expect(info.user?.name).toBe('李四');
    await online(li);
  });
});
