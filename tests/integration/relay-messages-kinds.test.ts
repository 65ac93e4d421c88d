// Every kind of message through the real relay and the raw protocol: what one member sends,
// another receives (msg.new) and reads back (msg.range) the same; quotes, mentions, @所有人;
// and bad content refused with its reason while the relay keeps serving everyone.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpPaths, type Message, type MessageBody, type RequestParams } from '../../shared/protocol';
import { newId, type TestClient } from '../support/relay';
import { PNG_1x1, refusal, startChatRelay, type ChatRelay } from '../support/relay-messages';

let chat: ChatRelay<'zhang' | 'li' | 'wang'>;
let zhang: TestClient;
let li: TestClient;
let wang: TestClient;
let groupId: string;
let directId: string;

beforeAll(async () => {
  chat = await startChatRelay({ zhang: '张伟', li: '李娜', wang: '王芳' });
  zhang = await chat.as('zhang');
  li = await chat.as('li');
  wang = await chat.as('wang');
  const { people } = chat;
  groupId = (
    await zhang.request('conv.create', { type: 'group', memberIds: [people.li.id, people.wang.id], name: '项目组' })
  ).conversation.id;
  directId = (await zhang.request('conv.create', { type: 'direct', memberIds: [people.li.id] })).conversation.id;
});

afterAll(async () => {
  await chat?.close();
});

type Send = Omit<RequestParams<'msg.send'>, 'id' | 'conversationId'> & { conversationId?: string };

async function send(client: TestClient, fields: Send): Promise<Message> {
  const { message } = await client.request('msg.send', { id: newId(), conversationId: groupId, ...fields });
  return message;
}

const received = (client: TestClient, id: string) =>
  client.nextEvent('msg.new', (p) => p.message.id === id).then((p) => p.message);

describe('message kinds', () => {
  it('each kind reaches another member whole, live and in the history', async () => {
    const image = await chat.upload(zhang, 'image', 'image/png', PNG_1x1);
    const thumb = await chat.upload(zhang, 'image', 'image/png', PNG_1x1);
    const voice = await chat.upload(zhang, 'voice', 'audio/ogg', randomBytes(2048));
    const video = await chat.upload(zhang, 'video', 'video/mp4', randomBytes(4096));
    const bodies: { send: Send; text: string; body: MessageBody | null }[] = [
      { send: { text: '大家好，明天上海见' }, text: '大家好，明天上海见', body: null },
      {
        // The client's declared type and size are replaced by what the relay stored.
        send: {
          kind: 'image',
          body: {
            kind: 'image',
            mediaId: image.mediaId,
            thumbId: thumb.mediaId,
            mime: 'image/gif',
            size: 1,
            width: 1,
            height: 1,
          },
        },
        text: '',
        body: {
          kind: 'image',
          mediaId: image.mediaId,
          thumbId: thumb.mediaId,
          mime: 'image/png',
          size: PNG_1x1.length,
          width: 1,
          height: 1,
        },
      },
      {
        send: {
          kind: 'voice',
          body: { kind: 'voice', mediaId: voice.mediaId, mime: 'audio/ogg', size: 2048, durationMs: 3200 },
        },
        text: '',
        body: { kind: 'voice', mediaId: voice.mediaId, mime: 'audio/ogg', size: 2048, durationMs: 3200 },
      },
      {
        send: {
          kind: 'video',
          body: {
            kind: 'video',
            mediaId: video.mediaId,
            thumbId: null,
            mime: 'video/mp4',
            size: 4096,
            durationMs: 5000,
            width: 640,
            height: 360,
          },
        },
        text: '',
        body: {
          kind: 'video',
          mediaId: video.mediaId,
          thumbId: null,
          mime: 'video/mp4',
          size: 4096,
          durationMs: 5000,
          width: 640,
          height: 360,
        },
      },
      {
        // 名片: the name comes from the directory, whatever the client wrote.
        send: { kind: 'card', body: { kind: 'card', userId: chat.people.wang.id, name: '随便' } },
        text: '王芳',
        body: { kind: 'card', userId: chat.people.wang.id, name: '王芳' },
      },
      {
        send: {
          kind: 'location',
          body: {
            kind: 'location',
            name: '东方明珠',
            address: '上海市浦东新区世纪大道1号',
            latitude: 31.2397,
            longitude: 121.4998,
          },
        },
        text: '东方明珠',
        body: {
          kind: 'location',
          name: '东方明珠',
          address: '上海市浦东新区世纪大道1号',
          latitude: 31.2397,
          longitude: 121.4998,
        },
      },
      {
        // Rich text: the message's text is the plain text of its runs, whatever the client wrote.
        send: {
          kind: 'rich',
          text: 'ignored',
          body: {
            kind: 'rich',
            segments: [
              { type: 'text', text: '周报见 ', bold: true },
              { type: 'link', text: '这里', url: 'https://example.com/report?q=1' },
            ],
          },
        },
        text: '周报见 这里',
        body: {
          kind: 'rich',
          segments: [
            { type: 'text', text: '周报见 ', bold: true },
            { type: 'link', text: '这里', url: 'https://example.com/report?q=1' },
          ],
        },
      },
    ];
    const sent: Message[] = [];
    for (const b of bodies) {
      const message = await send(zhang, b.send);
      const got = await received(li, message.id);
      expect(got).toEqual(message);
      expect({ kind: got.kind, text: got.text, body: got.body }).toEqual({
        kind: b.body?.kind ?? 'text',
        text: b.text,
        body: b.body,
      });
      sent.push(message);
    }
    const range = await li.request('msg.range', { conversationId: groupId, afterSeq: sent[0]!.seq - 1, limit: 50 });
    expect(range.messages).toEqual(sent);

    // The image became readable to the chat's members through the message.
    const res = await fetch(new URL(HttpPaths.media(image.mediaId), chat.relay.url), {
      headers: { authorization: `Bearer ${li.grant.token}` },
    });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG_1x1);
  });

  it('a quoted reply carries the quoted message frozen, its text cut to 200 characters', async () => {
    const long = await send(zhang, { text: '长'.repeat(150) + 'x'.repeat(150) });
    const reply = await send(li, { text: '收到', quoteId: long.id });
    expect(reply.quote).toEqual({
      messageId: long.id,
      seq: long.seq,
      senderId: chat.people.zhang.id,
      kind: 'text',
      text: '长'.repeat(150) + 'x'.repeat(50),
    });
    expect((await received(zhang, reply.id)).quote).toEqual(reply.quote);
    // Only a message of the same chat can be quoted.
    const elsewhere = await send(zhang, { conversationId: directId, text: '私聊' });
    expect(await refusal(send(li, { text: '引用', quoteId: elsewhere.id }))).toBe('message_not_found');
    expect(await refusal(send(li, { text: '引用', quoteId: newId() }))).toBe('message_not_found');
  });

  it('mentions name members of the chat; @所有人 only by the owner or an admin, only in groups', async () => {
    const { people } = chat;
    const m = await send(li, { text: '@张伟 @王芳 看一下', mentions: [people.zhang.id, people.wang.id] });
    expect((await received(wang, m.id)).mentions).toEqual([people.zhang.id, people.wang.id]);
    // wang is not in the direct chat of zhang and li.
    expect(await refusal(send(li, { conversationId: directId, text: '@王芳', mentions: [people.wang.id] }))).toBe(
      'mention_not_member',
    );
    expect(await refusal(send(li, { text: '@所有人 开会', mentionAll: true }))).toBe('mention_all_forbidden');
    expect(await refusal(send(zhang, { conversationId: directId, text: '@所有人', mentionAll: true }))).toBe(
      'mention_all_forbidden',
    );
    const all = await send(zhang, { text: '@所有人 三点开会', mentionAll: true });
    expect((await received(li, all.id)).mentionAll).toBe(true);
  });
});

describe('bad content', () => {
  it('is refused with a clear reason, stores nothing, and the relay keeps serving others', async () => {
    const voice = await chat.upload(zhang, 'voice', 'audio/ogg', randomBytes(512));
    const theirs = await chat.upload(wang, 'image', 'image/png', PNG_1x1);
    const image = (mediaId: string): MessageBody => ({
      kind: 'image',
      mediaId,
      thumbId: null,
      mime: 'image/png',
      size: 1,
      width: 1,
      height: 1,
    });
    const before = await li.request('msg.range', { conversationId: groupId, afterSeq: 0, limit: 500 });

    // A body of another kind than the message's (the schema's shape check, over the raw protocol).
    const raw = await zhang.call('msg.send', {
      id: newId(),
      conversationId: groupId,
      kind: 'image',
      body: { kind: 'location', name: '这里', address: '', latitude: 0, longitude: 0 },
    });
    expect(raw.payload.ok).toBe(false);
    expect(raw.payload.error.code).toBe('invalid');
    expect(raw.payload.error.message).toMatch(/image message needs a image body/);
    // A link that is not http(s).
    const badUrl = await zhang.call('msg.send', {
      id: newId(),
      conversationId: groupId,
      kind: 'rich',
      body: { kind: 'rich', segments: [{ type: 'link', text: '点我', url: 'javascript:alert(1)' }] },
    });
    expect(badUrl.payload.error.code).toBe('invalid');
    expect(await refusal(send(zhang, { kind: 'image', body: image(newId()) }))).toBe('media_not_found');
    expect(await refusal(send(zhang, { kind: 'image', body: image(theirs.mediaId) }))).toBe('media_not_found');
    expect(await refusal(send(zhang, { kind: 'image', body: image(voice.mediaId) }))).toBe('media_type_mismatch');
    expect(await refusal(send(zhang, { kind: 'card', body: { kind: 'card', userId: newId(), name: '谁' } }))).toBe(
      'member_not_found',
    );
    expect(
      await refusal(
        send(zhang, { kind: 'rich', body: { kind: 'rich', segments: [{ type: 'text', text: '   ', bold: false }] } }),
      ),
    ).toBe('content_invalid');

    // Meanwhile and afterwards everyone is served, the refused sender included.
    const ok = await send(li, { text: '我这边正常' });
    expect((await received(wang, ok.id)).text).toBe('我这边正常');
    const after = await send(zhang, { text: '我也正常' });
    expect(after.seq).toBe(ok.seq + 1);
    const range = await li.request('msg.range', { conversationId: groupId, afterSeq: 0, limit: 500 });
    expect(range.messages.length).toBe(before.messages.length + 2);
  });
});
