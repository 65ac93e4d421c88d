// 微盘 permissions on a real relay, over the socket (drive.*) and real HTTP (nodeContent): each level
// given to a member and to a department (a sub-department's member included), inherited from a
// folder; outsiders find nothing; 禁止转发; a disabled member loses access; every permission change
// is audited and every preview or download is in the access history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriveNode } from '../../shared/protocol';
import { resolveDriveLink } from '../../server/drive/drive-links';
import type { TestClient } from '../support/relay';
import { expectRefused, pdfBytes, personalRoot, sha256, startDriveRelay, type DriveRelay } from '../support/drive';

let w: DriveRelay;
let owner: TestClient; // 张三: owns the personal space the folder is in
let viewer: TestClient; // 李四: 仅查看
let downloader: TestClient; // 王五: 可下载
let editor: TestClient; // 赵六: 可编辑
let manager: TestClient; // 钱七: 可管理
let outsider: TestClient; // 孙八: nothing
let deptMember: TestClient; // 周九: in 研发中心
let subDeptMember: TestClient; // 吴十: in 研发中心/前端组
let rnd: string;
let folder: DriveNode; // 张三's 项目资料
let pdf: DriveNode;
let text: DriveNode;
let binary: DriveNode;
const PDF = pdfBytes('项目方案');
const TEXT = Buffer.from('第一行：需求说明\n第二行 ✅\n');
const BINARY = Buffer.alloc(4096, 7);

beforeAll(async () => {
  w = await startDriveRelay();
  rnd = await w.department('研发中心');
  const frontEnd = await w.department('前端组', rnd);
  owner = await w.person('张三');
  viewer = await w.person('李四');
  downloader = await w.person('王五');
  editor = await w.person('赵六');
  manager = await w.person('钱七');
  outsider = await w.person('孙八');
  deptMember = await w.person('周九', [rnd]);
  subDeptMember = await w.person('吴十', [frontEnd]);

  const root = await personalRoot(owner);
  folder = (await owner.request('drive.createFolder', { parentId: root, name: '项目资料' })).node;
  pdf = await w.putFile(owner, folder.id, '方案.pdf', PDF, 'application/pdf');
  text = await w.putFile(owner, folder.id, '说明.txt', TEXT, 'text/plain');
  binary = await w.putFile(owner, folder.id, '数据.bin', BINARY);
  await owner.request('drive.setGrants', {
    nodeId: folder.id,
    grants: [
      { principal: { type: 'user', id: viewer.userId }, level: 'view' },
      { principal: { type: 'user', id: downloader.userId }, level: 'download' },
      { principal: { type: 'user', id: editor.userId }, level: 'edit' },
      { principal: { type: 'user', id: manager.userId }, level: 'manage' },
    ],
  });
});

afterAll(async () => {
  await w?.close();
});

describe('仅查看 (view), given on the folder', () => {
  it('lists the folder and previews its files, with the level inherited', async () => {
    const list = await viewer.request('drive.list', { folderId: folder.id });
    expect(list.children.map((c) => c.name).sort()).toEqual(['数据.bin', '方案.pdf', '说明.txt'].sort());
    expect(list.children.every((c) => c.level === 'view')).toBe(true);
    // The path starts where the viewer's access starts: not at 张三's root.
    expect(list.path.map((p) => p.name)).toEqual(['项目资料']);

    const preview = await w.content(viewer, pdf.id, { inline: true });
    expect(preview.status).toBe(200);
    expect(preview.headers['content-type']).toBe('application/pdf');
    expect(preview.headers['content-disposition']).toMatch(/^inline/);
    expect(sha256(preview.bytes)).toBe(sha256(PDF));

    const textPreview = await w.content(viewer, text.id, { inline: true });
    expect(textPreview.status).toBe(200);
    expect(textPreview.bytes.toString('utf8')).toBe(TEXT.toString('utf8'));
  });

  it('cannot download, copy out, rename or share it', async () => {
    const download = await w.content(viewer, pdf.id);
    expect(download.status).toBe(403);
    expect(download.json.error.reason).toBe('drive_forbidden');
    await expectRefused(viewer.request('drive.rename', { nodeId: pdf.id, name: '改名.pdf' }), 'drive_forbidden');
    const mine = await personalRoot(viewer);
    await expectRefused(viewer.request('drive.copy', { nodeIds: [pdf.id], folderId: mine }), 'drive_forbidden');
    await expectRefused(resolveDriveLink(w.store.db, viewer.userId, pdf.id), 'drive_forbidden');
    await expectRefused(viewer.request('drive.accessLog', { nodeId: folder.id }), 'drive_forbidden');
  });

  it('gets 415 for a preview of a type the app does not show in place', async () => {
    const answer = await w.content(viewer, binary.id, { inline: true });
    expect(answer.status).toBe(415);
  });
});

describe('可下载 (download)', () => {
  it('downloads the bytes as an attachment with the file name, and copies the file out', async () => {
    const download = await w.content(downloader, pdf.id);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toContain("filename*=UTF-8''%E6%96%B9%E6%A1%88.pdf");
    expect(download.headers.etag).toBe(`"${sha256(PDF)}"`);
    expect(Buffer.compare(download.bytes, PDF)).toBe(0);

    const mine = await personalRoot(downloader);
    const { nodes } = await downloader.request('drive.copy', { nodeIds: [pdf.id], folderId: mine });
    expect(nodes[0]).toMatchObject({ name: '方案.pdf', sha256: sha256(PDF), level: 'manage', parentId: mine });
    const copy = await w.content(downloader, nodes[0]!.id);
    expect(Buffer.compare(copy.bytes, PDF)).toBe(0);
    expect((await resolveDriveLink(w.store.db, downloader.userId, pdf.id)).sha256).toBe(sha256(PDF));
  });

  it('cannot rename, move or trash', async () => {
    await expectRefused(downloader.request('drive.rename', { nodeId: text.id, name: 'x.txt' }), 'drive_forbidden');
    await expectRefused(downloader.request('drive.trash', { nodeIds: [text.id] }), 'drive_forbidden');
    await expectRefused(
      downloader.request('drive.createFolder', { parentId: folder.id, name: '新建' }),
      'drive_forbidden',
    );
  });
});

describe('可编辑 (edit)', () => {
  it('renames, creates folders, moves, trashes and restores, and uploads into the folder', async () => {
    const sub = (await editor.request('drive.createFolder', { parentId: folder.id, name: '设计稿' })).node;
    expect(sub.level).toBe('edit');
    const uploaded = await w.putFile(editor, sub.id, '草图.png', Buffer.from('not really a png'), 'image/png');
    expect(uploaded).toMatchObject({ name: '草图.png', createdBy: editor.userId, parentId: sub.id });

    const renamed = await editor.request('drive.rename', { nodeId: uploaded.id, name: '草图-终稿.png' });
    expect(renamed.node.name).toBe('草图-终稿.png');
    const moved = await editor.request('drive.move', { nodeIds: [uploaded.id], folderId: folder.id });
    expect(moved.nodes[0]!.parentId).toBe(folder.id);

    await editor.request('drive.trash', { nodeIds: [uploaded.id] });
    expect((await owner.request('drive.list', { folderId: folder.id })).children.map((c) => c.name)).not.toContain(
      '草图-终稿.png',
    );
    expect((await editor.request('drive.trashList', {})).nodes.map((n) => n.id)).toContain(uploaded.id);
    const restored = await editor.request('drive.restore', { nodeIds: [uploaded.id] });
    expect(restored.nodes[0]).toMatchObject({ parentId: folder.id, trashedAt: null });
  });

  it('cannot change grants, 禁止转发 or read the access history', async () => {
    await expectRefused(editor.request('drive.setGrants', { nodeId: folder.id, grants: [] }), 'drive_forbidden');
    await expectRefused(editor.request('drive.setNoForward', { nodeId: pdf.id, noForward: true }), 'drive_forbidden');
    await expectRefused(editor.request('drive.accessLog', { nodeId: folder.id }), 'drive_forbidden');
  });
});

describe('可管理 (manage)', () => {
  it('reads the access history: who previewed and who downloaded what', async () => {
    const { entries } = await manager.request('drive.accessLog', { nodeId: folder.id });
    const seen = entries.map((e) => `${e.userId}:${e.action}:${e.nodeName}`);
    expect(seen).toContain(`${viewer.userId}:preview:方案.pdf`);
    expect(seen).toContain(`${downloader.userId}:download:方案.pdf`);
    expect(seen).toContain(`${editor.userId}:upload:草图-终稿.png`);
    const times = entries.map((e) => e.at);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('logs a resumed download once, not each later range', async () => {
    const before = (await manager.request('drive.accessLog', { nodeId: binary.id })).entries.length;
    expect((await w.content(downloader, binary.id, { range: 'bytes=0-1023' })).status).toBe(206);
    const rest = await w.content(downloader, binary.id, { range: 'bytes=1024-' });
    expect(rest.status).toBe(206);
    expect(rest.bytes.length).toBe(BINARY.length - 1024);
    expect((await w.content(downloader, binary.id, { method: 'HEAD' })).status).toBe(200);
    const after = (await manager.request('drive.accessLog', { nodeId: binary.id })).entries;
    expect(after.length).toBe(before + 1);
    expect(after[0]).toMatchObject({ userId: downloader.userId, action: 'download' });
  });

  it('sets grants and 禁止转发, each change audited', async () => {
    const sub = (await manager.request('drive.createFolder', { parentId: folder.id, name: '合同' })).node;
    const { grants } = await manager.request('drive.setGrants', {
      nodeId: sub.id,
      grants: [{ principal: { type: 'user', id: outsider.userId }, level: 'view' }],
    });
    expect(grants).toEqual([{ principal: { type: 'user', id: outsider.userId }, level: 'view' }]);
    expect((await outsider.request('drive.get', { nodeId: sub.id })).node.level).toBe('view');
    await manager.request('drive.setGrants', { nodeId: sub.id, grants: [] });
    await expectRefused(outsider.request('drive.get', { nodeId: sub.id }), 'file_not_found');

    const audit = await w.admin.request('admin.audit', { targetId: sub.id });
    const records = audit.records.filter((r) => r.action === 'drive.grants_changed');
    expect(records).toHaveLength(2);
    expect(records.every((r) => r.actorId === manager.userId)).toBe(true);
  });
});

describe('outsiders', () => {
  it('find nothing: every request answers as for an item that does not exist', async () => {
    const missing = '01890a5d-ac96-774b-bcce-b302099a8057';
    for (const id of [folder.id, pdf.id, missing]) {
      await expectRefused(outsider.request('drive.get', { nodeId: id }), 'file_not_found');
      await expectRefused(outsider.request('drive.rename', { nodeId: id, name: 'x' }), 'file_not_found');
      await expectRefused(outsider.request('drive.setGrants', { nodeId: id, grants: [] }), 'file_not_found');
      await expectRefused(outsider.request('drive.accessLog', { nodeId: id }), 'file_not_found');
      for (const inline of [true, false]) {
        const answer = await w.content(outsider, id, { inline });
        expect(answer.status).toBe(404);
        expect(answer.json.error.reason).toBe('file_not_found');
      }
    }
    await expectRefused(outsider.request('drive.list', { folderId: folder.id }), 'file_not_found');
    await expectRefused(resolveDriveLink(w.store.db, outsider.userId, pdf.id), 'file_not_found');
    expect((await outsider.request('drive.sharedWithMe', {})).nodes).toEqual([]);
  });

  it('without a session get 401', async () => {
    const answer = await fetch(new URL(`/api/drive/nodes/${pdf.id}/content`, w.url));
    expect(answer.status).toBe(401);
  });
});

describe('grants to a department', () => {
  it('reach its members and the members of its sub-departments', async () => {
    const shared = (await owner.request('drive.createFolder', { parentId: folder.id, name: '研发共享' })).node;
    const file = await w.putFile(owner, shared.id, '接口.txt', Buffer.from('GET /api'), 'text/plain');
    await owner.request('drive.setGrants', {
      nodeId: shared.id,
      grants: [{ principal: { type: 'department', id: rnd }, level: 'view' }],
    });
    for (const member of [deptMember, subDeptMember]) {
      const list = await member.request('drive.list', { folderId: shared.id });
      expect(list.children.map((c) => c.name)).toEqual(['接口.txt']);
      expect((await w.content(member, file.id, { inline: true })).status).toBe(200);
      expect((await w.content(member, file.id)).status).toBe(403);
      expect((await member.request('drive.sharedWithMe', {})).nodes.map((n) => n.id)).toEqual([shared.id]);
    }
    await expectRefused(outsider.request('drive.list', { folderId: shared.id }), 'file_not_found');

    await owner.request('drive.setGrants', {
      nodeId: shared.id,
      grants: [{ principal: { type: 'department', id: rnd }, level: 'download' }],
    });
    const download = await w.content(subDeptMember, file.id);
    expect(download.status).toBe(200);
    expect(download.bytes.toString()).toBe('GET /api');
  });
});

describe('禁止转发 (no forwarding)', () => {
  it('leaves others preview only; managers still download and share', async () => {
    const file = await w.putFile(owner, folder.id, '机密.pdf', pdfBytes('机密'), 'application/pdf');
    const marked = await manager.request('drive.setNoForward', { nodeId: file.id, noForward: true });
    expect(marked.node.noForward).toBe(true);

    expect((await w.content(downloader, file.id, { inline: true })).status).toBe(200);
    const refused = await w.content(downloader, file.id);
    expect(refused.status).toBe(403);
    expect(refused.json.error.reason).toBe('drive_no_forward');
    await expectRefused(resolveDriveLink(w.store.db, downloader.userId, file.id), 'drive_no_forward');
    await expectRefused(
      downloader.request('drive.copy', { nodeIds: [file.id], folderId: await personalRoot(downloader) }),
      'drive_no_forward',
    );
    // Copying the folder would carry it out too.
    await expectRefused(
      downloader.request('drive.copy', { nodeIds: [folder.id], folderId: await personalRoot(downloader) }),
      'drive_no_forward',
    );

    expect((await w.content(manager, file.id)).status).toBe(200);
    expect((await w.content(owner, file.id)).status).toBe(200);
    expect((await resolveDriveLink(w.store.db, manager.userId, file.id)).name).toBe('机密.pdf');

    const audit = await w.admin.request('admin.audit', { targetId: file.id, action: 'drive.no_forward_changed' });
    expect(audit.records).toHaveLength(1);
    expect(audit.records[0]).toMatchObject({ actorId: manager.userId, detail: { before: false, after: true } });
    await manager.request('drive.setNoForward', { nodeId: file.id, noForward: false });
    expect((await w.content(downloader, file.id)).status).toBe(200);
  });
});

describe('a disabled member', () => {
  it('loses access at once, even with a session still open', async () => {
    const temp = await w.person('郑十一');
    await owner.request('drive.setGrants', {
      nodeId: text.id,
      grants: [{ principal: { type: 'user', id: temp.userId }, level: 'download' }],
    });
    expect((await w.content(temp, text.id)).status).toBe(200);
    await w.admin.request('admin.member.update', { id: temp.userId, patch: { status: 'disabled' } });
    // The session itself may be refused (401), or the item hidden (404): never the bytes.
    expect([401, 404]).toContain((await w.content(temp, text.id)).status);
    // The socket may already be closed by the relay; either way the file is out of reach.
    const answer = await temp.call('drive.get', { nodeId: text.id }).catch(() => null);
    if (answer) expect(answer.payload.ok).toBe(false);
  });
});
