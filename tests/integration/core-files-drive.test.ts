// The drive (微盘) and browser mode's file URLs through desktop cores and their bridge servers:
// a folder uploaded with its sub-folders, a drive file downloaded and previewed (Range passed
// through), files staged by a page and sent from there (removed once committed, nothing left when
// refused or cut off), finished downloads served with their Chinese names, and the desktop-only
// calls refusing clearly in the browser.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgeServer, type BridgeServer } from '../../main/core/browser/bridge-server';
import type { Transfer } from '../../shared/contract';
import { history, online, removeTempDirs, startTestCore, tempDir, waitFor, type TestCore } from '../support/core';
import { sha256Of, writeRandomFile } from '../support/random-file';
import { startTestRelay, type TestRelay } from '../support/relay';

const KB = 1024;
const DRIVE_LIMIT = 256 * KB;

let relay: TestRelay;
let zhang: TestCore;
let li: TestCore;
let bridge: BridgeServer;
let chatId: string;
let rootId: string;
let files: string;
let downloads: string;

async function settle(core: TestCore, id: string): Promise<Transfer> {
  return waitFor(
    async () => {
      const t = (await core.call('files.transfers')).transfers.find((x) => x.id === id);
      return t && (t.state === 'done' || t.state === 'failed') ? t : null;
    },
    { what: `transfer ${id} to end` },
  );
}

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(url, `http://127.0.0.1:${bridge.port}`), { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function stage(url: string, name: string, body: Buffer) {
  const target = new URL(url, `http://127.0.0.1:${bridge.port}`);
  target.searchParams.set('name', name);
  const res = await fetch(target, { method: 'POST', body: new Uint8Array(body) });
  const text = await res.text();
  return {
    status: res.status,
    json: (text ? JSON.parse(text) : {}) as { stagedId?: string; error?: { reason?: string } },
  };
}

const stagingDir = () => path.join(zhang.dataDir, 'staging');
const staged = () => (fs.existsSync(stagingDir()) ? fs.readdirSync(stagingDir()) : []);

beforeAll(async () => {
  relay = await startTestRelay({ files: { driveFileMaxBytes: DRIVE_LIMIT } });
  zhang = await startTestCore(relay.url, { deviceName: 'zhang-pc' });
  await zhang.call('session.createEnterprise', {
    enterpriseName: '企信科技',
    adminName: '张三',
    account: 'zhangsan',
    password: 'password-zhang',
  });
  const liId = (await zhang.call('directory.addMember', { name: '李四', account: 'lisi', password: 'password-li' }))
    .user.id;
  li = await startTestCore(relay.url, { deviceName: 'li-pc' });
  await li.call('session.signIn', { login: 'lisi', password: 'password-li' });
  await Promise.all([zhang, li].map(online));
  chatId = (await zhang.call('conversations.openDirect', { userId: liId })).conversation.id;
  const { spaces } = await zhang.call('drive.spaces', {});
  rootId = spaces.find((s) => s.kind === 'personal')!.rootId;
  files = tempDir('qixin-files-');
  downloads = tempDir('qixin-downloads-');
  await zhang.call('settings.set', { files: { downloadDir: downloads, maxUploadBytesPerSec: null } });
  bridge = await startBridgeServer({
    core: zhang.core,
    host: '127.0.0.1',
    port: 0,
    staticDir: tempDir('qixin-static-'),
  });
});

afterAll(async () => {
  await bridge?.close();
  await Promise.all([zhang, li].map((c) => c?.close()));
  await relay?.close();
  removeTempDirs();
});

describe('the drive through the desktop core', () => {
  let planId: string;
  let planSha: string;

  it('uploads a folder into the drive keeping its sub-folders', async () => {
    const folder = path.join(files, '项目 A');
    fs.mkdirSync(path.join(folder, '设计', '图标'), { recursive: true });
    planSha = await writeRandomFile(path.join(folder, '计划 📅.txt'), 40 * KB);
    await writeRandomFile(path.join(folder, '设计', '图标', 'logo.png'), 10 * KB);
    const { transfers } = await zhang.call('files.uploadToDrive', {
      folderId: rootId,
      sources: [{ type: 'path', path: folder }],
    });
    expect(transfers.map((t) => t.name).sort()).toEqual(['logo.png', '计划 📅.txt']);
    for (const t of transfers) expect(await settle(zhang, t.id)).toMatchObject({ state: 'done', direction: 'upload' });

    const top = await zhang.call('drive.list', { folderId: rootId });
    const project = top.children.find((c) => c.name === '项目 A' && c.type === 'folder')!;
    const inProject = await zhang.call('drive.list', { folderId: project.id });
    expect(inProject.children.map((c) => [c.type, c.name])).toEqual([
      ['folder', '设计'],
      ['file', '计划 📅.txt'],
    ]);
    const plan = inProject.children.find((c) => c.name === '计划 📅.txt')!;
    expect(plan).toMatchObject({ size: 40 * KB, sha256: planSha, mime: 'text/plain' });
    planId = plan.id;
    // The node id is the one the core made for the upload.
    expect(transfers.find((t) => t.name === '计划 📅.txt')!.nodeId).toBe(planId);
    const design = inProject.children.find((c) => c.name === '设计')!;
    const icons = (await zhang.call('drive.list', { folderId: design.id })).children;
    expect(icons.map((c) => c.name)).toEqual(['图标']);
  });

  it('downloads a drive file with its bytes checked', async () => {
    const { transfer } = await zhang.call('files.download', { nodeId: planId });
    const done = await settle(zhang, transfer.id);
    expect(done).toMatchObject({ state: 'done', nodeId: planId, localPath: path.join(downloads, '计划 📅.txt') });
    expect(await sha256Of(done.localPath!)).toBe(planSha);
  });

  it('previews a drive file inline through the bridge, a Range passed through to the relay', async () => {
    const { url, node } = await zhang.call('drive.previewUrl', { nodeId: planId });
    expect(node.id).toBe(planId);
    const whole = await get(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-disposition')).toBe('inline');
    expect(whole.bytes.length).toBe(40 * KB);
    const part = await get(url, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${40 * KB}`);
    expect(part.bytes.equals(whole.bytes.subarray(100, 200))).toBe(true);
    // Without this launch's signature the URL opens nothing.
    expect((await get(url.replace(/sig=[^&]+/, 'sig=forged'))).status).toBe(403);
  });
});

describe("browser mode's file URLs", () => {
  it('stages a file the page POSTs, sends it from there, and removes the staged copy once committed', async () => {
    const { url } = await zhang.call('files.stageUrl', {});
    expect(url).toMatch(/^\/files\/stage\?sig=/);
    const bytes = Buffer.from('周报：本周完成了文件传输。🚀\n'.repeat(100));
    const answer = await stage(url!, '周报 第12周.md', bytes);
    expect(answer.status).toBe(201);
    const stagedId = answer.json.stagedId!;
    expect(staged().length).toBeGreaterThan(0);

    const sent = await zhang.call('files.send', { conversationId: chatId, sources: [{ type: 'staged', stagedId }] });
    expect(sent.messages[0]!.body).toMatchObject({ kind: 'file', name: '周报 第12周.md', size: bytes.length });
    expect(await settle(zhang, sent.transfers[0]!.id)).toMatchObject({ state: 'done' });
    await waitFor(() => staged().length === 0, { what: 'the staged copy removed' });
    const message = await waitFor(async () => (await history(li, chatId)).find((m) => m.id === sent.messages[0]!.id), {
      what: 'the message at 李四',
    });
    expect(message.body).toMatchObject({ name: '周报 第12周.md' });
    await expect(
      zhang.call('files.send', { conversationId: chatId, sources: [{ type: 'staged', stagedId }] }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a staged file over the drive limit (413) and one cut off, leaving nothing behind', async () => {
    const { url } = await zhang.call('files.stageUrl', {});
    const over = await stage(url!, '大.bin', Buffer.alloc(DRIVE_LIMIT + 1));
    expect(over.status).toBe(413);
    expect(over.json.error?.reason).toBe('file_too_large');
    expect(staged()).toEqual([]);

    // A body that stops half way (the page was closed).
    const target = new URL(url!, `http://127.0.0.1:${bridge.port}`);
    target.searchParams.set('name', '半截.bin');
    await new Promise<void>((resolve) => {
      const req = http.request(target, { method: 'POST', headers: { 'content-length': 100 * KB } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(10 * KB), () => setTimeout(() => req.destroy(), 100));
      req.on('close', () => resolve());
    });
    await waitFor(() => staged().length === 0, { what: 'the cut-off upload gone' });
    expect((await stage(url!.replace(/sig=[^&]+/, 'sig=forged'), 'x.bin', Buffer.from('x'))).status).toBe(403);
  });

  it('serves a finished download with its Chinese name and Range; desktop-only calls say what to use', async () => {
    const file = path.join(files, '报价单.pdf');
    const sha = await writeRandomFile(file, 20 * KB);
    const sent = await zhang.call('files.send', { conversationId: chatId, sources: [{ type: 'path', path: file }] });
    await settle(zhang, sent.transfers[0]!.id);
    await waitFor(
      async () => (await history(zhang, chatId)).find((m) => m.id === sent.messages[0]!.id && m.status === 'sent'),
      { what: 'sent' },
    );
    const { transfer } = await zhang.call('files.download', {
      conversationId: chatId,
      messageId: sent.messages[0]!.id,
    });
    const done = await settle(zhang, transfer.id);
    expect(await sha256Of(done.localPath!)).toBe(sha);

    const { url } = await zhang.call('files.localUrl', { transferId: done.id });
    const whole = await get(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('application/pdf');
    expect(whole.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('报价单.pdf')}`);
    expect(whole.bytes.equals(fs.readFileSync(done.localPath!))).toBe(true);
    const part = await get(url, { range: 'bytes=10-19' });
    expect(part.status).toBe(206);
    expect(part.bytes.equals(whole.bytes.subarray(10, 20))).toBe(true);
    expect((await get(url.replace(/sig=[^&]+/, 'sig=forged'))).status).toBe(403);

    for (const call of ['files.open', 'files.reveal', 'files.saveAs', 'files.startDrag'] as const) {
      await expect(zhang.call(call, { transferId: done.id })).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringContaining('files.localUrl'),
      });
    }
    // An upload has no local file to open.
    await expect(zhang.call('files.localUrl', { transferId: sent.transfers[0]!.id })).rejects.toMatchObject({
      code: 'conflict',
    });
  });
});
