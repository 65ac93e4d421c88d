import { describe, expect, it } from 'vitest';
import { topFolderPath, type PickedFile } from './sources';
import { byFolder } from './uploads';

const picked = (relativePath: string): PickedFile => ({ file: {} as File, relativePath });

describe('byFolder', () => {
  it('groups files by their folder, parents before their sub-folders, lone files at the target', () => {
    const groups = byFolder([
      picked('报告/附件/图.png'),
      picked(''),
      picked('报告/总结.docx'),
      picked('报告/附件/表.xlsx'),
    ]);
    expect([...groups.keys()]).toEqual(['', '报告', '报告/附件']);
    expect(groups.get('报告/附件')?.map((p) => p.relativePath)).toEqual(['报告/附件/图.png', '报告/附件/表.xlsx']);
  });
});

describe('topFolderPath', () => {
  it('finds the picked folder on disk from one of its files', () => {
    expect(topFolderPath('/home/li/文档/报告/附件/图.png', '报告/附件/图.png')).toBe('/home/li/文档/报告');
    expect(topFolderPath('C:\\Users\\li\\报告\\a.txt', '报告/a.txt')).toBe('C:\\Users\\li\\报告');
  });

  it('gives null for a lone file or a path that does not end as the relative path says', () => {
    expect(topFolderPath('/tmp/a.txt', 'a.txt')).toBeNull();
    expect(topFolderPath('/tmp/other/a.txt', '报告/a.txt')).toBeNull();
  });
});
