import type { Department } from '../../../shared/protocol/entities';

/** The department tree as the UI walks it: by id, children in display order, the root. */
export type Org = {
  byId: Map<string, Department>;
  /** Children of a department (key: its id) in `order`, then by name. */
  children: Map<string, Department[]>;
  root: Department | null;
};

export const EMPTY_ORG: Org = { byId: new Map(), children: new Map(), root: null };

const collator = new Intl.Collator('zh-CN-u-co-pinyin');

export function buildOrg(departments: readonly Department[]): Org {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const children = new Map<string, Department[]>();
  let root: Department | null = null;
  for (const d of departments) {
    if (d.parentId === null) {
      root = d;
      continue;
    }
    const list = children.get(d.parentId);
    if (list) list.push(d);
    else children.set(d.parentId, [d]);
  }
  for (const list of children.values()) {
    list.sort((a, b) => a.order - b.order || collator.compare(a.name, b.name));
  }
  return { byId, children, root };
}

/** The departments from the root down to `id` (both included); empty when unknown. */
export function pathTo(org: Org, id: string): Department[] {
  const path: Department[] = [];
  let current = org.byId.get(id);
  // Bounded by the tree's size, so a broken parent link cannot loop forever.
  for (let guard = 0; current && guard <= org.byId.size; guard++) {
    path.unshift(current);
    current = current.parentId ? org.byId.get(current.parentId) : undefined;
  }
  return path;
}

/** "总部/研发中心/前端组": names below the root joined by "/" (the root's own name for the root). */
export function pathText(org: Org, id: string): string {
  const path = pathTo(org, id);
  if (path.length === 0) return '';
  if (path.length === 1) return path[0]?.name ?? '';
  return path
    .slice(1)
    .map((d) => d.name)
    .join('/');
}

/** Whether `id` is one of `roots` or lies below one of them. */
export function withinAny(org: Org, id: string, roots: readonly string[]): boolean {
  const set = new Set(roots);
  return pathTo(org, id).some((d) => set.has(d.id));
}

/** `id` and every department below it. */
export function subtreeIds(org: Org, id: string): string[] {
  const out: string[] = [];
  const stack = [id];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    out.push(next);
    for (const child of org.children.get(next) ?? []) stack.push(child.id);
  }
  return out;
}
