// [有人@我], notifications with mute, mentions and do-not-disturb, and refused sends, between
// desktop cores through a real relay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../../shared/contract';
import { conversationItem, history, removeTempDirs, waitFor } from '../support/core';
import { seen, sent, startPeople, stopPeople, type People } from './core-messaging-people';

let p: People;

beforeAll(async () => {
  p = await startPeople();
});

afterAll(async () => {
  await stopPeople(p);
  removeTempDirs();
});

const hhmm = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

describe('mentions and notifications', () => {
  it('marks [有人@我] for an @ of me and for @所有人, and clears it once read', async () => {
    const { zhang, li, wang, groupId, ids } = p;
    await sent(zhang, { conversationId: groupId, text: '@李四 周报交了吗', mentions: [ids.li] });
    await waitFor(async () => (await conversationItem(li, groupId))?.mentionedMe, { what: '[有人@我] for 李四' });
    await waitFor(async () => (await conversationItem(wang, groupId))?.unread);
    expect((await conversationItem(wang, groupId))?.mentionedMe).toBe(false);
    expect((await conversationItem(zhang, groupId))?.mentionedMe).toBe(false);

    await sent(zhang, { conversationId: groupId, text: '@所有人 下午三点开会', mentionAll: true });
    await waitFor(async () => (await conversationItem(wang, groupId))?.mentionedMe, { what: '[有人@我] for @所有人' });

    await li.call('messages.markRead', { conversationId: groupId });
    expect((await conversationItem(li, groupId))?.mentionedMe).toBe(false);
    // Read on one device: cleared on the other too.
    await waitFor(async () => (await conversationItem(p.li2, groupId))?.mentionedMe === false, {
      what: 'cleared on the second device',
    });
  });

  it('notifies a muted chat only for a mention, which breaks through the mute', async () => {
    const { zhang, li, groupId, ids } = p;
    await li.call('conversations.setPrefs', { conversationId: groupId, muted: true });
    const before = li.eventsOf('notification').length;
    const plain = await sent(zhang, { conversationId: groupId, text: '午饭订好了' });
    await seen(li, groupId, plain.id);
    const mention = await sent(zhang, { conversationId: groupId, text: '@李四 请确认预算', mentions: [ids.li] });
    await seen(li, groupId, mention.id);
    const notes = await waitFor(() => {
      const all = li.eventsOf('notification').slice(before);
      return all.length > 0 ? all : null;
    });
    expect(notes).toEqual([
      { conversationId: groupId, title: '张三 (项目群)', body: '[有人@我] @李四 请确认预算', mention: true },
    ]);
  });

  it('says nothing during do-not-disturb, mentions included, and hides previews when asked', async () => {
    const { zhang, li, groupId, ids } = p;
    const now = new Date();
    const dnd = {
      enabled: true,
      start: hhmm(new Date(now.getTime() - 3600_000)),
      end: hhmm(new Date(now.getTime() + 3600_000)),
    };
    const settings = await li.call('settings.set', { notifications: { ...DEFAULT_NOTIFICATION_SETTINGS, dnd } });
    expect(settings.notifications.dnd).toEqual(dnd);
    expect(li.eventsOf('settings.changed').at(-1)).toEqual(settings);

    const before = li.eventsOf('notification').length;
    const quiet = await sent(zhang, { conversationId: groupId, text: '@李四 勿扰时段', mentions: [ids.li] });
    await seen(li, groupId, quiet.id);

    await li.call('settings.set', { notifications: { ...DEFAULT_NOTIFICATION_SETTINGS, showPreview: false } });
    const hidden = await sent(zhang, { conversationId: groupId, text: '@李四 工资条', mentions: [ids.li] });
    await seen(li, groupId, hidden.id);
    const notes = await waitFor(() => {
      const all = li.eventsOf('notification').slice(before);
      return all.length > 0 ? all : null;
    });
    expect(notes).toEqual([{ conversationId: groupId, title: '企信', body: '你收到了一条新消息', mention: true }]);
    expect((await li.call('settings.get', {})).notifications.showPreview).toBe(false);
  });

  it('marks a refused send failed with its reason, sends the ones after it, and discards it', async () => {
    const { wang, zhang, groupId } = p;
    const refused = await sent(wang, { conversationId: groupId, text: '@所有人 我来通知一下', mentionAll: true });
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatchObject({ code: 'forbidden', reason: 'mention_all_forbidden' });
    const after = await sent(wang, { conversationId: groupId, text: '还是请群主通知吧' });
    expect(after.status).toBe('sent');
    await seen(zhang, groupId, after.id);
    expect((await history(zhang, groupId)).some((m) => m.id === refused.id)).toBe(false);

    // The failed one stays (last on screen, after the sent ones) until discarded.
    expect((await history(wang, groupId)).at(-1)).toMatchObject({ id: refused.id, status: 'failed' });
    await wang.call('messages.discard', { messageId: refused.id });
    expect((await history(wang, groupId)).some((m) => m.id === refused.id)).toBe(false);
    await expect(wang.call('messages.discard', { messageId: after.id })).rejects.toMatchObject({ code: 'not_found' });
  });
});
