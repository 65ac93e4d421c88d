// The enterprise, its people, and their device sessions.
import {
  MessagingLimits,
  QixinError,
  type CreateEnterpriseBody,
  type Device,
  type Enterprise,
  type SessionGrant,
  type User,
} from '../../shared/protocol';
import { newId } from '../../shared/lib/ids';
import { isUniqueViolation } from '../store/errors';
import { uniqueViolationError } from './taken';
import type { UserRow } from '../store/schema';
import type { ChangeStream } from './changes';
import type { DomainContext, Tx } from './context';
import { audit } from './audit';
import * as policy from './policy';
import { decoyPasswordHash, hashPassword, hashToken, newSessionToken, verifyPassword } from './secrets';
import { hashActivationCode } from './directory/activation';
import { loadAdminScope } from './directory/scope';
import { memberDerivedColumns } from './directory/members';
import { nextDirectoryVersion } from './directory/version';
import { appendDirectoryChange } from './directory/write';
import { enterpriseView, loadUser } from './views';

export class Accounts {
  constructor(
    private readonly ctx: DomainContext,
    private readonly changes: ChangeStream,
  ) {}

  async enterprise(): Promise<Enterprise | null> {
    const row = await this.ctx.db.selectFrom('enterprises').selectAll().executeTakeFirst();
    return row ? enterpriseView(row) : null;
  }

  /**
   * Enterprise-wide settings (super admins): the member limit of groups. Every client learns it
   * through an `enterprise` change.
   */
  async updateEnterprise(actorId: string, patch: { groupMaxMembers?: number }): Promise<Enterprise> {
    policy.assertCanUpdateEnterprise(await loadAdminScope(this.ctx.db, actorId));
    const { enterprise, appended } = await this.ctx.transaction(async (trx) => {
      const before = await trx.selectFrom('enterprises').selectAll().executeTakeFirstOrThrow();
      if (patch.groupMaxMembers === undefined || patch.groupMaxMembers === before.group_max_members) {
        return { enterprise: enterpriseView(before), appended: [] };
      }
      await trx
        .updateTable('enterprises')
        .set({ group_max_members: patch.groupMaxMembers })
        .where('id', '=', before.id)
        .execute();
      const enterprise = enterpriseView({ ...before, group_max_members: patch.groupMaxMembers });
      await audit(trx, this.ctx.now(), {
        actorId,
        action: 'enterprise.updated',
        targetId: before.id,
        detail: { groupMaxMembers: { before: before.group_max_members, after: patch.groupMaxMembers } },
      });
      const appended = await this.changes.append(trx, [{ userId: null, change: { kind: 'enterprise', enterprise } }]);
      return { enterprise, appended };
    });
    this.changes.publish(appended);
    return enterprise;
  }

  /** First run: creates the enterprise, its first admin and that admin's first device session. */
  async setup(body: CreateEnterpriseBody): Promise<SessionGrant> {
    const passwordHash = await hashPassword(body.password);
    const alreadyDone = () => new QixinError('conflict', 'this relay already has an enterprise', 'enterprise_exists');
    try {
      const { grant, appended } = await this.ctx.transaction(async (trx) => {
        if (await trx.selectFrom('enterprises').select('id').executeTakeFirst()) throw alreadyDone();
        const at = await nextDirectoryVersion(trx);
        const now = this.ctx.now();
        const enterprise = {
          id: newId(),
          name: body.enterpriseName,
          created_at: now,
          group_max_members: MessagingLimits.groupMaxMembersDefault,
        };
        await trx.insertInto('enterprises').values(enterprise).execute();
        // The root department is the enterprise itself (same id and name).
        await trx
          .insertInto('departments')
          .values({
            id: enterprise.id,
            parent_id: null,
            name: enterprise.name,
            sort_order: 0,
            depth: 0,
            hidden: 0,
            deleted: 0,
            dir_version: at.version,
            created_at: now,
            updated_at: now,
          })
          .execute();
        const user: UserRow = {
          ...profileDefaults(),
          id: newId(),
          account: body.account,
          name: body.adminName,
          role: 'admin',
          password_hash: passwordHash,
          created_at: now,
          activated: 1,
          ...memberDerivedColumns(body.adminName, at.version, now),
        };
        await trx.insertInto('users').values(user).execute();
        await trx
          .insertInto('user_departments')
          .values({ user_id: user.id, department_id: enterprise.id, position: 0 })
          .execute();
        const session = await this.openSession(trx, user.id, body.deviceName);
        await audit(trx, now, {
          actorId: user.id,
          action: 'enterprise.created',
          targetId: enterprise.id,
          detail: { name: enterprise.name, admin: user.account },
        });
        const appended = [
          ...(await this.changes.append(trx, [
            { userId: null, change: { kind: 'enterprise', enterprise: enterpriseView(enterprise) } },
          ])),
          ...(await appendDirectoryChange(this.changes, trx, at)),
        ];
        const grant: SessionGrant = {
          ...session,
          user: (await loadUser(trx, user.id))!,
          enterprise: enterpriseView(enterprise),
        };
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
    const stored = user?.password_hash || (await decoyPasswordHash());
    const ok = await verifyPassword(password, stored);
    if (user && !user.activated) throw notActivated();
    if (!user || !ok) throw new QixinError('unauthenticated', 'wrong account or password', 'wrong_credentials');
    assertMaySignIn(user);
    const enterprise = await this.enterprise();
    if (!enterprise) throw new QixinError('unauthenticated', 'wrong account or password', 'wrong_credentials');
    const session = await this.ctx.transaction((trx) => this.openSession(trx, user.id, deviceName));
    return { ...session, user: (await loadUser(db, user.id))!, enterprise };
  }

  /**
   * A new member redeems their one-time activation code: the password is set, the member is
   * activated and signed in on this device. A wrong, expired or used code gets one answer.
   */
  async activate(code: string, password: string, deviceName: string): Promise<SessionGrant> {
    const refused = () =>
      new QixinError(
        'unauthenticated',
        'this activation code is wrong, expired or already used; ask your administrator for a new one',
        'activation_code_invalid',
      );
    const enterprise = await this.enterprise();
    if (!enterprise) throw refused();
    const codeHash = hashActivationCode(code);
    // A cheap look first, so that guessed codes cost no scrypt; the transaction checks again.
    const known = await this.ctx.db
      .selectFrom('activation_codes')
      .select(['used_at', 'expires_at'])
      .where('code_hash', '=', codeHash)
      .executeTakeFirst();
    if (!known || known.used_at !== null || Number(known.expires_at) <= this.ctx.now()) throw refused();
    const passwordHash = await hashPassword(password);
    const { session, appended, userId } = await this.ctx.transaction(async (trx) => {
      const now = this.ctx.now();
      const row = await trx
        .selectFrom('activation_codes')
        .selectAll()
        .where('code_hash', '=', codeHash)
        .executeTakeFirst();
      if (!row || row.used_at !== null || Number(row.expires_at) <= now) throw refused();
      const user = await trx.selectFrom('users').selectAll().where('id', '=', row.user_id).executeTakeFirst();
      if (!user || user.activated) throw refused();
      assertMaySignIn(user);
      // Single use: only the transaction that marks the code used goes on.
      const used = await trx
        .updateTable('activation_codes')
        .set({ used_at: now })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) throw refused();
      const at = await nextDirectoryVersion(trx);
      await trx
        .updateTable('users')
        .set({ password_hash: passwordHash, activated: 1, dir_version: at.version, updated_at: now })
        .where('id', '=', user.id)
        .execute();
      const session = await this.openSession(trx, user.id, deviceName);
      await audit(trx, now, {
        actorId: user.id,
        action: 'member.activated',
        targetId: user.id,
        detail: { account: user.account, before: { activated: false }, after: { activated: true } },
      });
      return { session, appended: await appendDirectoryChange(this.changes, trx, at), userId: user.id };
    });
    this.changes.publish(appended);
    return { ...session, user: (await loadUser(this.ctx.db, userId))!, enterprise };
  }

  /** Checks a hello: the token must belong to that device, and the device must not be revoked. */
  async authenticate(token: string, deviceId: string): Promise<User> {
    const db = this.ctx.db;
    const device = await db
      .selectFrom('devices')
      .selectAll()
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!device || device.id !== deviceId)
      throw new QixinError('unauthenticated', 'invalid session token', 'session_invalid');
    if (device.revoked_at !== null)
      throw new QixinError('unauthenticated', 'this session was revoked; sign in again', 'session_revoked');
    const user = await db.selectFrom('users').selectAll().where('id', '=', device.user_id).executeTakeFirstOrThrow();
    if (!user.activated) throw notActivated();
    assertMaySignIn(user);
    await db.updateTable('devices').set({ last_seen_at: this.ctx.now() }).where('id', '=', device.id).execute();
    return (await loadUser(db, user.id))!;
  }

  /** The session behind a bearer token (HTTP admin API): its user and device, if still valid. */
  async sessionOf(token: string): Promise<{ userId: string; deviceId: string }> {
    const device = await this.ctx.db
      .selectFrom('devices')
      .select(['id', 'user_id', 'revoked_at'])
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!device || device.revoked_at !== null)
      throw new QixinError('unauthenticated', 'invalid session token', 'session_invalid');
    return { userId: device.user_id, deviceId: device.id };
  }

  async addMember(
    actorId: string,
    input: { name: string; account: string; mobile?: string; email?: string; password: string },
  ): Promise<User> {
    const actor = await this.user(actorId);
    policy.assertCanAddEnterpriseMember(actor);
    const passwordHash = await hashPassword(input.password);
    const id = newId();
    try {
      const appended = await this.ctx.transaction(async (trx) => {
        const taken = await trx
          .selectFrom('users')
          .select(['account', 'mobile'])
          .where((eb) =>
            eb.or([eb('account', '=', input.account), ...(input.mobile ? [eb('mobile', '=', input.mobile)] : [])]),
          )
          .executeTakeFirst();
        if (taken) throw takenError(taken.account === input.account ? 'account' : 'mobile');
        const root = await trx.selectFrom('enterprises').select('id').executeTakeFirstOrThrow();
        const at = await nextDirectoryVersion(trx);
        const now = this.ctx.now();
        // Given a password by the admin, so already activated; the member sits in the root department.
        const row: UserRow = {
          ...profileDefaults(),
          id,
          account: input.account,
          name: input.name,
          mobile: input.mobile ?? null,
          email: input.email ?? null,
          role: 'member',
          password_hash: passwordHash,
          created_at: now,
          activated: 1,
          ...memberDerivedColumns(input.name, at.version, now),
        };
        await trx.insertInto('users').values(row).execute();
        await trx.insertInto('user_departments').values({ user_id: id, department_id: root.id, position: 0 }).execute();
        await audit(trx, now, {
          actorId,
          action: 'member.added',
          targetId: id,
          detail: {
            account: row.account,
            role: row.role,
            before: null,
            after: { name: row.name, account: row.account },
          },
        });
        return appendDirectoryChange(this.changes, trx, at);
      });
      this.changes.publish(appended);
    } catch (err) {
      if (isUniqueViolation(err)) throw uniqueViolationError(err);
      throw err;
    }
    return (await loadUser(this.ctx.db, id))!;
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
      throw new QixinError('forbidden', 'the current password is wrong', 'current_password_wrong');
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

/** The profile columns of a member created without them (setup, admin.addMember). */
function profileDefaults() {
  return {
    mobile: null,
    email: null,
    alias: '',
    title: '',
    gender: 'unspecified' as const,
    phone: null,
    address: '',
    manager_id: null,
    status: 'active' as const,
    hidden: 0,
  };
}

function notActivated() {
  return new QixinError(
    'unauthenticated',
    'activate your account with the code from your administrator',
    'account_not_activated',
  );
}

/** Disabled and departed members keep their data but cannot sign in. */
function assertMaySignIn(user: Pick<UserRow, 'status'>): void {
  if (user.status === 'disabled') {
    throw new QixinError('unauthenticated', 'this account is disabled; contact your administrator', 'account_disabled');
  }
  if (user.status === 'left') {
    throw new QixinError(
      'unauthenticated',
      'this account belongs to someone who has left the enterprise',
      'account_left',
    );
  }
}

function takenError(what: 'account' | 'mobile') {
  return new QixinError('conflict', `that ${what} is already in use`, `${what}_taken`);
}
