// Who sees whom in the directory (DESIGN §4.5; enforced on the relay only). Pure functions over
// the in-memory tree, so that every directory read (sync, members, search, profile cards)
// applies exactly the same rules.
import type { Department, MemberStatus, VisibilityRule } from '../../../shared/protocol';
import type { DepartmentTree } from './tree';

export interface Viewer {
  userId: string;
  superAdmin: boolean;
  /** Subtree roots of a department admin holding the 'directory' right; empty otherwise. */
  adminRoots: readonly string[];
  /** The viewer's own departments. */
  departmentIds: readonly string[];
  /** People who share, or shared, a conversation with the viewer: their names always resolve. */
  chatPeers: ReadonlySet<string>;
}

/** What a visibility decision needs to know about a user. */
export interface Visible {
  id: string;
  status: MemberStatus;
  hidden: boolean;
  departmentIds: readonly string[];
}

export interface ViewerContext {
  viewer: Viewer;
  tree: DepartmentTree;
  /** Departments whose members the viewer may see (when those members are active and not hidden). */
  open: ReadonlySet<string>;
  /** Departments the viewer may see in the tree: open ones, their ancestors, the admin's subtrees, the root. */
  departments: ReadonlySet<string>;
  /** Every department inside the viewer's admin subtrees. */
  administered: ReadonlySet<string>;
}

/**
 * Departments open to the viewer: not inside a hidden department's subtree (unless the viewer
 * sits inside that hidden subtree) and, when rules apply to the viewer (they sit inside a rule's
 * subject subtrees), inside the visible subtrees of those rules or of the viewer's own departments.
 */
export function openDepartments(tree: DepartmentTree, viewer: Viewer, rules: readonly VisibilityRule[]): Set<string> {
  const own = viewer.departmentIds.filter((d) => tree.has(d));
  const applying = rules.filter((r) => own.some((d) => tree.within(d, r.subjectDepartmentIds)));
  const allowedRoots = new Set<string>();
  if (applying.length > 0) {
    for (const r of applying) for (const d of r.visibleDepartmentIds) allowedRoots.add(d);
    for (const d of own) allowedRoots.add(d);
  }
  // Ancestors of the viewer's departments: a hidden one among them is one the viewer sits inside.
  const insideOf = new Set(own.flatMap((d) => tree.ancestry(d)));
  const open = new Set<string>();
  if (tree.rootId === null) return open;
  // Top-down, carrying "blocked by a hidden ancestor" and "inside an allowed subtree".
  const stack: [string, boolean, boolean][] = [[tree.rootId, false, false]];
  while (stack.length) {
    const [id, blockedAbove, allowedAbove] = stack.pop()!;
    const node = tree.get(id)!;
    const blocked = blockedAbove || (!!node.hidden && !insideOf.has(id));
    const allowed = allowedAbove || allowedRoots.has(id);
    if (!blocked && (applying.length === 0 || allowed)) open.add(id);
    for (const child of tree.childrenOf(id)) stack.push([child, blocked, allowed]);
  }
  return open;
}

export function viewerContext(tree: DepartmentTree, viewer: Viewer, rules: readonly VisibilityRule[]): ViewerContext {
  const open = openDepartments(tree, viewer, rules);
  const administered = new Set(viewer.adminRoots.flatMap((r) => tree.subtree(r)));
  let departments: Set<string>;
  if (viewer.superAdmin) {
    departments = new Set(tree.nodes.keys());
  } else {
    departments = new Set(administered);
    for (const d of open) for (const a of tree.ancestry(d)) departments.add(a);
    for (const d of administered) for (const a of tree.ancestry(d)) departments.add(a);
    if (tree.rootId) departments.add(tree.rootId);
  }
  return { viewer, tree, open, departments, administered };
}

/** Whether the viewer sees this user at all (in lists, search, sync and profile cards). */
export function canSeeUser(ctx: ViewerContext, user: Visible): boolean {
  const { viewer } = ctx;
  if (viewer.superAdmin || user.id === viewer.userId) return true;
  if (user.departmentIds.some((d) => ctx.administered.has(d))) return true;
  if (viewer.chatPeers.has(user.id)) return true;
  return user.status === 'active' && !user.hidden && user.departmentIds.some((d) => ctx.open.has(d));
}

/** Whether the viewer sees the department in the tree (the root always). */
export function canSeeDepartment(ctx: ViewerContext, departmentId: string): boolean {
  return ctx.departments.has(departmentId);
}

/** Whether the viewer sees every direct member of the department, whatever their status. */
export function seesAllMembersOf(ctx: ViewerContext, departmentId: string): boolean {
  return ctx.viewer.superAdmin || ctx.administered.has(departmentId);
}

/**
 * A department as the viewer gets it: an ancestor shown only for navigation (not open to the
 * viewer) carries its name, not its heads.
 */
export function departmentFor(ctx: ViewerContext, department: Department): Department {
  if (ctx.viewer.superAdmin || ctx.open.has(department.id) || ctx.administered.has(department.id)) return department;
  return { ...department, headIds: [] };
}
