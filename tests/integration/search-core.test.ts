// 搜索 through a desktop core and a real relay: the cache answers first and the relay adds what the
// cache does not hold (merged newest first, each message once); offline the cache's answer is
// marked incomplete; global search finds people, chats by name or member, and messages.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult, ChatMessage } from '../../shared/contract';
import { online, removeTempDirs, startTestCore, waitFor, type TestCore } from '../support/core';
import { seen, sent, startPeople, stopPeople, type People } from './core-messaging-people';

let p: People;
const texts = [
  '明天去上海出差',
  '北京的会议改到周五',
  '上海，周五见！',
  '“上海”办公室的地址在 https://wiki.example.com/shanghai',
  '部署完成',
];
const messages: ChatMessage[] = [];

beforeAll(async () => {
  p = await startPeople();
  for (const text of texts) messages.push(await sent(p.zhang, { conversationId: p.groupId, text }));
  for (const m of messages) await seen(p.wang, p.groupId, m.id);
});

afterAll(async () => {
  await stopPeople(p);
  removeTempDirs();
});

const ids = (ms: ChatMessage[]) => ms.map((m) => m.id);
const shanghai = () => messages.filter((m) => m.text.includes('上海')).reverse();

async function allPages(core: TestCore, query: string, limit: number) {
  const out: ChatMessage[] = [];
  let before: { createdAt: number; id: string } | null = null;
  for (;;) {
    const page: CallResult<'search.messages'> = await core.call('search.messages', { query, before, limit });
    expect(page.complete).toBe(true);
    out.push(...page.messages);
    if (!page.next) return out;
    before = page.next;
  }
}

describe('search through the desktop core', () => {
  it('finds messages in the cache newest first, each once, with filters', async () => {
    const page = await p.wang.call('search.messages', { query: '上海' });
    expect(ids(page.messages)).toEqual(ids(shanghai()));
    expect(page).toMatchObject({ next: null, complete: true });
    expect(page.messages[0]).toMatchObject({ conversationId: p.groupId, senderId: p.ids.zhang, status: 'sent' });
    const links = await p.wang.call('search.messages', { query: '上海', kind: 'link' });
    expect(links.messages.map((m) => m.text)).toEqual([texts[3]]);
    const fromLi = await p.wang.call('search.messages', { query: '上海', senderId: p.ids.li });
    expect(fromLi.messages).toEqual([]);
    expect(ids(await allPages(p.wang, '上海', 1))).toEqual(ids(shanghai()));
  });

  it('adds the relay hits the cache does not hold; offline it answers from the cache, marked incomplete', async () => {
    // A cache that lost older history (it is only a cache): the oldest 上海 message is removed
    // from 王五's cache file while the core is closed.
    const dataDir = p.wang.dataDir;
    await p.wang.close();
    const db = new Database(path.join(dataDir, 'cache.db'));
    expect(db.prepare('DELETE FROM messages WHERE id = ?').run(shanghai()[2]!.id).changes).toBe(1);
    db.close();
    const wang = await startTestCore(p.relay.url, { dataDir, deviceName: 'wang-pc' });
    p.wang = wang;
    await online(wang);

    expect(ids(await allPages(wang, '上海', 50))).toEqual(ids(shanghai()));
    // Pages of one and of two: the merged pages never repeat or skip a message.
    expect(ids(await allPages(wang, '上海', 1))).toEqual(ids(shanghai()));
    expect(ids(await allPages(wang, '上海', 2))).toEqual(ids(shanghai()));
    const global = await wang.call('search.global', { query: '上海' });
    expect(ids(global.messages)).toEqual(ids(shanghai()));

    await p.relay.stop();
    await waitFor(() => wang.eventsOf('connection').at(-1)?.state !== 'online', { what: 'core offline' });
    const offline = await wang.call('search.messages', { query: '上海' });
    expect(offline.complete).toBe(false);
    expect(ids(offline.messages)).toEqual(ids(shanghai().slice(0, 2)));
    await p.relay.start();
    await online(wang);
  });

  it('global search: people by name and pinyin, the group by its name and by a member, messages', async () => {
    const byName = await p.wang.call('search.global', { query: '项目' });
    expect(byName.conversations.map((c) => c.id)).toEqual([p.groupId]);
    expect(byName.conversations[0]).toMatchObject({ name: '项目群', type: 'group' });

    const byMember = await p.wang.call('search.global', { query: '李四' });
    expect(byMember.users.map((u) => u.id)).toContain(p.ids.li);
    expect(byMember.conversations.map((c) => c.id)).toContain(p.groupId);

    const byPinyin = await p.wang.call('search.global', { query: 'lisi' });
    expect(byPinyin.users.map((u) => u.id)).toContain(p.ids.li);
    expect(byPinyin.conversations.map((c) => c.id)).toContain(p.groupId);

    const nothing = await p.wang.call('search.global', { query: '龘' });
    expect(nothing).toEqual({ users: [], conversations: [], messages: [] });
  });

  it('refuses an empty query with a clear error, and keeps answering', async () => {
    await expect(p.wang.call('search.messages', { query: '   ' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(p.wang.call('search.global', { query: '' })).rejects.toMatchObject({ code: 'invalid' });
    expect((await p.wang.call('search.messages', { query: '部署' })).messages.map((m) => m.text)).toEqual(['部署完成']);
  });
});
