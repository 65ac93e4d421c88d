// A small department tree for the directory's unit tests.
import { DepartmentTree, type TreeNode } from './tree';

/** root → 研发中心 → 前端组 → 组件 ; root → 销售部 */
export function sampleTree(extra: Partial<Record<string, Partial<TreeNode>>> = {}): DepartmentTree {
  const node = (id: string, parent: string | null, name: string, depth: number, order = 0): TreeNode => ({
    id,
    parent_id: parent,
    name,
    sort_order: order,
    depth,
    hidden: 0,
    ...extra[id],
  });
  return new DepartmentTree([
    node('root', null, '总部', 0),
    node('rd', 'root', '研发中心', 1, 1),
    node('fe', 'rd', '前端组', 2),
    node('ui', 'fe', '组件', 3),
    node('be', 'rd', '后端组', 2, 1),
    node('sales', 'root', '销售部', 1, 0),
  ]);
}
