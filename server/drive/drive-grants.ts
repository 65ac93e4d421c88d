// Grants on a drive node (to members and departments) and the 禁止转发 flag. Both are permission
// changes: each writes an audit record with what was before and after, in the same transaction.
import { QixinError, type DriveGrant } from '../../shared/protocol';
import { audit } from '../domain/audit';
import type { Reader, Tx } from '../domain/context';
import { assertDriveGrantsValid } from '../domain/policy';
import type { NodeRow } from './drive-rows';

export async function grantsOn(db: Reader, nodeId: string): Promise<DriveGrant[]> {
  const rows = await db
    .selectFrom('drive_grants')
    .selectAll()
    .where('node_id', '=', nodeId)
    .orderBy('granted_at')
    .orderBy('principal_type')
    .orderBy('principal_id')
    .execute();
  return rows.map((r) => ({ principal: { type: r.principal_type, id: r.principal_id }, level: r.level }));
}

/** Replaces the grants set on `node`; unchanged ones keep when and by whom they were given. */
export async function replaceGrants(
  trx: Tx,
  node: NodeRow,
  isTeamRoot: boolean,
  grants: readonly DriveGrant[],
  actorId: string,
  now: number,
): Promise<DriveGrant[]> {
  await assertPrincipalsExist(trx, grants);
  assertDriveGrantsValid(grants, isTeamRoot);
  const before = await trx.selectFrom('drive_grants').selectAll().where('node_id', '=', node.id).execute();
  const key = (type: string, id: string) => `${type}:${id}`;
  const kept = new Map(before.map((g) => [key(g.principal_type, g.principal_id), g]));
  await trx.deleteFrom('drive_grants').where('node_id', '=', node.id).execute();
  if (grants.length > 0) {
    await trx
      .insertInto('drive_grants')
      .values(
        grants.map((g) => {
          const old = kept.get(key(g.principal.type, g.principal.id));
          const same = old?.level === g.level;
          return {
            node_id: node.id,
            principal_type: g.principal.type,
            principal_id: g.principal.id,
            level: g.level,
            granted_by: same ? old.granted_by : actorId,
            granted_at: same ? Number(old.granted_at) : now,
          };
        }),
      )
      .execute();
  }
  const after = await grantsOn(trx, node.id);
  await audit(trx, now, {
    actorId,
    action: 'drive.grants_changed',
    targetId: node.id,
    detail: {
      name: node.name,
      spaceId: node.space_id,
      before: before.map((g) => ({ principal: { type: g.principal_type, id: g.principal_id }, level: g.level })),
      after,
    },
  });
  return after;
}

/** Every member and department named must exist (departments: not deleted). */
async function assertPrincipalsExist(db: Reader, grants: readonly DriveGrant[]): Promise<void> {
  const userIds = grants.filter((g) => g.principal.type === 'user').map((g) => g.principal.id);
  const departmentIds = grants.filter((g) => g.principal.type === 'department').map((g) => g.principal.id);
  if (userIds.length > 0) {
    const found = await db.selectFrom('users').select('id').where('id', 'in', userIds).execute();
    if (found.length !== new Set(userIds).size)
      throw new QixinError('invalid', 'a grant names a member who does not exist', 'member_not_found');
  }
  if (departmentIds.length > 0) {
    const found = await db
      .selectFrom('departments')
      .select('id')
      .where('id', 'in', departmentIds)
      .where('deleted', '=', 0)
      .execute();
    if (found.length !== new Set(departmentIds).size)
      throw new QixinError('invalid', 'a grant names a department that does not exist', 'department_not_found');
  }
}

/** 禁止转发 on a file, audited; nothing is written when it is already so. */
export async function changeNoForward(
  trx: Tx,
  node: NodeRow,
  noForward: boolean,
  actorId: string,
  now: number,
): Promise<void> {
  const before = node.no_forward === 1;
  if (before === noForward) return;
  await trx
    .updateTable('drive_nodes')
    .set({ no_forward: noForward ? 1 : 0, updated_by: actorId, updated_at: now })
    .where('id', '=', node.id)
    .execute();
  await audit(trx, now, {
    actorId,
    action: 'drive.no_forward_changed',
    targetId: node.id,
    detail: { name: node.name, spaceId: node.space_id, before, after: noForward },
  });
}
