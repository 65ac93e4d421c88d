// The drive's rules in policy.ts: levels combine by rank, each action's need, 禁止转发, previews.
import { describe, expect, it } from 'vitest';
import { QixinError } from '../../shared/protocol';
import {
  assertCanTakeDriveFile,
  assertDriveGrantsValid,
  assertDriveLevel,
  assertNoDriveCycle,
  driveLevelAtLeast,
  drivePreviewable,
  higherDriveLevel,
} from '../domain/policy';

const reasonOf = (fn: () => void) => {
  try {
    fn();
    return null;
  } catch (err) {
    return (err as QixinError).reason ?? (err as QixinError).code;
  }
};

describe('drive levels', () => {
  it('combine to the higher one; none is below all', () => {
    expect(higherDriveLevel(null, 'view')).toBe('view');
    expect(higherDriveLevel('edit', 'download')).toBe('edit');
    expect(higherDriveLevel('view', 'manage')).toBe('manage');
    expect(higherDriveLevel(null, null)).toBeNull();
    expect(driveLevelAtLeast('download', 'view')).toBe(true);
    expect(driveLevelAtLeast('download', 'edit')).toBe(false);
    expect(driveLevelAtLeast(null, 'view')).toBe(false);
  });

  it('hide an item from someone without any level, refuse one with too low a level', () => {
    expect(reasonOf(() => assertDriveLevel(null, 'view', 'see it'))).toBe('file_not_found');
    expect(reasonOf(() => assertDriveLevel('view', 'download', 'download it'))).toBe('drive_forbidden');
    expect(reasonOf(() => assertDriveLevel('manage', 'edit', 'rename it'))).toBeNull();
  });

  it('禁止转发 leaves only managers to take a file away', () => {
    const marked = { no_forward: 1 };
    expect(reasonOf(() => assertCanTakeDriveFile(marked, 'edit', 'download it'))).toBe('drive_no_forward');
    expect(reasonOf(() => assertCanTakeDriveFile(marked, 'manage', 'download it'))).toBeNull();
    expect(reasonOf(() => assertCanTakeDriveFile({ no_forward: 0 }, 'download', 'download it'))).toBeNull();
    expect(reasonOf(() => assertCanTakeDriveFile({ no_forward: 0 }, 'view', 'download it'))).toBe('drive_forbidden');
  });

  it('a folder never moves below itself', () => {
    expect(reasonOf(() => assertNoDriveCycle('a', [{ id: 'root' }, { id: 'a' }, { id: 'b' }]))).toBe('drive_cycle');
    expect(reasonOf(() => assertNoDriveCycle('a', [{ id: 'root' }, { id: 'b' }]))).toBeNull();
  });

  it('grants: one per principal; a team root keeps a manager', () => {
    const user = { type: 'user', id: 'u' };
    expect(
      reasonOf(() =>
        assertDriveGrantsValid(
          [
            { principal: user, level: 'view' },
            { principal: user, level: 'edit' },
          ],
          false,
        ),
      ),
    ).toBe('invalid');
    expect(reasonOf(() => assertDriveGrantsValid([{ principal: user, level: 'edit' }], true))).toBe('invalid');
    expect(reasonOf(() => assertDriveGrantsValid([], false))).toBeNull();
  });
});

describe('previews', () => {
  it('show images, video, audio, PDF and text, never SVG or unknown types', () => {
    for (const mime of [
      'image/png',
      'video/mp4',
      'audio/mpeg',
      'application/pdf',
      'text/plain',
      'text/markdown; charset=utf-8',
    ])
      expect(drivePreviewable(mime), mime).toBe(true);
    for (const mime of ['image/svg+xml', 'application/zip', 'application/octet-stream', null])
      expect(drivePreviewable(mime), String(mime)).toBe(false);
  });
});
