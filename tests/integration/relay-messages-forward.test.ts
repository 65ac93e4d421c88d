// Forwarding through the real relay and the raw protocol: one by one (a copy marked 转发, its media
// readable in the new chat) and merged into a 聊天记录 card; refused from a chat one has left, for
// recalled messages and notices, and when the history would be too large.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryLimits, HttpPaths, type Message } from '../../shared/protocol';
import { newId, type TestClient } from '../support/relay';
import { PNG_1x1, refusal, startChatRelay, type ChatRelay } from '../support/relay-messages';

let chat: ChatRelay<'zhang' | 'li' | 'wang'>;
let zhang: TestClient;
let li: TestClient;
let wang: TestClient;
let groupId: string;
let zhangWang: string;

beforeAll(async () => {
  chat = await startChatRelay({ zhang: '张伟', li: '李娜', wang: '王芳' });
  zhang = await chat.as('zhang');
  li = await chat.as('li');
  wang = await chat.as('wang');
  const { people } = chat;
  groupId = (await zhang.request('conv.create', { type: 'group', memberIds: [people.li.id], name: '项目组' }))
    .conversation.id;
  zhangWang = (await zhang.request('conv.create', { type: 'direct', memberIds: [people.wang.id] })).conversation.id;
});

afterAll(async () => {
  await chat?.close();
});

async function say(client: TestClient, conversationId: string, text: string): Promise<Message> {
  return (await client.request('msg.send', { id: newId(), conversationId, text })).message;
}

function forward(client: TestClient, to: string, from: string, messageIds: string[], merged: boolean) {
  return client
    .request('msg.send', { id: newId(), conversationId: to, forward: { conversationId: from, messageIds, merged } })
    .then((r) => r.message);
}

const received = (client: TestClient, id: string) =>
  client.nextEvent('msg.new', (p) => p.message.id === id).then((p) => p.message);

describe('forward one by one', () => {
  it('copies kind, text and body marked as forwarded, and its image becomes readable in the new chat', async () => {
    const image = await chat.upload(li, 'image', 'image/png', PNG_1x1);
    const { message: original } = await li.request('msg.send', {
      id: newId(),
      conversationId: groupId,
      kind: 'image',
      body: { kind: 'image', mediaId: image.mediaId, thumbId: null, mime: 'image/png', size: 1, width: 1, height: 1 },
    });
    const download = (client: TestClient) =>
      fetch(new URL(HttpPaths.media(image.mediaId), chat.relay.url), {
        headers: { authorization: `Bearer ${client.grant.token}` },
      }).then((r) => r.status);
    expect(await download(wang)).toBe(404);

    const copy = await forward(zhang, zhangWang, groupId, [original.id], false);
    const got = await received(wang, copy.id);
    expect(got).toMatchObject({
      conversationId: zhangWang,
      senderId: chat.people.zhang.id,
      kind: 'image',
      text: '',
      body: original.body,
      forwarded: true,
      quote: null,
    });
    expect(await download(wang)).toBe(200);
  });
});

describe('merged forward (合并转发)', () => {
  it('builds a chat-history card with names from the directory, which another member receives', async () => {
    const a = await say(zhang, groupId, '第一季度目标');
    const { message: b } = await li.request('msg.send', {
      id: newId(),
      conversationId: groupId,
      kind: 'location',
      body: { kind: 'location', name: '会议室A', address: '5楼', latitude: 31.2, longitude: 121.5 },
    });
    const c = await say(zhang, groupId, '按这个执行');
    // Asked for in any order, the items come in the chat's order.
    const card = await forward(zhang, zhangWang, groupId, [c.id, a.id, b.id], true);
    const got = await received(wang, card.id);
    expect(got).toEqual(card);
    expect(got.kind).toBe('history');
    expect(got.body).toEqual({
      kind: 'history',
      title: { conversationType: 'group', names: [] },
      items: [
        {
          senderId: chat.people.zhang.id,
          senderName: '张伟',
          kind: 'text',
          text: '第一季度目标',
          body: null,
          createdAt: a.createdAt,
        },
        {
          senderId: chat.people.li.id,
          senderName: '李娜',
          kind: 'location',
          text: '会议室A',
          body: b.body,
          createdAt: b.createdAt,
        },
        {
          senderId: chat.people.zhang.id,
          senderName: '张伟',
          kind: 'text',
          text: '按这个执行',
          body: null,
          createdAt: c.createdAt,
        },
      ],
    });

    // From a direct chat the title names its two people; the card itself can be forwarded on, not merged again.
    const d = await say(wang, zhangWang, '收到');
    const direct = await forward(zhang, groupId, zhangWang, [d.id], true);
    expect(direct.body).toMatchObject({ title: { conversationType: 'direct', names: ['张伟', '王芳'] } });
    expect((await received(li, direct.id)).kind).toBe('history');
    const onward = await forward(li, groupId, groupId, [direct.id], false);
    expect(onward).toMatchObject({ kind: 'history', body: direct.body, forwarded: true });
    expect(await refusal(forward(li, groupId, groupId, [direct.id, d.id], true))).toBe('message_not_found');
    expect(await refusal(forward(li, groupId, groupId, [direct.id, c.id], true))).toBe('content_invalid');
  });

  it(`refuses a history over ${HistoryLimits.maxTextChars} characters`, async () => {
    const long = [];
    for (let i = 0; i < 3; i++) long.push((await say(zhang, groupId, '长'.repeat(7_000))).id);
    expect(await refusal(forward(zhang, zhangWang, groupId, long, true))).toBe('history_too_large');
    expect((await forward(zhang, zhangWang, groupId, long.slice(0, 2), true)).kind).toBe('history');
  });
});

describe('what cannot be forwarded', () => {
  it('nothing from a chat one has left or was never in; no recalled messages, notices or unknown ids', async () => {
    const { people } = chat;
    const team = (
      await zhang.request('conv.create', { type: 'group', memberIds: [people.li.id, people.wang.id], name: '临时组' })
    ).conversation.id;
    const m = await say(zhang, team, '临时组的消息');
    await li.request('conv.leave', { conversationId: team });
    const liDirect = (await li.request('conv.create', { type: 'direct', memberIds: [people.zhang.id] })).conversation
      .id;
    // li can still read it (history up to leaving), but cannot forward it.
    const history = await li.request('msg.range', { conversationId: team, afterSeq: 0, limit: 50 });
    expect(history.messages.map((x) => x.id)).toContain(m.id);
    const raw = await li.call('msg.send', {
      id: newId(),
      conversationId: liDirect,
      forward: { conversationId: team, messageIds: [m.id], merged: false },
    });
    expect(raw.payload).toMatchObject({ ok: false, error: { code: 'forbidden', reason: 'forward_source_unreadable' } });
    expect(await refusal(forward(li, liDirect, zhangWang, [m.id], false))).toBe('forward_source_unreadable');

    const gone = await say(zhang, groupId, '马上撤回');
    await zhang.request('msg.recall', { conversationId: groupId, messageId: gone.id });
    expect(await refusal(forward(zhang, zhangWang, groupId, [gone.id], false))).toBe('already_recalled');
    const notice = (await zhang.request('msg.range', { conversationId: groupId, afterSeq: 0, limit: 1 })).messages[0]!;
    expect(await refusal(forward(zhang, zhangWang, groupId, [notice.id], false))).toBe('message_not_found');
    expect(await refusal(forward(zhang, zhangWang, groupId, [newId()], true))).toBe('message_not_found');
    // A message of another chat named as if it were of this one.
    expect(await refusal(forward(zhang, zhangWang, groupId, [m.id], false))).toBe('message_not_found');
    // The relay still serves the refused.
    expect((await say(li, liDirect, '还在')).text).toBe('还在');
  });
});
