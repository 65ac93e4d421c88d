// Admin roles: super admins (users.role = 'admin') and department admins (admin_grants).
// Super admins only; the last super admin cannot be demoted.
import { QixinError, type AdminGrant, type AdminRight } from '../../../shared/protocol';
import { audit } from '../audit';
import type { Reader } from '../context';
import * as policy from '../policy';
import type { AdminScope } from './scope';
import { readTree } from './tree';
import type { DirectoryTx } from './write';

export type RoleChange =
  | { userId: string; role: 'super' }
  | { userId: string; role: 'department'; departmentIds: string[]; rights: AdminRight[] }
  | { userId: string; role: 'none' };

export async function readRoles(db: Reader): Promise<{ superAdminIds: string[]; grants: AdminGrant[] }> {
  const supers = await db.selectFrom('users').select('id').where('role', '=', 'admin').orderBy('id').execute();
  const grants = await db.selectFrom('admin_grants').selectAll().orderBy('user_id').execute();
  return {
    superAdminIds: supers.map((s) => s.id),
    grants: grants.map((g) => ({
      userId: g.user_id,
      departmentIds: JSON.parse(g.department_ids) as string[],
      rights: JSON.parse(g.rights) as AdminRight[],
    })),
  };
}

async function roleOf(db: Reader, userId: string) {
  const user = await db.selectFrom('users').select(['role']).where('id', '=', userId).executeTakeFirst();
  const grant = await db.selectFrom('admin_grants').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (user?.role === 'admin') return { role: 'super' as const };
  if (grant) {
    return {
      role: 'department' as const,
      departmentIds: JSON.parse(grant.department_ids) as string[],
      rights: JSON.parse(grant.rights) as AdminRight[],
    };
  }
  return { role: 'none' as const };
}

export async function setRole(w: DirectoryTx, actorId: string, scope: AdminScope, change: RoleChange): Promise<void> {
  policy.assertSuperAdmin(scope, 'change administrator roles');
  const target = await w.trx
    .selectFrom('users')
    .select(['id', 'role', 'status', 'account'])
    .where('id', '=', change.userId)
    .executeTakeFirst();
  if (!target) throw new QixinError('not_found', 'no such member', 'member_not_found');
  if (change.role !== 'none' && target.status !== 'active') {
    throw new QixinError('invalid', 'only an active member can become an administrator', 'admin_must_be_active');
  }
  const before = await roleOf(w.trx, change.userId);
  if (target.role === 'admin' && change.role !== 'super') {
    const others = await w.trx
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('status', '=', 'active')
      .where('id', '!=', change.userId)
      .executeTakeFirst();
    if (!others) throw new QixinError('invalid', 'the last super administrator cannot be demoted', 'last_super_admin');
  }
  if (change.role === 'department') {
    const tree = await readTree(w.trx);
    if (change.departmentIds.some((d) => !tree.has(d)))
      throw new QixinError('not_found', 'no such department', 'department_not_found');
  }
  const role = change.role === 'super' ? 'admin' : 'member';
  await w.trx
    .updateTable('users')
    .set({ role, dir_version: w.version, updated_at: w.now })
    .where('id', '=', change.userId)
    .execute();
  await w.trx.deleteFrom('admin_grants').where('user_id', '=', change.userId).execute();
  if (change.role === 'department') {
    await w.trx
      .insertInto('admin_grants')
      .values({
        user_id: change.userId,
        department_ids: JSON.stringify([...new Set(change.departmentIds)]),
        rights: JSON.stringify([...new Set(change.rights)]),
        updated_at: w.now,
      })
      .execute();
  }
  // An admin sees more of the directory than a member: their view changes as a whole.
  w.newEpoch();
  await audit(w.trx, w.now, {
    actorId,
    action: 'role.changed',
    targetId: change.userId,
    detail: { account: target.account, before, after: await roleOf(w.trx, change.userId) },
  });
}
