// Two people on two desktop clients chatting through a real relay, all through the UI:
// setup, directory, 1:1 and group chats, live unread counts and read receipts, IME safety,
// and a message written while the relay is down that arrives once it is back.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { startRelayChild, type RelayChild } from '../support/core-relay';
import { removeTempDirs } from '../support/core';
import {
  composer,
  conversation,
  myMessage,
  openSection,
  readmeShot,
  send,
  startDesktop,
  type Desktop,
} from './harness';

let relay: RelayChild;
let aliceDesktop: Desktop;
let bobDesktop: Desktop;

test.beforeAll(async () => {
  relay = await startRelayChild();
  aliceDesktop = await startDesktop(relay.url, 'alice-pc');
  bobDesktop = await startDesktop(relay.url, 'bob-pc');
});

test.afterAll(async () => {
  await aliceDesktop?.close();
  await bobDesktop?.close();
  await relay?.close();
  removeTempDirs();
});

async function openClient(browser: Browser, desktop: Desktop): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(desktop.url);
  return page;
}

test('two colleagues chat through the relay, online and offline', async ({ browser }) => {
  test.setTimeout(180_000);
  const alice = await openClient(browser, aliceDesktop);

  await test.step('alice creates the enterprise', async () => {
    await expect(alice.getByRole('heading', { name: '创建企业' })).toBeVisible();
    await alice.getByLabel('企业名称').fill('杭州云帆科技有限公司');
    await alice.getByLabel('管理员姓名').fill('王雨桐');
    await alice.getByLabel('账号', { exact: true }).fill('alice');
    await alice.getByLabel('密码', { exact: true }).fill('alice-pass-1');
    await alice.getByLabel('确认密码').fill('alice-pass-1');
    await alice.getByRole('button', { name: '创建企业' }).click();
    await expect(alice.getByRole('navigation', { name: '主导航' })).toBeVisible();
  });

  await test.step('alice adds bob in 通讯录', async () => {
    await openSection(alice, '通讯录');
    await alice.getByRole('button', { name: '添加成员' }).click();
    const dialog = alice.getByRole('dialog');
    await dialog.getByLabel('姓名').fill('李明轩');
    await dialog.getByLabel('账号').fill('bob');
    await dialog.getByLabel('手机').fill('13800138000');
    await dialog.getByLabel('初始密码').fill('bob-pass-123');
    await dialog.getByRole('button', { name: '添加' }).click();
    await expect(alice.getByTestId('profile-card')).toContainText('李明轩');
    await expect(alice.getByTestId('contact-item')).toHaveCount(2);
  });

  // Bob installs the client after the company exists.
  const bob = await openClient(browser, bobDesktop);
  await test.step('bob signs in', async () => {
    await expect(bob.getByRole('heading', { name: '登录' })).toBeVisible();
    await bob.getByLabel('账号/手机号').fill('bob');
    await bob.getByLabel('密码').fill('bob-pass-123');
    await bob.getByRole('button', { name: '登录' }).click();
    await expect(bob.getByRole('navigation', { name: '主导航' })).toBeVisible();
  });

  await test.step('1:1 chat: alice writes, bob sees it unread, reads it, alice sees 已读', async () => {
    await alice.getByTestId('profile-card').getByRole('button', { name: '发消息' }).click();
    await expect(alice.getByTestId('chat-title')).toHaveText('李明轩');
    await send(alice, '明轩，下午有空对一下需求吗？');
    await expect(myMessage(alice, '明轩，下午有空对一下需求吗？').getByTestId('read-receipt')).toHaveText('未读');

    const row = conversation(bob, '王雨桐');
    await expect(row.getByTestId('unread-badge')).toHaveText('1');
    await expect(bob.getByTestId('rail-unread')).toHaveText('1');
    await row.click();
    await expect(bob.getByTestId('message-bubble').getByText('明轩，下午有空对一下需求吗？')).toBeVisible();
    await expect(row.getByTestId('unread-badge')).toHaveCount(0);
    await expect(myMessage(alice, '明轩，下午有空对一下需求吗？').getByTestId('read-receipt')).toHaveText('已读');
  });

  await test.step('1:1 chat: bob answers, alice reads it live in the open chat', async () => {
    await send(bob, '有的，三点会议室见 👍');
    await expect(alice.getByTestId('message-bubble').getByText('有的，三点会议室见 👍')).toBeVisible();
    await expect(myMessage(bob, '有的，三点会议室见 👍').getByTestId('read-receipt')).toHaveText('已读');
  });

  await test.step('unread counts update live while bob looks elsewhere', async () => {
    await openSection(bob, '通讯录');
    await send(alice, '我把原型链接发你');
    await expect(bob.getByTestId('rail-unread')).toHaveText('1');
    // Browser mode shows the core's notification in the page.
    await expect(bob.getByRole('alert').filter({ hasText: '我把原型链接发你' })).toBeVisible();
    await send(alice, '记得带电脑');
    await expect(bob.getByTestId('rail-unread')).toHaveText('2');
    // Back in 消息 the chat bob had open is on screen again, so it is read at once.
    await openSection(bob, '消息');
    await expect(bob.getByTestId('chat-title')).toHaveText('王雨桐');
    await expect(bob.getByTestId('rail-unread')).toHaveCount(0);
    await expect(conversation(bob, '王雨桐').getByTestId('unread-badge')).toHaveCount(0);
    await expect(myMessage(alice, '记得带电脑').getByTestId('read-receipt')).toHaveText('已读');
  });

  await test.step('group chat: 1人未读 turns into 全部已读', async () => {
    await alice.getByRole('button', { name: '发起群聊' }).click();
    const dialog = alice.getByRole('dialog');
    await dialog.getByLabel('群聊名称').fill('产品周会');
    await dialog.getByLabel('搜索成员').fill('lmx'); // pinyin initials of 李明轩
    await dialog.getByTestId('picker-row').filter({ hasText: '李明轩' }).click();
    await dialog.getByRole('button', { name: '创建' }).click();
    await expect(alice.getByTestId('chat-title')).toHaveText('产品周会');
    await expect(alice.getByTestId('chat-member-count')).toHaveText('（2）');
    await expect(alice.getByTestId('system-notice').first()).toContainText('你创建了群聊');

    await openSection(bob, '通讯录');
    await send(alice, '大家好，周五下午三点开产品周会');
    const receipt = myMessage(alice, '大家好，周五下午三点开产品周会').getByTestId('read-receipt');
    await expect(receipt).toHaveText('1人未读');
    await openSection(bob, '消息');
    // The 创建了群聊 notice asks for no attention: one unread message.
    await expect(conversation(bob, '产品周会').getByTestId('unread-badge')).toHaveText('1');
    await conversation(bob, '产品周会').click();
    await expect(bob.getByTestId('system-notice').first()).toContainText('王雨桐创建了群聊');
    await expect(receipt).toHaveText('全部已读');
    await receipt.click();
    await expect(alice.getByTestId('receipt-read-list')).toContainText('李明轩');
    await alice.keyboard.press('Escape');
  });

  await test.step('Enter during an IME composition does not send', async () => {
    const box = composer(bob);
    await box.click();
    const cdp = await bob.context().newCDPSession(bob);
    await cdp.send('Input.imeSetComposition', { text: 'shoudao', selectionStart: 7, selectionEnd: 7 });
    const before = await bob.getByTestId('message').count();
    await bob.keyboard.press('Enter');
    await bob.waitForTimeout(500);
    await expect(bob.getByTestId('message')).toHaveCount(before);
    await cdp.send('Input.insertText', { text: '收到' });
    await expect(box).toHaveValue(/收到/);
    await box.fill('收到，我会准时参加');
    await box.press('Enter');
    await expect(alice.getByTestId('message-bubble').getByText('收到，我会准时参加')).toBeVisible();
    await cdp.detach();
  });

  await test.step('a message written while the relay is down arrives once it is back', async () => {
    await relay.kill();
    await expect(bob.getByTestId('connection-banner')).toBeVisible();
    await composer(bob).fill('我在高铁上，信号不太好，到站后细聊');
    await composer(bob).press('Enter');
    const pending = myMessage(bob, '我在高铁上，信号不太好，到站后细聊');
    await expect(pending).toHaveAttribute('data-status', 'sending');
    await expect(pending.getByTestId('message-sending')).toBeVisible();
    await expect(bob.getByTestId('connection-banner')).toContainText(/网络不可用|正在连接/);
    // A window opened while the relay is away says so at once and still holds the queued message.
    await bob.reload();
    await expect(bob.getByTestId('connection-banner')).toBeVisible();
    await conversation(bob, '产品周会').click();
    await expect(pending).toHaveAttribute('data-status', 'sending');

    await relay.start();
    await expect(bob.getByTestId('connection-banner')).toHaveCount(0, { timeout: 30_000 });
    await expect(pending).toHaveAttribute('data-status', 'sent', { timeout: 30_000 });
    await expect(alice.getByTestId('message-bubble').getByText('我在高铁上，信号不太好，到站后细聊')).toBeVisible({
      timeout: 30_000,
    });
  });

  await test.step('screenshot of a chat for the README', async () => {
    // A few more colleagues and chats, arranged straight through alice's core.
    const add = async (name: string, account: string) =>
      (await aliceDesktop.call('directory.addMember', { name, account, password: 'colleague-pass' })).user.id;
    const chen = await add('陈思远', 'chensy');
    const zhao = await add('赵欣然', 'zhaoxr');
    const zhou = await add('周子豪', 'zhouzh');
    const market = await aliceDesktop.call('conversations.createGroup', {
      memberIds: [chen, zhao, zhou],
      name: '市场部周报',
    });
    await aliceDesktop.call('messages.send', {
      conversationId: market.conversation.id,
      text: '本周的市场数据已更新到共享表格',
    });
    await aliceDesktop.call('conversations.setPrefs', { conversationId: market.conversation.id, muted: true });
    const direct = await aliceDesktop.call('conversations.openDirect', { userId: zhao });
    await aliceDesktop.call('messages.send', { conversationId: direct.conversation.id, text: '合同我下午盖章后寄出' });
    await conversation(alice, '产品周会').click({ button: 'right' });
    await alice.getByRole('menuitem', { name: '置顶' }).click();
    await expect(conversation(alice, '产品周会')).toHaveAttribute('data-pinned', 'true');

    await alice.getByRole('button', { name: '聊天信息' }).click();
    await alice.getByRole('button', { name: '添加成员' }).click();
    const picker = alice.getByRole('dialog', { name: '添加成员' });
    await picker.getByLabel('搜索成员').fill('csy');
    await picker.getByTestId('picker-row').filter({ hasText: '陈思远' }).click();
    await picker.getByRole('button', { name: '确定' }).click();
    await expect(alice.getByTestId('chat-member-count')).toHaveText('（3）');
    await expect(picker).toHaveCount(0);
    await alice
      .getByRole('dialog', { name: '聊天信息' })
      .getByRole('button', { name: /关闭|Close/ })
      .click();
    await expect(alice.getByRole('dialog')).toHaveCount(0);

    await send(alice, '好的，议程我整理在这里：1. v1.2 发布计划 2. 客户反馈 3. 下周排期');
    await send(bob, '补充一点：灰度发布先覆盖华东区的三家客户');
    await send(alice, '没问题，会上一起过一遍 🎉');
    await expect(myMessage(alice, '没问题，会上一起过一遍 🎉').getByTestId('read-receipt')).toHaveText('1人未读');
    await readmeShot(alice, 'chat.png');
  });

  await test.step('older pages load when the history is scrolled to the top', async () => {
    const { users } = await aliceDesktop.call('directory.search', { query: 'bob' });
    const bobId = users.find((u) => u.account === 'bob')!.id;
    const { conversation: direct } = await aliceDesktop.call('conversations.openDirect', { userId: bobId });
    for (let i = 1; i <= 120; i++) {
      await aliceDesktop.call('messages.send', {
        conversationId: direct.id,
        text: `历史消息 ${String(i).padStart(3, '0')}`,
      });
    }
    await conversation(alice, '李明轩').click();
    await expect(alice.getByTestId('message-bubble').getByText('历史消息 120', { exact: true })).toBeVisible();
    await expect(myMessage(alice, '历史消息 120')).toHaveAttribute('data-status', 'sent', { timeout: 30_000 });
    const list = alice.getByTestId('message-list');
    await expect(async () => {
      await list.evaluate((el) => el.scrollTo({ top: 0 }));
      await expect(
        alice.getByTestId('message-bubble').getByText('明轩，下午有空对一下需求吗？', { exact: true }),
      ).toBeVisible({
        timeout: 1_000,
      });
    }).toPass({ timeout: 30_000 });
  });

  await test.step('group settings: rename, mute, leave', async () => {
    await conversation(alice, '产品周会').click();
    await alice.getByRole('button', { name: '聊天信息' }).click();
    const drawer = alice.getByRole('dialog', { name: '聊天信息' });
    await drawer.getByLabel('群聊名称').fill('产品周会（v1.2）');
    await drawer.getByRole('button', { name: '保存', exact: true }).click();
    await expect(alice.getByTestId('chat-title')).toHaveText('产品周会（v1.2）');
    await drawer.getByRole('button', { name: /关闭|Close/ }).click();
    await expect(conversation(bob, '产品周会（v1.2）')).toBeVisible();

    // Muted: the unread badge turns grey and the rail total leaves it out.
    await conversation(bob, '产品周会（v1.2）').click({ button: 'right' });
    await bob.getByRole('menuitem', { name: '消息免打扰' }).click();
    await expect(conversation(bob, '产品周会（v1.2）').getByRole('img', { name: '已开启消息免打扰' })).toBeVisible();
    await conversation(bob, '王雨桐').click();
    await expect(bob.getByTestId('chat-title')).toHaveText('王雨桐');
    await send(alice, '会议改到 301 会议室');
    const muted = conversation(bob, '产品周会（v1.2）');
    await expect(muted.getByTestId('unread-badge')).toHaveAttribute('data-muted', 'true');
    await expect(bob.getByTestId('rail-unread')).toHaveCount(0);

    await muted.click();
    await expect(
      bob.getByTestId('system-notice').filter({ hasText: '将群名称修改为“产品周会（v1.2）”' }),
    ).toBeVisible();
    await bob.getByRole('button', { name: '聊天信息' }).click();
    await bob.getByRole('button', { name: '退出群聊' }).click();
    await bob.getByRole('button', { name: '确定' }).click();
    await expect(alice.getByTestId('system-notice').filter({ hasText: '李明轩退出了群聊' })).toBeVisible();
    // History stays readable after leaving; sending is not possible any more.
    await conversation(bob, '产品周会（v1.2）').click();
    await expect(bob.getByRole('textbox', { name: '输入消息' })).toBeDisabled();

    // The owner removes a member.
    await alice.getByRole('button', { name: '聊天信息' }).click();
    await alice.getByRole('button', { name: '将 陈思远 移出群聊' }).click();
    await alice.getByRole('button', { name: '确定' }).click();
    await expect(alice.getByTestId('chat-member-count')).toHaveText('（1）');
    await alice
      .getByRole('dialog', { name: '聊天信息' })
      .getByRole('button', { name: /关闭|Close/ })
      .click();
    await expect(alice.getByTestId('system-notice').filter({ hasText: '你将陈思远移出了群聊' })).toBeVisible();
  });

  await test.step('settings: language, password, devices, sign out', async () => {
    await openSection(bob, '通讯录');
    await expect(bob.getByTestId('contact-item').first()).toBeVisible();
    await expect(bob.getByRole('button', { name: '添加成员' })).toHaveCount(0); // admins only

    await openSection(bob, '设置');
    await expect(bob.getByTestId('device-item').filter({ hasText: '当前设备' })).toHaveCount(1);
    await bob.getByText('English', { exact: true }).click();
    await expect(bob.getByRole('navigation').getByRole('button', { name: 'Messages' })).toBeVisible();
    await bob.getByText('简体中文', { exact: true }).click();
    await expect(bob.getByRole('navigation').getByRole('button', { name: '消息' })).toBeVisible();

    await bob.getByLabel('当前密码').fill('bob-pass-123');
    await bob.getByLabel('新密码', { exact: true }).fill('bob-pass-456');
    await bob.getByLabel('确认新密码').fill('bob-pass-456');
    await bob.getByRole('button', { name: '修改密码' }).click();
    await expect(bob.getByText('密码已修改')).toBeVisible();

    await bob.getByRole('button', { name: '退出登录' }).click();
    await bob.getByRole('button', { name: '确定' }).click();
    await expect(bob.getByRole('heading', { name: '登录' })).toBeVisible();
    await bob.getByLabel('账号/手机号').fill('13800138000'); // by mobile this time
    await bob.getByLabel('密码').fill('bob-pass-456');
    await bob.getByRole('button', { name: '登录' }).click();
    await expect(bob.getByRole('navigation', { name: '主导航' })).toBeVisible();
    await expect(conversation(bob, '王雨桐')).toBeVisible();
  });
});
