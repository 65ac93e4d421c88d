// The org directory through the UI, three people at once: an admin imports a spreadsheet that
// LibreOffice wrote (with planted bad rows) through the 管理后台 wizard, a member finds the new
// colleagues in 通讯录 (tree, pinyin initials, profile card, 发消息), the admin hides someone
// and the member's view loses them, and a department admin's console shows only their subtree.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { test, expect, type Browser, type Page } from '@playwright/test';
import { startRelayForCores, type RelayForCores } from '../support/core-relay';
import { removeTempDirs, tempDir } from '../support/core';
import { convertCsv } from '../support/libreoffice';
import { openSection, readmeShot, send, startDesktop, type Desktop } from './harness';

const ENTERPRISE = '云帆科技';
const HEADER = '姓名*,账号*,别名,职务,部门*,性别,手机,座机,邮箱,地址,直属上级,状态';
// Rows 2–9 as the spreadsheet numbers them; 7, 8 and 9 are wrong on purpose.
const ROWS = [
  '王五,wangwu,,研发总监,研发中心,男,13700137000,,,,,',
  '张三,zhangsan,Tom,前端工程师,研发中心/前端组,男,13800138000,010-12345678,zhangsan@example.com,北京市海淀区,wangwu,在职',
  '李四,lisi,,客户经理,市场部/华北区,女,+8613900139000,,,,,',
  '赵六,zhaoliu,,后端工程师,研发中心/后端组,,,,,,,',
  '李明轩,bob,,测试工程师,研发中心/前端组,,,,,,,',
  '孙七,sunqi,,,市场部,,12345,,,,,',
  '周八,zhouba,,,市场部,,,,not-an-email,,,',
  ',wuming,,,研发中心,,,,,,,',
];
const BAD = { 7: 'sunqi', 8: 'zhouba', 9: 'wuming' } as const;

let relay: RelayForCores;
let adminDesktop: Desktop;
let memberDesktop: Desktop;
let deptAdminDesktop: Desktop;

test.beforeAll(async () => {
  relay = await startRelayForCores();
  adminDesktop = await startDesktop(relay.url, 'admin-pc');
  memberDesktop = await startDesktop(relay.url, 'member-pc');
  deptAdminDesktop = await startDesktop(relay.url, 'dept-admin-pc');
});

test.afterAll(async () => {
  await adminDesktop?.close();
  await memberDesktop?.close();
  await deptAdminDesktop?.close();
  await relay?.close();
  removeTempDirs();
});

async function openClient(browser: Browser, desktop: Desktop): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(desktop.url);
  return page;
}

async function signIn(page: Page, login: string, password: string) {
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await page.getByLabel('账号/手机号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
}

/** A row of the 通讯录 list (a department or a person) by its exact label. */
function contactRow(page: Page, testId: 'department-item' | 'contact-item', label: string) {
  return page.getByTestId(testId).and(page.getByLabel(label, { exact: true }));
}

function deptNode(page: Page, name: string) {
  return page.getByTestId('dept-node').filter({ hasText: new RegExp(`^${name}`) });
}

async function readSheet(file: string): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.worksheets[0];
  const rows: string[][] = [];
  sheet?.eachRow((row) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    rows.push(values.map((v) => (v === null || v === undefined ? '' : String(v))));
  });
  return rows;
}

test('admins import and manage the directory; members browse, search and chat', async ({ browser }) => {
  test.setTimeout(240_000);

  // Arranged straight through the cores: the enterprise, a member and a future department admin.
  await adminDesktop.call('session.createEnterprise', {
    enterpriseName: ENTERPRISE,
    adminName: '王雨桐',
    account: 'alice',
    password: 'alice-pass-1',
  });
  await adminDesktop.call('directory.addMember', { name: '李明轩', account: 'bob', password: 'bob-pass-123' });
  await adminDesktop.call('directory.addMember', { name: '陈思远', account: 'carol', password: 'carol-pass-1' });

  // The spreadsheet comes from LibreOffice, not from our code.
  const converted = await convertCsv({ people: `${[HEADER, ...ROWS].join('\n')}\n` }, 'xlsx');
  const upload = path.join(tempDir('qixin-e2e-import-'), '通讯录导入.xlsx');
  fs.copyFileSync(converted.people as string, upload);

  const admin = await openClient(browser, adminDesktop);
  await expect(admin.getByRole('navigation', { name: '主导航' })).toBeVisible();

  await test.step('the admin imports the LibreOffice file: preview with the bad rows, apply, result', async () => {
    await openSection(admin, '管理后台');
    await admin.getByRole('menuitem', { name: '批量导入/导出' }).click();
    const wizard = admin.getByTestId('import-wizard');
    await wizard.locator('input[type="file"]').setInputFiles(upload);
    await expect(wizard).toContainText('通讯录导入.xlsx');
    await wizard.getByRole('radio', { name: /新增并更新/ }).check();
    await expect(wizard.getByRole('checkbox', { name: '自动创建不存在的部门' })).toBeChecked();
    await wizard.getByRole('button', { name: '开始校验' }).click();

    const preview = admin.getByTestId('import-preview');
    await expect(preview).toBeVisible({ timeout: 60_000 });
    await expect(preview.getByTestId('import-count-rows')).toContainText('8');
    await expect(preview.getByTestId('import-count-toCreate')).toContainText('4');
    await expect(preview.getByTestId('import-count-toUpdate')).toContainText('1');
    await expect(preview.getByTestId('import-count-departmentsToCreate')).toContainText('5');
    await expect(preview.getByTestId('import-count-invalid')).toContainText('3');
    const issues = preview.getByTestId('import-issues');
    await expect(issues).toContainText('3 行有问题');
    await expect(issues.getByRole('row').filter({ hasText: 'sunqi' })).toContainText('手机号格式不正确');
    await expect(issues.getByRole('row').filter({ hasText: 'zhouba' })).toContainText('邮箱格式不正确');
    await expect(issues.getByRole('row').filter({ hasText: 'wuming' })).toContainText('必填项为空');
    for (const row of Object.keys(BAD)) {
      await expect(issues.getByRole('cell', { name: row, exact: true })).toBeVisible();
    }
    await readmeShot(admin, 'admin-import.png');

    await preview.getByRole('button', { name: '确认导入' }).click();
    const result = admin.getByTestId('import-result');
    await expect(result).toContainText('导入完成', { timeout: 60_000 });
    await expect(result).toContainText('新增 4 人，更新 1 人，禁用 0 人，新建部门 5 个');
  });

  await test.step('the error report downloads and names exactly the bad rows', async () => {
    const result = admin.getByTestId('import-result');
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      result.getByRole('button', { name: '下载错误报告' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = path.join(tempDir('qixin-e2e-report-'), download.suggestedFilename());
    await download.saveAs(file);
    const rows = await readSheet(file);
    const text = rows.map((r) => r.join('|')).join('\n');
    for (const account of Object.values(BAD)) expect(text).toContain(account);
    for (const good of ['wangwu', 'zhangsan', 'lisi', 'zhaoliu', '|bob|']) expect(text).not.toContain(good);
    expect(text).toMatch(/手机/);
    expect(text).toMatch(/邮箱/);

    const [codes] = await Promise.all([
      admin.waitForEvent('download'),
      result.getByRole('button', { name: '下载激活码' }).click(),
    ]);
    const codesFile = path.join(tempDir('qixin-e2e-codes-'), codes.suggestedFilename());
    await codes.saveAs(codesFile);
    const codeRows = (await readSheet(codesFile)).map((r) => r.join('|')).join('\n');
    for (const account of ['wangwu', 'zhangsan', 'lisi', 'zhaoliu']) expect(codeRows).toContain(account);
  });

  await test.step('a non-empty department cannot be deleted, and the admin is told why', async () => {
    await admin.getByRole('menuitem', { name: '组织架构' }).click();
    await deptNode(admin, '研发中心').click();
    await expect(admin.getByTestId('dept-bar').getByRole('heading', { name: '研发中心' })).toBeVisible();
    await expect(admin.getByTestId('admin-member-row').filter({ hasText: '王五' })).toBeVisible();
    await readmeShot(admin, 'admin-members.png');
    await admin.getByTestId('dept-bar').getByRole('button', { name: '删除' }).click();
    await admin.getByRole('tooltip').getByRole('button', { name: '确定' }).click();
    await expect(admin.getByText('部门不为空')).toBeVisible();
  });

  await test.step('the admin adds a member by hand and gets a one-time activation code', async () => {
    await deptNode(admin, '前端组').click();
    await expect(admin.getByTestId('dept-bar').getByRole('heading', { name: '前端组' })).toBeVisible();
    await admin.getByRole('button', { name: '添加成员' }).click();
    const drawer = admin.getByRole('dialog', { name: '添加成员' });
    await drawer.getByLabel('姓名').fill('钱多多');
    await drawer.getByLabel('账号').fill('qianduoduo');
    await drawer.getByLabel('手机').fill('12345');
    await drawer.getByRole('button', { name: '添加' }).click();
    await expect(drawer.getByText('请输入正确的手机号')).toBeVisible();
    await drawer.getByLabel('手机').fill('13600136000');
    await drawer.getByLabel('职务').fill('设计师');
    await drawer.getByRole('button', { name: '添加' }).click();
    const code = admin.getByTestId('activation-code');
    await expect(code).toHaveText(/\S{6,}/);
    await admin.getByRole('dialog', { name: '激活码' }).getByRole('button', { name: '确定' }).click();
    await expect(admin.getByTestId('admin-member-row').filter({ hasText: '钱多多' })).toContainText('未激活');
    await expect(admin.getByTestId('admin-member-count')).toHaveText('共 3 人');
  });

  const member = await openClient(browser, memberDesktop);
  await signIn(member, 'bob', 'bob-pass-123');

  await test.step('the member sees the new people under their departments', async () => {
    await openSection(member, '通讯录');
    await expect(member.getByTestId('breadcrumb-current')).toHaveText(ENTERPRISE);
    await expect(contactRow(member, 'department-item', '研发中心')).toBeVisible();
    await expect(contactRow(member, 'department-item', '市场部')).toBeVisible();
    await contactRow(member, 'department-item', '研发中心').click();
    await expect(member.getByTestId('breadcrumb-current')).toHaveText('研发中心');
    await expect(contactRow(member, 'contact-item', '王五')).toBeVisible();
    await expect(contactRow(member, 'department-item', '前端组')).toBeVisible();
    await expect(contactRow(member, 'department-item', '后端组')).toBeVisible();
    await contactRow(member, 'department-item', '前端组').click();
    await expect(member.getByTestId('contacts-count')).toHaveText('共 3 人');
    // Pinyin order: li (李明轩), qian (钱多多), zhang (张三).
    await expect
      .poll(() => member.getByTestId('contact-item').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))))
      .toEqual(['李明轩', '钱多多', '张三']);
    await member.getByTestId('contacts-breadcrumb').getByRole('link', { name: ENTERPRISE }).click();
    await contactRow(member, 'department-item', '市场部').click();
    await contactRow(member, 'department-item', '华北区').click();
    await expect(contactRow(member, 'contact-item', '李四')).toBeVisible();
  });

  await test.step('zs finds 张三; the card shows the profile; 发消息 opens the chat', async () => {
    await member.getByLabel('搜索通讯录').fill('zs');
    const found = contactRow(member, 'contact-item', '张三');
    await expect(found).toBeVisible();
    await found.click();
    const card = member.getByTestId('profile-card');
    await expect(card).toContainText('张三');
    await expect(card).toContainText('Tom');
    await expect(card).toContainText('前端工程师');
    await expect(card.getByTestId('profile-departments')).toHaveText('研发中心/前端组');
    await expect(card.getByRole('link', { name: '13800138000' })).toHaveAttribute('href', 'tel:13800138000');
    await expect(card.getByRole('link', { name: '010-12345678' })).toHaveAttribute('href', 'tel:01012345678');
    await expect(card).toContainText('zhangsan@example.com');
    await expect(card).toContainText('北京市海淀区');
    await expect(card).toContainText('王五'); // 直属上级
    await expect(card.getByRole('link', { name: '拨打电话' })).toHaveAttribute('href', 'tel:13800138000');
    await readmeShot(member, 'contacts.png');
    await card.getByRole('button', { name: '发消息' }).click();
    await expect(member.getByTestId('chat-title')).toHaveText('张三');
    await send(member, '张三你好，我是测试组的李明轩');
  });

  await test.step('the admin hides 李四 and the member, looking at 华北区, sees them go', async () => {
    // Back from the chat, 通讯录 is where the member left it.
    await openSection(member, '通讯录');
    await expect(member.getByTestId('breadcrumb-current')).toHaveText('华北区');
    await expect(contactRow(member, 'contact-item', '李四')).toBeVisible();

    await deptNode(admin, '市场部').click();
    const search = admin.getByLabel('搜索成员');
    await search.fill('lisi');
    await admin.getByTestId('admin-member-row').filter({ hasText: '李四' }).click();
    const drawer = admin.getByRole('dialog', { name: '编辑成员：李四' });
    await drawer.getByRole('switch', { name: '隐藏成员' }).click();
    await drawer.getByRole('button', { name: '保存' }).click();
    await expect(admin.getByText('成员信息已保存')).toBeVisible();
    await search.fill('');

    await expect(contactRow(member, 'contact-item', '李四')).toHaveCount(0);
    await expect(member.getByTestId('contacts-count')).toHaveText('共 0 人');
    await member.getByLabel('搜索通讯录').fill('lisi');
    await expect(member.getByText('没有找到相关成员')).toBeVisible();
    await member.getByLabel('搜索通讯录').fill('');
  });

  await test.step('the admin makes carol a department admin of 研发中心 in 管理员', async () => {
    await admin.getByRole('menuitem', { name: '管理员' }).click();
    await admin.getByRole('button', { name: '添加部门管理员' }).click();
    const dialog = admin.getByRole('dialog', { name: '添加部门管理员' });
    await dialog.getByLabel('成员').fill('carol');
    // antd draws the visible options apart from its hidden a11y list.
    await admin.locator('.ant-select-item-option').filter({ hasText: '陈思远' }).click();
    await dialog.getByLabel('管理范围').click();
    await admin.locator('.ant-select-tree-node-content-wrapper[title="研发中心"]').click();
    await dialog.locator('.ant-modal-title').click(); // closes the tree drop-down
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(admin.getByText('管理员已更新')).toBeVisible();
    await expect(admin.getByRole('row').filter({ hasText: '陈思远' })).toContainText('研发中心');
  });

  await test.step('the department admin sees only their subtree in the console', async () => {
    const deptAdmin = await openClient(browser, deptAdminDesktop);
    await signIn(deptAdmin, 'carol', 'carol-pass-1');
    await openSection(deptAdmin, '管理后台');
    const tree = deptAdmin.getByTestId('admin-dept-tree');
    await expect(deptNode(deptAdmin, '研发中心')).toBeVisible();
    await expect(deptNode(deptAdmin, '前端组')).toBeVisible();
    await expect(deptNode(deptAdmin, '后端组')).toBeVisible();
    await expect(tree).not.toContainText('市场部');
    await expect(tree).not.toContainText(ENTERPRISE);
    await expect(deptAdmin.getByTestId('admin-member-row').filter({ hasText: '王五' })).toBeVisible();
    // Roles and visibility are for super admins only.
    await expect(deptAdmin.getByRole('menuitem', { name: '管理员' })).toHaveCount(0);
    await expect(deptAdmin.getByRole('menuitem', { name: '通讯录查看权限' })).toHaveCount(0);
    // In English the console speaks English.
    await openSection(deptAdmin, '设置');
    await deptAdmin.getByText('English', { exact: true }).click();
    await deptAdmin.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Admin' }).click();
    await expect(deptAdmin.getByRole('menuitem', { name: 'Organization' })).toBeVisible();
    await expect(deptAdmin.getByRole('columnheader', { name: 'Account' })).toBeVisible();
    await expect(deptAdmin.getByTestId('admin-member-row').filter({ hasText: '王五' })).toContainText('Not activated');
    await readmeShot(deptAdmin, 'admin-en.png');
    // The member (no grant) has no console at all.
    await expect(member.getByRole('navigation').getByRole('button', { name: '管理后台' })).toHaveCount(0);
  });

  await test.step('the audit log shows the hiding, filtered by action, before and after readable', async () => {
    await admin.getByRole('menuitem', { name: '操作日志' }).click();
    const table = admin.getByTestId('audit-table');
    await expect(table.getByTestId('audit-action').first()).toBeVisible();
    await admin.getByLabel('操作', { exact: true }).click();
    await admin.locator('.ant-select-item-option').filter({ hasText: '修改成员' }).click();
    const row = table.getByRole('row').filter({ hasText: '李四' });
    await expect(row).toContainText('王雨桐');
    await expect(table.getByTestId('audit-action').filter({ hasNotText: '修改成员' })).toHaveCount(0);
    await row.getByRole('button', { name: /展开/ }).click();
    const detail = table.getByTestId('audit-detail');
    await expect(detail.getByRole('row').filter({ hasText: '隐藏' })).toContainText('否');
    await expect(detail.getByRole('row').filter({ hasText: '隐藏' })).toContainText('是');
  });

  await test.step('a visibility rule: 研发中心 sees only 研发中心, and the member loses 市场部', async () => {
    await openSection(member, '通讯录');
    await member.getByTestId('contacts-breadcrumb').getByRole('link', { name: ENTERPRISE }).click();
    await expect(contactRow(member, 'department-item', '市场部')).toBeVisible();

    await admin.getByRole('menuitem', { name: '通讯录查看权限' }).click();
    await admin.getByRole('button', { name: '添加规则' }).click();
    const dialog = admin.getByRole('dialog', { name: '添加规则' });
    for (const label of ['以下部门的成员', '只能查看']) {
      await dialog.getByLabel(label).click();
      // The drop-down opened last is the last in the page; the first one stays, hidden.
      await admin
        .locator('.ant-select-dropdown .ant-select-tree-node-content-wrapper[title="研发中心"]')
        .last()
        .click();
      await dialog.locator('.ant-modal-title').click();
    }
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(admin.getByText('查看权限已保存')).toBeVisible();
    await expect(admin.getByTestId('visibility-rules').getByRole('row').filter({ hasText: '研发中心' })).toHaveCount(1);

    await expect(contactRow(member, 'department-item', '市场部')).toHaveCount(0);
    await expect(contactRow(member, 'department-item', '研发中心')).toBeVisible();
    await member.getByLabel('搜索通讯录').fill('市场');
    await expect(member.getByText('没有找到相关成员')).toBeVisible();
    await member.getByLabel('搜索通讯录').fill('wangwu');
    await expect(contactRow(member, 'contact-item', '王五')).toBeVisible();
  });

  await test.step('department actions: create, rename, move, reorder, hide, delete when empty', async () => {
    await admin.getByRole('menuitem', { name: '组织架构' }).click();
    const bar = admin.getByTestId('dept-bar');
    const dialog = admin.getByRole('dialog');
    await deptNode(admin, ENTERPRISE).click();
    await bar.getByRole('button', { name: '添加子部门' }).click();
    await dialog.getByLabel('部门名称').fill('行政部');
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(bar.getByRole('heading', { name: '行政部' })).toBeVisible();
    await bar.getByRole('button', { name: '添加子部门' }).click();
    await dialog.getByLabel('部门名称').fill('研发中心/前台');
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(dialog.getByText('部门名称为 1-64 个字，且不能包含“/”')).toBeVisible();
    await dialog.getByLabel('部门名称').fill('前台');
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(bar.getByRole('heading', { name: '前台' })).toBeVisible();

    await bar.getByRole('button', { name: '重命名' }).click();
    await dialog.getByLabel('部门名称').fill('接待组');
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(bar.getByRole('heading', { name: '接待组' })).toBeVisible();

    await bar.getByRole('button', { name: '移动' }).click();
    await dialog.getByLabel('新的上级部门').click();
    await admin.locator('.ant-select-dropdown .ant-select-tree-node-content-wrapper[title="市场部"]').last().click();
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(admin.getByText('部门已移动')).toBeVisible();
    await expect(bar).toContainText('市场部/接待组');

    // 行政部 is last among the enterprise's departments; one step up puts it before 市场部.
    await deptNode(admin, '行政部').click();
    await bar.getByRole('button', { name: '上移' }).click();
    await expect(admin.getByText('排序已更新')).toBeVisible();
    await expect
      .poll(async () =>
        (await admin.getByTestId('dept-node').allTextContents()).filter((n) =>
          ['研发中心', '市场部', '行政部'].includes(n),
        ),
      )
      .toEqual(['研发中心', '行政部', '市场部']);

    await bar.getByRole('button', { name: '隐藏部门' }).click();
    await expect(deptNode(admin, '行政部')).toContainText('隐藏');
    await bar.getByRole('button', { name: '删除' }).click();
    await admin.getByRole('tooltip').getByRole('button', { name: '确定' }).click();
    await expect(admin.getByText('部门已删除')).toBeVisible();
    await expect(deptNode(admin, '行政部')).toHaveCount(0);
  });
});
