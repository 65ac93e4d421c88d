// Three people on four desktop cores (李四 has two devices) chatting through a real relay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../shared/contract';
import {
  conversationItem,
  history,
  online,
  removeTempDirs,
  startTestCore,
  waitFor,
  type TestCore,
} from '../support/core';
import { startRelayForCores, type RelayForCores } from '../support/core-relay';

let relay: RelayForCores;
let zhang: TestCore; // admin
let li: TestCore;
let li2: TestCore; // 李四's second device
let wang: TestCore;
const ids = { zhang: '', li: '', wang: '' };

const texts = (messages: ChatMessage[]) => messages.map((m) => m.text);
const sentOnly = (messages: ChatMessage[]) =>
  messages.filter((m) => m.kind === 'text').map((m) => `${m.seq}:${m.text}`);

beforeAll(async () => {
  relay = await startRelayForCores();
  zhang = await startTestCore(relay.url, { deviceName: 'zhang-pc' });
  const admin = await zhang.call('session.createEnterprise', {
    enterpriseName: '企信科技',
    adminName: '张三',
    account: 'zhangsan',
    password: 'password-zhang',
  });
  ids.zhang = admin.user!.id;
  ids.li = (
    await zhang.call('directory.addMember', { name: '李四', account: 'lisi', password: 'password-li' })
  ).user.id;
  ids.wang = (
    await zhang.call('directory.addMember', { name: '王五', account: 'wangwu', password: 'password-wang' })
  ).user.id;
  li = await startTestCore(relay.url, { deviceName: 'li-pc' });
  li2 = await startTestCore(relay.url, { deviceName: 'li-laptop' });
  wang = await startTestCore(relay.url, { deviceName: 'wang-pc' });
  await li.call('session.signIn', { login: 'lisi', password: 'password-li' });
  await li2.call('session.signIn', { login: 'lisi', password: 'password-li' });
  await wang.call('session.signIn', { login: 'wangwu', password: 'password-wang' });
  await Promise.all([zhang, li, li2, wang].map(online));
});

afterAll(async () => {
  await Promise.all([zhang, li, li2, wang].map((c) => c?.close()));
  await relay?.close();
  removeTempDirs();
});

describe('desktop cores chatting through the relay', () => {
  it('lists the directory sorted by pinyin on every core', async () => {
    const rootId = (await wang.call('session.status')).enterprise!.id;
    const root = (core: TestCore) => core.call('directory.members', { departmentId: rootId, offset: 0, limit: 100 });
    for (const core of [zhang, li, li2, wang]) {
      await waitFor(async () => (await root(core)).total === 3, { what: 'directory synced' });
      // li (李四), wang (王五), zhang (张三) — by pinyin, not by code point.
      expect((await root(core)).users.map((u) => u.name)).toEqual(['李四', '王五', '张三']);
    }
  });

  it('delivers a 1:1 chat both ways, in the same order on both devices of the receiver', async () => {
    const { conversation } = await zhang.call('conversations.openDirect', { userId: ids.li });
    const again = await li.call('conversations.openDirect', { userId: ids.zhang });
    expect(again.conversation.id).toBe(conversation.id);

    // A conversation: each one answers after seeing the other's message.
    await zhang.call('messages.send', { conversationId: conversation.id, text: '你好，李四' });
    await waitFor(async () => (await history(li, conversation.id)).some((m) => m.text === '你好，李四'));
    const reply = await li.call('messages.send', { conversationId: conversation.id, text: '你好！' });
    expect(reply.message.status).toBe('sending');
    await waitFor(async () => (await history(zhang, conversation.id)).some((m) => m.text === '你好！'));
    await zhang.call('messages.send', { conversationId: conversation.id, text: '下午开会' });

    const expected = ['你好，李四', '你好！', '下午开会'];
    for (const core of [zhang, li, li2]) {
      await waitFor(async () => {
        const h = await history(core, conversation.id);
        return h.length === 3 && h.every((m) => m.status === 'sent');
      });
      expect(texts(await history(core, conversation.id))).toEqual(expected);
    }
    expect(sentOnly(await history(li2, conversation.id))).toEqual(sentOnly(await history(zhang, conversation.id)));
  });

  it('counts unread, and reading on one device clears it on the other', async () => {
    const { conversation } = await zhang.call('conversations.openDirect', { userId: ids.li });
    await waitFor(async () => (await conversationItem(li2, conversation.id))?.unread === 1, { what: 'li2 unread 1' });
    // 李四's own reply advanced his read position, so only the last message is unread.
    expect((await conversationItem(li, conversation.id))?.unread).toBe(1);
    expect((await conversationItem(zhang, conversation.id))?.unread).toBe(0);

    await li.call('messages.markRead', { conversationId: conversation.id });
    expect((await conversationItem(li, conversation.id))?.unread).toBe(0);
    await waitFor(async () => (await conversationItem(li2, conversation.id))?.unread === 0, {
      what: 'unread cleared on the second device',
    });
  });

  it('notifies only for chats that are neither focused nor muted', async () => {
    const { conversation } = await zhang.call('conversations.openDirect', { userId: ids.li });
    const before = { li: li.eventsOf('notification').length, li2: li2.eventsOf('notification').length };

    await li.call('conversations.focus', { conversationId: conversation.id });
    await zhang.call('messages.send', { conversationId: conversation.id, text: '带上电脑' });
    await waitFor(async () => (await history(li2, conversation.id)).some((m) => m.text === '带上电脑'));
    await waitFor(() => li2.eventsOf('notification').length > before.li2, { what: 'notification on li2' });
    const note = li2.eventsOf('notification').at(-1)!;
    expect(note).toEqual({ conversationId: conversation.id, title: '张三', body: '带上电脑', mention: false });
    // On the device where the chat is open: no notification, and it is read at once.
    await waitFor(async () => (await history(li, conversation.id)).some((m) => m.text === '带上电脑'));
    expect(li.eventsOf('notification').length).toBe(before.li);
    await waitFor(async () => (await conversationItem(li, conversation.id))?.unread === 0);
    await waitFor(async () => (await conversationItem(li2, conversation.id))?.unread === 0, {
      what: 'focused read reaches the other device',
    });
    await li.call('conversations.focus', { conversationId: null });
  });

  it('runs a group: create, rename, add, remove, leave — notices and messages arrive everywhere in one order', async () => {
    const { conversation: group } = await zhang.call('conversations.createGroup', {
      memberIds: [ids.li],
      name: '项目组',
    });
    await waitFor(async () => (await conversationItem(li2, group.id))?.name === '项目组', { what: 'group on li2' });

    await zhang.call('conversations.rename', { conversationId: group.id, name: '发布项目组' });
    await zhang.call('conversations.addMembers', { conversationId: group.id, userIds: [ids.wang] });
    await waitFor(async () => (await conversationItem(wang, group.id))?.name === '发布项目组', {
      what: 'wang sees group',
    });

    // Everyone talks at once; the relay's seq decides one order that every core shows.
    await Promise.all([
      ...[1, 2, 3].map((i) => zhang.call('messages.send', { conversationId: group.id, text: `张三 ${i}` })),
      ...[1, 2, 3].map((i) => li.call('messages.send', { conversationId: group.id, text: `李四 ${i}` })),
      ...[1, 2, 3].map((i) => wang.call('messages.send', { conversationId: group.id, text: `王五 ${i}` })),
    ]);
    const cores = [zhang, li, li2, wang];
    for (const core of cores) {
      await waitFor(async () => sentOnly(await history(core, group.id)).length === 9, { what: 'all 9 messages' });
    }
    const order = sentOnly(await history(zhang, group.id));
    for (const core of cores) expect(sentOnly(await history(core, group.id))).toEqual(order);
    // Each sender's own messages keep the order they were sent in.
    for (const name of ['张三', '李四', '王五']) {
      expect(order.filter((t) => t.includes(name)).map((t) => t.split(' ')[1])).toEqual(['1', '2', '3']);
    }
    // System notices (created, renamed, added) are part of the shared history.
    const notices = (await history(li, group.id)).filter((m) => m.kind === 'system').map((m) => m.system?.action);
    expect(notices).toEqual(expect.arrayContaining(['created', 'renamed', 'added']));

    await zhang.call('conversations.removeMember', { conversationId: group.id, userId: ids.wang });
    await waitFor(async () => (await conversationItem(wang, group.id))?.active === false, { what: 'wang removed' });
    await expect(wang.call('messages.send', { conversationId: group.id, text: '还在吗' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    // History stays readable for the removed member.
    expect(sentOnly(await history(wang, group.id))).toEqual(order);

    await li.call('conversations.leave', { conversationId: group.id });
    await waitFor(async () => (await conversationItem(li2, group.id))?.active === false, { what: 'li left on li2' });
    await waitFor(async () => {
      const item = await conversationItem(zhang, group.id);
      return item?.memberIds.length === 1 && item.lastMessage?.system?.action === 'left';
    });
  });

  it('shows who has read a group message, updating live', async () => {
    const { conversation: group } = await zhang.call('conversations.createGroup', {
      memberIds: [ids.li, ids.wang],
      name: '周报',
    });
    await waitFor(async () => !!(await conversationItem(wang, group.id)) && !!(await conversationItem(li, group.id)));
    await zhang.call('conversations.focus', { conversationId: group.id });
    await zhang.call('messages.send', { conversationId: group.id, text: '请查收周报' });
    const sent = await waitFor(async () =>
      (await history(zhang, group.id)).find((m) => m.text === '请查收周报' && m.seq),
    );

    const unreadBy = async () =>
      (await zhang.call('messages.readStates', { conversationId: group.id })).states
        .filter((s) => s.userId !== ids.zhang && s.readSeq < sent.seq!)
        .map((s) => s.userId)
        .sort();
    expect(await unreadBy()).toEqual([ids.li, ids.wang].sort());

    const changes = zhang.eventsOf('readStates.changed').length;
    await waitFor(async () => (await history(wang, group.id)).some((m) => m.id === sent.id));
    await wang.call('messages.markRead', { conversationId: group.id });
    await waitFor(() => zhang.eventsOf('readStates.changed').length > changes, { what: 'live read state' });
    await waitFor(async () => (await unreadBy()).join() === ids.li, { what: '1 unread: li' });
    await zhang.call('conversations.focus', { conversationId: null });
  });

  it('syncs pin and mute to the user’s other device; muted chats do not notify', async () => {
    const { conversation: group } = await zhang.call('conversations.createGroup', {
      memberIds: [ids.li],
      name: '闲聊',
    });
    await waitFor(async () => !!(await conversationItem(li2, group.id)));
    await li.call('conversations.setPrefs', { conversationId: group.id, pinned: true, muted: true });
    await waitFor(
      async () => {
        const item = await conversationItem(li2, group.id);
        return item?.pinned && item.muted;
      },
      { what: 'prefs on li2' },
    );
    expect((await li2.call('conversations.list')).conversations[0]!.id).toBe(group.id);

    const before = li2.eventsOf('notification').length;
    await zhang.call('messages.send', { conversationId: group.id, text: '今晚聚餐' });
    await waitFor(async () => (await history(li2, group.id)).some((m) => m.text === '今晚聚餐'));
    expect(li2.eventsOf('notification').length).toBe(before);
    expect((await conversationItem(li2, group.id))?.unread).toBeGreaterThan(0);
  });

  it('signs a device out at once when another device of the user revokes it', async () => {
    const { devices } = await li2.call('session.devices');
    const liStatus = await li.call('session.status');
    expect(devices.map((d) => d.id)).toContain(liStatus.deviceId);
    expect(devices.find((d) => d.current)?.id).not.toBe(liStatus.deviceId);

    await li2.call('session.revokeDevice', { deviceId: liStatus.deviceId! });
    await waitFor(() => li.eventsOf('session').some((s) => s.state === 'signed-out'), { what: 'signed-out event' });
    expect((await li.call('session.status')).state).toBe('signed-out');
    await expect(li.call('conversations.list')).rejects.toMatchObject({ code: 'unauthenticated' });
    // The other device carries on.
    expect((await li2.call('session.status')).state).toBe('signed-in');
  });
});
