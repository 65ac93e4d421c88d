// The directory as an import sees it: every live department with its path, every member with
// the columns the template carries, loaded in a few big queries and indexed in memory.
import { QixinError } from '../../shared/protocol';
import type { Reader } from '../domain/context';
import type { UserRow } from '../store/schema';

export interface DeptInfo {
  id: string;
  parentId: string | null;
  name: string;
  depth: number;
  sortOrder: number;
  /** Path below the root, levels joined by '/' ('' for the root). */
  key: string;
}

export type MemberInfo = Pick<
  UserRow,
  | 'id'
  | 'account'
  | 'name'
  | 'alias'
  | 'title'
  | 'gender'
  | 'mobile'
  | 'phone'
  | 'email'
  | 'address'
  | 'manager_id'
  | 'status'
  | 'role'
> & { departmentIds: string[] };

/** The profile columns a spreadsheet row sets: read to compare, written by an update. */
export const PROFILE_COLUMNS = [
  'name',
  'alias',
  'title',
  'gender',
  'mobile',
  'phone',
  'email',
  'address',
  'manager_id',
  'status',
] as const;

export interface DirectoryImage {
  rootId: string;
  rootName: string;
  version: number;
  departments: Map<string, DeptInfo>;
  deptByKey: Map<string, DeptInfo>;
  members: Map<string, MemberInfo>;
  memberById: Map<string, MemberInfo>;
  /** Mobile (without +86) → account of its owner. */
  mobileOwner: Map<string, string>;
  /** Largest sort_order among each parent's children. */
  lastOrder: Map<string, number>;
}

export const mobileKey = (mobile: string) => mobile.replace(/^\+86/, '');

export async function loadDirectory(db: Reader): Promise<DirectoryImage> {
  const [state, deptRows, userRows, links] = await Promise.all([
    db.selectFrom('directory_state').select('version').executeTakeFirstOrThrow(),
    db
      .selectFrom('departments')
      .select(['id', 'parent_id', 'name', 'depth', 'sort_order'])
      .where('deleted', '=', 0)
      .execute(),
    db
      .selectFrom('users')
      .select(['id', 'account', ...PROFILE_COLUMNS, 'role'])
      .execute(),
    db
      .selectFrom('user_departments')
      .select(['user_id', 'department_id'])
      .orderBy('user_id')
      .orderBy('position')
      .execute(),
  ]);
  const root = deptRows.find((d) => d.parent_id === null);
  if (!root) throw new QixinError('invalid', '还没有企业：请先完成首次设置（创建企业和管理员）再导入');

  const departments = new Map<string, DeptInfo>();
  const lastOrder = new Map<string, number>();
  for (const d of deptRows) {
    departments.set(d.id, {
      id: d.id,
      parentId: d.parent_id,
      name: d.name,
      depth: Number(d.depth),
      sortOrder: Number(d.sort_order),
      key: '',
    });
    if (d.parent_id) lastOrder.set(d.parent_id, Math.max(lastOrder.get(d.parent_id) ?? 0, Number(d.sort_order)));
  }
  const keyOf = (d: DeptInfo, hops = 0): string => {
    if (d.parentId === null || hops > 64) return '';
    if (d.key) return d.key;
    const parent = departments.get(d.parentId);
    const parentKey = parent ? keyOf(parent, hops + 1) : '';
    d.key = parentKey ? `${parentKey}/${d.name}` : d.name;
    return d.key;
  };
  const deptByKey = new Map<string, DeptInfo>();
  for (const d of departments.values()) deptByKey.set(keyOf(d), d);

  const members = new Map<string, MemberInfo>();
  const memberById = new Map<string, MemberInfo>();
  const mobileOwner = new Map<string, string>();
  for (const u of userRows) {
    // The query's row object itself, given its department list (no copy of 50,000 rows).
    const m = u as MemberInfo;
    m.departmentIds = [];
    members.set(u.account, m);
    memberById.set(u.id, m);
    if (u.mobile) mobileOwner.set(mobileKey(u.mobile), u.account);
  }
  for (const l of links) memberById.get(l.user_id)?.departmentIds.push(l.department_id);

  return {
    rootId: root.id,
    rootName: root.name,
    version: Number(state.version),
    departments,
    deptByKey,
    members,
    memberById,
    mobileOwner,
    lastOrder,
  };
}

/** Full path as exports write it: the enterprise's name first (总部/研发中心/前端组). */
export function fullPath(image: DirectoryImage, deptId: string): string {
  const d = image.departments.get(deptId);
  if (!d) return '';
  return d.key ? `${image.rootName}/${d.key}` : image.rootName;
}
