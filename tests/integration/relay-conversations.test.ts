// Conversations as users experience them: direct chats, groups and their notices,
// unread that follows the user across devices, and the change stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  createEnterprise,
  newId,
  openClient,
  RequestError,
  signIn,
  startTestRelay,
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
    expect(heads.heads).toContainEqual({ conversationId: a.conversation.id, lastSeq: 1 });
  });
});
