import { describe, expect, it } from 'vitest';
import type { Transfer } from '../../../shared/contract';
import { downloadFor, newer, uploadFor } from './match';

function transfer(fields: Partial<Transfer>): Transfer {
  return {
    id: crypto.randomUUID(),
    direction: 'download',
    name: '报告.pdf',
    size: 100,
    done: 0,
    bytesPerSec: 0,
    state: 'running',
    error: null,
    conversationId: null,
    messageId: null,
    mediaId: null,
    nodeId: null,
    folderId: null,
    localPath: null,
    instant: false,
    createdAt: 1,
    updatedAt: 1,
    ...fields,
  };
}

describe('matching transfers to file cards', () => {
  it('finds an upload by its message and a download by media or node id', () => {
    const up = transfer({ direction: 'upload', messageId: 'm1', mediaId: 'f1' });
    const down = transfer({ mediaId: 'f1' });
    const drive = transfer({ nodeId: 'n1' });
    const all = [up, down, drive];
    expect(uploadFor(all, 'm1')).toBe(up);
    expect(uploadFor(all, 'm2')).toBeNull();
    expect(downloadFor(all, { mediaId: 'f1', nodeId: null })).toBe(down);
    expect(downloadFor(all, { mediaId: null, nodeId: 'n1' })).toBe(drive);
  });

  it('prefers the newest try, and a cancelled one only when there is no other', () => {
    const cancelled = transfer({ mediaId: 'f1', state: 'cancelled', updatedAt: 9 });
    const older = transfer({ mediaId: 'f1', state: 'done', updatedAt: 5 });
    expect(downloadFor([cancelled, older], { mediaId: 'f1', nodeId: null })).toBe(older);
    expect(downloadFor([cancelled], { mediaId: 'f1', nodeId: null })).toBe(cancelled);
  });

  it('keeps the later report of one transfer', () => {
    const first = transfer({ updatedAt: 10 });
    expect(newer(first, { ...first, updatedAt: 9 })).toBe(false);
    expect(newer(first, { ...first, updatedAt: 11 })).toBe(true);
    expect(newer(undefined, first)).toBe(true);
  });
});
