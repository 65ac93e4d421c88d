// Chat files through desktop cores and a real relay: 张三 sends, 李四 downloads, the bytes match.
// Each core reaches the relay through its own byte-counting TCP proxy, so a test can see what
// travelled (秒传 sends nothing, a resumed download fetches only the rest) and cut the network.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, Transfer } from '../../shared/contract';
import { startByteProxy, type ByteProxy } from '../support/byte-proxy';
import { history, online, removeTempDirs, startTestCore, tempDir, waitFor, type TestCore } from '../support/core';
import { sha256Of, writeRandomFile } from '../support/random-file';
import { startTestRelay, type TestRelay } from '../support/relay';

const MB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
const CHAT_LIMIT = 64 * MB;

let relay: TestRelay;
/** Added to the relay's clock: moving it on makes chat files expire. */
let clockOffset = 0;
let proxyA: ByteProxy;
let proxyB: ByteProxy;
let zhang: TestCore;
let li: TestCore;
let chatId: string;
let files: string;
let downloadsB: string;

async function transfer(core: TestCore, id: string): Promise<Transfer> {
  const { transfers } = await core.call('files.transfers');
  const found = transfers.find((t) => t.id === id);
  if (!found) throw new Error(`no transfer ${id}`);
  return found;
}

function untilTransfer(core: TestCore, id: string, check: (t: Transfer) => boolean, what: string, timeoutMs = 30_000) {
  return waitFor(
    async () => {
      const t = await transfer(core, id);
      return check(t) ? t : null;
    },
    { what, timeoutMs },
  );
}

const settle = (core: TestCore, id: string) =>
  untilTransfer(core, id, (t) => t.state === 'done' || t.state === 'failed', `transfer ${id} to end`);

/** A file of random bytes in the test's folder; returns its path and sha256. */
async function randomFile(name: string, size: number, dir = files): Promise<{ path: string; sha256: string }> {
  fs.mkdirSync(dir, { recursive: true });
  const at = path.join(dir, name);
  return { path: at, sha256: await writeRandomFile(at, size) };
}

async function send(sourcePath: string) {
  const sent = await zhang.call('files.send', {
    conversationId: chatId,
    sources: [{ type: 'path', path: sourcePath }],
  });
  return { message: sent.messages[0]!, transfer: sent.transfers[0]! };
}

/** Waits until 李四 holds the message, then downloads it to the end. */
async function receive(message: ChatMessage): Promise<Transfer> {
  await waitFor(async () => (await history(li, chatId)).some((m) => m.id === message.id && m.seq !== null), {
    what: 'the file message at 李四',
  });
  const { transfer: started } = await li.call('files.download', { conversationId: chatId, messageId: message.id });
  return settle(li, started.id);
}

const uploadLimit = (core: TestCore, bytesPerSec: number | null) =>
  core.call('settings.set', { files: { downloadDir: null, maxUploadBytesPerSec: bytesPerSec } });

beforeAll(async () => {
  relay = await startTestRelay({ now: () => Date.now() + clockOffset, files: { chatFileMaxBytes: CHAT_LIMIT } });
  proxyA = await startByteProxy({ port: relay.port });
  proxyB = await startByteProxy({ port: relay.port });
  zhang = await startTestCore(proxyA.url, { deviceName: 'zhang-pc' });
  await zhang.call('session.createEnterprise', {
    enterpriseName: '企信科技',
    adminName: '张三',
    account: 'zhangsan',
    password: 'password-zhang',
  });
  const liId = (await zhang.call('directory.addMember', { name: '李四', account: 'lisi', password: 'password-li' }))
    .user.id;
  li = await startTestCore(proxyB.url, { deviceName: 'li-pc' });
  await li.call('session.signIn', { login: 'lisi', password: 'password-li' });
  await Promise.all([zhang, li].map(online));
  chatId = (await zhang.call('conversations.openDirect', { userId: liId })).conversation.id;
  files = tempDir('qixin-files-');
  downloadsB = tempDir('qixin-downloads-');
  await li.call('settings.set', { files: { downloadDir: downloadsB, maxUploadBytesPerSec: null } });
});

afterAll(async () => {
  await Promise.all([zhang, li].map((c) => c?.close()));
  await Promise.all([proxyA, proxyB].map((p) => p?.close()));
  await relay?.close();
  removeTempDirs();
});

describe('chat files between desktop cores', () => {
  let report: { path: string; sha256: string };
  let reportMessage: ChatMessage;

  it('shows the message at once, sends it when the relay has the bytes, and the download matches', async () => {
    report = await randomFile('季度报告 📊.xlsx', 3 * MB + 17);
    const { message, transfer: started } = await send(report.path);
    reportMessage = message;
    expect(message).toMatchObject({ status: 'sending', kind: 'file', seq: null });
    expect(message.body).toMatchObject({ kind: 'file', name: '季度报告 📊.xlsx', size: 3 * MB + 17, sha256: '' });
    expect(started).toMatchObject({ direction: 'upload', messageId: message.id, conversationId: chatId });
    // It is in the chat before any byte has gone.
    expect((await history(zhang, chatId)).map((m) => m.id)).toContain(message.id);

    const done = await settle(zhang, started.id);
    expect(done).toMatchObject({ state: 'done', done: 3 * MB + 17, instant: false, error: null });
    const sent = await waitFor(
      async () => (await history(zhang, chatId)).find((m) => m.id === message.id && m.status === 'sent'),
      { what: 'the message acknowledged' },
    );
    expect(sent.body).toMatchObject({ sha256: report.sha256, name: '季度报告 📊.xlsx' });
    const progress = zhang.eventsOf('files.transfer').filter((e) => e.transfer.id === started.id);
    expect(progress.map((e) => e.transfer.state)).toContain('hashing');

    const received = await receive(message);
    expect(received).toMatchObject({ state: 'done', direction: 'download', messageId: message.id });
    expect(received.localPath).toBe(path.join(downloadsB, '季度报告 📊.xlsx'));
    expect(await sha256Of(received.localPath!)).toBe(report.sha256);
    // No partial file left behind.
    expect(fs.readdirSync(downloadsB).filter((n) => n.endsWith('.qxdownload'))).toEqual([]);
  });

  it('answers a second download of the same message with the finished file; a new one gets a free name', async () => {
    const { transfer: again } = await li.call('files.download', {
      conversationId: chatId,
      messageId: reportMessage.id,
    });
    expect(again).toMatchObject({ state: 'done', localPath: path.join(downloadsB, '季度报告 📊.xlsx') });
    fs.rmSync(again.localPath!);
    fs.writeFileSync(path.join(downloadsB, '季度报告 📊.xlsx'), 'someone else’s file');
    const { transfer: fresh } = await li.call('files.download', {
      conversationId: chatId,
      messageId: reportMessage.id,
    });
    const done = await settle(li, fresh.id);
    expect(done.localPath).toBe(path.join(downloadsB, '季度报告 📊 (1).xlsx'));
    expect(await sha256Of(done.localPath!)).toBe(report.sha256);
  });

  it('sends the same content again instantly (秒传): nothing but the proof travels', async () => {
    const copy = path.join(files, '副本.xlsx');
    fs.copyFileSync(report.path, copy);
    proxyA.reset();
    const { message, transfer: started } = await send(copy);
    const done = await settle(zhang, started.id);
    expect(done).toMatchObject({ state: 'done', instant: true });
    expect(proxyA.up).toBeLessThan(256 * 1024);
    const received = await receive(message);
    expect(await sha256Of(received.localPath!)).toBe(report.sha256);
  });

  it('pauses (no progress while paused) and resumes to the end', async () => {
    await uploadLimit(zhang, 2 * MB);
    try {
      const big = await randomFile('设计稿.psd', 6 * MB);
      const { message, transfer: started } = await send(big.path);
      await untilTransfer(zhang, started.id, (t) => t.state === 'running' && t.done > 512 * 1024, 'some progress');
      await zhang.call('files.pause', { transferId: started.id });
      const paused = await transfer(zhang, started.id);
      expect(paused.state).toBe('paused');
      await new Promise((resolve) => setTimeout(resolve, 800));
      const still = await transfer(zhang, started.id);
      expect(still).toMatchObject({ state: 'paused', bytesPerSec: 0 });
      expect(still.done).toBe(paused.done);
      expect((await history(zhang, chatId)).find((m) => m.id === message.id)?.status).toBe('sending');

      await zhang.call('files.resume', { transferId: started.id });
      const done = await settle(zhang, started.id);
      expect(done.state).toBe('done');
      const received = await receive(message);
      expect(await sha256Of(received.localPath!)).toBe(big.sha256);
    } finally {
      await uploadLimit(zhang, null);
    }
  });

  it('keeps to the upload speed limit', async () => {
    await uploadLimit(zhang, 1 * MB);
    try {
      const file = await randomFile('限速.bin', 3 * MB);
      const { transfer: started } = await send(file.path);
      await untilTransfer(zhang, started.id, (t) => t.state === 'running', 'running');
      const from = Date.now();
      await settle(zhang, started.id);
      // 3 MB at 1 MB/s, less the first burst: well over two seconds.
      expect(Date.now() - from).toBeGreaterThan(2000);
    } finally {
      await uploadLimit(zhang, null);
    }
  });

  it('cancels an upload: the message goes away and 李四 never gets it', async () => {
    await uploadLimit(zhang, 1 * MB);
    try {
      const file = await randomFile('取消.bin', 4 * MB);
      const { message, transfer: started } = await send(file.path);
      await untilTransfer(zhang, started.id, (t) => t.state === 'running' && t.done > 0, 'some progress');
      await zhang.call('files.cancel', { transferId: started.id });
      expect(await transfer(zhang, started.id)).toMatchObject({ state: 'cancelled' });
      expect((await history(zhang, chatId)).map((m) => m.id)).not.toContain(message.id);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await history(li, chatId)).map((m) => m.id)).not.toContain(message.id);
    } finally {
      await uploadLimit(zhang, null);
    }
  });

  it('sends a folder as one message per file, and a zero-byte file', async () => {
    const folder = path.join(files, '项目资料');
    const a = await randomFile('需求.md', 1000, folder);
    const b = await randomFile('图 🖼.png', 2000, path.join(folder, '图片'));
    fs.writeFileSync(path.join(folder, '空.txt'), '');
    const sent = await zhang.call('files.send', { conversationId: chatId, sources: [{ type: 'path', path: folder }] });
    expect(sent.messages.map((m) => (m.body as { name: string }).name)).toEqual(['图 🖼.png', '空.txt', '需求.md']);
    for (const t of sent.transfers) expect((await settle(zhang, t.id)).state).toBe('done');
    const byName = new Map(sent.messages.map((m) => [(m.body as { name: string }).name, m]));
    expect(await sha256Of((await receive(byName.get('需求.md')!)).localPath!)).toBe(a.sha256);
    expect(await sha256Of((await receive(byName.get('图 🖼.png')!)).localPath!)).toBe(b.sha256);
    const empty = await receive(byName.get('空.txt')!);
    expect(empty).toMatchObject({ state: 'done', size: 0 });
    expect(fs.statSync(empty.localPath!).size).toBe(0);
  });

  it('resumes a download from its partial file, fetching only the rest', async () => {
    const file = await randomFile('录像.mp4', 8 * MB);
    const { message, transfer: up } = await send(file.path);
    await settle(zhang, up.id);
    await waitFor(async () => (await history(li, chatId)).some((m) => m.id === message.id), {
      what: 'message at 李四',
    });
    proxyB.limitDown(4 * MB);
    try {
      const { transfer: started } = await li.call('files.download', { conversationId: chatId, messageId: message.id });
      await untilTransfer(li, started.id, (t) => t.done > 2 * MB, 'a part downloaded');
      await li.call('files.pause', { transferId: started.id });
      const partial = path.join(downloadsB, '录像.mp4.qxdownload');
      const have = fs.statSync(partial).size;
      expect(have).toBeGreaterThan(MB);
      proxyB.limitDown(null);
      proxyB.reset();
      await li.call('files.resume', { transferId: started.id });
      const done = await settle(li, started.id);
      expect(done.state).toBe('done');
      expect(await sha256Of(done.localPath!)).toBe(file.sha256);
      // The rest only (plus headers), not the part already on disk.
      expect(proxyB.down).toBeLessThan(8 * MB - have + 256 * 1024);
      expect(fs.existsSync(partial)).toBe(false);
    } finally {
      proxyB.limitDown(null);
    }
  });

  it('detects a damaged partial file: the download fails with file_hash_mismatch, a retry starts afresh', async () => {
    const file = await randomFile('合同.pdf', 6 * MB);
    const { message, transfer: up } = await send(file.path);
    await settle(zhang, up.id);
    await waitFor(async () => (await history(li, chatId)).some((m) => m.id === message.id), {
      what: 'message at 李四',
    });
    proxyB.limitDown(4 * MB);
    let transferId: string;
    try {
      const { transfer: started } = await li.call('files.download', { conversationId: chatId, messageId: message.id });
      transferId = started.id;
      await untilTransfer(li, started.id, (t) => t.done > MB, 'a part downloaded');
      await li.call('files.pause', { transferId });
    } finally {
      proxyB.limitDown(null);
    }
    const partial = path.join(downloadsB, '合同.pdf.qxdownload');
    const handle = fs.openSync(partial, 'r+');
    fs.writeSync(handle, Buffer.alloc(4096, 0x41), 0, 4096, 1000);
    fs.closeSync(handle);
    await li.call('files.resume', { transferId });
    const failed = await settle(li, transferId);
    expect(failed).toMatchObject({ state: 'failed', error: { reason: 'file_hash_mismatch' } });
    expect(fs.existsSync(partial)).toBe(false);
    expect(fs.readdirSync(downloadsB)).not.toContain('合同.pdf');

    await li.call('files.retry', { transferId });
    const done = await settle(li, transferId);
    expect(done.state).toBe('done');
    expect(await sha256Of(done.localPath!)).toBe(file.sha256);
  });

  it('retries an upload by itself when the network goes away mid-file, and finishes it', async () => {
    await uploadLimit(zhang, 3 * MB);
    try {
      const file = await randomFile('断网.bin', 8 * MB);
      const { message, transfer: started } = await send(file.path);
      await untilTransfer(zhang, started.id, (t) => t.state === 'running' && t.done > 2 * MB, 'a part sent');
      proxyA.block();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await transfer(zhang, started.id)).state).not.toBe('done');
      proxyA.restore();
      const done = await settle(zhang, started.id);
      expect(done).toMatchObject({ state: 'done', error: null });
      const received = await receive(message);
      expect(await sha256Of(received.localPath!)).toBe(file.sha256);
    } finally {
      proxyA.restore();
      await uploadLimit(zhang, null);
    }
  });

  it('fails a download of an expired chat file with file_expired', async () => {
    const file = await randomFile('旧文件.txt', 1000);
    const { message, transfer: up } = await send(file.path);
    await settle(zhang, up.id);
    await waitFor(async () => (await history(li, chatId)).some((m) => m.id === message.id), {
      what: 'message at 李四',
    });
    clockOffset = 31 * DAY_MS;
    try {
      const { transfer: started } = await li.call('files.download', { conversationId: chatId, messageId: message.id });
      const failed = await settle(li, started.id);
      expect(failed).toMatchObject({ state: 'failed', error: { reason: 'file_expired' } });
      expect(fs.readdirSync(downloadsB).filter((n) => n.startsWith('旧文件'))).toEqual([]);
    } finally {
      clockOffset = 0;
    }
  });

  it('refuses what cannot be sent: a file over the limit is named, a missing path is not_found', async () => {
    const huge = path.join(files, '太大.iso');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, CHAT_LIMIT + 1);
    await expect(
      zhang.call('files.send', { conversationId: chatId, sources: [{ type: 'path', path: huge }] }),
    ).rejects.toMatchObject({
      code: 'too_large',
      reason: 'file_too_large',
      message: expect.stringContaining('太大.iso'),
    });
    await expect(
      zhang.call('files.send', { conversationId: chatId, sources: [{ type: 'path', path: path.join(files, 'nope') }] }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const transfers = (await zhang.call('files.transfers')).transfers;
    expect(transfers.filter((t) => t.state === 'running' || t.state === 'queued')).toEqual([]);
  });
});
