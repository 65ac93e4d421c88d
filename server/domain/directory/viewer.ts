// Loads what visibility decisions need about one viewer: their admin scope, departments,
// chat peers, and the enterprise's visibility rules.
import type { VisibilityRule } from '../../../shared/protocol';
import type { Reader } from '../context';
import { loadAdminScope, type AdminScope } from './scope';
import { loadTree, type DepartmentTree } from './tree';
import { viewerContext, type ViewerContext } from './visibility';

export async function loadRules(db: Reader): Promise<VisibilityRule[]> {
  const rows = await db.selectFrom('visibility_rules').selectAll().orderBy('position').execute();
  return rows.map((r) => ({
    id: r.id,
    subjectDepartmentIds: JSON.parse(r.subject_department_ids) as string[],
    visibleDepartmentIds: JSON.parse(r.visible_department_ids) as string[],
  }));
}

/** Everyone who is or was in a conversation with the user. */
export async function loadChatPeers(db: Reader, userId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('members as mine')
    .innerJoin('members as peer', 'peer.conversation_id', 'mine.conversation_id')
    .select('peer.user_id')
    .distinct()
    .where('mine.user_id', '=', userId)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

export interface LoadedViewer extends ViewerContext {
  scope: AdminScope;
}

/** The viewer's context over `tree` (a transaction's own) or the cached live tree. */
export async function loadViewer(db: Reader, userId: string, tree?: DepartmentTree): Promise<LoadedViewer> {
  const [scope, own, chatPeers, rules, liveTree] = await Promise.all([
    loadAdminScope(db, userId),
    db
      .selectFrom('user_departments')
      .select('department_id')
      .where('user_id', '=', userId)
      .orderBy('position')
      .execute(),
    loadChatPeers(db, userId),
    loadRules(db),
    tree ? Promise.resolve(tree) : loadTree(db),
  ]);
  const ctx = viewerContext(
    liveTree,
    {
      userId,
      superAdmin: scope.superAdmin,
      adminRoots: !scope.superAdmin && scope.rights.includes('directory') ? scope.departmentIds : [],
      departmentIds: own.map((r) => r.department_id),
      chatPeers,
    },
    rules,
  );
  return { ...ctx, scope };
}
