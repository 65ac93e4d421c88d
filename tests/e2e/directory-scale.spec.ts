// A department of 20,000 people in the UI: the console's member table and 通讯录 show the
// total at once, render only the rows on screen, fetch windows as the list scrolls, and reach
// the last person in pinyin order.
import { test, expect, type Page } from '@playwright/test';
import { startRelayForCores, type RelayForCores } from '../support/core-relay';
import { removeTempDirs } from '../support/core';
import { openSection, startDesktop, type Desktop } from './harness';

const COUNT = 20_000;
const DEPARTMENT = '销售部';
// No generated name reads "zu…": 左卓卓 (zuozhuozhuo) is the last in pinyin order, 阿阿 (aa) the first.
const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢',
];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国文红梅琳晨浩宇欣怡子轩雨涵博'];

let relay: RelayForCores;
let adminDesktop: Desktop;

test.beforeAll(async () => {
  relay = await startRelayForCores();
  adminDesktop = await startDesktop(relay.url, 'admin-pc');
});

test.afterAll(async () => {
  await adminDesktop?.close();
  await relay?.close();
  removeTempDirs();
});

function people(): string {
  const rows = ['姓名*,账号*,部门*', `阿阿,first-one,${DEPARTMENT}`, `左卓卓,last-one,${DEPARTMENT}`];
  for (let i = 0; rows.length < COUNT + 1; i++) {
    const name =
      (SURNAMES[i % SURNAMES.length] as string) +
      (GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length] as string) +
      (GIVEN[Math.floor(i / (SURNAMES.length * GIVEN.length)) % GIVEN.length] as string);
    rows.push(`${name},m${String(i).padStart(6, '0')},${DEPARTMENT}`);
  }
  return `${rows.join('\n')}\n`;
}

async function importPeople(desktop: Desktop) {
  let { job } = await desktop.call('admin.import.start', {
    fileName: 'people.csv',
    base64: Buffer.from(people()).toString('base64'),
    mode: 'add',
    createDepartments: true,
  });
  const settle = async (until: string[]) => {
    while (!until.includes(job.state)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = (await desktop.call('admin.import.status', { jobId: job.id })).job;
    }
  };
  await settle(['ready', 'failed']);
  expect(job.summary?.toCreate).toBe(COUNT);
  job = (await desktop.call('admin.import.apply', { jobId: job.id })).job;
  await settle(['done', 'failed']);
  expect(job.result?.created).toBe(COUNT);
}

/** Scrolls a virtualized list to its end, step by step as a reader would, then to the very bottom. */
async function scrollToEnd(page: Page, testId: string) {
  const list = page.getByTestId(testId);
  for (let i = 0; i < 5; i++) await list.evaluate((el, f) => el.scrollTo({ top: el.scrollHeight * f }), (i + 1) / 6);
  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
}

test('20,000 members in one department stay a short, windowed list', async ({ browser }) => {
  test.setTimeout(180_000);
  await adminDesktop.call('session.createEnterprise', {
    enterpriseName: '云帆科技',
    adminName: '王雨桐',
    account: 'alice',
    password: 'alice-pass-1',
  });
  await importPeople(adminDesktop);

  const page = await (await browser.newContext()).newPage();
  await page.goto(adminDesktop.url);
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();

  await test.step('管理后台: the member table shows the total and only the rows on screen', async () => {
    await openSection(page, '管理后台');
    await page.getByTestId('dept-node').filter({ hasText: DEPARTMENT }).click();
    await expect(page.getByTestId('admin-member-count')).toHaveText(`共 ${COUNT} 人`);
    const rows = page.getByTestId('admin-member-row');
    await expect(rows.first()).toContainText('阿阿');
    expect(await rows.count()).toBeLessThan(100);
    await scrollToEnd(page, 'admin-member-table');
    await expect(rows.filter({ hasText: '左卓卓' })).toBeVisible();
    expect(await rows.count()).toBeLessThan(100);
    await page.getByLabel('搜索成员').fill('zzz');
    await expect(rows.filter({ hasText: '左卓卓' })).toBeVisible();
  });

  await test.step('通讯录: the department lists its 20,000 people and reaches the last one', async () => {
    await openSection(page, '通讯录');
    await page
      .getByTestId('department-item')
      .and(page.getByLabel(DEPARTMENT, { exact: true }))
      .click();
    await expect(page.getByTestId('contacts-count')).toHaveText(`共 ${COUNT} 人`);
    const rows = page.getByTestId('contact-item');
    await expect(rows.first()).toHaveAttribute('aria-label', '阿阿');
    await scrollToEnd(page, 'contacts-list');
    await expect(page.getByTestId('contact-item').and(page.getByLabel('左卓卓', { exact: true }))).toBeVisible();
    expect(await rows.count()).toBeLessThan(100);
  });
});
