import { describe, expect, it } from 'vitest';
import { DepartmentTree } from './tree';
import { sampleTree } from './tree.test-fixture';

describe('DepartmentTree', () => {
  const tree = sampleTree();

  it('writes paths from the root down', () => {
    expect(tree.path('ui')).toBe('总部/研发中心/前端组/组件');
    expect(tree.path('root')).toBe('总部');
  });

  it('answers subtree membership, children in order, and heights', () => {
    expect(tree.within('ui', ['rd'])).toBe(true);
    expect(tree.within('sales', ['rd'])).toBe(false);
    expect(tree.within('rd', ['rd'])).toBe(true);
    expect(tree.childrenOf('root')).toEqual(['sales', 'rd']);
    expect(tree.subtree('rd').sort()).toEqual(['be', 'fe', 'rd', 'ui']);
    expect(tree.height('rd')).toBe(2);
    expect(tree.height('ui')).toBe(0);
    expect(tree.childNamed('rd', '后端组')).toBe('be');
    expect(tree.childNamed('rd', '销售部')).toBeUndefined();
    expect(tree.ancestry('ui')).toEqual(['ui', 'fe', 'rd', 'root']);
  });

  it('does not loop on a corrupt cycle', () => {
    const broken = new DepartmentTree([
      { id: 'a', parent_id: 'b', name: 'a', sort_order: 0, depth: 1, hidden: 0 },
      { id: 'b', parent_id: 'a', name: 'b', sort_order: 0, depth: 1, hidden: 0 },
    ]);
    expect(broken.within('a', ['x'])).toBe(false);
    expect(broken.ancestry('a').length).toBeLessThanOrEqual(65);
  });
});
