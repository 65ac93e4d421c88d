// 微盘 through the UI with a real relay and one desktop client per person: A makes a folder,
// uploads a text file and a PDF and previews both; A gives B 仅查看 on the folder, so B previews
// but finds no 下载 (and the relay refuses a download made straight through the core); raised to
// 可下载, B downloads the same bytes; A deletes the file and restores it from 回收站; A sends the
// PDF into their chat as a drive link and B downloads it from the card.
import { readFile } from 'node:fs/promises';
import { test, expect, type Locator, type Page } from '@playwright/test';
import { dispatchCall } from '../../shared/contract';
import { removeTempDirs } from '../support/core';
import { startRelayForCores, type RelayForCores } from '../support/core-relay';
import {
  conversation,
  driveRow,
  onePageChinesePdf,
  onePagePdf,
  openDrive,
  openSection,
  readmeShot,
  startDesktop,
  type Desktop,
  browserClients,
} from './harness';

let relay: RelayForCores;
let aDesktop: Desktop;
let bDesktop: Desktop;
const A_NAME = '王雨桐';
const B_NAME = '李明轩';
const FOLDER = '项目资料';
const TEXT_FILE = '会议纪要.txt';
const PDF_FILE = 'Quarterly report.pdf';
const TEXT = '第三季度会议纪要\n1. 发布计划按期推进 🚀\n2. 预算待财务确认\n';
const textBytes = Buffer.from(TEXT, 'utf8');
const pdfBytes = onePagePdf('Qixin drive preview');
const CHINESE_PDF = '季度总结（中文字体未嵌入）.pdf';
const chinesePdfBytes = onePageChinesePdf('第三季度总结');

/** How many pixels of a drawn page are darker than white (its text). */
function inkedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((element: HTMLCanvasElement) => {
    const data = element.getContext('2d')!.getImageData(0, 0, element.width, element.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++;
    return dark;
  });
}

test.beforeAll(async () => {
  relay = await startRelayForCores();
  aDesktop = await startDesktop(relay.url, 'a-pc');
  bDesktop = await startDesktop(relay.url, 'b-pc');
  await aDesktop.call('session.createEnterprise', {
    enterpriseName: '云帆科技',
    adminName: A_NAME,
    account: 'yutong',
    password: 'yutong-pass-1',
  });
  await aDesktop.call('directory.addMember', { name: B_NAME, account: 'mingxuan', password: 'mingxuan-pass-1' });
  await bDesktop.call('session.signIn', { login: 'mingxuan', password: 'mingxuan-pass-1' });
});

const clients = browserClients();
test.afterAll(async () => {
  await clients.closeAll();
  for (const desktop of [aDesktop, bDesktop]) await desktop?.close();
  await relay?.close();
  removeTempDirs();
});

function driveNav(page: Page) {
  return page.getByRole('navigation', { name: '微盘' });
}

async function rowMenu(page: Page, name: string, item: string) {
  await driveRow(page, name).getByRole('button', { name: '更多' }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

/** The text file's node id, read through A's core (the UI shows names, not ids). */
async function textFileId(): Promise<string> {
  const { spaces } = await aDesktop.call('drive.spaces', {});
  const personal = spaces.find((s) => s.kind === 'personal')!;
  const root = await aDesktop.call('drive.list', { folderId: personal.rootId });
  const folder = root.children.find((n) => n.name === FOLDER)!;
  const inside = await aDesktop.call('drive.list', { folderId: folder.id });
  return inside.children.find((n) => n.name === TEXT_FILE)!.id;
}

/**
 * What became of a download B asks for straight through the core: refused at once, or a transfer
 * that ends failed. Either way the relay's reason is what counts.
 */
async function downloadOutcome(desktop: Desktop, nodeId: string): Promise<string> {
  const started = await dispatchCall(desktop.core.service, 'files.download', { nodeId });
  if (!started.ok) return started.error.reason ?? started.error.code;
  const { transfer } = started.value as { transfer: { id: string } };
  let outcome = '';
  await expect
    .poll(async () => {
      const { transfers } = await desktop.call('files.transfers', {});
      const found = transfers.find((t) => t.id === transfer.id);
      if (found?.state === 'failed') outcome = found.error?.reason ?? found.error?.code ?? 'failed';
      else if (found?.state === 'done') outcome = 'done';
      return outcome;
    })
    .not.toBe('');
  return outcome;
}

/** Sets B's level in A's 权限 dialog of the folder. */
async function grantB(a: Page, level: '仅查看' | '可下载') {
  await rowMenu(a, FOLDER, '权限');
  const dialog = a.getByRole('dialog', { name: `“${FOLDER}”的权限` });
  const existing = dialog.getByRole('listitem', { name: B_NAME });
  if ((await existing.count()) === 0) {
    await dialog.getByLabel('选择成员').fill('mingxuan');
    await a.locator('.ant-select-item-option').filter({ hasText: B_NAME }).click();
    await dialog.getByLabel('添加的权限').click();
    await a.locator('.ant-select-item-option').filter({ hasText: level }).last().click();
    await dialog.getByRole('button', { name: '添加', exact: true }).click();
  } else {
    await existing.getByLabel(`${B_NAME}的权限`).click();
    await a.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: level }).click();
  }
  await expect(dialog.getByRole('listitem', { name: B_NAME })).toContainText(level);
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
}

/** B opens 共享给我 → the folder (read again each time: the relay pushes no drive changes). */
async function openSharedFolder(b: Page) {
  await driveNav(b).getByRole('button', { name: '共享给我' }).click();
  await driveRow(b, FOLDER).dblclick();
  await expect(b.getByLabel('文件夹路径')).toContainText(FOLDER);
}

test('微盘: folders, uploads, previews, permissions, download, trash and a drive link in chat', async ({ browser }) => {
  test.setTimeout(240_000);
  const a = await clients.open(browser, aDesktop);
  const b = await clients.open(browser, bDesktop);

  await test.step('A makes a folder and uploads a text file and a PDF into it', async () => {
    await openDrive(a);
    await expect(a.getByLabel('文件夹路径')).toContainText('我的文件');
    await a.getByRole('button', { name: '新建文件夹' }).click();
    const dialog = a.getByRole('dialog', { name: '新建文件夹' });
    await dialog.getByLabel('文件夹名称').fill(FOLDER);
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(driveRow(a, FOLDER)).toBeVisible();
    await driveRow(a, FOLDER).dblclick();
    await expect(a.getByLabel('文件夹路径')).toContainText(`我的文件/${FOLDER}`);
    await expect(a.getByText('此文件夹是空的')).toBeVisible();

    await a.getByTestId('drive-file-input').setInputFiles([
      { name: TEXT_FILE, mimeType: 'text/plain', buffer: textBytes },
      { name: PDF_FILE, mimeType: 'application/pdf', buffer: pdfBytes },
      { name: CHINESE_PDF, mimeType: 'application/pdf', buffer: chinesePdfBytes },
    ]);
    await expect(driveRow(a, TEXT_FILE)).toBeVisible({ timeout: 30_000 });
    await expect(driveRow(a, CHINESE_PDF)).toBeVisible({ timeout: 30_000 });
    await expect(driveRow(a, PDF_FILE)).toBeVisible({ timeout: 30_000 });
    await expect(driveRow(a, TEXT_FILE)).toContainText(A_NAME);
    await expect(a.getByTestId('drive-transfer').filter({ hasText: TEXT_FILE })).toHaveAttribute('data-state', 'done');
    await readmeShot(a, 'drive.png');
  });

  await test.step('A previews the text and the PDF', async () => {
    await driveRow(a, TEXT_FILE).getByRole('button', { name: '预览' }).click();
    const textPreview = a.getByRole('dialog', { name: TEXT_FILE });
    await expect(textPreview.getByTestId('text-preview')).toHaveText(TEXT);
    await expect(textPreview.getByRole('button', { name: '下载' })).toBeVisible();
    await a.keyboard.press('Escape');
    await expect(textPreview).toBeHidden();

    // Both are drawn, not blank: the Chinese one needs pdf.js's character maps (its font is not embedded).
    for (const name of [PDF_FILE, CHINESE_PDF]) {
      await driveRow(a, name).getByRole('button', { name: '预览' }).click();
      const pdfPreview = a.getByRole('dialog', { name });
      await expect(pdfPreview.getByTestId('pdf-page')).toHaveCount(1);
      await expect(pdfPreview.getByTestId('pdf-page')).toHaveAttribute('data-rendered', 'true');
      expect(await inkedPixels(pdfPreview.getByTestId('pdf-page')), name).toBeGreaterThan(50);
      await a.keyboard.press('Escape');
      await expect(pdfPreview).toBeHidden();
    }
  });

  await test.step('A gives B 仅查看 on the folder', async () => {
    await a.getByLabel('文件夹路径').getByText('我的文件').click();
    await expect(driveRow(a, FOLDER)).toBeVisible();
    await grantB(a, '仅查看');
  });

  const nodeId = await textFileId();

  await test.step('B sees it under 共享给我 and previews, with no 下载 anywhere; the relay refuses one', async () => {
    await openDrive(b);
    await openSharedFolder(b);
    const row = driveRow(b, TEXT_FILE);
    await expect(row).toBeVisible();
    await expect(row.getByRole('button', { name: '预览' })).toBeVisible();
    await expect(row.getByRole('button', { name: '下载' })).toHaveCount(0);
    await row.getByRole('button', { name: '预览' }).click();
    const preview = b.getByRole('dialog', { name: TEXT_FILE });
    await expect(preview.getByTestId('text-preview')).toHaveText(TEXT);
    await expect(preview.getByRole('button', { name: '下载' })).toHaveCount(0);
    await b.keyboard.press('Escape');
    expect(await downloadOutcome(bDesktop, nodeId)).toBe('drive_forbidden');
  });

  await test.step('A raises B to 可下载; B downloads the same bytes', async () => {
    await grantB(a, '可下载');
    await openSharedFolder(b);
    await driveRow(b, TEXT_FILE).getByRole('button', { name: '下载' }).click();
    const downloadRow = b
      .locator('[data-testid="drive-transfer"][data-direction="download"]')
      .filter({ hasText: TEXT_FILE })
      .first();
    await expect(downloadRow).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    const [saved] = await Promise.all([
      b.waitForEvent('download'),
      downloadRow.getByRole('link', { name: '保存' }).click(),
    ]);
    expect(await readFile((await saved.path())!)).toEqual(textBytes);
  });

  await test.step('A deletes the file and restores it from 回收站', async () => {
    await driveRow(a, FOLDER).dblclick();
    await rowMenu(a, TEXT_FILE, '删除');
    await a
      .getByRole('dialog')
      .filter({ hasText: `删除“${TEXT_FILE}”？` })
      .getByRole('button', { name: '删除' })
      .click();
    await expect(driveRow(a, TEXT_FILE)).toHaveCount(0);
    await driveNav(a).getByRole('button', { name: '回收站' }).click();
    await driveRow(a, TEXT_FILE).getByRole('button', { name: '还原' }).click();
    await expect(driveRow(a, TEXT_FILE)).toHaveCount(0);
    await driveNav(a).getByRole('button', { name: '我的文件' }).click();
    await driveRow(a, FOLDER).dblclick();
    await expect(driveRow(a, TEXT_FILE)).toBeVisible();
  });

  await test.step('A sends the PDF to B as a drive link; B downloads it from the chat card', async () => {
    await rowMenu(a, PDF_FILE, '发送到聊天');
    const picker = a.getByRole('dialog', { name: `将“${PDF_FILE}”发送给` });
    await picker.getByLabel('搜索会话或联系人').fill(B_NAME);
    await picker.getByRole('checkbox', { name: B_NAME }).check();
    await picker.getByRole('button', { name: '发送（1）' }).click();
    await expect(picker).toBeHidden();

    await openSection(b, '消息');
    await conversation(b, A_NAME).click();
    // B never fetched the PDF before: the card's 下载 goes through the link to the drive.
    const card = b.locator(`[data-testid="file-card"][data-file-name=${JSON.stringify(PDF_FILE)}]`).last();
    await expect(card).toContainText('微盘');
    await card.getByRole('button', { name: '下载' }).click();
    const [saved] = await Promise.all([
      b.waitForEvent('download'),
      card.getByRole('link', { name: '保存' }).click({ timeout: 30_000 }),
    ]);
    expect(await readFile((await saved.path())!)).toEqual(pdfBytes);
  });
});
