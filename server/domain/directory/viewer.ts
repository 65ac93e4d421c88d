// Loads what visibility decisions need about one viewer: their admin scope, departments,
// chat peers, and the enterprise's visibility rules.
import type { VisibilityRule } from '../../../shared/protocol';
import type { Reader } from '../context';
import { loadAdminScope, type AdminScope } from './scope';
import { loadTreeAt, type DepartmentTree } from './tree';
import type { DirectoryVersion } from './version';
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
  /** The directory version the context is current for. */
  at: DirectoryVersion;
}

/** Everything but the chat partners, read from the store. */
async function readViewer(db: Reader, userId: string, tree: DepartmentTree, chatPeers: ReadonlySet<string>) {
  const [scope, own, rules] = await Promise.all([
    loadAdminScope(db, userId),
    db
      .selectFrom('user_departments')
      .select('department_id')
      .where('user_id', '=', userId)
      .orderBy('position')
      .execute(),
    loadRules(db),
  ]);
  const ctx = viewerContext(
    tree,
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

// A viewer's scope, departments and the rules change only through directory writes, which move
// the directory version: their context is kept per version. Chat partners are read every time.
const cache = new WeakMap<Reader, { at: DirectoryVersion; viewers: Map<string, Omit<LoadedViewer, 'at'>> }>();
const MAX_CACHED_VIEWERS = 10_000;

/** The viewer's context over the cached live tree (reads outside a transaction). */
export async function loadViewer(db: Reader, userId: string): Promise<LoadedViewer> {
  const [{ tree, at }, chatPeers] = await Promise.all([loadTreeAt(db), loadChatPeers(db, userId)]);
  let entry = cache.get(db);
  if (!entry || entry.at.version !== at.version || entry.at.epoch !== at.epoch) {
    entry = { at, viewers: new Map() };
    cache.set(db, entry);
  }
  let base = entry.viewers.get(userId);
  if (!base || base.tree !== tree) {
    base = await readViewer(db, userId, tree, chatPeers);
    if (entry.viewers.size >= MAX_CACHED_VIEWERS) entry.viewers.clear();
    entry.viewers.set(userId, base);
  }
  return { ...base, viewer: { ...base.viewer, chatPeers }, at };
}
