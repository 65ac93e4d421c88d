// Working without the relay: cached history, queued sends, reads caught up on reconnect,
// gap fill for a peer that was away, and a wiped cache rebuilt from the relay.
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
let zhang: TestCore;
let li: TestCore;
let conversationId = '';
let liId = '';
let zhangId = '';
const opened: TestCore[] = [];

const sent = (messages: ChatMessage[]) => messages.map((m) => `${m.seq}:${m.text}:${m.status}`);

async function core(dataDir?: string): Promise<TestCore> {
  const c = await startTestCore(relay.url, { dataDir });
  opened.push(c);
  return c;
}

beforeAll(async () => {
  relay = await startRelayForCores();
  zhang = await core();
  zhangId = (
    await zhang.call('session.createEnterprise', {
      enterpriseName: '离线测试',
      adminName: '张三',
      account: 'zhangsan',
      password: 'password-zhang',
    })
  ).user!.id;
  liId = (await zhang.call('directory.addMember', { name: '李四', account: 'lisi', password: 'password-li' })).user.id;
  li = await core();
  await li.call('session.signIn', { login: 'lisi', password: 'password-li' });
  await Promise.all([online(zhang), online(li)]);
  conversationId = (await zhang.call('conversations.openDirect', { userId: liId })).conversation.id;
  for (const text of ['第一条', '第二条', '第三条']) {
    await zhang.call('messages.send', { conversationId, text });
  }
  await waitFor(async () => (await history(li, conversationId)).length === 3);
});

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
  await relay?.close();
  removeTempDirs();
});

describe('a desktop core without its relay', () => {
  it('starts from its cache, shows history, queues sends and marks read locally', async () => {
    await li.close();
    await relay.stop();

    li = await core(li.dataDir);
    const status = await li.call('session.status');
    expect(status.state).toBe('signed-in');
    expect(status.user?.name).toBe('李四');
    expect((await history(li, conversationId)).map((m) => m.text)).toEqual(['第一条', '第二条', '第三条']);
    expect((await conversationItem(li, conversationId))?.unread).toBe(3);
    await waitFor(() => li.eventsOf('connection').some((c) => c.state === 'offline' && c.retryAt !== null), {
      what: 'offline with a retry time',
    });
    // A window opened now learns the state by asking, not only from the next change.
    expect((await li.call('app.connection')).state).toBe('offline');

    await li.call('messages.markRead', { conversationId });
    expect((await conversationItem(li, conversationId))?.unread).toBe(0);

    const queued = [];
    for (const text of ['离线一', '离线二'])
      queued.push((await li.call('messages.send', { conversationId, text })).message);
    expect(queued.map((m) => [m.status, m.seq])).toEqual([
      ['sending', null],
      ['sending', null],
    ]);
    const shown = await history(li, conversationId);
    expect(shown.map((m) => `${m.text}:${m.status}`)).toEqual([
      '第一条:sent',
      '第二条:sent',
      '第三条:sent',
      '离线一:sending',
      '离线二:sending',
    ]);
    expect((await conversationItem(li, conversationId))?.lastMessage?.text).toBe('离线二');
    // Calls that need the relay say so instead of hanging.
    await expect(li.call('conversations.setPrefs', { conversationId, pinned: true })).rejects.toMatchObject({
      code: 'unavailable',
    });
  });

  it('reports the relay as unreachable to a core with no session', async () => {
    const fresh = await core();
    expect((await fresh.call('session.status')).state).toBe('relay-unreachable');
  });

  it('delivers the queued messages exactly once, in order, when the relay is back', async () => {
    await relay.start();
    await online(li);
    expect((await li.call('app.connection')).state).toBe('online');
    const expected = ['第一条', '第二条', '第三条', '离线一', '离线二'];
    for (const c of [li, zhang]) {
      await waitFor(
        async () => {
          const h = await history(c, conversationId);
          return h.length === 5 && h.every((m) => m.status === 'sent');
        },
        { what: 'queued messages delivered' },
      );
      const h = await history(c, conversationId);
      expect(h.map((m) => m.text)).toEqual(expected);
      expect(h.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    }
    expect(sent(await history(li, conversationId))).toEqual(sent(await history(zhang, conversationId)));
    // The read made offline reached the relay.
    await waitFor(async () => {
      const { states } = await zhang.call('messages.readStates', { conversationId });
      return (states.find((s) => s.userId === liId)?.readSeq ?? 0) >= 3;
    });
  });

  it('fills the gap for a peer that was away while messages were sent', async () => {
    await zhang.close();
    for (let i = 1; i <= 30; i++) await li.call('messages.send', { conversationId, text: `补 ${i}` });
    await waitFor(async () => (await history(li, conversationId)).every((m) => m.status === 'sent'));

    zhang = await core(zhang.dataDir);
    await waitFor(async () => (await history(zhang, conversationId)).length === 35, { what: 'gap filled' });
    const h = await history(zhang, conversationId);
    expect(h.map((m) => m.seq)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    expect(h.slice(5).map((m) => m.text)).toEqual(Array.from({ length: 30 }, (_, i) => `补 ${i + 1}`));
    expect((await conversationItem(zhang, conversationId))?.unread).toBe(32);
  });

  it('rebuilds conversations and history from the relay after the cache is wiped', async () => {
    const before = sent(await history(li, conversationId));
    await li.close({ wipe: true });
    li = await core();
    expect((await li.call('session.status')).state).toBe('signed-out');
    await li.call('session.signIn', { login: 'lisi', password: 'password-li' });
    await waitFor(async () => (await history(li, conversationId)).length === 35, { what: 'history rebuilt' });
    expect(sent(await history(li, conversationId))).toEqual(before);
    const item = await conversationItem(li, conversationId);
    expect(item?.memberIds.sort()).toEqual([liId, zhangId].sort());
    // The directory comes back too: everyone sits in the root department (the enterprise).
    const rootId = (await li.call('session.status')).enterprise!.id;
    const root = async () =>
      (await li.call('directory.members', { departmentId: rootId, offset: 0, limit: 100 })).users.map((u) => u.name);
    await waitFor(async () => (await root()).length === 2, { what: 'directory rebuilt' });
    expect(await root()).toEqual(['李四', '张三']);
  });

  it('starts from an empty cache when a different user signs in on the same device', async () => {
    await li.call('session.signOut');
    expect((await li.call('session.status')).state).toBe('signed-out');
    await li.call('session.signIn', { login: 'zhangsan', password: 'password-zhang' });
    await waitFor(async () => (await history(li, conversationId)).length === 35, { what: '张三’s history' });
    // 张三's own read position, not 李四's: 李四 had read everything, 张三 still has 32 unread.
    await waitFor(async () => (await conversationItem(li, conversationId))?.unread === 32, { what: '张三’s unread' });
    expect((await li.call('session.status')).user?.name).toBe('张三');
  });
});
