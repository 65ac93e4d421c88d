import { describe, expect, it } from 'vitest';
import type { DriveNode } from '../../../shared/protocol/files';
import { pathTo, sortNodes } from './places';

const node = (id: string, name: string, type: 'folder' | 'file'): DriveNode => ({
  id,
  spaceId: 's',
  parentId: null,
  type,
  name,
  size: 0,
  mime: null,
  sha256: null,
  noForward: false,
  createdBy: 'u',
  createdAt: 0,
  updatedBy: 'u',
  updatedAt: 0,
  trashedAt: null,
  level: 'manage',
  starred: false,
});

describe('sortNodes', () => {
  it('puts folders first, then names in the language order with numbers by value', () => {
    const sorted = sortNodes(
      [
        node('1', '报告10.pdf', 'file'),
        node('2', '资料', 'folder'),
        node('3', '报告9.pdf', 'file'),
        node('4', '安排', 'folder'),
      ],
      'zh-CN',
    );
    expect(sorted.map((n) => n.name)).toEqual(['安排', '资料', '报告9.pdf', '报告10.pdf']);
  });
});

describe('pathTo', () => {
  it('ends with the folder whether or not the path already does', () => {
    const root = node('r', '', 'folder');
    const folder = node('f', '项目', 'folder');
    expect(pathTo(folder, [root]).map((n) => n.id)).toEqual(['r', 'f']);
    expect(pathTo(folder, [root, folder]).map((n) => n.id)).toEqual(['r', 'f']);
  });
});
