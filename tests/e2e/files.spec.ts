// Files in chat through the UI, two people on two desktop clients and a real relay: a file with a
// Chinese name dropped on the chat as a real DataTransfer, downloaded by the other side with the
// same bytes; pause and resume of a throttled upload; a folder picked with the folder button
// (sub-folders and a zero-byte file); 保存到微盘 from the message menu.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, type Browser, type Locator, type Page } from '@playwright/test';
import { startRelayForCores, type RelayForCores } from '../support/core-relay';
import { removeTempDirs, tempDir } from '../support/core';
import { composer, conversation, openSection, readmeShot, startDesktop, type Desktop } from './harness';

const PASSWORD = { alice: 'alice-pass-1', bob: 'bob-pass-123' };
const MB = 1024 * 1024;

let relay: RelayForCores;
let aliceDesktop: Desktop;
let bobDesktop: Desktop;
let alice: Page;
let bob: Page;

async function openClient(browser: Browser, desktop: Desktop): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(desktop.url);
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
  return page;
}

test.beforeAll(async ({ browser }) => {
  relay = await startRelayForCores();
  aliceDesktop = await startDesktop(relay.url, 'alice-pc');
  bobDesktop = await startDesktop(relay.url, 'bob-pc');
  await aliceDesktop.call('session.createEnterprise', {
    enterpriseName: '杭州云帆科技有限公司',
    adminName: '王雨桐',
    account: 'alice',
    password: PASSWORD.alice,
  });
  const { user: bobUser } = await aliceDesktop.call('directory.addMember', {
    name: '李明轩',
    account: 'bob',
    password: PASSWORD.bob,
  });
  await bobDesktop.call('session.signIn', { login: 'bob', password: PASSWORD.bob });
  await aliceDesktop.call('conversations.openDirect', { userId: bobUser.id });
  alice = await openClient(browser, aliceDesktop);
  bob = await openClient(browser, bobDesktop);
});

test.afterAll(async () => {
  await aliceDesktop?.close();
  await bobDesktop?.close();
  await relay?.close();
  removeTempDirs();
});

async function openDirectChat() {
  await openSection(alice, '消息');
  await openSection(bob, '消息');
  await conversation(alice, '李明轩').click();
  await conversation(bob, '王雨桐').click();
}

/**
 * Drops a file of `size` random bytes, made in the page, onto the chat as a real DataTransfer
 * (dragover, then drop); returns the sha256 of its bytes, computed in the page.
 */
async function dropRandomFile(page: Page, name: string, size: number): Promise<string> {
  return composer(page).evaluate(
    async (target, file) => {
      const bytes = new Uint8Array(file.size);
      for (let i = 0; i < bytes.length; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], file.name, { type: 'application/octet-stream' }));
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    },
    { name, size },
  );
}

/**
 * The file card of this name in the chat on screen, from me or from the other side. Long names
 * are shortened in the middle on the card; the full name is its title (the tooltip).
 */
function fileCard(page: Page, name: string, mine: boolean): Locator {
  return page
    .locator(`[data-testid="message"][data-mine="${mine ? 'true' : 'false'}"]`)
    .getByTestId('file-card')
    .filter({ has: page.getByTestId('file-name').and(page.getByTitle(name, { exact: true })) })
    .last();
}

/** Bob downloads the card's file and gets exactly the bytes Alice sent. */
async function downloadAndCompare(name: string, sha256: string) {
  const card = fileCard(bob, name, false);
  await card.getByRole('button', { name: '下载' }).click();
  await expect(card.getByTestId('file-status')).toHaveText('已下载', { timeout: 60_000 });
  await expect(card.getByRole('link', { name: '打开' })).toBeVisible();
  await expect(card.getByRole('link', { name: '保存' })).toHaveAttribute('download', name);
  const { transfers } = await bobDesktop.call('files.transfers', {});
  const done = transfers.find((t) => t.direction === 'download' && t.name === name && t.state === 'done');
  expect(done?.localPath).toBeTruthy();
  const bytes = readFileSync(done?.localPath ?? '');
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
  // The page's own link to the file serves the same bytes.
  const href = await card.getByRole('link', { name: '保存' }).getAttribute('href');
  const served = await bob.evaluate(async (url) => {
    const body = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
    return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, href ?? '');
  expect(served).toBe(sha256);
}

test('a file dropped on the chat arrives as a card; the other side downloads the same bytes', async () => {
  await openDirectChat();
  const name = '2024年第三季度销售报告（终稿）📊.bin';
  const sha256 = await dropRandomFile(alice, name, 3 * MB);

  const mine = fileCard(alice, name, true);
  await expect(mine).toBeVisible();
  await expect(mine.getByTestId('file-size')).toHaveText('3.00 MB');
  await expect(mine.getByTestId('file-status')).toHaveText('已发送', { timeout: 60_000 });

  const theirs = fileCard(bob, name, false);
  await expect(theirs).toBeVisible();
  await expect(theirs.getByTestId('file-name')).toHaveText(/^2024年第三季度.*….*\.bin$/);
  await expect(theirs.getByTestId('file-size')).toHaveText('3.00 MB');
  await downloadAndCompare(name, sha256);
  await readmeShot(bob, 'chat-files.png');
});

test('pause stops a throttled upload, resume finishes it, and the other side receives it', async () => {
  // 上传限速 1 MB/s, chosen in 设置 as a person would.
  await openSection(alice, '设置');
  await alice.getByRole('combobox', { name: '上传限速' }).click();
  await alice.getByTitle('1 MB/s', { exact: true }).click();
  await expect(alice.getByText('已保存', { exact: true })).toBeVisible();
  expect((await aliceDesktop.call('settings.get', {})).files.maxUploadBytesPerSec).toBe(MB);

  try {
    await openDirectChat();
    const name = '产品演示视频素材.bin';
    const sha256 = await dropRandomFile(alice, name, 8 * MB);
    const card = fileCard(alice, name, true);
    await expect(card).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
    await expect(card.getByTestId('file-status')).toContainText('/ 8.00 MB');

    await card.getByRole('button', { name: '暂停' }).click();
    await expect(card).toHaveAttribute('data-state', 'paused');
    await expect(card.getByRole('button', { name: '继续' })).toBeVisible();
    const shown = await card.getByTestId('file-status').textContent();
    const held = (await aliceDesktop.call('files.transfers', {})).transfers.find((t) => t.name === name)?.done;
    await alice.waitForTimeout(1_500);
    await expect(card.getByTestId('file-status')).toHaveText(shown ?? '');
    expect((await aliceDesktop.call('files.transfers', {})).transfers.find((t) => t.name === name)?.done).toBe(held);
    expect(held).toBeLessThan(8 * MB);

    await card.getByRole('button', { name: '继续' }).click();
    await expect(card.getByTestId('file-status')).toHaveText('已发送', { timeout: 60_000 });
    await expect(fileCard(bob, name, false)).toBeVisible();
    await downloadAndCompare(name, sha256);
  } finally {
    await aliceDesktop.call('settings.set', { files: { downloadDir: null, maxUploadBytesPerSec: null } });
  }
});

test('a folder picked with 发送文件夹 sends every file in it, sub-folders and empty files included', async () => {
  await openDirectChat();
  const folder = path.join(tempDir('qixin-e2e-folder-'), '项目资料');
  mkdirSync(path.join(folder, '图纸'), { recursive: true });
  writeFileSync(path.join(folder, '说明.txt'), '项目资料说明：图纸在子文件夹中。\n');
  writeFileSync(path.join(folder, '图纸', '一层平面图.dwg'), Buffer.alloc(64 * 1024, 7));
  writeFileSync(path.join(folder, '空白记录.txt'), '');

  await alice.getByTestId('folder-input').setInputFiles(folder);
  for (const name of ['说明.txt', '一层平面图.dwg', '空白记录.txt']) {
    await expect(fileCard(alice, name, true).getByTestId('file-status')).toHaveText(/已发送|秒传完成/, {
      timeout: 60_000,
    });
    await expect(fileCard(bob, name, false)).toBeVisible();
  }
  await expect(fileCard(bob, '空白记录.txt', false).getByTestId('file-size')).toHaveText('0 B');
  const empty = fileCard(bob, '空白记录.txt', false);
  await empty.getByRole('button', { name: '下载' }).click();
  await expect(empty.getByTestId('file-status')).toHaveText('已下载');
});

test('保存到微盘 keeps a chat file in the personal space', async () => {
  await openDirectChat();
  const name = '合同扫描件.pdf.bin';
  await dropRandomFile(alice, name, 256 * 1024);
  const card = fileCard(bob, name, false);
  await expect(card).toBeVisible();
  await expect(fileCard(alice, name, true).getByTestId('file-status')).toHaveText('已发送', { timeout: 60_000 });

  // The menu can close while the just-arrived message settles in Bob's list: open it again then.
  await expect(async () => {
    await card.click({ button: 'right' });
    await bob.getByRole('menuitem', { name: '保存到微盘', exact: true }).click({ timeout: 2_000 });
  }).toPass();
  await expect(bob.getByText('已保存到微盘“我的文件”')).toBeVisible();
  const { spaces } = await bobDesktop.call('drive.spaces', {});
  const personal = spaces.find((s) => s.kind === 'personal');
  const { children } = await bobDesktop.call('drive.list', { folderId: personal?.rootId ?? '' });
  expect(children.map((n) => n.name)).toContain(name);
});
