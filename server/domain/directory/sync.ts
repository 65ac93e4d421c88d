// dir.sync: directory rows changed after a (version, id) cursor, a page at a time. Rows the
// viewer may see come whole; the others (and deleted departments) come as removals, so a
// client drops people who became hidden from it. The first page from null has no removals:
// a fresh client holds nothing to remove.
import { sql } from 'kysely';
import type { Department, User } from '../../../shared/protocol';
import { withinBudget } from '../budget';
import type { DepartmentRow, UserRow } from '../../store/schema';
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
    const items =
      kind === 'users'
        ? await userItems(db, viewer, await pageOf(db, 'users', at, cursor, limit), first)
        : await departmentItems(db, viewer, await pageOf(db, 'departments', at, cursor, limit), first);
    kept = withinBudget(items, size);
    const last = kept.at(-1);
    if (last) cursor = { version: last.version, id: last.id };
    if (items.length < limit || kept.some((i) => i.user || i.department || i.removed)) break;
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

/** Rows of one table after the cursor, up to the version the viewer's tree is current for. */
async function pageOf<T extends 'users' | 'departments'>(
  db: Reader,
  table: T,
  at: DirectoryVersion,
  cursor: DirCursor | null,
  limit: number,
) {
  let query = db
    .selectFrom(table as 'users' | 'departments')
    .selectAll()
    .where('dir_version', '<=', at.version)
    .orderBy('dir_version')
    .orderBy('id')
    .limit(limit);
  if (cursor) query = query.where(sql<boolean>`(dir_version, id) > (${cursor.version}, ${cursor.id})`);
  return (await query.execute()) as unknown as T extends 'users' ? UserRow[] : DepartmentRow[];
}

async function userItems(db: Reader, viewer: ViewerContext, rows: UserRow[], first: boolean): Promise<Item[]> {
  if (rows.length === 0) return [];
  const departments = await loadDepartmentIds(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => {
    const k = { id: row.id, version: Number(row.dir_version) };
    const user = userView(row, departments.get(row.id) ?? []);
    if (canSeeUser(viewer, user)) return { ...k, user };
    return { ...k, removed: !first };
  });
}

async function departmentItems(
  db: Reader,
  viewer: ViewerContext,
  rows: DepartmentRow[],
  first: boolean,
): Promise<Item[]> {
  if (rows.length === 0) return [];
  const heads = await loadHeadIds(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => {
    const k = { id: row.id, version: Number(row.dir_version) };
    if (!row.deleted && canSeeDepartment(viewer, row.id)) {
      return { ...k, department: departmentFor(viewer, departmentView(row, heads.get(row.id) ?? [])) };
    }
    return { ...k, removed: !first };
  });
}
