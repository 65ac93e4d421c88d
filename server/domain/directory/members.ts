// Members of the directory: rows created and edited by admins (and, through the same rules,
// by imports in server/directory-io).
import { newId } from '../../../shared/lib/ids';
import { pinyinKeys } from '../../../shared/lib/pinyin';
import { QixinError, type Activation, type MemberFields, type MemberPatch, type User } from '../../../shared/protocol';
import type { UserRow } from '../../store/schema';
import { audit } from '../audit';
import type { Tx } from '../context';
import * as policy from '../policy';
import { loadUser } from '../views';
import { ACTIVATION_TTL_MS, hashActivationCode, newActivationCode } from './activation';
import type { AdminScope } from './scope';
import { readTree, type DepartmentTree } from './tree';
import type { DirectoryTx } from './write';

/** The columns derived from a member's name, stamped by the write that touches the row. */
export function memberDerivedColumns(name: string, version: number, now: number) {
  const keys = pinyinKeys(name);
  return { pinyin: keys.pinyin, initials: keys.initials, dir_version: version, updated_at: now };
}

/**
 * What every member row written by an admin or an import carries besides the entered fields:
 * pinyin keys of the name, the write's directory version and time, and no password until the
 * member redeems an activation code.
 */
export function memberRowDefaults(name: string, version: number, now: number) {
  return { ...memberDerivedColumns(name, version, now), activated: 0, password_hash: '' };
}

/** A complete new member row from the template's fields (departments go to user_departments). */
export function newMemberRow(
  id: string,
  fields: Omit<MemberFields, 'departmentIds'>,
  version: number,
  now: number,
): UserRow {
  return {
    id,
    account: fields.account,
    name: fields.name,
    mobile: fields.mobile,
    email: fields.email,
    role: 'member',
    created_at: now,
    alias: fields.alias,
    title: fields.title,
    gender: fields.gender,
    phone: fields.phone,
    address: fields.address,
    manager_id: fields.managerId,
    status: fields.status,
    hidden: fields.hidden ? 1 : 0,
    ...memberRowDefaults(fields.name, version, now),
  };
}

// ---------------------------------------------------------------- admin.member.*

/** Unique account and mobile among all members (`except` is the member being edited). */
async function assertUnique(w: DirectoryTx, fields: { account?: string; mobile?: string | null }, except?: string) {
  const checks: [keyof typeof fields, string][] = [];
  if (fields.account !== undefined) checks.push(['account', fields.account]);
  if (fields.mobile) checks.push(['mobile', fields.mobile]);
  for (const [column, value] of checks) {
    let q = w.trx.selectFrom('users').select('id').where(column, '=', value);
    if (except) q = q.where('id', '!=', except);
    if (await q.executeTakeFirst())
      throw new QixinError('conflict', `that ${column} is already in use`, `${column}_taken`);
  }
}

function assertDepartmentsExist(tree: DepartmentTree, ids: readonly string[]) {
  for (const id of ids)
    if (!tree.has(id)) throw new QixinError('not_found', 'no such department', 'department_not_found');
}

async function assertManager(w: DirectoryTx, managerId: string | null | undefined, memberId: string) {
  if (!managerId) return;
  if (managerId === memberId) throw new QixinError('invalid', 'a member cannot be their own manager', 'manager_self');
  const found = await w.trx.selectFrom('users').select('id').where('id', '=', managerId).executeTakeFirst();
  if (!found) throw new QixinError('not_found', 'no such manager', 'manager_invalid');
}

/** A fresh one-time code for the member; the previous ones stop working. */
export async function issueActivation(trx: Tx, userId: string, now: number): Promise<Activation> {
  const code = newActivationCode();
  const expiresAt = now + ACTIVATION_TTL_MS;
  await trx.deleteFrom('activation_codes').where('user_id', '=', userId).execute();
  await trx
    .insertInto('activation_codes')
    .values({ code_hash: hashActivationCode(code), user_id: userId, expires_at: expiresAt, used_at: null })
    .execute();
  return { userId, code, expiresAt };
}

/** The member's fields as an auditor reads them. */
function profileOf(user: User) {
  const { id: _id, pinyin: _p, initials: _i, createdAt: _c, ...rest } = user;
  return rest;
}

export async function createMember(
  w: DirectoryTx,
  actorId: string,
  scope: AdminScope,
  fields: MemberFields,
): Promise<{ user: User; activation: Activation }> {
  const tree = await readTree(w.trx);
  const departmentIds = [...new Set(fields.departmentIds)];
  assertDepartmentsExist(tree, departmentIds);
  policy.assertCanManageMember(scope, tree, null, departmentIds);
  const id = newId();
  await assertUnique(w, fields);
  await assertManager(w, fields.managerId, id);
  await w.trx
    .insertInto('users')
    .values(newMemberRow(id, fields, w.version, w.now))
    .execute();
  await w.trx
    .insertInto('user_departments')
    .values(departmentIds.map((department_id, position) => ({ user_id: id, department_id, position })))
    .execute();
  const activation = await issueActivation(w.trx, id, w.now);
  const user = (await loadUser(w.trx, id))!;
  await audit(w.trx, w.now, {
    actorId,
    action: 'member.added',
    targetId: id,
    detail: { account: user.account, before: null, after: profileOf(user), activationIssued: true },
  });
  return { user, activation };
}

export interface MemberUpdate {
  user: User;
  /** Devices revoked because the member was disabled or left: kick them after commit. */
  revokedDevices: string[];
}

export async function updateMember(
  w: DirectoryTx,
  actorId: string,
  scope: AdminScope,
  id: string,
  patch: MemberPatch,
): Promise<MemberUpdate> {
  const tree = await readTree(w.trx);
  const current = await loadUser(w.trx, id);
  if (!current) throw new QixinError('not_found', 'no such member', 'member_not_found');
  const departmentIds = patch.departmentIds ? [...new Set(patch.departmentIds)] : undefined;
  if (departmentIds) assertDepartmentsExist(tree, departmentIds);
  policy.assertCanManageMember(scope, tree, current, departmentIds);
  await assertUnique(w, { account: patch.account, mobile: patch.mobile }, id);
  await assertManager(w, patch.managerId, id);
  const leaving = patch.status !== undefined && patch.status !== 'active' && current.status === 'active';
  if (leaving && id === actorId) throw new QixinError('invalid', 'you cannot disable your own account', 'disable_self');
  if (leaving && current.role === 'admin') {
    const others = await w.trx
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('status', '=', 'active')
      .where('id', '!=', id)
      .executeTakeFirst();
    if (!others) throw new QixinError('invalid', 'the last super administrator cannot be disabled', 'last_super_admin');
  }

  const set: Partial<UserRow> = {};
  if (patch.name !== undefined) Object.assign(set, { name: patch.name }, pinyinKeys(patch.name));
  if (patch.account !== undefined) set.account = patch.account;
  if (patch.alias !== undefined) set.alias = patch.alias;
  if (patch.title !== undefined) set.title = patch.title;
  if (patch.gender !== undefined) set.gender = patch.gender;
  if (patch.mobile !== undefined) set.mobile = patch.mobile;
  if (patch.phone !== undefined) set.phone = patch.phone;
  if (patch.email !== undefined) set.email = patch.email;
  if (patch.address !== undefined) set.address = patch.address;
  if (patch.managerId !== undefined) set.manager_id = patch.managerId;
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.hidden !== undefined) set.hidden = patch.hidden ? 1 : 0;
  await w.trx
    .updateTable('users')
    .set({ ...set, dir_version: w.version, updated_at: w.now })
    .where('id', '=', id)
    .execute();

  if (departmentIds && departmentIds.join() !== current.departmentIds.join()) {
    await w.trx.deleteFrom('user_departments').where('user_id', '=', id).execute();
    await w.trx
      .insertInto('user_departments')
      .values(departmentIds.map((department_id, position) => ({ user_id: id, department_id, position })))
      .execute();
    // A head of a department they left is no longer its head.
    const left = current.departmentIds.filter((d) => !departmentIds.includes(d));
    if (left.length) {
      const headed = await w.trx
        .selectFrom('department_heads')
        .select('department_id')
        .where('user_id', '=', id)
        .where('department_id', 'in', left)
        .execute();
      if (headed.length) {
        const ids = headed.map((h) => h.department_id);
        await w.trx
          .deleteFrom('department_heads')
          .where('user_id', '=', id)
          .where('department_id', 'in', ids)
          .execute();
        await w.trx
          .updateTable('departments')
          .set({ dir_version: w.version, updated_at: w.now })
          .where('id', 'in', ids)
          .execute();
      }
    }
    // The member's own view depends on their departments when hidden departments or rules exist.
    const restricted =
      [...tree.nodes.values()].some((d) => d.hidden) ||
      !!(await w.trx.selectFrom('visibility_rules').select('id').executeTakeFirst());
    if (restricted) w.newEpoch();
  }

  let revokedDevices: string[] = [];
  if (leaving) {
    const live = await w.trx
      .selectFrom('devices')
      .select('id')
      .where('user_id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    revokedDevices = live.map((d) => d.id);
    if (revokedDevices.length) {
      await w.trx
        .updateTable('devices')
        .set({ revoked_at: w.now })
        .where('user_id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    }
  }

  const user = (await loadUser(w.trx, id))!;
  const before = profileOf(current) as Record<string, unknown>;
  const after = profileOf(user) as Record<string, unknown>;
  const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  await audit(w.trx, w.now, {
    actorId,
    action: 'member.updated',
    targetId: id,
    detail: {
      account: user.account,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, after[k]])),
      ...(revokedDevices.length ? { revokedDevices } : {}),
    },
  });
  return { user, revokedDevices };
}

/** A fresh activation code for a member who has not activated yet. */
export async function reissueActivation(
  trx: Tx,
  now: number,
  actorId: string,
  scope: AdminScope,
  userId: string,
): Promise<Activation> {
  const tree = await readTree(trx);
  const user = await loadUser(trx, userId);
  if (!user) throw new QixinError('not_found', 'no such member', 'member_not_found');
  policy.assertCanManageMember(scope, tree, user, undefined);
  if (user.activated)
    throw new QixinError('invalid', 'this member has already activated their account', 'already_activated');
  const previous = await trx
    .selectFrom('activation_codes')
    .select('expires_at')
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  const activation = await issueActivation(trx, userId, now);
  // The codes themselves are never recorded, only when they stop working.
  await audit(trx, now, {
    actorId,
    action: 'member.activation_issued',
    targetId: userId,
    detail: {
      account: user.account,
      before: { codeExpiresAt: previous ? Number(previous.expires_at) : null },
      after: { codeExpiresAt: activation.expiresAt },
    },
  });
  return activation;
}
