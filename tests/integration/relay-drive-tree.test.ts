// 微盘's tree on a real relay: spaces, names, moves and copies, the trash (restore, purge, expiry on
// the relay's clock), stars, recent files, 共享给我, quotas, and bad input answered with a clear
// reason while the relay keeps serving.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileLimits } from '../../shared/protocol';
import { DAY_MS } from '../../server/files/file-config';
import type { TestClient } from '../support/relay';
import { expectRefused, personalRoot, sha256, startDriveRelay, type DriveRelay } from '../support/drive';

let w: DriveRelay;
let alice: TestClient;
let bob: TestClient;
let aliceRoot: string;

beforeAll(async () => {
  w = await startDriveRelay();
  alice = await w.person('林小雨');
  bob = await w.person('陈大海');
  aliceRoot = await personalRoot(alice);
});

afterAll(async () => {
  await w?.close();
});

const names = async (client: TestClient, folderId: string) =>
  (await client.request('drive.list', { folderId })).children.map((c) => c.name);

/** Files in the blob store (not counting temp files). */
function blobCount(): number {
  const root = w.blobs.root;
  return fs
    .readdirSync(root)
    .filter((d) => d !== 'tmp')
    .reduce((n, d) => n + fs.readdirSync(path.join(root, d)).length, 0);
}

describe('spaces', () => {
  it('makes one personal space on first use, the same one on every device', async () => {
    const first = await alice.request('drive.spaces', {});
    const second = await alice.request('drive.spaces', {});
    const personal = first.spaces.filter((s) => s.kind === 'personal');
    expect(personal).toHaveLength(1);
    expect(personal[0]).toMatchObject({ ownerId: alice.userId, level: 'manage', usedBytes: 0 });
    expect(second.spaces.find((s) => s.kind === 'personal')!.id).toBe(personal[0]!.id);
    // Someone else's personal space is out of reach.
    await expectRefused(bob.request('drive.list', { folderId: aliceRoot }), 'file_not_found');
  });

  it('team spaces: the creator manages it, members see it once granted', async () => {
    const { space } = await alice.request('drive.createSpace', { name: '市场部资料' });
    expect(space).toMatchObject({ kind: 'team', name: '市场部资料', level: 'manage', quotaBytes: null });
    expect((await bob.request('drive.spaces', {})).spaces.map((s) => s.id)).not.toContain(space.id);
    await alice.request('drive.setGrants', {
      nodeId: space.rootId,
      grants: [
        { principal: { type: 'user', id: alice.userId }, level: 'manage' },
        { principal: { type: 'department', id: w.enterpriseId }, level: 'edit' },
      ],
    });
    const bobs = (await bob.request('drive.spaces', {})).spaces.find((s) => s.id === space.id);
    expect(bobs?.level).toBe('edit');
    // A team space keeps a manager.
    await expect(
      alice.request('drive.setGrants', {
        nodeId: space.rootId,
        grants: [{ principal: { type: 'department', id: w.enterpriseId }, level: 'edit' }],
      }),
    ).rejects.toThrow(/manager/);
    const audit = await w.admin.request('admin.audit', { action: 'drive.space_created' });
    expect(audit.records.some((r) => r.targetId === space.id && r.actorId === alice.userId)).toBe(true);
  });
});

describe('names', () => {
  it('are unique among a folder’s live items; Chinese and emoji are fine', async () => {
    const folder = (await alice.request('drive.createFolder', { parentId: aliceRoot, name: '周报 📅' })).node;
    expect(folder.name).toBe('周报 📅');
    await expectRefused(
      alice.request('drive.createFolder', { parentId: aliceRoot, name: '周报 📅' }),
      'drive_name_taken',
    );
    const other = (await alice.request('drive.createFolder', { parentId: aliceRoot, name: '月报' })).node;
    await expectRefused(alice.request('drive.rename', { nodeId: other.id, name: '周报 📅' }), 'drive_name_taken');
  });

  it('refuses path tricks and control characters, and the relay keeps serving', async () => {
    for (const name of ['../etc', 'a/b', 'a\\b', 'nul\u0000name', '..', ' 空格']) {
      const answer = await alice.call('drive.createFolder', { parentId: aliceRoot, name });
      expect(answer.payload.ok).toBe(false);
      expect(answer.payload.error.code).toBe('invalid');
    }
    expect(await names(alice, aliceRoot)).toContain('月报');
  });

  it('an upload into a folder holding that name gets a free one', async () => {
    const folder = (await alice.request('drive.createFolder', { parentId: aliceRoot, name: '报告' })).node;
    const a = await w.putFile(alice, folder.id, '年度报告.pdf', Buffer.from('v1'), 'application/pdf');
    const b = await w.putFile(alice, folder.id, '年度报告.pdf', Buffer.from('v2'), 'application/pdf');
    const c = await w.putFile(alice, folder.id, '年度报告.pdf', Buffer.from('v3'), 'application/pdf');
    expect([a.name, b.name, c.name]).toEqual(['年度报告.pdf', '年度报告 (1).pdf', '年度报告 (2).pdf']);
  });
});

describe('moving', () => {
  it('cannot put a folder inside itself or below itself', async () => {
    const a = (await alice.request('drive.createFolder', { parentId: aliceRoot, name: 'A' })).node;
    const b = (await alice.request('drive.createFolder', { parentId: a.id, name: 'B' })).node;
    const c = (await alice.request('drive.createFolder', { parentId: b.id, name: 'C' })).node;
    await expectRefused(alice.request('drive.move', { nodeIds: [a.id], folderId: a.id }), 'drive_cycle');
    await expectRefused(alice.request('drive.move', { nodeIds: [a.id], folderId: c.id }), 'drive_cycle');
    await expectRefused(alice.request('drive.copy', { nodeIds: [a.id], folderId: b.id }), 'drive_cycle');
    const moved = await alice.request('drive.move', { nodeIds: [c.id], folderId: a.id });
    expect(moved.nodes[0]!.parentId).toBe(a.id);
    expect(await names(alice, a.id)).toEqual(['B', 'C']);
  });

  it('never renames, moves or trashes a space’s root', async () => {
    const other = (await alice.request('drive.createFolder', { parentId: aliceRoot, name: '别处' })).node;
    await expectRefused(alice.request('drive.rename', { nodeId: aliceRoot, name: '根' }), 'drive_root_immutable');
    await expectRefused(
      alice.request('drive.move', { nodeIds: [aliceRoot], folderId: other.id }),
      'drive_root_immutable',
    );
    await expectRefused(alice.request('drive.trash', { nodeIds: [aliceRoot] }), 'drive_root_immutable');
  });

  it('refuses a name already taken in the target folder', async () => {
    const x = (await alice.request('drive.createFolder', { parentId: aliceRoot, name: 'X' })).node;
    const y = (await alice.request('drive.createFolder', { parentId: aliceRoot, name: 'Y' })).node;
    await w.putFile(alice, x.id, '同名.txt', Buffer.from('x'), 'text/plain');
    const inY = await w.putFile(alice, y.id, '同名.txt', Buffer.from('y'), 'text/plain');
    await expectRefused(alice.request('drive.move', { nodeIds: [inY.id], folderId: x.id }), 'drive_name_taken');
  });
});

describe('copying', () => {
  it('copies folders recursively; the copies share the bytes, no second blob', async () => {
    const src = (await alice.request('drive.createFolder', { parentId: aliceRoot, name: '素材' })).node;
    const inner = (await alice.request('drive.createFolder', { parentId: src.id, name: '图片' })).node;
    const bytes = Buffer.from('a picture, byte for byte '.repeat(100));
    const file = await w.putFile(alice, inner.id, '封面.jpg', bytes, 'image/jpeg');
    const blobs = blobCount();
    const usedBefore = (await alice.request('drive.usage', {})).personalUsedBytes;

    const { nodes } = await alice.request('drive.copy', { nodeIds: [src.id], folderId: aliceRoot });
    expect(nodes[0]!.name).toBe('素材 (1)');
    const copiedInner = (await alice.request('drive.list', { folderId: nodes[0]!.id })).children;
    expect(copiedInner.map((c) => c.name)).toEqual(['图片']);
    const copiedFile = (await alice.request('drive.list', { folderId: copiedInner[0]!.id })).children[0]!;
    expect(copiedFile).toMatchObject({ name: '封面.jpg', sha256: file.sha256, size: bytes.length });
    expect(copiedFile.id).not.toBe(file.id);
    expect(blobCount()).toBe(blobs);
    expect((await alice.request('drive.usage', {})).personalUsedBytes).toBe(usedBefore + bytes.length);

    const download = await w.content(alice, copiedFile.id);
    expect(download.status).toBe(200);
    expect(sha256(download.bytes)).toBe(sha256(bytes));
  });
});

describe('the trash', () => {
  it('takes a whole folder away and brings it back, with what was inside', async () => {
    const folder = (await alice.request('drive.createFolder', { parentId: aliceRoot, name: '旧项目' })).node;
    const file = await w.putFile(alice, folder.id, '总结.txt', Buffer.from('done'), 'text/plain');
    await alice.request('drive.trash', { nodeIds: [folder.id] });
    expect(await names(alice, aliceRoot)).not.toContain('旧项目');
    const trash = (await alice.request('drive.trashList', {})).nodes;
    // Only what the user trashed is listed, not everything inside it.
    expect(trash.map((n) => n.id)).toContain(folder.id);
    expect(trash.map((n) => n.id)).not.toContain(file.id);
    expect((await w.content(alice, file.id)).status).toBe(404);

    const restored = await alice.request('drive.restore', { nodeIds: [folder.id] });
    expect(restored.nodes[0]).toMatchObject({ name: '旧项目', parentId: aliceRoot, trashedAt: null });
    expect(await names(alice, folder.id)).toEqual(['总结.txt']);
    expect((await w.content(alice, file.id)).status).toBe(200);
    await expectRefused(alice.request('drive.restore', { nodeIds: [folder.id] }), 'not_in_trash');
  });

  it('an item trashed before its folder stays in the trash when the folder comes back', async () => {
    const folder = (await alice.request('drive.createFolder', { parentId: aliceRoot, name: '草稿箱' })).node;
    const early = await w.putFile(alice, folder.id, '废稿.txt', Buffer.from('x'), 'text/plain');
    const kept = await w.putFile(alice, folder.id, '定稿.txt', Buffer.from('y'), 'text/plain');
    await alice.request('drive.trash', { nodeIds: [early.id] });
    await alice.request('drive.trash', { nodeIds: [folder.id] });
    await alice.request('drive.restore', { nodeIds: [folder.id] });
    expect(await names(alice, folder.id)).toEqual(['定稿.txt']);
    expect((await alice.request('drive.get', { nodeId: kept.id })).node.trashedAt).toBeNull();
    await alice.request('drive.restore', { nodeIds: [early.id] });
    expect((await names(alice, folder.id)).sort()).toEqual(['定稿.txt', '废稿.txt'].sort());
  });

  it('restores under a free name, and to the root when its folder is gone', async () => {
    const folder = (await alice.request('drive.createFolder', { parentId: aliceRoot, name: '临时' })).node;
    const file = await w.putFile(alice, folder.id, '清单.txt', Buffer.from('1'), 'text/plain');
    await alice.request('drive.trash', { nodeIds: [file.id] });
    await w.putFile(alice, folder.id, '清单.txt', Buffer.from('2'), 'text/plain');
    const back = await alice.request('drive.restore', { nodeIds: [file.id] });
    expect(back.nodes[0]).toMatchObject({ name: '清单 (1).txt', parentId: folder.id });

    await alice.request('drive.trash', { nodeIds: [file.id] });
    await alice.request('drive.trash', { nodeIds: [folder.id] });
    await alice.request('drive.purge', { nodeIds: [folder.id] });
    await expectRefused(alice.request('drive.get', { nodeId: folder.id }), 'file_not_found');
    const orphan = await alice.request('drive.restore', { nodeIds: [file.id] });
    expect(orphan.nodes[0]).toMatchObject({ parentId: aliceRoot, name: '清单 (1).txt' });
  });

  it('purges only what is in the trash', async () => {
    const file = await w.putFile(alice, aliceRoot, '保留.txt', Buffer.from('keep'), 'text/plain');
    await expectRefused(alice.request('drive.purge', { nodeIds: [file.id] }), 'not_in_trash');
    await expectRefused(bob.request('drive.purge', { nodeIds: [file.id] }), 'file_not_found');
    expect((await w.content(alice, file.id)).status).toBe(200);
  });

  it('keeps items 30 days; then they cannot be restored and the retention job deletes them', async () => {
    const file = await w.putFile(alice, aliceRoot, '过期.txt', Buffer.from('old'), 'text/plain');
    await alice.request('drive.trash', { nodeIds: [file.id] });
    w.clock.advance(29 * DAY_MS);
    expect((await alice.request('drive.trashList', {})).nodes.map((n) => n.id)).toContain(file.id);
    w.clock.advance(1 * DAY_MS + 1000);
    expect((await alice.request('drive.trashList', {})).nodes.map((n) => n.id)).not.toContain(file.id);
    await expectRefused(alice.request('drive.restore', { nodeIds: [file.id] }), 'trash_expired');
    expect(await w.drive().purgeExpiredTrash(w.clock.now())).toBeGreaterThanOrEqual(1);
    await expectRefused(alice.request('drive.get', { nodeId: file.id }), 'file_not_found');
    // Things trashed lately stay.
    const recent = await w.putFile(alice, aliceRoot, '新近.txt', Buffer.from('new'), 'text/plain');
    await alice.request('drive.trash', { nodeIds: [recent.id] });
    await w.drive().purgeExpiredTrash(w.clock.now());
    expect((await alice.request('drive.restore', { nodeIds: [recent.id] })).nodes[0]!.name).toBe('新近.txt');
  });
});

describe('stars, recent files and 共享给我', () => {
  it('stars and lists starred items; recent files newest first', async () => {
    const a = await w.putFile(alice, aliceRoot, '甲.txt', Buffer.from('a'), 'text/plain');
    const b = await w.putFile(alice, aliceRoot, '乙.txt', Buffer.from('b'), 'text/plain');
    expect((await alice.request('drive.star', { nodeId: a.id, starred: true })).node.starred).toBe(true);
    expect((await alice.request('drive.starred', {})).nodes.map((n) => n.id)).toEqual([a.id]);
    expect((await alice.request('drive.get', { nodeId: a.id })).node.starred).toBe(true);
    await alice.request('drive.star', { nodeId: a.id, starred: false });
    expect((await alice.request('drive.starred', {})).nodes).toEqual([]);

    w.clock.advance(1000);
    await w.content(alice, a.id, { inline: true });
    const recent = (await alice.request('drive.recent', {})).nodes.map((n) => n.id);
    expect(recent.slice(0, 2)).toEqual([a.id, b.id]);
  });

  it('lists the top-most items others shared with me, not their insides', async () => {
    const shared = (await alice.request('drive.createFolder', { parentId: aliceRoot, name: '给海的资料' })).node;
    const inner = (await alice.request('drive.createFolder', { parentId: shared.id, name: '附件' })).node;
    await alice.request('drive.setGrants', {
      nodeId: shared.id,
      grants: [{ principal: { type: 'user', id: bob.userId }, level: 'view' }],
    });
    await alice.request('drive.setGrants', {
      nodeId: inner.id,
      grants: [{ principal: { type: 'user', id: bob.userId }, level: 'edit' }],
    });
    const mine = (await bob.request('drive.sharedWithMe', {})).nodes;
    expect(mine.map((n) => n.id)).toEqual([shared.id]);
    expect((await bob.request('drive.get', { nodeId: inner.id })).node.level).toBe('edit');
    await alice.request('drive.trash', { nodeIds: [shared.id] });
    expect((await bob.request('drive.sharedWithMe', {})).nodes).toEqual([]);
  });
});

describe('bad input', () => {
  it('answers with a clear error and the relay keeps serving', async () => {
    const bad = await alice.call('drive.list', { folderId: 'not-an-id' });
    expect(bad.payload.error.code).toBe('invalid');
    const many = await alice.call('drive.trash', {
      nodeIds: Array.from({ length: FileLimits.listPageSize + 1 }, () => aliceRoot),
    });
    expect(many.payload.error.code).toBe('invalid');
    const file = await w.putFile(alice, aliceRoot, '一个文件.txt', Buffer.from('z'), 'text/plain');
    expect((await alice.call('drive.list', { folderId: file.id })).payload.error.code).toBe('invalid');
    const notFolder = await alice.call('drive.createFolder', { parentId: file.id, name: '子' });
    expect(notFolder.payload.error.code).toBe('invalid');
    expect((await alice.request('drive.get', { nodeId: file.id })).node.name).toBe('一个文件.txt');
    expect((await bob.request('drive.spaces', {})).spaces.length).toBeGreaterThan(0);
  });
});

describe('quotas', () => {
  let q: DriveRelay;
  afterAll(async () => {
    await q?.close();
  });

  it('stop a personal space and the enterprise at their limits; the trash counts until purged', async () => {
    q = await startDriveRelay({
      files: { personalQuotaBytes: 1000, enterpriseQuotaBytes: 2500, driveFileMaxBytes: 900 },
    });
    const u = await q.person('额度用户');
    const v = await q.person('另一位');
    const root = await personalRoot(u);
    const big = await q.putFile(u, root, '六百.bin', Buffer.alloc(600, 1));
    await expect(q.putFile(u, root, '五百.bin', Buffer.alloc(500, 2))).rejects.toMatchObject({
      reason: 'quota_exceeded',
    });
    await expectRefused(u.request('drive.copy', { nodeIds: [big.id], folderId: root }), 'quota_exceeded');
    await expect(q.putFile(u, root, '太大.bin', Buffer.alloc(901, 3))).rejects.toMatchObject({
      reason: 'file_too_large',
    });
    expect(await u.request('drive.usage', {})).toEqual({
      personalUsedBytes: 600,
      personalQuotaBytes: 1000,
      enterpriseUsedBytes: 600,
      enterpriseQuotaBytes: 2500,
    });

    await u.request('drive.trash', { nodeIds: [big.id] });
    await expect(q.putFile(u, root, '五百.bin', Buffer.alloc(500, 2))).rejects.toMatchObject({
      reason: 'quota_exceeded',
    });
    await u.request('drive.purge', { nodeIds: [big.id] });
    await q.putFile(u, root, '五百.bin', Buffer.alloc(500, 2));

    // The enterprise: 500 (u) + a team space's files.
    const { space } = await v.request('drive.createSpace', { name: '团队' });
    await q.putFile(v, space.rootId, '一.bin', Buffer.alloc(900, 4));
    await q.putFile(v, space.rootId, '二.bin', Buffer.alloc(900, 5));
    await expect(q.putFile(v, space.rootId, '三.bin', Buffer.alloc(300, 6))).rejects.toMatchObject({
      reason: 'quota_exceeded',
    });
    expect((await v.request('drive.usage', {})).enterpriseUsedBytes).toBe(2300);
  });
});
