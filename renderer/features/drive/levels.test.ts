import { describe, expect, it } from 'vitest';
import type { DriveLevel } from '../../../shared/protocol/files';
import { may } from './levels';

const file = (level: DriveLevel, noForward = false) => ({ type: 'file' as const, level, noForward });

describe('what each level offers', () => {
  it('仅查看 previews only', () => {
    const f = file('view');
    expect([may.preview(f), may.download(f), may.rename(f), may.trash(f), may.manage(f)]).toEqual([
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('可下载 adds download and copy; 可编辑 adds rename, move and delete; 可管理 adds permissions', () => {
    expect(may.download(file('download'))).toBe(true);
    expect(may.copy(file('download'))).toBe(true);
    expect(may.move(file('download'))).toBe(false);
    expect(may.move(file('edit'))).toBe(true);
    expect(may.trash(file('edit'))).toBe(true);
    expect(may.manage(file('edit'))).toBe(false);
    expect(may.manage(file('manage'))).toBe(true);
  });

  it('禁止转发 keeps download and sending on to managers', () => {
    expect(may.download(file('edit', true))).toBe(false);
    expect(may.sendToChat(file('edit', true))).toBe(false);
    expect(may.download(file('manage', true))).toBe(true);
    expect(may.sendToChat(file('manage', true))).toBe(true);
    expect(may.preview(file('view', true))).toBe(true);
  });

  it('folders are opened, not previewed or downloaded', () => {
    const folder = { type: 'folder' as const, level: 'manage' as const, noForward: false };
    expect(may.preview(folder)).toBe(false);
    expect(may.download(folder)).toBe(false);
    expect(may.addInto(folder)).toBe(true);
    expect(may.addInto({ level: 'download' })).toBe(false);
  });
});
