// WeCom-style global search through the UI, real relay and desktop cores: Chinese queries find
// messages with every occurrence highlighted, a hit opens its chat at that message (far back in
// the history), one-character queries work, and the 链接 filter narrows to a message with a URL.
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { removeTempDirs } from '../support/core';
import { startRelayForCores, type RelayForCores } from '../support/core-relay';
import { conversation, startDesktop, type Desktop } from './harness';

let relay: RelayForCores;
let aliceDesktop: Desktop;
let bobDesktop: Desktop;
let groupId = '';

const TRIP = '下周去上海出差，上海的客户约在周三';
const LINK = '上海分公司的资料在 https://docs.example.com/shanghai 里';
const SEASIDE = '周末去海边走走';

test.beforeAll(async () => {
  relay = await startRelayForCores();
  aliceDesktop = await startDesktop(relay.url, 'alice-pc');
  bobDesktop = await startDesktop(relay.url, 'bob-pc');
  await aliceDesktop.call('session.createEnterprise', {
    enterpriseName: '云帆科技',
    adminName: '王雨桐',
    account: 'alice',
    password: 'alice-pass-1',
  });
  const bob = await aliceDesktop.call('directory.addMember', {
    name: '李明轩',
    account: 'bob',
    password: 'bob-pass-1',
  });
  await bobDesktop.call('session.signIn', { login: 'bob', password: 'bob-pass-1' });
  const { conversation: group } = await aliceDesktop.call('conversations.createGroup', {
    memberIds: [bob.user.id],
    name: '华东项目组',
  });
  groupId = group.id;
  await waitForGroup(bobDesktop, groupId);
  // The hit lies far back: sixty later messages push it out of the newest page.
  for (const text of [TRIP, LINK, SEASIDE]) await bobDesktop.call('messages.send', { conversationId: groupId, text });
  for (let i = 1; i <= 60; i++) {
    await bobDesktop.call('messages.send', { conversationId: groupId, text: `进度同步 第${i}条` });
  }
  await expect
    .poll(
      async () => (await aliceDesktop.call('messages.page', { conversationId: groupId, limit: 100 })).messages.length,
      {
        timeout: 60_000,
      },
    )
    .toBeGreaterThanOrEqual(64);
});

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

async function openAlice(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(aliceDesktop.url);
  await expect(conversation(page, '华东项目组')).toBeVisible();
  return page;
}

test.afterAll(async () => {
  await aliceDesktop?.close();
  await bobDesktop?.close();
  await relay?.close();
  removeTempDirs();
});

async function waitForGroup(desktop: Desktop, id: string) {
  await expect
    .poll(async () => (await desktop.call('conversations.list', {})).conversations.some((c) => c.id === id))
    .toBe(true);
}

function searchBox(page: Page) {
  return page.getByRole('textbox', { name: '搜索联系人、群聊和聊天记录' });
}

function hit(page: Page, text: string) {
  return page.getByTestId('search-message-hit').filter({ hasText: text });
}

test('上海 finds the messages, highlighted; a hit opens the chat at that message', async ({ browser }) => {
  test.setTimeout(180_000);
  const alice = await openAlice(browser);

  // Ctrl+F puts the cursor in the one search box.
  await alice.keyboard.press('Control+f');
  await expect(searchBox(alice)).toBeFocused();
  await searchBox(alice).fill('上海');
  const results = alice.getByTestId('search-group-messages');
  await expect(hit(alice, '下周去')).toBeVisible();
  await expect(hit(alice, '分公司')).toBeVisible();
  await expect(hit(alice, SEASIDE)).toHaveCount(0);
  // Every occurrence is marked, and only the query.
  await expect(hit(alice, '下周去').getByTestId('search-hit')).toHaveText(['上海', '上海']);
  await expect(hit(alice, '下周去')).toContainText('华东项目组');
  await expect(hit(alice, '下周去')).toContainText('李明轩');
  await expect(results.getByTestId('search-hit').filter({ hasNotText: '上海' })).toHaveCount(0);

  await hit(alice, '下周去').click();
  await expect(alice.getByTestId('chat-title')).toHaveText('华东项目组');
  await expect(alice.getByTestId('jump-bar')).toBeVisible();
  const target = alice.getByTestId('message-bubble').filter({ hasText: TRIP });
  await expect(target).toBeInViewport();
  // Back to the newest messages: the context view ends, the latest page is shown again.
  await alice.getByRole('button', { name: '查看最新消息' }).click();
  await expect(alice.getByTestId('jump-bar')).toHaveCount(0);
  await expect(alice.getByTestId('message-bubble').filter({ hasText: '进度同步 第60条' })).toBeAttached();
});

test('a one-character query works, and the 链接 filter keeps the message with a URL', async ({ browser }) => {
  test.setTimeout(180_000);
  const alice = await openAlice(browser);

  await searchBox(alice).fill('海');
  await expect(hit(alice, SEASIDE)).toBeVisible();
  await expect(hit(alice, SEASIDE).getByTestId('search-hit')).toHaveText(['海']);
  await expect(hit(alice, '下周去')).toBeVisible();

  await searchBox(alice).fill('上海');
  await expect(hit(alice, '下周去')).toBeVisible();
  await alice.getByRole('button', { name: '更多聊天记录' }).click();
  const dialog = alice.getByRole('dialog', { name: '搜索聊天记录' });
  await expect(dialog.getByTestId('search-message-hit')).toHaveCount(2);
  await dialog.getByText('链接', { exact: true }).click();
  await expect(dialog.getByTestId('search-message-hit')).toHaveCount(1);
  await expect(dialog.getByTestId('search-message-hit')).toContainText('docs.example.com');
  await dialog.getByTestId('search-message-hit').click();
  await expect(alice.getByTestId('message-bubble').filter({ hasText: 'docs.example.com' })).toBeInViewport();
});
