// The enterprise, its people, and their device sessions.
import {
  QixinError,
  type CreateEnterpriseBody,
  type Device,
  type Enterprise,
  type SessionGrant,
  type User,
} from '../../shared/protocol';
import { newId } from '../../shared/lib/ids';
import { isUniqueViolation } from '../store/errors';
import type { EnterpriseRow, UserRow } from '../store/schema';
import type { ChangeStream } from './changes';
import type { DomainContext, Tx } from './context';
import { audit } from './audit';
import * as policy from './policy';
import { decoyPasswordHash, hashPassword, hashToken, newSessionToken, verifyPassword } from './secrets';
import { userView } from './views';

const enterpriseView = (row: Pick<EnterpriseRow, 'id' | 'name' | 'created_at'>): Enterprise => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
});

export class Accounts {
  constructor(
    private readonly ctx: DomainContext,
    private readonly changes: ChangeStream,
  ) {}

  async enterprise(): Promise<Enterprise | null> {
    const row = await this.ctx.db.selectFrom('enterprises').selectAll().executeTakeFirst();
    return row ? enterpriseView(row) : null;
  }

  /** First run: creates the enterprise, its first admin and that admin's first device session. */
  async setup(body: CreateEnterpriseBody): Promise<SessionGrant> {
    const passwordHash = await hashPassword(body.password);
    const alreadyDone = () => new QixinError('conflict', 'this relay already has an enterprise');
    try {
      const { grant, appended } = await this.ctx.transaction(async (trx) => {
        if (await trx.selectFrom('enterprises').select('id').executeTakeFirst()) throw alreadyDone();
        const now = this.ctx.now();
        const enterprise = { id: newId(), name: body.enterpriseName, created_at: now };
        await trx.insertInto('enterprises').values(enterprise).execute();
        const user: UserRow = {
          id: newId(),
          account: body.account,
          name: body.adminName,
          mobile: null,
          email: null,
          role: 'admin',
          password_hash: passwordHash,
          created_at: now,
        };
        await trx.insertInto('users').values(user).execute();
        const session = await this.openSession(trx, user.id, body.deviceName);
        await audit(trx, now, {
          actorId: user.id,
          action: 'enterprise.created',
          targetId: enterprise.id,
          detail: { name: enterprise.name, admin: user.account },
        });
        const appended = await this.changes.append(trx, [
          { userId: null, change: { kind: 'enterprise', enterprise: enterpriseView(enterprise) } },
          { userId: null, change: { kind: 'user', user: userView(user) } },
        ]);
        const grant: SessionGrant = { ...session, user: userView(user), enterprise: enterpriseView(enterprise) };
        return { grant, appended };
      });
      this.changes.publish(appended);
      return grant;
    } catch (err) {
      if (isUniqueViolation(err)) throw alreadyDone();
      throw err;
    }
  }

  /** Same answer for an unknown login and a wrong password. */
  async signIn(login: string, password: string, deviceName: string): Promise<SessionGrant> {
    const db = this.ctx.db;
    // An account name wins over someone else's identical mobile number.
    const user =
      (await db.selectFrom('users').selectAll().where('account', '=', login).executeTakeFirst()) ??
      (await db.selectFrom('users').selectAll().where('mobile', '=', login).executeTakeFirst());
    const ok = await verifyPassword(password, user?.password_hash ?? (await decoyPasswordHash()));
    if (!user || !ok) throw new QixinError('unauthenticated', 'wrong account or password');
    const enterprise = await this.enterprise();
    if (!enterprise) throw new QixinError('unauthenticated', 'wrong account or password');
    const session = await this.ctx.transaction((trx) => this.openSession(trx, user.id, deviceName));
    return { ...session, user: userView(user), enterprise };
  }

  /** Checks a hello: the token must belong to that device, and the device must not be revoked. */
  async authenticate(token: string, deviceId: string): Promise<User> {
    const db = this.ctx.db;
    const device = await db
      .selectFrom('devices')
      .selectAll()
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!device || device.id !== deviceId) throw new QixinError('unauthenticated', 'invalid session token');
    if (device.revoked_at !== null) throw new QixinError('unauthenticated', 'this session was revoked; sign in again');
    const user = await db.selectFrom('users').selectAll().where('id', '=', device.user_id).executeTakeFirstOrThrow();
    await db.updateTable('devices').set({ last_seen_at: this.ctx.now() }).where('id', '=', device.id).execute();
    return userView(user);
  }

  /** The session behind a bearer token (HTTP admin API): its user and device, if still valid. */
  async sessionOf(token: string): Promise<{ userId: string; deviceId: string }> {
    const device = await this.ctx.db
      .selectFrom('devices')
      .select(['id', 'user_id', 'revoked_at'])
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!device || device.revoked_at !== null) throw new QixinError('unauthenticated', 'invalid session token');
    return { userId: device.user_id, deviceId: device.id };
  }

  async addMember(
    actorId: string,
    input: { name: string; account: string; mobile?: string; email?: string; password: string },
  ): Promise<User> {
    const actor = await this.user(actorId);
    policy.assertCanAddEnterpriseMember(actor);
    const passwordHash = await hashPassword(input.password);
    const row: UserRow = {
      id: newId(),
      account: input.account,
      name: input.name,
      mobile: input.mobile ?? null,
      email: input.email ?? null,
      role: 'member',
      password_hash: passwordHash,
      created_at: this.ctx.now(),
    };
    try {
      const appended = await this.ctx.transaction(async (trx) => {
        const taken = await trx
          .selectFrom('users')
          .select(['account', 'mobile'])
          .where((eb) =>
            eb.or([eb('account', '=', row.account), ...(row.mobile ? [eb('mobile', '=', row.mobile)] : [])]),
          )
          .executeTakeFirst();
        if (taken) throw takenError(taken.account === row.account ? 'account' : 'mobile');
        await trx.insertInto('users').values(row).execute();
        await audit(trx, row.created_at, {
          actorId,
          action: 'member.added',
          targetId: row.id,
          detail: { account: row.account, role: row.role },
        });
        return this.changes.append(trx, [{ userId: null, change: { kind: 'user', user: userView(row) } }]);
      });
      this.changes.publish(appended);
    } catch (err) {
      if (isUniqueViolation(err)) throw takenError('account or mobile');
      throw err;
    }
    return userView(row);
  }

  async devices(userId: string, currentDeviceId: string): Promise<Device[]> {
    const rows = await this.ctx.db
      .selectFrom('devices')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at')
      .execute();
    return rows.map((d) => ({
      id: d.id,
      name: d.name,
      createdAt: d.created_at,
      lastSeenAt: d.last_seen_at,
      current: d.id === currentDeviceId,
    }));
  }

  async revoke(actorId: string, deviceId: string, reason = 'this device was signed out from another device') {
    const device = await this.ctx.db.selectFrom('devices').selectAll().where('id', '=', deviceId).executeTakeFirst();
    policy.assertCanRevokeDevice(actorId, device);
    await this.ctx.transaction(async (trx) => {
      const now = this.ctx.now();
      await trx
        .updateTable('devices')
        .set({ revoked_at: now })
        .where('id', '=', deviceId)
        .where('revoked_at', 'is', null)
        .execute();
      await audit(trx, now, {
        actorId,
        action: 'device.revoked',
        targetId: deviceId,
        detail: { name: device.name, reason },
      });
    });
    this.ctx.fanout.kick([deviceId], reason);
  }

  /** Verifies the old password, stores the new one, and signs out every other device. */
  async changePassword(userId: string, currentDeviceId: string, oldPassword: string, newPassword: string) {
    const user = await this.user(userId);
    if (!(await verifyPassword(oldPassword, user.password_hash))) {
      throw new QixinError('forbidden', 'the current password is wrong');
    }
    const passwordHash = await hashPassword(newPassword);
    const revoked = await this.ctx.transaction(async (trx) => {
      await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
      const others = await trx
        .selectFrom('devices')
        .select('id')
        .where('user_id', '=', userId)
        .where('id', '!=', currentDeviceId)
        .where('revoked_at', 'is', null)
        .execute();
      if (others.length) {
        await trx
          .updateTable('devices')
          .set({ revoked_at: this.ctx.now() })
          .where(
            'id',
            'in',
            others.map((d) => d.id),
          )
          .execute();
      }
      const revoked = others.map((d) => d.id);
      await audit(trx, this.ctx.now(), {
        actorId: userId,
        action: 'password.changed',
        targetId: userId,
        detail: { revokedDevices: revoked },
      });
      return revoked;
    });
    this.ctx.fanout.kick(revoked, 'the password was changed; sign in again');
  }

  private async user(id: string): Promise<UserRow> {
    const row = await this.ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new QixinError('unauthenticated', 'this account no longer exists');
    return row;
  }

  private async openSession(trx: Tx, userId: string, deviceName: string) {
    const token = newSessionToken();
    const now = this.ctx.now();
    const deviceId = newId();
    await trx
      .insertInto('devices')
      .values({
        id: deviceId,
        user_id: userId,
        name: deviceName,
        token_hash: hashToken(token),
        created_at: now,
        last_seen_at: now,
        revoked_at: null,
      })
      .execute();
    return { token, deviceId };
  }
}

function takenError(what: string) {
  return new QixinError('conflict', `that ${what} is already in use`);
}
