// Activation through the UI: the admin adds a member in 管理后台 and copies the one-time code
// the console shows; the new member, on their own desktop, chooses 使用激活码激活账号, types the
// code in lower case without dashes, sets a password and lands in 消息 signed in as themself.
// A wrong code gets a clear message; the used code cannot be redeemed again.
import path from 'node:path';
import { test, expect, type Browser, type Page } from '@playwright/test';
import { startRelayForCores, type RelayForCores } from '../support/core-relay';
import { removeTempDirs } from '../support/core';
import { openSection, repoRoot, startDesktop, type Desktop } from './harness';

const ENTERPRISE = '云帆科技';
const REFUSED = '激活码错误、已过期或已被使用，请向管理员索取新的激活码';

let relay: RelayForCores;
let adminDesktop: Desktop;
let memberDesktop: Desktop;
let otherDesktop: Desktop;

test.beforeAll(async () => {
  relay = await startRelayForCores();
  adminDesktop = await startDesktop(relay.url, 'admin-pc');
  memberDesktop = await startDesktop(relay.url, 'member-pc');
  otherDesktop = await startDesktop(relay.url, 'other-pc');
});

test.afterAll(async () => {
  await adminDesktop?.close();
  await memberDesktop?.close();
  await otherDesktop?.close();
  await relay?.close();
  removeTempDirs();
});

async function openClient(browser: Browser, desktop: Desktop): Promise<Page> {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.goto(desktop.url);
  return page;
}

async function openActivation(page: Page) {
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await page.getByRole('button', { name: '使用激活码激活账号' }).click();
  await expect(page.getByRole('heading', { name: '激活账号' })).toBeVisible();
}

async function fillActivation(page: Page, code: string, password: string) {
  await page.getByLabel('激活码').fill(code);
  await page.getByLabel('设置密码').fill(password);
  await page.getByLabel('确认密码').fill(password);
  await page.getByRole('button', { name: '激活并登录' }).click();
}

test('a new member activates with the code from the admin console and lands in the app', async ({ browser }) => {
  test.setTimeout(120_000);
  // Arranged straight through the core: the enterprise and its admin.
  await adminDesktop.call('session.createEnterprise', {
    enterpriseName: ENTERPRISE,
    adminName: '王雨桐',
    account: 'alice',
    password: 'alice-pass-1',
  });

  const admin = await openClient(browser, adminDesktop);
  let code = '';
  await test.step('the admin adds a member in 管理后台 and copies the activation code', async () => {
    await expect(admin.getByRole('navigation', { name: '主导航' })).toBeVisible();
    await openSection(admin, '管理后台');
    await admin.getByRole('button', { name: '添加成员' }).click();
    const drawer = admin.getByRole('dialog', { name: '添加成员' });
    await drawer.getByLabel('姓名').fill('钱多多');
    await drawer.getByLabel('账号').fill('qianduoduo');
    await drawer.getByLabel('职务').fill('设计师');
    await drawer.getByRole('button', { name: '添加' }).click();
    const shown = admin.getByTestId('activation-code');
    await expect(shown).toHaveText(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    await shown.getByRole('button').click();
    code = await admin.evaluate(() => navigator.clipboard.readText());
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await shown.innerText()).toContain(code);
    await admin.getByRole('dialog', { name: '激活码' }).getByRole('button', { name: '确定' }).click();
    await expect(admin.getByTestId('admin-member-row').filter({ hasText: '钱多多' })).toContainText('未激活');
  });

  const other = await openClient(browser, otherDesktop);
  await test.step('a wrong code gets a clear message and nobody is signed in', async () => {
    await openActivation(other);
    await other.getByLabel('激活码').fill('abcd');
    await other.getByLabel('设置密码').fill('qian-pass-1');
    await other.getByLabel('确认密码').fill('qian-pass-2');
    await other.getByRole('button', { name: '激活并登录' }).click();
    await expect(other.getByText('激活码为 12 位字母和数字，例如 ABCD-EFGH-JKMN')).toBeVisible();
    await expect(other.getByText('两次输入的密码不一致')).toBeVisible();
    await fillActivation(other, 'abcdefghjkmn', 'qian-pass-1');
    await expect(other.getByTestId('activation-error')).toHaveText(REFUSED);
    await expect(other.getByRole('heading', { name: '激活账号' })).toBeVisible();
    await expect(other.getByRole('navigation', { name: '主导航' })).toHaveCount(0);
    await other.screenshot({ path: path.join(repoRoot, 'test-results', 'activation-refused.png') });
  });

  const member = await openClient(browser, memberDesktop);
  await test.step('the member signs in before activating and is pointed to the activation form', async () => {
    await expect(member.getByRole('heading', { name: '登录' })).toBeVisible();
    await member.getByLabel('账号/手机号').fill('qianduoduo');
    await member.getByLabel('密码').fill('qian-pass-1');
    await member.getByRole('button', { name: '登录' }).click();
    await expect(member.getByText('该账号尚未激活', { exact: false })).toBeVisible();
  });

  await test.step('the member activates with the code in lower case without dashes', async () => {
    await member.getByRole('button', { name: '使用激活码激活账号' }).click();
    await expect(member.getByRole('heading', { name: '激活账号' })).toBeVisible();
    await fillActivation(member, code.replace(/-/g, '').toLowerCase(), 'qian-pass-1');
    const nav = member.getByRole('navigation', { name: '主导航' });
    await expect(nav).toBeVisible();
    await expect(nav.getByRole('button', { name: '消息' })).toHaveAttribute('aria-current', 'page');
    await expect(nav.getByRole('button', { name: '管理后台' })).toHaveCount(0);
    await member.getByTestId('rail-me').hover();
    await expect(member.getByRole('tooltip')).toHaveText(`钱多多 · ${ENTERPRISE}`);
  });

  await test.step('the admin sees the member activated', async () => {
    await expect(admin.getByTestId('admin-member-row').filter({ hasText: '钱多多' })).not.toContainText('未激活');
  });

  await test.step('the used code cannot be redeemed again', async () => {
    // Back to sign-in and in again: the form starts clean, so the message below is a new answer.
    await other.getByRole('button', { name: '已有密码？返回登录' }).click();
    await openActivation(other);
    await expect(other.getByTestId('activation-error')).toHaveCount(0);
    await fillActivation(other, code, 'another-pass-1');
    await expect(other.getByTestId('activation-error')).toHaveText(REFUSED);
    await expect(other.getByRole('navigation', { name: '主导航' })).toHaveCount(0);
  });
});
