// One desktop core per person, each behind its own loopback bridge server that serves the
// built renderer, so every browser context is a separate desktop client.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { dispatchCall, type CallArgs, type CallName, type CallResult } from '../../shared/contract';
import { startDesktopCore, type DesktopCore } from '../../main/core/desktop-core';
import { startBridgeServer, type BridgeServer } from '../../main/core/browser/bridge-server';
import { tempDir } from '../support/core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const staticDir = path.join(repoRoot, 'dist', 'renderer');

export interface Desktop {
  url: string;
  core: DesktopCore;
  /** Straight to the core, for arranging data a test is not about. */
  call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>>;
  close(): Promise<void>;
}

export async function startDesktop(relayUrl: string, deviceName: string): Promise<Desktop> {
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build:renderer` (npm run test:e2e does)');
  }
  const core = await startDesktopCore({
    dataDir: tempDir('qixin-e2e-'),
    relayUrl,
    deviceName,
    mode: 'browser',
    reconnect: { baseMs: 100, capMs: 800 },
    heartbeatMs: 2_000,
    requestTimeoutMs: 10_000,
  });
  const bridge: BridgeServer = await startBridgeServer({ core, host: '127.0.0.1', port: 0, staticDir });
  return {
    url: bridge.url,
    core,
    async call(name, args) {
      const result = await dispatchCall(core.service, name, args);
      if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
      return result.value as never;
    },
    async close() {
      await bridge.close().catch(() => undefined);
      await core.close().catch(() => undefined);
    },
  };
}

/** The conversation row with this title in the 消息 list. */
export function conversation(page: Page, title: string) {
  return page
    .getByTestId('conversation-item')
    .filter({ has: page.getByTestId('conversation-title').getByText(title, { exact: true }) });
}

export function composer(page: Page) {
  return page.getByRole('textbox', { name: '输入消息' });
}

export async function send(page: Page, text: string) {
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await expect(page.getByTestId('message-bubble').getByText(text, { exact: true })).toBeVisible();
}

/** The last of my own messages with this text. */
export function myMessage(page: Page, text: string) {
  return page
    .locator('[data-testid="message"][data-mine="true"]')
    .filter({ has: page.getByTestId('message-bubble').getByText(text, { exact: true }) })
    .last();
}

export async function openSection(page: Page, name: '消息' | '通讯录' | '管理后台' | '设置') {
  await page.getByRole('navigation').getByRole('button', { name }).click();
}

/**
 * Puts `count` people into a new department through the real import (spreadsheet → validate →
 * apply), as an admin would; returns their ids. Used where a test needs many people (a full group).
 */
export async function importPeople(
  admin: Desktop,
  department: string,
  count: number,
  accountPrefix: string,
): Promise<string[]> {
  const rows = ['姓名*,账号*,部门*'];
  for (let i = 0; i < count; i++) rows.push(`成员${i},${accountPrefix}${String(i).padStart(5, '0')},${department}`);
  let { job } = await admin.call('admin.import.start', {
    fileName: 'people.csv',
    base64: Buffer.from(`${rows.join('\n')}\n`).toString('base64'),
    mode: 'add',
    createDepartments: true,
  });
  const settle = async (until: string[]) => {
    while (!until.includes(job.state)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = (await admin.call('admin.import.status', { jobId: job.id })).job;
    }
  };
  await settle(['ready', 'failed']);
  job = (await admin.call('admin.import.apply', { jobId: job.id })).job;
  await settle(['done', 'failed']);
  expect(job.result?.created).toBe(count);
  // The admin's cache learns of them through the change stream, a moment later.
  let ids: string[] = [];
  await expect
    .poll(async () => {
      const { departments } = await admin.call('directory.departments', {});
      const dept = departments.find((d) => d.name === department);
      if (!dept) return 0;
      const { users } = await admin.call('directory.members', { departmentId: dept.id, offset: 0, limit: 1000 });
      ids = users.map((u) => u.id);
      return ids.length;
    })
    .toBe(count);
  return ids;
}

/** Opens 微盘 from the rail. */
export async function openDrive(page: Page) {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '微盘' }).click();
  await expect(page.getByTestId('drive-page')).toBeVisible();
}

/** The row of the open drive folder or list with exactly this name. */
export function driveRow(page: Page, name: string) {
  return page.locator(`[data-testid="drive-row"][data-name=${JSON.stringify(name)}]`);
}

/**
 * A one-page PDF with one line of Latin text in a standard font, written by hand with a correct
 * cross-reference table, so a preview has a real document to draw.
 */
export function onePagePdf(text: string): Buffer {
  return pdfWith(
    `BT /F1 24 Tf 72 720 Td (${text.replace(/[()\\]/g, '\\$&')}) Tj ET`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  );
}

/**
 * A one-page PDF with Chinese text in a font it does not embed (STSong-Light, UniGB-UCS2-H), as
 * office software in China often writes: a viewer needs the Adobe-GB1 character maps to draw it.
 */
export function onePageChinesePdf(text: string): Buffer {
  const ucs2 = [...text].map((c) => c.codePointAt(0)!.toString(16).padStart(4, '0')).join('');
  return pdfWith(
    `BT /F1 28 Tf 72 720 Td <${ucs2}> Tj ET`,
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>',
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R >>',
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
  );
}

/** Catalog, pages, one page with `content`, then the font objects (the first is /F1, object 5). */
function pdfWith(content: string, ...fonts: string[]): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
    ...fonts,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf);
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** A picture for the README, refreshed on request only (QIXIN_UPDATE_SCREENSHOTS=1), so a run leaves the tree clean. */
export async function readmeShot(page: Page, name: string): Promise<void> {
  const dir = process.env.QIXIN_UPDATE_SCREENSHOTS
    ? path.join(repoRoot, 'docs', 'screenshots')
    : path.join(repoRoot, 'test-results');
  mkdirSync(dir, { recursive: true });
  await page.mouse.move(0, 0);
  // Finished transitions: a progress bar that just reached its end is drawn full.
  await page.screenshot({ path: path.join(dir, name), animations: 'disabled' });
}

/** Opens 日程 from the rail. */
export async function openCalendarPage(page: Page) {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('button', { name: '日程' }).click();
  await expect(page.getByTestId('calendar-page')).toBeVisible();
  await expect(page.locator('.fc-timegrid, .fc-daygrid, .fc-list').first()).toBeVisible();
}

/** An event with this title in the open calendar view. */
export function calendarEvent(page: Page, title: string) {
  return page.locator('.fc-event').filter({ hasText: title });
}

/**
 * The middle of a time-grid cell: the column of `date` (YYYY-MM-DD) at the slot starting `time`
 * (HH:mm, a multiple of the 30-minute slots) — where a pointer goes to select or drop there.
 */
export async function timeGridPoint(page: Page, date: string, time: string): Promise<{ x: number; y: number }> {
  const column = await page.locator(`td.fc-timegrid-col[data-date="${date}"]`).boundingBox();
  const slot = await page.locator(`td.fc-timegrid-slot-lane[data-time="${time}:00"]`).boundingBox();
  if (!column || !slot) throw new Error(`no time grid cell for ${date} ${time}`);
  return { x: column.x + column.width / 2, y: slot.y + slot.height / 2 };
}

/** Browser windows onto desktops, each in a context of its own, closed together by `closeAll`. */
export function browserClients() {
  const contexts: BrowserContext[] = [];
  return {
    /** A new window on `desktop`, once its main navigation shows. */
    async open(browser: Browser, desktop: Desktop): Promise<Page> {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(desktop.url);
      await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
      return page;
    },
    async closeAll(): Promise<void> {
      for (const context of contexts.splice(0)) await context.close();
    },
  };
}
