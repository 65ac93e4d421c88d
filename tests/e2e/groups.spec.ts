// Group management through the UI with a real relay and one desktop client per person:
// 全员禁言 silences a plain member (their composer, and a send through the core, which the relay
// refuses with group_muted), a group at the enterprise's limit refuses one more member, and a
// member added after the announcement was published sees it (popup once, then the banner).
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { dispatchCall } from '../../shared/contract';
import { removeTempDirs } from '../support/core';
import { startRelayForCores, type RelayForCores } from '../support/core-relay';
import { composer, conversation, importPeople, startDesktop, type Desktop } from './harness';

let relay: RelayForCores;
let ownerDesktop: Desktop;
let memberDesktop: Desktop;
let newcomerDesktop: Desktop;
const ids: Record<'owner' | 'member' | 'newcomer' | 'late', string> = { owner: '', member: '', newcomer: '', late: '' };

test.beforeAll(async () => {
  relay = await startRelayForCores();
  ownerDesktop = await startDesktop(relay.url, 'owner-pc');
  memberDesktop = await startDesktop(relay.url, 'member-pc');
  newcomerDesktop = await startDesktop(relay.url, 'newcomer-pc');
  const setup = await ownerDesktop.call('session.createEnterprise', {
    enterpriseName: '云帆科技',
    adminName: '王雨桐',
    account: 'owner',
    password: 'owner-pass-1',
  });
  ids.owner = setup.user!.id;
  const add = async (name: string, account: string) =>
    (await ownerDesktop.call('directory.addMember', { name, account, password: `${account}-pass-1` })).user.id;
  ids.member = await add('李明轩', 'member');
  ids.newcomer = await add('陈思远', 'newcomer');
  ids.late = await add('赵一鸣', 'late');
  await memberDesktop.call('session.signIn', { login: 'member', password: 'member-pass-1' });
  await newcomerDesktop.call('session.signIn', { login: 'newcomer', password: 'newcomer-pass-1' });
});

// Each test's browser contexts are closed after it: the machine is shared and slow enough.
const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

test.afterAll(async () => {
  for (const desktop of [ownerDesktop, memberDesktop, newcomerDesktop]) await desktop?.close();
  await relay?.close();
  removeTempDirs();
});

async function openClient(browser: Browser, desktop: Desktop): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(desktop.url);
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
  return page;
}

async function openDrawer(page: Page) {
  await page.getByRole('button', { name: '聊天信息' }).click();
  return page.getByRole('dialog', { name: '聊天信息' });
}

test('全员禁言: a plain member cannot write, in the UI or through the core', async ({ browser }) => {
  test.setTimeout(180_000);
  const { conversation: group } = await ownerDesktop.call('conversations.createGroup', {
    memberIds: [ids.member],
    name: '发布值班群',
  });
  const owner = await openClient(browser, ownerDesktop);
  const member = await openClient(browser, memberDesktop);

  await conversation(owner, '发布值班群').click();
  const drawer = await openDrawer(owner);
  await drawer.getByRole('switch', { name: '全员禁言' }).click();
  await expect(drawer.getByRole('switch', { name: '全员禁言' })).toBeChecked();

  await conversation(member, '发布值班群').click();
  await expect(composer(member)).toBeDisabled();
  await expect(composer(member)).toHaveAttribute('placeholder', /全员禁言中/);
  // The owner still speaks.
  await owner.keyboard.press('Escape');
  await expect(composer(owner)).toBeEnabled();

  // A send that skips the UI: the core queues it, the relay refuses it, it ends failed with the reason.
  const { message } = await memberDesktop.call('messages.send', { conversationId: group.id, text: '我还能说话吗？' });
  await expect
    .poll(async () => {
      const page = await memberDesktop.call('messages.page', { conversationId: group.id, limit: 50 });
      const sent = page.messages.find((m) => m.id === message.id);
      return sent ? `${sent.status}:${sent.error?.reason ?? ''}` : 'missing';
    })
    .toBe('failed:group_muted');
  await expect(member.locator(`[data-message-id="${message.id}"]`).first()).toHaveAttribute('data-status', 'failed');
  const ownerPage = await ownerDesktop.call('messages.page', { conversationId: group.id, limit: 50 });
  expect(ownerPage.messages.some((m) => m.text === '我还能说话吗？')).toBe(false);
});

test('a group at the enterprise limit of 500 refuses one more member', async ({ browser }) => {
  test.setTimeout(300_000);
  const people = await importPeople(ownerDesktop, '项目部', 498, 'p');
  // Storing 500 members can outlast the core's 10 s wait on a busy machine; the group then
  // arrives through the change stream all the same, which is what the test reads.
  await dispatchCall(ownerDesktop.core.service, 'conversations.createGroup', {
    memberIds: [ids.member, ...people],
    name: '全员大群',
  });
  let group = { id: '', memberIds: [] as string[] };
  await expect
    .poll(
      async () => {
        const { conversations } = await ownerDesktop.call('conversations.list', {});
        group = conversations.find((c) => c.name === '全员大群') ?? group;
        return group.memberIds.length;
      },
      { timeout: 60_000 },
    )
    .toBe(500);
  const owner = await openClient(browser, ownerDesktop);
  await conversation(owner, '全员大群').click();
  await expect(owner.getByTestId('chat-title')).toHaveText('全员大群');
  const drawer = await openDrawer(owner);
  await expect(drawer.getByTestId('group-limit')).toHaveText('500/500 人');

  await drawer.getByRole('button', { name: '添加成员' }).click();
  const picker = owner.getByRole('dialog', { name: '添加成员' });
  await picker.getByLabel('搜索成员').fill('赵一鸣');
  await picker.getByTestId('picker-row').filter({ hasText: '赵一鸣' }).click();
  await picker.getByRole('button', { name: '确定' }).click();
  await expect(owner.getByText('群成员已达上限 500 人，无法再邀请（超出 1 人）')).toBeVisible();

  // The relay enforces it whatever the client does, with the reason the UI words.
  const refused = await dispatchCall(ownerDesktop.core.service, 'conversations.addMembers', {
    conversationId: group.id,
    userIds: [ids.late],
  });
  expect(refused.ok ? null : refused.error.reason).toBe('group_full');
  const after = await ownerDesktop.call('conversations.list', {});
  expect(after.conversations.find((c) => c.id === group.id)?.memberIds).toHaveLength(500);
});

test('a member added after the announcement sees it once as a popup, then as the banner', async ({ browser }) => {
  test.setTimeout(180_000);
  await ownerDesktop.call('conversations.createGroup', { memberIds: [ids.member], name: '季度规划' });
  const owner = await openClient(browser, ownerDesktop);
  await conversation(owner, '季度规划').click();
  const drawer = await openDrawer(owner);

  const text = '本周五 14:00 在 3 楼大会议室评审 Q3 规划，请提前阅读文档。';
  await drawer.getByRole('button', { name: '编辑群公告' }).click();
  const editor = owner.getByRole('dialog', { name: '编辑群公告' });
  await editor.getByRole('textbox', { name: '群公告' }).fill(text);
  await editor.getByRole('button', { name: '发布' }).click();
  await expect(editor).toHaveCount(0);
  await expect(drawer.getByTestId('announcement-section')).toContainText(text);
  await expect(owner.getByTestId('announcement-banner')).toContainText(text);

  await drawer.getByRole('button', { name: '添加成员' }).click();
  const picker = owner.getByRole('dialog', { name: '添加成员' });
  await picker.getByLabel('搜索成员').fill('csy');
  await picker.getByTestId('picker-row').filter({ hasText: '陈思远' }).click();
  await picker.getByRole('button', { name: '确定' }).click();
  await expect(drawer.getByTestId('group-member').filter({ hasText: '陈思远' })).toBeVisible();

  const newcomer = await openClient(browser, newcomerDesktop);
  await conversation(newcomer, '季度规划').click();
  const popup = newcomer.getByTestId('announcement-modal');
  await expect(popup).toContainText(text);
  await expect(popup).toContainText('王雨桐');
  await newcomer.getByRole('button', { name: '我知道了' }).click();
  await expect(popup).toHaveCount(0);
  await expect(newcomer.getByTestId('announcement-banner')).toContainText(text);

  // Seen once: opening the chat again shows the banner only.
  await newcomer.reload();
  await conversation(newcomer, '季度规划').click();
  await expect(newcomer.getByTestId('chat-title')).toHaveText('季度规划');
  await expect(newcomer.getByTestId('announcement-banner')).toContainText(text);
  await expect(newcomer.getByTestId('announcement-modal')).toHaveCount(0);

  // Its history lists the version with its author.
  await newcomer.getByRole('button', { name: '聊天信息' }).click();
  await newcomer.getByRole('button', { name: '历史版本' }).click();
  await expect(newcomer.getByTestId('announcement-version').first()).toContainText(text);
});
