import { describe, expect, it } from 'vitest';
import type { Department } from '../../../shared/protocol/entities';
import { buildOrg, pathText, pathTo, subtreeIds, withinAny } from './org';

const dept = (id: string, parentId: string | null, name: string, order = 0, depth = 1): Department => ({
  id,
  parentId,
  name,
  order,
  headIds: [],
  hidden: false,
  depth,
});

const org = buildOrg([
  dept('fe', 'rd', '前端组', 2, 2),
  dept('root', null, '云帆科技', 0, 0),
  dept('rd', 'root', '研发中心', 1),
  dept('be', 'rd', '后端组', 1, 2),
  dept('hr', 'root', '人事部', 0),
  dept('qa', 'rd', '测试组', 1, 2),
]);

describe('buildOrg', () => {
  it('finds the root and orders siblings by order, then by the pinyin of the name', () => {
    expect(org.root?.name).toBe('云帆科技');
    expect(org.children.get('root')?.map((d) => d.name)).toEqual(['人事部', '研发中心']);
    // 后端组 and 测试组 share order 1: ce < hou.
    expect(org.children.get('rd')?.map((d) => d.name)).toEqual(['测试组', '后端组', '前端组']);
  });
});

describe('paths', () => {
  it('walks from the root and writes paths as the import template does', () => {
    expect(pathTo(org, 'fe').map((d) => d.id)).toEqual(['root', 'rd', 'fe']);
    expect(pathText(org, 'fe')).toBe('研发中心/前端组');
    expect(pathText(org, 'root')).toBe('云帆科技');
    expect(pathText(org, 'missing')).toBe('');
  });
  it('tells whether a department lies in a subtree and lists subtrees', () => {
    expect(withinAny(org, 'fe', ['rd'])).toBe(true);
    expect(withinAny(org, 'hr', ['rd'])).toBe(false);
    expect(subtreeIds(org, 'rd').sort()).toEqual(['be', 'fe', 'qa', 'rd']);
  });
});
