// Conversations as users experience them: direct chats, groups and their notices,
// unread that follows the user across devices, and the change stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/protocol';
import {
  addMember,
  createEnterprise,
  newId,
  openClient,
  RequestError,
  signIn,
  startTestRelay,
  syncDirectory,
  type TestClient,
  type TestRelay,
} from '../support/relay';

let relay: TestRelay;
let admin: TestClient;
const people: Record<'zhang' | 'li' | 'wang' | 'zhao', { id: string; password: string; account: string }> = {} as never;
const clients: TestClient[] = [];

async function as(who: keyof typeof people, device = 'desk'): Promise<TestClient> {
  const c = await openClient(relay.url, await signIn(relay.url, people[who].account, people[who].password, device));
  clients.push(c);
  return c;
}

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await openClient(relay.url, await createEnterprise(relay.url));
  clients.push(admin);
  for (const [key, name] of [
    ['zhang', '张伟'],
    ['li', '李娜'],
    ['wang', '王芳'],
    ['zhao', '赵磊'],
  ] as const) {
    const { user, password } = await addMember(admin, { name, account: key });
    people[key] = { id: user.id, password, account: key };
  }
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await relay?.close();
});

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RequestError) return err.code;
    throw err;
  }
  throw new Error('expected the relay to refuse');
}

describe('direct chats', () => {
  it('opening a direct chat twice (from either side) gives the same chat, and messages flow both ways', async () => {
    const zhang = await as('zhang');
    const li = await as('li');
    const a = await zhang.request('conv.create', { type: 'direct', memberIds: [people.li.id] });
    const b = await li.request('conv.create', { type: 'direct', memberIds: [people.zhang.id] });
    expect(b.conversation.id).toBe(a.conversation.id);
    expect(a.conversation.memberIds.sort()).toEqual([people.zhang.id, people.li.id].sort());

    const id = newId();
    const sent = await zhang.request('msg.send', { id, conversationId: a.conversation.id, text: '你好，李娜' });
    expect(sent.message.seq).toBe(1);
    const got = await li.nextEvent('msg.new', (p) => p.message.id === id);
    expect(got.message.text).toBe('你好，李娜');

    // A retried send (lost ack) gets the same message back and nobody sees it twice.
    const again = await zhang.request('msg.send', { id, conversationId: a.conversation.id, text: '你好，李娜' });
    expect(again.message.seq).toBe(1);
    const range = await li.request('msg.range', { conversationId: a.conversation.id, afterSeq: 0, limit: 50 });
    expect(range.messages.map((m) => m.id)).toEqual([id]);
    expect(range.lastSeq).toBe(1);

    expect(await refusal(zhang.request('conv.create', { type: 'direct', memberIds: [people.zhang.id] }))).toBe(
      'invalid',
    );
    const heads = await li.request('sync.heads', {});
    expect(heads.heads).toContainEqual({ conversationId: a.conversation.id, lastSeq: 1, lastRev: 0 });
  });
});

describe('groups', () => {
  it('create, rename, add, remove and leave: every member sees each notice in the same seq order', async () => {
    const zhang = await as('zhang');
    const li = await as('li');
    const wang = await as('wang');
    const zhao = await as('zhao');

    const { conversation: g } = await zhang.request('conv.create', {
      type: 'group',
      memberIds: [people.li.id, people.wang.id, people.li.id, people.zhang.id],
      name: '项目组',
    });
    expect(g.ownerId).toBe(people.zhang.id);
    expect(g.memberIds).toEqual([people.zhang.id, people.li.id, people.wang.id]);
    expect(g.lastSeq).toBe(1);
    const created = await li.nextEvent('msg.new', (p) => p.message.conversationId === g.id);
    expect(created.message).toMatchObject({ seq: 1, kind: 'system', senderId: people.zhang.id });
    expect(created.message.system).toMatchObject({ action: 'created', actorId: people.zhang.id, name: '项目组' });
    expect(created.message.system!.targetIds.sort()).toEqual([people.li.id, people.wang.id].sort());
    // Li learns about the new group through the change stream too.
    await li.nextEvent('change', (p) => p.change.kind === 'conversation' && p.change.conversation.id === g.id);

    // Any member may rename.
    const renamed = await li.request('conv.rename', { conversationId: g.id, name: '发布小组' });
    expect(renamed.conversation.name).toBe('发布小组');
    const renameNotice = await wang.nextEvent('msg.new', (p) => p.message.system?.action === 'renamed');
    expect(renameNotice.message.system).toMatchObject({ actorId: people.li.id, name: '发布小组' });

    // Someone outside cannot touch it; the owner-only removal is refused for others.
    expect(await refusal(zhao.request('conv.rename', { conversationId: g.id, name: 'x' }))).toBe('forbidden');
    expect(await refusal(zhao.request('msg.range', { conversationId: g.id, afterSeq: 0, limit: 10 }))).toBe(
      'forbidden',
    );
    expect(await refusal(li.request('conv.removeMember', { conversationId: g.id, userId: people.wang.id }))).toBe(
      'forbidden',
    );
    expect(await refusal(zhang.request('conv.removeMember', { conversationId: g.id, userId: people.zhang.id }))).toBe(
      'invalid',
    );
    expect(await refusal(zhang.request('conv.addMembers', { conversationId: g.id, userIds: [newId()] }))).toBe(
      'invalid',
    );

    await zhang.request('msg.send', { id: newId(), conversationId: g.id, text: '早期的讨论' });

    // A newly added member reads the whole history.
    const added = await wang.request('conv.addMembers', { conversationId: g.id, userIds: [people.zhao.id] });
    expect(added.conversation.memberIds).toContain(people.zhao.id);
    await zhao.nextEvent('change', (p) => p.change.kind === 'conversation' && p.change.conversation.id === g.id);
    const history = await zhao.request('msg.range', { conversationId: g.id, afterSeq: 0, limit: 100 });
    expect(history.messages.map((m) => m.system?.action ?? m.text)).toEqual([
      'created',
      'renamed',
      '早期的讨论',
      'added',
    ]);

    // The owner removes Wang: Wang gets active:false and keeps history only up to the removal.
    await zhang.request('conv.removeMember', { conversationId: g.id, userId: people.wang.id });
    const gone = await wang.nextEvent(
      'change',
      (p) => p.change.kind === 'conversation' && p.change.conversation.id === g.id && !p.change.conversation.active,
    );
    const removedAt = gone.change.kind === 'conversation' ? gone.change.conversation.lastSeq : -1;
    expect(await refusal(wang.request('msg.send', { id: newId(), conversationId: g.id, text: '还在吗' }))).toBe(
      'forbidden',
    );
    await zhang.request('msg.send', { id: newId(), conversationId: g.id, text: '王芳看不到这条' });
    const wangHistory = await wang.request('msg.range', { conversationId: g.id, afterSeq: 0, limit: 100 });
    expect(wangHistory.lastSeq).toBe(removedAt);
    expect(wangHistory.messages.at(-1)!.system).toMatchObject({ action: 'removed', targetIds: [people.wang.id] });
    expect(wangHistory.messages.map((m) => m.text)).not.toContain('王芳看不到这条');
    const wangHeads = await wang.request('sync.heads', {});
    expect(wangHeads.heads.find((h) => h.conversationId === g.id)!.lastSeq).toBe(removedAt);

    // The owner leaves: ownership passes to the longest-standing member (Li, from the start).
    const left = await zhang.request('conv.leave', { conversationId: g.id });
    expect(left.conversation.active).toBe(false);
    const handover = await li.nextEvent(
      'change',
      (p) => p.change.kind === 'conversation' && p.change.conversation.ownerId === people.li.id,
    );
    expect(handover.change.kind === 'conversation' && handover.change.conversation.memberIds).toEqual([
      people.li.id,
      people.zhao.id,
    ]);
    expect(await refusal(zhang.request('conv.rename', { conversationId: g.id, name: 'x' }))).toBe('forbidden');
    // Li, now the owner, may remove people.
    await li.request('conv.removeMember', { conversationId: g.id, userId: people.zhao.id });

    // Every active member saw the same sequence of messages, exactly once each.
    const all = await li.request('msg.range', { conversationId: g.id, afterSeq: 0, limit: 100 });
    expect(all.messages.map((m) => m.seq)).toEqual(all.messages.map((_, i) => i + 1));
    expect(all.messages.map((m) => m.system?.action ?? 'text')).toEqual([
      'created',
      'renamed',
      'text',
      'added',
      'removed',
      'text',
      'left',
      'removed',
    ]);
  });

  it('leaving or renaming a direct chat is refused', async () => {
    const zhang = await as('zhang');
    const { conversation } = await zhang.request('conv.create', { type: 'direct', memberIds: [people.wang.id] });
    expect(await refusal(zhang.request('conv.leave', { conversationId: conversation.id }))).toBe('invalid');
    expect(await refusal(zhang.request('conv.rename', { conversationId: conversation.id, name: 'x' }))).toBe('invalid');
  });
});

describe('several devices of one user', () => {
  it('reading on one device clears unread on the other; read receipts reach the sender', async () => {
    const laptop = await as('zhao', 'laptop');
    const phone = await as('zhao', 'phone');
    const li = await as('li');
    const { conversation } = await li.request('conv.create', { type: 'direct', memberIds: [people.zhao.id] });
    for (const text of ['一', '二', '三']) {
      await li.request('msg.send', { id: newId(), conversationId: conversation.id, text });
    }
    // Both of Zhao's devices receive every message.
    for (const device of [laptop, phone]) {
      await device.nextEvent('msg.new', (p) => p.message.conversationId === conversation.id && p.message.seq === 3);
    }

    const { readSeq } = await laptop.request('msg.read', { conversationId: conversation.id, seq: 99 });
    expect(readSeq).toBe(3); // never beyond the last message
    const change = await phone.nextEvent(
      'change',
      (p) =>
        p.change.kind === 'conversation' &&
        p.change.conversation.id === conversation.id &&
        p.change.conversation.readSeq === 3,
    );
    expect(change.change.kind === 'conversation' && change.change.conversation.lastSeq).toBe(3);
    const receipt = await li.nextEvent('msg.read', (p) => p.conversationId === conversation.id);
    expect(receipt).toEqual({ conversationId: conversation.id, userId: people.zhao.id, readSeq: 3 });

    // Reading backwards does not move the position.
    expect((await phone.request('msg.read', { conversationId: conversation.id, seq: 1 })).readSeq).toBe(3);
    const { states } = await li.request('conv.readStates', { conversationId: conversation.id });
    expect(states.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual(
      [
        { userId: people.li.id, readSeq: 3 },
        { userId: people.zhao.id, readSeq: 3 },
      ].sort((a, b) => a.userId.localeCompare(b.userId)),
    );
  });

  it('pins and mutes follow the user to every device; the change stream catches up a late device', async () => {
    const laptop = await as('wang', 'laptop');
    const snapshot = await laptop.request('sync.snapshot', {});
    expect(snapshot.enterprise).not.toBeNull();
    expect((await syncDirectory(laptop, 'users')).users.length).toBeGreaterThanOrEqual(5);
    const { conversation } = await laptop.request('conv.create', { type: 'direct', memberIds: [people.li.id] });
    await laptop.request('conv.setPrefs', { conversationId: conversation.id, pinned: true, muted: true });

    // A device that was offline pulls what it missed from its cursor.
    const phone = await as('wang', 'phone');
    const missed = await phone.request('sync.changes', { after: snapshot.cursor });
    const mine = missed.changes.filter((c) => c.kind === 'conversation' && c.conversation.id === conversation.id);
    expect(mine.at(-1)).toMatchObject({ conversation: { pinned: true, muted: true, active: true } });
    expect(missed.cursor).toBeGreaterThan(snapshot.cursor);
    expect(missed.changes.map((c) => c.cursor)).toEqual([...missed.changes.map((c) => c.cursor)].sort((a, b) => a - b));
    // Nothing of other people's private state leaks in.
    expect(
      missed.changes.every((c) => c.kind !== 'conversation' || c.conversation.memberIds.includes(people.wang.id)),
    ).toBe(true);
    const rest = await phone.request('sync.changes', { after: missed.cursor });
    expect(rest).toEqual({ changes: [], cursor: missed.cursor, hasMore: false });

    // The laptop saw the new chat, then its own pin arrive as changes, like any other device would.
    const isThis = (p: EventPayload<'change'>) =>
      p.change.kind === 'conversation' && p.change.conversation.id === conversation.id;
    await laptop.nextEvent('change', isThis);
    await laptop.nextEvent(
      'change',
      (p) =>
        p.change.kind === 'conversation' &&
        p.change.conversation.id === conversation.id &&
        p.change.conversation.pinned,
    );
    await phone.request('conv.setPrefs', { conversationId: conversation.id, pinned: false });
    const unpinned = await laptop.nextEvent(
      'change',
      (p) =>
        p.change.kind === 'conversation' &&
        p.change.conversation.id === conversation.id &&
        !p.change.conversation.pinned,
    );
    expect(unpinned.change.kind === 'conversation' && unpinned.change.conversation.muted).toBe(true);
    // Li's own prefs are untouched.
    const li = await as('li');
    const liView = (await li.request('sync.snapshot', {})).conversations.find((c) => c.id === conversation.id);
    expect(liView).toMatchObject({ pinned: false, muted: false });
  });

  it('pipelined sends from one socket get seqs in the order they were sent', async () => {
    const zhang = await as('zhang');
    const { conversation } = await zhang.request('conv.create', {
      type: 'group',
      memberIds: [people.li.id],
      name: '顺序',
    });
    const ids = Array.from({ length: 50 }, () => newId());
    const results = await Promise.all(
      ids.map((id, i) => zhang.request('msg.send', { id, conversationId: conversation.id, text: `第${i}条` })),
    );
    expect(results.map((r) => r.message.seq)).toEqual(ids.map((_, i) => i + 2));
  });
});

describe('change stream under concurrent writers', () => {
  it('a device that keeps pulling from its cursor while others write never skips a change', async () => {
    const writers = await Promise.all([1, 2, 3, 4].map((i) => as('li', `writer ${i}`)));
    const reader = await as('li', 'reader');
    const convs = await Promise.all(
      writers.map(async (w, i) => {
        const peer = [people.zhang.id, people.wang.id, people.zhao.id, people.zhang.id][i]!;
        const { conversation } = await w.request('conv.create', { type: 'group', memberIds: [peer], name: `并发${i}` });
        return conversation.id;
      }),
    );
    const start = (await reader.request('sync.snapshot', {})).cursor;

    const pulled: number[] = [];
    let cursor = start;
    let writing = true;
    const pulling = (async () => {
      for (;;) {
        const done = !writing;
        const page = await reader.request('sync.changes', { after: cursor });
        pulled.push(...page.changes.map((c) => c.cursor));
        cursor = page.cursor;
        if (done && !page.hasMore) return;
      }
    })();
    await Promise.all(
      writers.map((w, i) =>
        Promise.all(
          Array.from({ length: 40 }, (_, k) =>
            w.request('conv.setPrefs', { conversationId: convs[i]!, pinned: k % 2 === 0, muted: k % 3 === 0 }),
          ),
        ),
      ),
    );
    writing = false;
    await pulling;

    const all = await reader.request('sync.changes', { after: start });
    const everything: number[] = [];
    let page = all;
    everything.push(...page.changes.map((c) => c.cursor));
    while (page.hasMore) {
      page = await reader.request('sync.changes', { after: page.cursor });
      everything.push(...page.changes.map((c) => c.cursor));
    }
    expect(everything.length).toBeGreaterThanOrEqual(160);
    expect(pulled).toEqual(everything);
  });
});

describe('history of long messages', () => {
  it('comes back in pages of bounded size that a client can walk to the end', async () => {
    const zhang = await as('zhang');
    const { conversation } = await zhang.request('conv.create', {
      type: 'group',
      memberIds: [people.li.id],
      name: '长文',
    });
    const long = '长'.repeat(10_000); // about 30 kB per message on the wire
    const ids = Array.from({ length: 120 }, () => newId());
    await Promise.all(ids.map((id) => zhang.request('msg.send', { id, conversationId: conversation.id, text: long })));

    const first = await zhang.request('msg.range', { conversationId: conversation.id, afterSeq: 0, limit: 500 });
    expect(first.lastSeq).toBe(121);
    expect(first.messages.length).toBeLessThan(121);
    expect(JSON.stringify(first).length * 3).toBeLessThan(8 * 1024 * 1024);
    const got = [...first.messages];
    while (got.at(-1)!.seq < first.lastSeq) {
      const page = await zhang.request('msg.range', {
        conversationId: conversation.id,
        afterSeq: got.at(-1)!.seq,
        limit: 500,
      });
      got.push(...page.messages);
    }
    expect(got.slice(1).map((m) => m.id)).toEqual(ids);
  });
});
