// Directory reads for one viewer: profile cards (dir.users), search (dir.search) and a
// department's direct members (dir.members). Each keeps only what the viewer may see.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Department, User } from '../../../shared/protocol';
import { QixinError } from '../../../shared/protocol';
import type { Schema } from '../../store/schema';
import type { Dialect } from '../../store/migrator';
import type { Reader } from '../context';
import { departmentView, loadDepartmentIds, loadHeadIds, loadUserRows, usersView } from '../views';
import type { DepartmentTree } from './tree';
import { canSeeDepartment, canSeeUser, departmentFor, seesAllMembersOf, type ViewerContext } from './visibility';

/** Profiles by id; people the viewer may not see are left out (as if unknown). */
export async function visibleUsers(db: Reader, viewer: ViewerContext, ids: readonly string[]): Promise<User[]> {
  const users = await usersView(db, await loadUserRows(db, ids));
  const byId = new Map(users.filter((u) => canSeeUser(viewer, u)).map((u) => [u.id, u]));
  // In the order asked for, each once.
  return [...new Set(ids)].flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

/** `\`, `%` and `_` match themselves in a LIKE pattern built from user input. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const SEARCH_CHUNK = 500;

/**
 * People by name (contains), pinyin and initials (prefix), account (prefix), mobile (contains)
 * and email (prefix), case-insensitive on both stores, in pinyin order; departments by name.
 */
export async function search(
  db: Reader,
  viewer: ViewerContext,
  query: string,
  limit: number,
): Promise<{ users: User[]; departments: Department[] }> {
  const q = query.trim().toLowerCase();
  const compact = q.replace(/\s+/g, '');
  const contains = `%${likeEscape(q)}%`;
  const prefix = `${likeEscape(q)}%`;
  const pinyinPrefix = `${likeEscape(compact)}%`;
  const matches = (eb: ExpressionBuilder<Schema, 'users'>) =>
    eb.or([
      sql<boolean>`lower(name) like ${contains} escape '\\'`,
      sql<boolean>`pinyin like ${pinyinPrefix} escape '\\'`,
      sql<boolean>`initials like ${pinyinPrefix} escape '\\'`,
      sql<boolean>`lower(account) like ${prefix} escape '\\'`,
      sql<boolean>`mobile like ${contains} escape '\\'`,
      sql<boolean>`lower(email) like ${prefix} escape '\\'`,
      sql<boolean>`lower(alias) like ${contains} escape '\\'`,
    ]);
  const users: User[] = [];
  let after: { pinyin: string; id: string } | null = null;
  // Scans matches in pinyin order a chunk at a time until enough visible ones are found.
  for (;;) {
    let page = db.selectFrom('users').selectAll().where(matches).orderBy('pinyin').orderBy('id').limit(SEARCH_CHUNK);
    if (after) page = page.where(sql<boolean>`(pinyin, id) > (${after.pinyin}, ${after.id})`);
    const rows = await page.execute();
    for (const u of await usersView(db, rows)) {
      if (users.length < limit && canSeeUser(viewer, u)) users.push(u);
    }
    if (users.length >= limit || rows.length < SEARCH_CHUNK) break;
    after = { pinyin: rows.at(-1)!.pinyin, id: rows.at(-1)!.id };
  }
  const departmentIds = [...viewer.tree.nodes.values()]
    .filter((d) => d.name.toLowerCase().includes(q) && canSeeDepartment(viewer, d.id))
    .sort((a, b) => a.depth - b.depth || a.sort_order - b.sort_order || (a.id < b.id ? -1 : 1))
    .slice(0, limit)
    .map((d) => d.id);
  const departments = await departmentsById(db, departmentIds);
  return { users, departments: departments.map((d) => departmentFor(viewer, d)) };
}

/** Live departments as wire entities, in the order given. */
export async function departmentsById(db: Reader, ids: readonly string[]): Promise<Department[]> {
  if (ids.length === 0) return [];
  const rows = [];
  for (let i = 0; i < ids.length; i += 500) {
    rows.push(
      ...(await db
        .selectFrom('departments')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  }
  const heads = await loadHeadIds(db, ids);
  const byId = new Map(rows.map((r) => [r.id, departmentView(r, heads.get(r.id) ?? [])]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

export interface MembersPage {
  users: User[];
  total: number;
  next: { pinyin: string; id: string } | null;
}

/**
 * Direct members of a department in (pinyin, id) order, a page at a time, and how many the
 * viewer sees in all. In an open department everyone active and not hidden is visible, which
 * SQL filters; the few others (hidden, disabled, departed) are judged one by one.
 */
export async function departmentMembers(
  db: Reader,
  dialect: Dialect,
  viewer: ViewerContext,
  tree: DepartmentTree,
  departmentId: string,
  after: { pinyin: string; id: string } | null,
  limit: number,
): Promise<MembersPage> {
  if (!tree.has(departmentId) || !canSeeDepartment(viewer, departmentId)) {
    throw new QixinError('not_found', 'no such department', 'department_not_found');
  }
  const all = seesAllMembersOf(viewer, departmentId);
  const open = !all && viewer.open.has(departmentId);
  let extra: string[] = [];
  const peers = viewer.viewer.chatPeers;
  if (open && viewer.administered.size === 0 && peers.size < 1000) {
    // Hidden or inactive people in an open department show only to themselves and chat partners:
    // those ids go straight into the query (one round trip fewer on the hot path).
    extra = [viewer.viewer.userId, ...peers];
  } else if (!all) {
    let candidates = db
      .selectFrom('users')
      .innerJoin('user_departments as ud', 'ud.user_id', 'users.id')
      .select(['users.id', 'users.status', 'users.hidden'])
      .where('ud.department_id', '=', departmentId);
    if (open) {
      candidates = candidates.where((eb) => eb.or([eb('users.status', '!=', 'active'), eb('users.hidden', '=', 1)]));
    }
    const rows = await candidates.execute();
    if (open && viewer.administered.size === 0) {
      // Hidden or inactive people in an open department: only oneself and chat partners show.
      extra = rows.filter((r) => r.id === viewer.viewer.userId || viewer.viewer.chatPeers.has(r.id)).map((r) => r.id);
    } else {
      const departments = await loadDepartmentIds(
        db,
        rows.map((r) => r.id),
      );
      extra = rows
        .filter((r) =>
          canSeeUser(viewer, {
            id: r.id,
            status: r.status,
            hidden: !!r.hidden,
            departmentIds: departments.get(r.id) ?? [],
          }),
        )
        .map((r) => r.id);
    }
    if (!open && extra.length === 0) return { users: [], total: 0, next: null };
  }
  // The department's members by primary key. On PostgreSQL `= any(array(…))` makes the planner
  // probe the key for just those ids; a join would scan every user of the enterprise, or walk the
  // pinyin index across it, when a department is a tenth of the enterprise.
  const membership =
    dialect === 'postgres'
      ? sql<boolean>`users.id = any(array(select user_id from user_departments where department_id = ${departmentId}))`
      : sql<boolean>`users.id in (select user_id from user_departments where department_id = ${departmentId})`;
  const base = () => {
    const inDepartment = db.selectFrom('users').where(membership);
    if (all) return inDepartment;
    return inDepartment.where((eb) => {
      const listed = extra.length ? [eb('users.id', 'in', extra)] : [];
      if (!open) return eb.or(listed);
      return eb.or([eb.and([eb('users.status', '=', 'active'), eb('users.hidden', '=', 0)]), ...listed]);
    });
  };
  // Sorted by an expression, not through the pinyin index: a top-N sort of the department's
  // members is cheap, while walking that index would cross the whole enterprise.
  // On PostgreSQL the first page counts in the same pass (a window over every matching row, which
  // the top-N sort reads anyway). SQLite would materialize every row for the window, so it counts
  // separately, as do later pages (their keyset hides the earlier rows).
  const windowed = dialect === 'postgres' && !after;
  let page = base()
    .selectAll('users')
    .select(sql<number>`${sql.raw(windowed ? 'count(*) over ()' : '0')}`.as('total_rows'))
    .orderBy(sql`users.pinyin || ''`)
    .orderBy(sql`users.id || ''`)
    .limit(limit + 1);
  if (after) page = page.where(sql<boolean>`(users.pinyin, users.id) > (${after.pinyin}, ${after.id})`);
  const countAll = async () => {
    // Everyone counts for an admin: the membership index alone answers.
    const row = all
      ? await db
          .selectFrom('user_departments')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('department_id', '=', departmentId)
          .executeTakeFirst()
      : await base()
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst();
    return Number(row?.n ?? 0);
  };
  const [rows, counted] = await Promise.all([page.execute(), windowed ? Promise.resolve(null) : countAll()]);
  const total = counted ?? Number(rows[0]?.total_rows ?? 0);
  const users = await usersView(db, rows.slice(0, limit));
  const last = users.at(-1);
  return {
    users,
    total,
    next: rows.length > limit && last ? { pinyin: last.pinyin, id: last.id } : null,
  };
}
