// Rich messages between desktop cores through a real relay: kinds, quotes, forwards, recall
// (live and after being offline), reactions, delete-for-me and favorites across one user's devices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { history, removeTempDirs, startTestCore, waitFor, online, conversationItem } from '../support/core';
import { seen, sent, startPeople, stopPeople, type People } from './core-messaging-people';

let p: People;

// A 1×1 PNG: the relay checks that image bytes are an image.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

beforeAll(async () => {
  p = await startPeople();
});

afterAll(async () => {
  await stopPeople(p);
  removeTempDirs();
});

describe('rich messages between desktop cores', () => {
  it('delivers an image, a card, a location and a quoted reply into the other caches and the list', async () => {
    const { zhang, li, groupId, ids } = p;
    const upload = await zhang.call('media.upload', { kind: 'image', mime: 'image/png', base64: PNG });
    const image = await sent(zhang, {
      conversationId: groupId,
      kind: 'image',
      body: { kind: 'image', mediaId: upload.mediaId, thumbId: null, mime: 'image/png', size: 70, width: 1, height: 1 },
    });
    expect(image.status).toBe('sent');
    const card = await sent(zhang, {
      conversationId: groupId,
      kind: 'card',
      body: { kind: 'card', userId: ids.wang, name: '' },
    });
    const place = await sent(zhang, {
      conversationId: groupId,
      kind: 'location',
      body: {
        kind: 'location',
        name: '国贸大厦',
        address: '北京市朝阳区建国门外大街1号',
        latitude: 39.9087,
        longitude: 116.4605,
      },
    });
    const question = await sent(zhang, { conversationId: groupId, text: '明天去上海出差吗？' });
    const reply = await sent(li, { conversationId: groupId, text: '去，订好票了', quoteId: question.id });

    for (const core of [li, p.wang]) {
      expect((await seen(core, groupId, image.id)).body).toMatchObject({ kind: 'image', mediaId: upload.mediaId });
      // The relay fills a card's name from the directory.
      expect((await seen(core, groupId, card.id)).body).toEqual({ kind: 'card', userId: ids.wang, name: '王五' });
      expect((await seen(core, groupId, place.id)).body).toMatchObject({ kind: 'location', name: '国贸大厦' });
    }
    const quoted = await seen(zhang, groupId, reply.id);
    expect(quoted.quote).toEqual({
      messageId: question.id,
      seq: question.seq,
      senderId: ids.zhang,
      kind: 'text',
      text: '明天去上海出差吗？',
    });
    const item = await waitFor(async () => {
      const c = await conversationItem(p.wang, groupId);
      return c?.lastMessage?.id === reply.id ? c : null;
    });
    expect(item.lastMessage).toMatchObject({ text: '去，订好票了', quote: { messageId: question.id } });

    // Opening the question in context (a search hit): one message on each side of it.
    const around = await p.wang.call('messages.around', { conversationId: groupId, seq: question.seq!, limit: 1 });
    expect(around.messages.map((m) => m.id)).toEqual([place.id, question.id, reply.id]);
    expect(around).toMatchObject({ hasMoreBefore: true, hasMoreAfter: false });
  });

  it('forwards one by one and merged into a chat-history card', async () => {
    const { zhang, li, wang, groupId, ids } = p;
    const source = await sent(zhang, { conversationId: groupId, text: '周五前交报销单' });
    const { conversation: direct } = await li.call('conversations.openDirect', { userId: ids.wang });
    const one = await sent(li, {
      conversationId: direct.id,
      forward: { conversationId: groupId, messageIds: [source.id], merged: false },
    });
    const merged = await sent(li, {
      conversationId: direct.id,
      forward: { conversationId: groupId, messageIds: [source.id], merged: true },
    });
    expect((await seen(wang, direct.id, one.id)).forwarded).toBe(true);
    expect((await seen(wang, direct.id, one.id)).text).toBe('周五前交报销单');
    const card = await seen(wang, direct.id, merged.id);
    expect(card.kind).toBe('history');
    expect(card.body).toMatchObject({ kind: 'history', items: [{ senderId: ids.zhang, text: '周五前交报销单' }] });
  });

  it('recalls live for everyone, and the sender keeps the text to edit again', async () => {
    const { zhang, li, li2, groupId } = p;
    const oops = await sent(zhang, { conversationId: groupId, text: '工资表发错群了' });
    await seen(li, groupId, oops.id);
    await zhang.call('messages.recall', { conversationId: groupId, messageId: oops.id });

    const mine = await seen(zhang, groupId, oops.id, (m) => m.recalledAt !== null);
    expect(mine).toMatchObject({ text: '', body: null, recalledText: '工资表发错群了' });
    for (const core of [li, li2]) {
      const theirs = await seen(core, groupId, oops.id, (m) => m.recalledAt !== null, 'recall on the other cores');
      expect(theirs).toMatchObject({ text: '', recalledText: null });
    }
  });

  it('brings a recall and reactions made while a core was offline (msg.updates gap fill)', async () => {
    const { zhang, li, groupId, ids } = p;
    const first = await sent(zhang, { conversationId: groupId, text: '这条稍后撤回' });
    const second = await sent(zhang, { conversationId: groupId, text: '这条大家点个赞' });
    await seen(p.wang, groupId, second.id);
    const wangDir = p.wang.dataDir;
    await p.wang.close();

    await zhang.call('messages.recall', { conversationId: groupId, messageId: first.id });
    await li.call('messages.react', { conversationId: groupId, messageId: second.id, emoji: '👍', on: true });
    await zhang.call('messages.react', { conversationId: groupId, messageId: second.id, emoji: '👍', on: true });
    await zhang.call('messages.react', { conversationId: groupId, messageId: second.id, emoji: '🎉', on: true });
    await zhang.call('messages.react', { conversationId: groupId, messageId: second.id, emoji: '🎉', on: false });

    p.wang = await startTestCore(p.relay.url, { dataDir: wangDir });
    await online(p.wang);
    const recalled = await seen(p.wang, groupId, first.id, (m) => m.recalledAt !== null, 'recall after reconnect');
    expect(recalled.text).toBe('');
    const liked = await seen(p.wang, groupId, second.id, (m) => m.reactions.length > 0, 'reactions after reconnect');
    expect(liked.reactions).toEqual([{ emoji: '👍', userIds: expect.arrayContaining([ids.li, ids.zhang]) }]);
    expect(liked.reactions[0]!.userIds).toHaveLength(2);
  });

  it('shows reactions live and takes one back', async () => {
    const { zhang, li, groupId, ids } = p;
    const m = await sent(li, { conversationId: groupId, text: '方案已上传' });
    await zhang.call('messages.react', { conversationId: groupId, messageId: m.id, emoji: '👌', on: true });
    const reacted = await seen(li, groupId, m.id, (x) => x.reactions.length === 1, 'reaction live');
    expect(reacted.reactions).toEqual([{ emoji: '👌', userIds: [ids.zhang] }]);
    await zhang.call('messages.react', { conversationId: groupId, messageId: m.id, emoji: '👌', on: false });
    await seen(li, groupId, m.id, (x) => x.reactions.length === 0, 'reaction taken back');
  });

  it("deletes for me on all of one user's devices, and only there", async () => {
    const { zhang, li, li2, groupId } = p;
    const m = await sent(zhang, { conversationId: groupId, text: '这条李四要删掉' });
    await seen(li2, groupId, m.id);
    await li.call('messages.hide', { conversationId: groupId, messageIds: [m.id] });
    // Gone at once on the device that deleted it, then on the second device.
    expect((await history(li, groupId)).some((x) => x.id === m.id)).toBe(false);
    await waitFor(async () => !(await history(li2, groupId)).some((x) => x.id === m.id), {
      what: 'deleted on the second device',
    });
    expect((await history(zhang, groupId)).some((x) => x.id === m.id)).toBe(true);
    expect((await history(p.wang, groupId)).some((x) => x.id === m.id)).toBe(true);
  });

  it("keeps favorites in step across one user's devices, with a text filter", async () => {
    const { zhang, li, li2, groupId } = p;
    const a = await sent(zhang, { conversationId: groupId, text: '上海办公室地址：南京西路1266号' });
    const b = await sent(zhang, { conversationId: groupId, text: 'Wi-Fi 密码 qixin2026' });
    await seen(li, groupId, b.id);
    await li.call('favorites.add', { conversationId: groupId, messageIds: [a.id, b.id] });
    expect((await li.call('favorites.list', {})).favorites.map((f) => f.messageId).sort()).toEqual([a.id, b.id].sort());
    const onSecond = await waitFor(async () => {
      const { favorites } = await li2.call('favorites.list', {});
      return favorites.length === 2 ? favorites : null;
    });
    expect((await li2.call('favorites.list', { query: '南京西路' })).favorites.map((f) => f.messageId)).toEqual([a.id]);
    expect((await li2.call('favorites.list', { query: 'QIXIN' })).favorites.map((f) => f.messageId)).toEqual([b.id]);

    await li2.call('favorites.remove', { ids: [onSecond.find((f) => f.messageId === a.id)!.id] });
    await waitFor(async () => (await li.call('favorites.list', {})).favorites.length === 1, {
      what: 'removal on the first device',
    });
    expect(li.eventsOf('favorites.changed').length).toBeGreaterThan(0);
    // A favorite outlives the recall of its message.
    await zhang.call('messages.recall', { conversationId: groupId, messageId: b.id });
    await seen(li, groupId, b.id, (m) => m.recalledAt !== null);
    expect((await li.call('favorites.list', {})).favorites.map((f) => f.text)).toEqual(['Wi-Fi 密码 qixin2026']);
  });

  it('relays group management: settings and tags reach the caches, and a muted member’s send fails', async () => {
    const { zhang, li, li2, wang, groupId, ids } = p;
    await zhang.call('groups.setAdmins', { conversationId: groupId, userIds: [ids.li] });
    await zhang.call('groups.setAnnouncement', { conversationId: groupId, text: '本周五团建' });
    await zhang.call('groups.setSettings', { conversationId: groupId, muteAll: true });
    const seenByWang = await waitFor(async () => {
      const c = await conversationItem(wang, groupId);
      return c?.muteAll ? c : null;
    });
    expect(seenByWang).toMatchObject({ adminIds: [ids.li], announcement: { text: '本周五团建', authorId: ids.zhang } });
    const { announcements } = await wang.call('groups.announcements', { conversationId: groupId });
    expect(announcements.map((a) => a.text)).toEqual(['本周五团建']);

    const refused = await sent(wang, { conversationId: groupId, text: '禁言了吗？' });
    expect(refused).toMatchObject({ status: 'failed', error: { reason: 'group_muted' } });
    // An admin still speaks.
    expect((await sent(li, { conversationId: groupId, text: '管理员可以发言' })).status).toBe('sent');
    await wang.call('messages.discard', { messageId: refused.id });
    await zhang.call('groups.setSettings', { conversationId: groupId, muteAll: false });

    await li.call('conversations.setPrefs', { conversationId: groupId, tags: ['项目', '重要'] });
    await waitFor(async () => (await conversationItem(li2, groupId))?.tags.join() === '项目,重要', {
      what: 'tags on the second device',
    });
    expect((await conversationItem(zhang, groupId))?.tags).toEqual([]);
  });

  it('rebuilds favorites and deletions in a wiped cache from the relay', async () => {
    const { li2, groupId } = p;
    const before = (await li2.call('favorites.list', {})).favorites.map((f) => f.id);
    const hiddenBefore = (await history(li2, groupId)).map((m) => m.id);
    await li2.close({ wipe: true });
    p.li2 = await startTestCore(p.relay.url, { deviceName: 'li-laptop' });
    await p.li2.call('session.signIn', { login: 'lisi', password: 'password-lisi' });
    await waitFor(async () => (await history(p.li2, groupId)).length === hiddenBefore.length, {
      what: 'history rebuilt',
    });
    expect((await history(p.li2, groupId)).map((m) => m.id)).toEqual(hiddenBefore);
    await waitFor(async () => (await p.li2.call('favorites.list', {})).favorites.length === before.length);
    expect((await p.li2.call('favorites.list', {})).favorites.map((f) => f.id)).toEqual(before);
  });
});
