// Accounts and sessions as an admin and staff experience them: first-run setup,
// signing in by account or mobile, device lists, revoking and changing passwords.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  createEnterprise,
  httpJson,
  openClient,
  RequestError,
  signIn,
  startTestRelay,
  syncDirectory,
  type TestClient,
  type TestRelay,
} from '../support/relay';

let relay: TestRelay;
let admin: TestClient;
const opened: TestClient[] = [];

beforeAll(async () => {
  relay = await startTestRelay({ signInPerMinute: 10 });
});
afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
  await relay?.close();
});

async function client(login: string, password: string, device: string) {
  const c = await openClient(relay.url, await signIn(relay.url, login, password, device));
  opened.push(c);
  return c;
}

describe('accounts', () => {
  it('sets up the enterprise once; a second setup is refused with 409', async () => {
    const before = await httpJson(relay.url, 'GET', '/api/setup');
    expect(before).toEqual({ status: 200, body: { initialized: false, enterprise: null } });

    const grant = await createEnterprise(relay.url, { enterpriseName: '企信科技', account: 'admin' });
    expect(grant.user.role).toBe('admin');
    expect(grant.enterprise.name).toBe('企信科技');
    admin = await openClient(relay.url, grant);
    opened.push(admin);

    const after = await httpJson(relay.url, 'GET', '/api/setup');
    expect(after.body.initialized).toBe(true);
    expect(after.body.enterprise.name).toBe('企信科技');

    const again = await httpJson(relay.url, 'POST', '/api/setup', {
      enterpriseName: '别的公司',
      adminName: 'x',
      account: 'intruder',
      password: 'password-123',
      deviceName: 'x',
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', reason: 'enterprise_exists' });
    expect((await signIn(relay.url, 'admin', 'admin-password-1')).user.id).toBe(grant.user.id);
    expect((await httpJson(relay.url, 'GET', '/healthz')).status).toBe(200);
  });

  it('refuses bad setup and sign-in bodies with the reason, and bodies that are too large', async () => {
    const bad = await httpJson(relay.url, 'POST', '/api/sessions', { login: 'admin' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid');
    expect(bad.body.error.message).toMatch(/password/);
    const notJson = await httpJson(relay.url, 'POST', '/api/sessions', '{not json');
    expect(notJson.status).toBe(400);
    const huge = await httpJson(relay.url, 'POST', '/api/sessions', {
      login: 'admin',
      password: 'x'.repeat(20_000),
      deviceName: 'd',
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('too_large');
    expect((await httpJson(relay.url, 'GET', '/api/nothing')).status).toBe(404);
  });

  it('signs in with the account name or the mobile number; wrong passwords and unknown users look the same', async () => {
    const { user, password } = await addMember(admin, { name: '张伟', account: 'zhangwei', mobile: '13800138000' });
    expect((await signIn(relay.url, 'zhangwei', password)).user.id).toBe(user.id);
    expect((await signIn(relay.url, '13800138000', password)).user.id).toBe(user.id);

    const wrong = await httpJson(relay.url, 'POST', '/api/sessions', {
      login: 'zhangwei',
      password: 'nope-nope',
      deviceName: 'd',
    });
    const unknown = await httpJson(relay.url, 'POST', '/api/sessions', {
      login: 'nobody',
      password: 'nope-nope',
      deviceName: 'd',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toEqual(unknown.body.error);
    expect(wrong.body.error.reason).toBe('wrong_credentials');
  });

  it('limits sign-in attempts per login (429), without locking out other people', async () => {
    const { password } = await addMember(admin, { account: 'guessme' });
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      codes.push(
        (
          await httpJson(relay.url, 'POST', '/api/sessions', {
            login: 'guessme',
            password: `guess-${i}`,
            deviceName: 'd',
          })
        ).status,
      );
    }
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
    const blocked = await httpJson(relay.url, 'POST', '/api/sessions', { login: 'guessme', password, deviceName: 'd' });
    expect(blocked.body.error.code).toBe('rate_limited');
    expect((await signIn(relay.url, 'zhangwei', 'member-password-1')).user.account).toBe('zhangwei');
  });

  it('a non-admin cannot add members; duplicate accounts and mobiles are refused', async () => {
    await addMember(admin, { account: 'lina', mobile: '13900000001' });
    const lina = await client('lina', 'member-password-1', 'laptop');
    await expect(addMember(lina, { account: 'sneaky' })).rejects.toMatchObject({
      error: { code: 'forbidden', reason: 'not_an_admin' },
    });
    await expect(addMember(admin, { account: 'lina' })).rejects.toMatchObject({
      error: { code: 'conflict', reason: 'account_taken' },
    });
    await expect(addMember(admin, { account: 'other', mobile: '13900000001' })).rejects.toMatchObject({
      error: { code: 'conflict', reason: 'mobile_taken' },
    });
  });

  it('everyone learns about a new colleague through the change stream', async () => {
    const lina = await client('lina', 'member-password-1', 'phone');
    const { users: before } = await syncDirectory(lina, 'users');
    const { user } = await addMember(admin, { name: '王芳', account: 'wangfang' });
    const change = await lina.nextEvent('change', (p) => p.change.kind === 'directory');
    expect(change.change.kind === 'directory' && change.change.version).toBeGreaterThan(0);
    // The change says "pull the directory"; the pull brings the new colleague, in the root department.
    const cursor = (await syncDirectory(lina, 'users')).cursor;
    expect(before.some((u) => u.id === user.id)).toBe(false);
    const fresh = await lina.request('dir.sync', { kind: 'users', after: null, limit: 1000 });
    const wang = fresh.users.find((u) => u.id === user.id);
    expect(wang).toMatchObject({ name: '王芳', pinyin: 'wangfang', initials: 'wf', activated: true });
    expect(wang!.departmentIds).toEqual([admin.grant.enterprise.id]);
    expect(cursor).not.toBeNull();
  });

  it('lists own devices and revoking one closes its socket with session.revoked', async () => {
    await addMember(admin, { account: 'zhaolei' });
    const laptop = await client('zhaolei', 'member-password-1', 'laptop');
    const phone = await client('zhaolei', 'member-password-1', 'phone');
    const { devices } = await laptop.request('auth.devices', {});
    expect(devices.map((d) => [d.name, d.current]).sort()).toEqual([
      ['laptop', true],
      ['phone', false],
    ]);

    await laptop.request('auth.revoke', { deviceId: phone.deviceId });
    const revoked = await phone.nextEvent('session.revoked');
    expect(revoked.reason).toBeTruthy();
    expect((await phone.closed).code).toBe(4001);
    // The revoked token is dead for good, and the relay says so.
    await expect(openClient(relay.url, phone.grant)).rejects.toMatchObject({
      error: { code: 'unauthenticated', reason: 'session_revoked' },
    });
    expect((await laptop.request('auth.devices', {})).devices.map((d) => d.name)).toEqual(['laptop']);

    // Someone else's device cannot be revoked (and its existence is not revealed).
    await expect(admin.request('auth.revoke', { deviceId: laptop.deviceId })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await laptop.request('auth.devices', {})).toBeTruthy();
  });

  it('signing out ends the current session', async () => {
    const c = await client('zhaolei', 'member-password-1', 'kiosk');
    await c.request('auth.signOut', {});
    expect((await c.closed).code).toBe(4001);
    await expect(openClient(relay.url, c.grant)).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('changing the password needs the old one and signs out every other device', async () => {
    await addMember(admin, { account: 'sunli' });
    const laptop = await client('sunli', 'member-password-1', 'laptop');
    const phone = await client('sunli', 'member-password-1', 'phone');
    await expect(
      laptop.request('auth.changePassword', { oldPassword: 'wrong-one', newPassword: 'new-password-2' }),
    ).rejects.toMatchObject({ error: { code: 'forbidden', reason: 'current_password_wrong' } });
    await laptop.request('auth.changePassword', { oldPassword: 'member-password-1', newPassword: 'new-password-2' });
    await phone.nextEvent('session.revoked');
    expect((await phone.closed).code).toBe(4001);
    // This device stays signed in; the old password no longer works, the new one does.
    expect((await laptop.request('auth.devices', {})).devices).toHaveLength(1);
    await expect(signIn(relay.url, 'sunli', 'member-password-1')).rejects.toThrow(/401/);
    expect((await signIn(relay.url, 'sunli', 'new-password-2')).user.account).toBe('sunli');
  });

  it('a token that belongs to another device is refused at hello', async () => {
    const a = await signIn(relay.url, 'lina', 'member-password-1', 'a');
    const b = await signIn(relay.url, 'lina', 'member-password-1', 'b');
    const err = await openClient(relay.url, { ...a, deviceId: b.deviceId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestError);
    expect((err as RequestError).error).toMatchObject({ code: 'unauthenticated', reason: 'session_invalid' });
  });
});
