// Who may administer what: super admins everything; department admins the subtrees under
// their grant's departments, with the rights listed in it.
import type { AdminRight } from '../../../shared/protocol';
import type { Reader } from '../context';

export interface AdminScope {
  superAdmin: boolean;
  /** Subtree roots of a department admin; empty for super admins and plain members. */
  departmentIds: string[];
  rights: AdminRight[];
}

export async function loadAdminScope(db: Reader, userId: string): Promise<AdminScope> {
  const [user, grant] = await Promise.all([
    db.selectFrom('users').select(['role', 'status']).where('id', '=', userId).executeTakeFirst(),
    db.selectFrom('admin_grants').selectAll().where('user_id', '=', userId).executeTakeFirst(),
  ]);
  if (!user || user.status !== 'active') return { superAdmin: false, departmentIds: [], rights: [] };
  if (user.role === 'admin') return { superAdmin: true, departmentIds: [], rights: ['directory', 'apps', 'customers'] };
  if (!grant) return { superAdmin: false, departmentIds: [], rights: [] };
  return {
    superAdmin: false,
    departmentIds: JSON.parse(grant.department_ids) as string[],
    rights: JSON.parse(grant.rights) as AdminRight[],
  };
}

/** True when `departmentId` is one of `roots` or below one of them. `parentOf` walks up the tree. */
export function withinSubtrees(
  departmentId: string,
  roots: readonly string[],
  parentOf: (id: string) => string | null | undefined,
): boolean {
  const wanted = new Set(roots);
  // Depth is bounded (15 levels); the guard also stops on a corrupt cycle.
  for (let id: string | null | undefined = departmentId, hops = 0; id && hops < 64; id = parentOf(id), hops++) {
    if (wanted.has(id)) return true;
  }
  return false;
}
