// What people do to messages already sent, through the real relay and the raw protocol:
// 撤回 (live to everyone, and by msg.updates after being away), reactions, 删除 for oneself
// (synced to one's other devices), 收藏, and 全员禁言 refusing a plain member's send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessagingLimits, type Message } from '../../shared/protocol';
import { newId, type TestClient } from '../support/relay';
import { refusal, startChatRelay, type ChatRelay } from '../support/relay-messages';

let chat: ChatRelay<'zhang' | 'li' | 'wang'>;
let zhang: TestClient;
let li: TestClient;
let wang: TestClient;
let groupId: string;

beforeAll(async () => {
  chat = await startChatRelay({ zhang: '张伟', li: '李娜', wang: '王芳' });
  zhang = await chat.as('zhang');
  li = await chat.as('li');
  wang = await chat.as('wang');
  const { people } = chat;
  groupId = (
    await zhang.request('conv.create', { type: 'group', memberIds: [people.li.id, people.wang.id], name: '项目组' })
  ).conversation.id;
});

afterAll(async () => {
  await chat?.close();
});

async function say(client: TestClient, text: string, extra: { mentions?: string[]; quoteId?: string } = {}) {
  const { message } = await client.request('msg.send', { id: newId(), conversationId: groupId, text, ...extra });
  return message;
}

const updated = (client: TestClient, id: string, match: (m: Message) => boolean = () => true) =>
  client.nextEvent('msg.updated', (p) => p.message.id === id && match(p.message)).then((p) => p.message);

describe('recall', () => {
  it('the sender recalls: others see it gone at once, and a device that was away catches up by msg.updates', async () => {
    const quoted = await say(li, '原来的安排');
    const away = await chat.as('wang', 'phone');
    const heads = await away.request('sync.heads', {});
    const before = heads.heads.find((h) => h.conversationId === groupId)!;
    await away.close();

    const m = await say(zhang, '明天上午的评审会取消', { mentions: [chat.people.li.id], quoteId: quoted.id });
    expect(
      (await li.request('msg.search', { query: '评审会', conversationId: groupId })).messages.map((x) => x.id),
    ).toEqual([m.id]);
    const { message: recalled } = await zhang.request('msg.recall', { conversationId: groupId, messageId: m.id });
    expect(recalled).toMatchObject({ id: m.id, text: '', body: null, quote: null, mentions: [], seq: m.seq });
    expect(recalled.recalledAt).toBeGreaterThanOrEqual(m.createdAt);
    expect(recalled.rev).toBeGreaterThan(before.lastRev);
    expect(await updated(li, m.id)).toEqual(recalled);
    expect(await updated(wang, m.id)).toEqual(recalled);

    // Back on the phone: heads say something changed; msg.updates brings exactly that.
    const phone = await chat.as('wang', 'phone again');
    const head = (await phone.request('sync.heads', {})).heads.find((h) => h.conversationId === groupId)!;
    expect(head.lastRev).toBe(recalled.rev);
    const updates = await phone.request('msg.updates', {
      conversationId: groupId,
      afterRev: before.lastRev,
      limit: 100,
    });
    expect(updates).toEqual({ messages: [recalled], lastRev: recalled.rev });
    const range = await phone.request('msg.range', { conversationId: groupId, afterSeq: m.seq - 1, limit: 1 });
    expect(range.messages).toEqual([recalled]);
    // Gone from search too.
    expect((await li.request('msg.search', { query: '评审会', conversationId: groupId })).messages).toEqual([]);

    // Nothing more can be done with it.
    expect(await refusal(zhang.request('msg.recall', { conversationId: groupId, messageId: m.id }))).toBe(
      'already_recalled',
    );
    expect(await refusal(say(li, '引用', { quoteId: m.id }))).toBe('already_recalled');
    expect(
      await refusal(li.request('msg.react', { conversationId: groupId, messageId: m.id, emoji: '👍', on: true })),
    ).toBe('already_recalled');
  });

  it("only the sender recalls, and not the relay's notices", async () => {
    const m = await say(li, '李娜的消息');
    expect(await refusal(zhang.request('msg.recall', { conversationId: groupId, messageId: m.id }))).toBe(
      'recall_not_sender',
    );
    const notice = (await zhang.request('msg.range', { conversationId: groupId, afterSeq: 0, limit: 1 })).messages[0]!;
    expect(notice.kind).toBe('system');
    expect(await refusal(zhang.request('msg.recall', { conversationId: groupId, messageId: notice.id }))).toBe(
      'message_not_found',
    );
    expect(
      (await zhang.request('msg.range', { conversationId: groupId, afterSeq: m.seq - 1, limit: 1 })).messages[0]!.text,
    ).toBe('李娜的消息');
  });
});

describe('reactions', () => {
  it('on and off, seen by everyone in the order people reacted; twice is the same as once', async () => {
    const { people } = chat;
    const m = await say(zhang, '方案定稿了');
    await li.request('msg.react', { conversationId: groupId, messageId: m.id, emoji: '👍', on: true });
    await wang.request('msg.react', { conversationId: groupId, messageId: m.id, emoji: '👍', on: true });
    const { message } = await li.request('msg.react', {
      conversationId: groupId,
      messageId: m.id,
      emoji: '🇨🇳',
      on: true,
    });
    const expected = [
      { emoji: '👍', userIds: [people.li.id, people.wang.id] },
      { emoji: '🇨🇳', userIds: [people.li.id] },
    ];
    expect(message.reactions).toEqual(expected);
    expect((await updated(zhang, m.id, (x) => x.reactions.length === 2)).reactions).toEqual(expected);

    const off = await li.request('msg.react', { conversationId: groupId, messageId: m.id, emoji: '👍', on: false });
    expect(off.message.reactions).toEqual([
      { emoji: '👍', userIds: [people.wang.id] },
      { emoji: '🇨🇳', userIds: [people.li.id] },
    ]);
    expect((await updated(wang, m.id, (x) => x.rev === off.message.rev)).reactions).toEqual(off.message.reactions);
    const again = await li.request('msg.react', { conversationId: groupId, messageId: m.id, emoji: '👍', on: false });
    expect(again.message).toEqual(off.message);
    const page = await zhang.request('msg.range', { conversationId: groupId, afterSeq: m.seq - 1, limit: 1 });
    expect(page.messages[0]!.reactions).toEqual(off.message.reactions);

    expect(
      await refusal(li.request('msg.react', { conversationId: groupId, messageId: m.id, emoji: 'ok', on: true })),
    ).toBe('content_invalid');
    expect(
      await refusal(li.request('msg.react', { conversationId: groupId, messageId: newId(), emoji: '👍', on: true })),
    ).toBe('message_not_found');
  });

  it(`holds at most ${MessagingLimits.reactionKindsPerMessage} different emoji on one message`, async () => {
    const m = await say(zhang, '投票');
    // 😀 U+1F600 onwards: fifty different faces, and a fifty-first.
    const face = (i: number) => String.fromCodePoint(0x1f600 + i);
    const emoji = Array.from({ length: MessagingLimits.reactionKindsPerMessage }, (_, i) => face(i));
    expect(emoji.length).toBe(MessagingLimits.reactionKindsPerMessage);
    for (const e of emoji)
      await li.request('msg.react', { conversationId: groupId, messageId: m.id, emoji: e, on: true });
    expect(
      await refusal(
        wang.request('msg.react', { conversationId: groupId, messageId: m.id, emoji: face(emoji.length), on: true }),
      ),
    ).toBe('content_invalid');
    // An emoji already there can still gather people.
    const { message } = await wang.request('msg.react', {
      conversationId: groupId,
      messageId: m.id,
      emoji: '😀',
      on: true,
    });
    expect(message.reactions[0]).toEqual({ emoji: '😀', userIds: [chat.people.li.id, chat.people.wang.id] });
  });
});

describe('delete for me', () => {
  it("hides messages for the user only, on every one of the user's devices", async () => {
    const m = await say(zhang, '只有李娜会删掉这条');
    const other = await chat.as('li', 'laptop');
    await li.request('msg.hide', { conversationId: groupId, messageIds: [m.id] });
    const change = await other.nextEvent('change', (p) => p.change.kind === 'hidden');
    expect(change.change).toMatchObject({ kind: 'hidden', conversationId: groupId, messageIds: [m.id] });
    const mine = await other.request('msg.range', { conversationId: groupId, afterSeq: m.seq - 1, limit: 1 });
    expect(mine.messages[0]).toMatchObject({ id: m.id, hidden: true, text: '只有李娜会删掉这条' });
    const theirs = await zhang.request('msg.range', { conversationId: groupId, afterSeq: m.seq - 1, limit: 1 });
    expect(theirs.messages[0]).toMatchObject({ id: m.id, hidden: false });
    expect(await refusal(li.request('msg.hide', { conversationId: groupId, messageIds: [newId()] }))).toBe(
      'message_not_found',
    );
  });
});

describe('favorites', () => {
  it('saves frozen copies, lists them newest first page by page, removes them, and tells the other devices', async () => {
    const first = await say(zhang, '值得收藏的第一条');
    const second = await say(wang, '第二条');
    const other = await chat.as('li', 'tablet');
    const { favorites } = await li.request('fav.add', { conversationId: groupId, messageIds: [first.id] });
    expect(favorites).toEqual([
      expect.objectContaining({ messageId: first.id, senderId: chat.people.zhang.id, text: '值得收藏的第一条' }),
    ]);
    const added = await other.nextEvent('change', (p) => p.change.kind === 'favorites');
    expect(added.change).toMatchObject({ kind: 'favorites', added: favorites, removedIds: [] });
    chat.clock.advance(1000);
    const both = await li.request('fav.add', { conversationId: groupId, messageIds: [first.id, second.id] });
    expect(both.favorites[0]).toEqual(favorites[0]); // saved before: the same copy

    // The copy outlives the original.
    await zhang.request('msg.recall', { conversationId: groupId, messageId: first.id });
    const page1 = await other.request('fav.list', { before: null, limit: 1 });
    expect(page1.favorites.map((f) => f.messageId)).toEqual([second.id]);
    const page2 = await other.request('fav.list', { before: page1.next, limit: 1 });
    expect(page2.favorites).toEqual([expect.objectContaining({ messageId: first.id, text: '值得收藏的第一条' })]);
    expect(page2.next).toBeNull();

    await other.request('fav.remove', { ids: [page2.favorites[0]!.id] });
    const removed = await li.nextEvent(
      'change',
      (p) => p.change.kind === 'favorites' && p.change.removedIds.length > 0,
    );
    expect(removed.change).toMatchObject({ removedIds: [page2.favorites[0]!.id] });
    expect((await li.request('fav.list', { before: null, limit: 50 })).favorites.map((f) => f.messageId)).toEqual([
      second.id,
    ]);
    // A recalled message cannot be saved any more; nor can one of a chat the user is not in.
    expect(await refusal(wang.request('fav.add', { conversationId: groupId, messageIds: [first.id] }))).toBe(
      'already_recalled',
    );
    const direct = (await zhang.request('conv.create', { type: 'direct', memberIds: [chat.people.li.id] }))
      .conversation;
    const secret = (await zhang.request('msg.send', { id: newId(), conversationId: direct.id, text: '私聊' })).message;
    expect(await refusal(wang.request('fav.add', { conversationId: direct.id, messageIds: [secret.id] }))).toBe(
      'not_a_member',
    );
  });
});

describe('全员禁言', () => {
  it("refuses a plain member's send over the raw protocol while the owner still speaks", async () => {
    await zhang.request('group.setSettings', { conversationId: groupId, muteAll: true });
    const raw = await li.call('msg.send', { id: newId(), conversationId: groupId, text: '我能说话吗' });
    expect(raw.payload).toMatchObject({ ok: false, error: { code: 'forbidden', reason: 'group_muted' } });
    const m = await say(zhang, '会议期间请勿发言');
    expect((await li.nextEvent('msg.new', (p) => p.message.id === m.id)).message.text).toBe('会议期间请勿发言');
    await zhang.request('group.setSettings', { conversationId: groupId, muteAll: false });
    expect((await say(li, '现在可以了')).text).toBe('现在可以了');
  });
});

describe('the recall window', () => {
  // Last in this file: it moves the relay's clock a day ahead.
  it('closes 24 hours after sending', async () => {
    const m = await say(li, '一天前说的话');
    chat.clock.advance(MessagingLimits.recallWindowMs + 60_000);
    expect(await refusal(li.request('msg.recall', { conversationId: groupId, messageId: m.id }))).toBe(
      'recall_expired',
    );
    const fresh = await say(li, '刚说的话');
    expect((await li.request('msg.recall', { conversationId: groupId, messageId: fresh.id })).message.text).toBe('');
  });
});
