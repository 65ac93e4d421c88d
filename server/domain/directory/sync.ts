// dir.sync: directory rows changed after a (version, id) cursor, a page at a time. Rows the
// viewer may see come whole; the others (and deleted departments) come as removals, so a
// client drops people who became hidden from it. The first page from null has no removals:
// a fresh client holds nothing to remove.
import { sql } from 'kysely';
import type { Department, User } from '../../../shared/protocol';
import { withinBudget } from '../budget';
import type { Reader } from '../context';
import { departmentView, loadDepartmentIds, loadHeadIds, userView } from '../views';
import type { DirectoryVersion } from './version';
import { canSeeDepartment, canSeeUser, departmentFor, type ViewerContext } from './visibility';

export interface DirCursor {
  version: number;
  id: string;
}

export interface DirSyncPage {
  epoch: number;
  users: User[];
  departments: Department[];
  removedIds: string[];
  next: DirCursor | null;
}

/** One examined row: shown whole, sent as a removal, or skipped (invisible on a first page). */
interface Item {
  id: string;
  version: number;
  user?: User;
  department?: Department;
  removed?: boolean;
}

const size = (item: Item) =>
  item.user || item.department ? JSON.stringify(item.user ?? item.department).length + 8 : item.removed ? 40 : 0;

/**
 * One page. `at` is the version the viewer's tree is current for: rows of later versions wait for
 * the next pull (their change event follows), so no row is judged against an older tree.
 */
export async function dirSyncPage(
  db: Reader,
  viewer: ViewerContext,
  at: DirectoryVersion,
  kind: 'users' | 'departments',
  after: DirCursor | null,
  limit: number,
): Promise<DirSyncPage> {
  const first = after === null;
  let cursor = after;
  let kept: Item[] = [];
  // A first page skips what the viewer may not see; it reads on until it has something to show.
  for (let round = 0; round < 100; round++) {
    let query = db
      .selectFrom(kind)
      .select(['id', 'dir_version'])
      .where('dir_version', '<=', at.version)
      .orderBy('dir_version')
      .orderBy('id')
      .limit(limit);
    if (cursor) query = query.where(sql<boolean>`(dir_version, id) > (${cursor.version}, ${cursor.id})`);
    const keys = (await query.execute()).map((k) => ({ id: k.id, version: Number(k.dir_version) }));
    const items =
      kind === 'users' ? await userItems(db, viewer, keys, first) : await departmentItems(db, viewer, keys, first);
    kept = withinBudget(items, size);
    const last = kept.at(-1);
    if (last) cursor = { version: last.version, id: last.id };
    if (keys.length < limit || kept.some((i) => i.user || i.department || i.removed)) break;
  }
  const page: DirSyncPage = { epoch: at.epoch, users: [], departments: [], removedIds: [], next: null };
  for (const item of kept) {
    if (item.user) page.users.push(item.user);
    else if (item.department) page.departments.push(item.department);
    else if (item.removed) page.removedIds.push(item.id);
  }
  // After the last row examined, so the next pull starts there; null only when nothing changed
  // after `after` (the caller is up to date and keeps its cursor).
  page.next = cursor && !sameCursor(cursor, after) ? cursor : null;
  return page;
}

const sameCursor = (a: DirCursor, b: DirCursor | null) => b !== null && a.version === b.version && a.id === b.id;

async function userItems(
  db: Reader,
  viewer: ViewerContext,
  keys: { id: string; version: number }[],
  first: boolean,
): Promise<Item[]> {
  if (keys.length === 0) return [];
  const ids = keys.map((k) => k.id);
  const rows = new Map<string, Awaited<ReturnType<typeof readUsers>>[number]>();
  for (const r of await readUsers(db, ids)) rows.set(r.id, r);
  const departments = await loadDepartmentIds(db, ids);
  return keys.map((k) => {
    const user = userView(rows.get(k.id)!, departments.get(k.id) ?? []);
    if (canSeeUser(viewer, user)) return { ...k, user };
    return { ...k, removed: !first };
  });
}

async function readUsers(db: Reader, ids: string[]) {
  const out = [];
  for (let i = 0; i < ids.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('users')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  }
  return out;
}

async function departmentItems(
  db: Reader,
  viewer: ViewerContext,
  keys: { id: string; version: number }[],
  first: boolean,
): Promise<Item[]> {
  if (keys.length === 0) return [];
  const ids = keys.map((k) => k.id);
  const rows = new Map<string, Awaited<ReturnType<typeof readDepartments>>[number]>();
  for (const r of await readDepartments(db, ids)) rows.set(r.id, r);
  const heads = await loadHeadIds(db, ids);
  return keys.map((k) => {
    const row = rows.get(k.id)!;
    if (!row.deleted && canSeeDepartment(viewer, k.id)) {
      return { ...k, department: departmentFor(viewer, departmentView(row, heads.get(k.id) ?? [])) };
    }
    return { ...k, removed: !first };
  });
}

async function readDepartments(db: Reader, ids: string[]) {
  const out = [];
  for (let i = 0; i < ids.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('departments')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  }
  return out;
}
