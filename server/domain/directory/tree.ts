// The department tree in memory: a few thousand rows at most, so every walk (subtree checks,
// paths, depths, visibility) runs here instead of in recursive SQL that differs per store.
import { MAX_DEPARTMENT_DEPTH } from '../../../shared/protocol';
import type { DepartmentRow } from '../../store/schema';
import type { Reader } from '../context';
import { currentDirectoryVersion, type DirectoryVersion } from './version';

export type TreeNode = Pick<DepartmentRow, 'id' | 'parent_id' | 'name' | 'sort_order' | 'depth' | 'hidden'>;

export class DepartmentTree {
  readonly nodes = new Map<string, TreeNode>();
  private readonly children = new Map<string, string[]>();
  readonly rootId: string | null;

  /** `rows` are the live (not deleted) departments. */
  constructor(rows: readonly TreeNode[]) {
    let root: string | null = null;
    for (const r of rows) {
      this.nodes.set(r.id, r);
      if (r.parent_id === null) root = r.id;
    }
    for (const r of rows) {
      if (r.parent_id === null) continue;
      const list = this.children.get(r.parent_id) ?? [];
      list.push(r.id);
      this.children.set(r.parent_id, list);
    }
    const order = (a: string, b: string) => {
      const x = this.nodes.get(a)!;
      const y = this.nodes.get(b)!;
      return x.sort_order - y.sort_order || (x.id < y.id ? -1 : 1);
    };
    for (const list of this.children.values()) list.sort(order);
    this.rootId = root;
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  get(id: string): TreeNode | undefined {
    return this.nodes.get(id);
  }

  parentOf(id: string): string | null | undefined {
    return this.nodes.get(id)?.parent_id;
  }

  childrenOf(id: string): readonly string[] {
    return this.children.get(id) ?? [];
  }

  /** The department and every ancestor up to the root, nearest first. */
  ancestry(id: string): string[] {
    const out: string[] = [];
    // Bounded by the depth limit; the guard also stops on a corrupt cycle.
    for (let at: string | null | undefined = id; at && this.nodes.has(at) && out.length <= 64; at = this.parentOf(at)) {
      out.push(at);
    }
    return out;
  }

  /** True when `id` is one of `roots` or lies below one of them. */
  within(id: string, roots: Iterable<string>): boolean {
    const wanted = roots instanceof Set ? (roots as Set<string>) : new Set(roots);
    if (wanted.size === 0) return false;
    return this.ancestry(id).some((a) => wanted.has(a));
  }

  /** The department and all its descendants, parents before children. */
  subtree(id: string): string[] {
    if (!this.nodes.has(id)) return [];
    const out = [id];
    for (let i = 0; i < out.length; i++) out.push(...this.childrenOf(out[i]!));
    return out;
  }

  /** Levels below `id` down to its deepest descendant (0 for a leaf). */
  height(id: string): number {
    const base = this.nodes.get(id)?.depth ?? 0;
    let max = base;
    for (const d of this.subtree(id)) max = Math.max(max, this.nodes.get(d)!.depth);
    return max - base;
  }

  /** "总部/研发中心/前端组": names from the root down. */
  path(id: string): string {
    return this.ancestry(id)
      .reverse()
      .map((a) => this.nodes.get(a)!.name)
      .join('/');
  }

  /** The live child of `parentId` named `name`, if any. */
  childNamed(parentId: string, name: string): string | undefined {
    return this.childrenOf(parentId).find((c) => this.nodes.get(c)!.name === name);
  }

  /** Whether a department at `depth` is allowed. */
  static depthAllowed(depth: number): boolean {
    return depth <= MAX_DEPARTMENT_DEPTH;
  }
}

export async function readTree(db: Reader): Promise<DepartmentTree> {
  const rows = await db
    .selectFrom('departments')
    .select(['id', 'parent_id', 'name', 'sort_order', 'depth', 'hidden'])
    .where('deleted', '=', 0)
    .execute();
  return new DepartmentTree(rows);
}

// One entry per store (a test process runs several relays).
const cache = new WeakMap<Reader, { at: DirectoryVersion; tree: DepartmentTree }>();

/**
 * The live tree for reads outside a transaction, rebuilt when the directory version moved, and
 * the version it is current for. The version is read before the rows, so the tree holds at least
 * every department of that version. Writes read the tree inside their transaction (readTree).
 */
export async function loadTreeAt(db: Reader): Promise<{ tree: DepartmentTree; at: DirectoryVersion }> {
  const at = await currentDirectoryVersion(db);
  const hit = cache.get(db);
  if (hit && hit.at.version === at.version && hit.at.epoch === at.epoch) return hit;
  const entry = { at, tree: await readTree(db) };
  cache.set(db, entry);
  return entry;
}

export async function loadTree(db: Reader): Promise<DepartmentTree> {
  return (await loadTreeAt(db)).tree;
}
