// Departments: create, rename, reorder, move a subtree, set heads, hide, delete when empty.
// Each runs inside a directory write (see write.ts) against the transaction's own tree.
import { MAX_DEPARTMENT_DEPTH, QixinError, type Department } from '../../../shared/protocol';
import { newId } from '../../../shared/lib/ids';
import type { DepartmentRow } from '../../store/schema';
import { audit } from '../audit';
import * as policy from '../policy';
import { departmentView, loadHeadIds } from '../views';
import type { AdminScope } from './scope';
import { readTree, type DepartmentTree } from './tree';
import type { DirectoryTx } from './write';

const tooDeep = () =>
  new QixinError(
    'invalid',
    `departments can be at most ${MAX_DEPARTMENT_DEPTH} levels below the enterprise`,
    'department_too_deep',
  );
const nameTaken = (name: string) =>
  new QixinError('conflict', `a sibling department is already named ${name}`, 'department_name_taken');
const noSuchDepartment = () => new QixinError('not_found', 'no such department', 'department_not_found');

async function view(w: DirectoryTx, id: string): Promise<Department> {
  const row = await w.trx.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return departmentView(row, (await loadHeadIds(w.trx, [id])).get(id) ?? []);
}

function snapshot(tree: DepartmentTree, row: DepartmentRow, heads: string[]) {
  return {
    name: row.name,
    parentId: row.parent_id,
    path: tree.path(row.id),
    order: row.sort_order,
    headIds: heads,
    hidden: !!row.hidden,
  };
}

export async function createDepartment(
  w: DirectoryTx,
  actorId: string,
  scope: AdminScope,
  input: { parentId: string; name: string; order?: number },
): Promise<Department> {
  const tree = await readTree(w.trx);
  const parent = tree.get(input.parentId);
  if (!parent) throw new QixinError('not_found', 'no such parent department', 'department_not_found');
  policy.assertCanCreateDepartment(scope, tree, input.parentId);
  const depth = parent.depth + 1;
  if (depth > MAX_DEPARTMENT_DEPTH) throw tooDeep();
  if (tree.childNamed(input.parentId, input.name)) throw nameTaken(input.name);
  const siblings = tree.childrenOf(input.parentId).map((c) => tree.get(c)!.sort_order);
  const order = input.order ?? (siblings.length ? Math.max(...siblings) + 1 : 0);
  const id = newId();
  await w.trx
    .insertInto('departments')
    .values({
      id,
      parent_id: input.parentId,
      name: input.name,
      sort_order: order,
      depth,
      hidden: 0,
      deleted: 0,
      dir_version: w.version,
      created_at: w.now,
      updated_at: w.now,
    })
    .execute();
  await audit(w.trx, w.now, {
    actorId,
    action: 'department.created',
    targetId: id,
    detail: {
      before: null,
      after: { name: input.name, parentId: input.parentId, path: `${tree.path(input.parentId)}/${input.name}`, order },
    },
  });
  return view(w, id);
}

export interface DepartmentChange {
  id: string;
  name?: string;
  parentId?: string;
  order?: number;
  headIds?: string[];
  hidden?: boolean;
}

export async function updateDepartment(
  w: DirectoryTx,
  actorId: string,
  scope: AdminScope,
  input: DepartmentChange,
): Promise<Department> {
  const tree = await readTree(w.trx);
  const node = tree.get(input.id);
  if (!node) throw noSuchDepartment();
  const row = await w.trx.selectFrom('departments').selectAll().where('id', '=', input.id).executeTakeFirstOrThrow();
  const moving = input.parentId !== undefined && input.parentId !== row.parent_id;
  policy.assertCanChangeDepartment(
    scope,
    tree,
    input.id,
    moving ? 'move' : 'edit',
    moving ? input.parentId : undefined,
  );
  const headsBefore = (await loadHeadIds(w.trx, [input.id])).get(input.id) ?? [];
  const before = snapshot(tree, row, headsBefore);
  const isRoot = row.parent_id === null;

  if (moving) {
    if (isRoot)
      throw new QixinError(
        'invalid',
        'the root department (the enterprise) cannot be moved',
        'root_department_immutable',
      );
    const target = tree.get(input.parentId!);
    if (!target) throw new QixinError('not_found', 'no such parent department', 'department_not_found');
    if (tree.within(input.parentId!, [input.id])) {
      throw new QixinError(
        'invalid',
        'a department cannot move under itself or one of its sub-departments',
        'department_cycle',
      );
    }
    const delta = target.depth + 1 - row.depth;
    if (row.depth + delta + tree.height(input.id) > MAX_DEPARTMENT_DEPTH) throw tooDeep();
    const name = input.name ?? row.name;
    if (tree.childNamed(input.parentId!, name)) throw nameTaken(name);
    // The whole subtree changes depth; every row of it is stamped so clients get the new depths.
    const subtree = tree.subtree(input.id);
    for (let i = 0; i < subtree.length; i += 500) {
      await w.trx
        .updateTable('departments')
        .set((eb) => ({ depth: eb('depth', '+', delta), dir_version: w.version, updated_at: w.now }))
        .where('id', 'in', subtree.slice(i, i + 500))
        .execute();
    }
    // Who sees whom may change (hidden subtrees, visibility rules).
    w.newEpoch();
  } else if (input.name !== undefined && input.name !== row.name) {
    if (isRoot)
      throw new QixinError('invalid', "the root department carries the enterprise's name", 'root_department_name');
    if (tree.childNamed(row.parent_id!, input.name)) throw nameTaken(input.name);
  }

  if (input.headIds !== undefined) {
    const heads = [...new Set(input.headIds)];
    if (heads.length) {
      const members = await w.trx
        .selectFrom('user_departments')
        .select('user_id')
        .where('department_id', '=', input.id)
        .where('user_id', 'in', heads)
        .execute();
      const inside = new Set(members.map((m) => m.user_id));
      const outsider = heads.find((h) => !inside.has(h));
      if (outsider)
        throw new QixinError('invalid', 'a department head must be a member of that department', 'head_not_member');
    }
    await w.trx.deleteFrom('department_heads').where('department_id', '=', input.id).execute();
    if (heads.length) {
      await w.trx
        .insertInto('department_heads')
        .values(heads.map((user_id, position) => ({ department_id: input.id, user_id, position })))
        .execute();
    }
  }
  if (input.hidden !== undefined && input.hidden !== !!row.hidden) w.newEpoch();

  await w.trx
    .updateTable('departments')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(moving ? { parent_id: input.parentId! } : {}),
      ...(input.order !== undefined ? { sort_order: input.order } : {}),
      ...(input.hidden !== undefined ? { hidden: input.hidden ? 1 : 0 } : {}),
      dir_version: w.version,
      updated_at: w.now,
    })
    .where('id', '=', input.id)
    .execute();
  const after = await view(w, input.id);
  const afterTree = await readTree(w.trx);
  await audit(w.trx, w.now, {
    actorId,
    action: moving ? 'department.moved' : 'department.updated',
    targetId: input.id,
    detail: {
      before,
      after: {
        name: after.name,
        parentId: after.parentId,
        path: afterTree.path(input.id),
        order: after.order,
        headIds: after.headIds,
        hidden: after.hidden,
      },
    },
  });
  return after;
}

/** Only an empty department goes: no live sub-departments, no members. It stays as a tombstone. */
export async function deleteDepartment(w: DirectoryTx, actorId: string, scope: AdminScope, id: string): Promise<void> {
  const tree = await readTree(w.trx);
  const node = tree.get(id);
  if (!node) throw noSuchDepartment();
  policy.assertCanChangeDepartment(scope, tree, id, 'delete');
  if (node.parent_id === null)
    throw new QixinError(
      'invalid',
      'the root department (the enterprise) cannot be deleted',
      'root_department_immutable',
    );
  if (tree.childrenOf(id).length > 0) {
    throw new QixinError(
      'invalid',
      'this department has sub-departments; move or delete them first',
      'department_has_children',
    );
  }
  const member = await w.trx
    .selectFrom('user_departments')
    .select('user_id')
    .where('department_id', '=', id)
    .executeTakeFirst();
  if (member)
    throw new QixinError(
      'invalid',
      'this department has members; move them to another department first',
      'department_not_empty',
    );
  const path = tree.path(id);
  await w.trx.deleteFrom('department_heads').where('department_id', '=', id).execute();
  await w.trx
    .updateTable('departments')
    .set({ deleted: 1, dir_version: w.version, updated_at: w.now })
    .where('id', '=', id)
    .execute();
  await audit(w.trx, w.now, {
    actorId,
    action: 'department.deleted',
    targetId: id,
    detail: { before: { name: node.name, parentId: node.parent_id, path }, after: null },
  });
}
