// Group commit of msg.send: many clients pipelining sends into shared and separate
// conversations at once. Whatever batches form, every message is stored once with a
// gapless seq, in each sender's order, answered in request order and delivered to all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/protocol';
import {
  addMember,
  createEnterprise,
  newId,
  openClient,
  signIn,
  startTestRelay,
  type TestClient,
  type TestRelay,
} from '../support/relay';

const USERS = 12;
const PER_USER = 40;

let relay: TestRelay;
let admin: TestClient;
const clients: TestClient[] = [];

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await openClient(relay.url, await createEnterprise(relay.url));
  for (let i = 0; i < USERS; i++) {
    const { password } = await addMember(admin, { name: `成员${i}`, account: `batch${i}` });
    clients.push(await openClient(relay.url, await signIn(relay.url, `batch${i}`, password)));
  }
});

afterAll(async () => {
  await Promise.all([admin, ...clients].map((c) => c?.close()));
  await relay?.close();
});

/** Every message of a conversation, by paging msg.range. */
async function history(client: TestClient, conversationId: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const page = await client.request('msg.range', { conversationId, afterSeq: all.at(-1)?.seq ?? 0, limit: 200 });
    all.push(...page.messages);
    if (page.messages.length === 0 || all.at(-1)!.seq >= page.lastSeq) return all;
  }
}

/** Sends frames without waiting for answers; resolves with the result frames. */
function pipeline(client: TestClient, sends: { id: string; conversationId: string; text: string }[]) {
  return Promise.all(sends.map((s) => client.call('msg.send', s)));
}

describe('group commit of sends', () => {
  it('concurrent pipelined senders: stored once, gapless seqs in each sender’s order, answered in order, delivered to all', async () => {
    const group = await clients[0]!.request('conv.create', {
      type: 'group',
      name: '批量群',
      memberIds: clients.slice(1).map((c) => c.userId),
    });
    const groupId = group.conversation.id;
    const directs: string[] = [];
    for (let i = 0; i < USERS; i += 2) {
      const d = await clients[i]!.request('conv.create', { type: 'direct', memberIds: [clients[i + 1]!.userId] });
      directs.push(d.conversation.id);
    }
    const directOf = (i: number) => directs[Math.floor(i / 2)]!;
    const before = (await history(clients[0]!, groupId)).length;

    // Each client alternates between the group and its direct chat, all clients at once.
    const plans = clients.map((_, i) =>
      Array.from({ length: PER_USER }, (_, k) => ({
        id: newId(),
        conversationId: k % 2 === 0 ? groupId : directOf(i),
        text: `u${i}-${k}`,
      })),
    );
    const results = await Promise.all(clients.map((c, i) => pipeline(c, plans[i]!)));

    for (const [i, frames] of results.entries()) {
      expect(frames.every((f) => f.payload.ok)).toBe(true);
      expect(frames.map((f) => f.payload.value.message.id)).toEqual(plans[i]!.map((p) => p.id));
      // Answers left the relay in request order.
      const order = clients[i]!.frames.filter((f) => f.type === 'result').map((f) => f.id);
      expect(order.slice(-PER_USER)).toEqual(frames.map((f) => f.id));
    }

    const check = (messages: Message[], expectedIds: Set<string>) => {
      expect(messages.map((m) => m.seq)).toEqual(messages.map((_, k) => k + 1));
      const texts = messages.filter((m) => m.kind === 'text');
      expect(texts.length).toBe(expectedIds.size);
      expect(new Set(texts.map((m) => m.id))).toEqual(expectedIds);
      // Each sender's messages in the order they were sent.
      for (const [i, plan] of plans.entries()) {
        const mine = texts.filter((m) => m.senderId === clients[i]!.userId).map((m) => m.id);
        expect(mine).toEqual(plan.filter((p) => expectedIds.has(p.id)).map((p) => p.id));
      }
    };
    const groupMessages = await history(clients[3]!, groupId);
    expect(groupMessages.length).toBe(before + (USERS * PER_USER) / 2);
    check(
      groupMessages,
      new Set(
        plans
          .flat()
          .filter((p) => p.conversationId === groupId)
          .map((p) => p.id),
      ),
    );
    for (const [d, conversationId] of directs.entries()) {
      const messages = await history(clients[2 * d]!, conversationId);
      check(
        messages,
        new Set(
          plans
            .flat()
            .filter((p) => p.conversationId === conversationId)
            .map((p) => p.id),
        ),
      );
    }

    // Every member got every message once, in seq order; senders' read positions moved.
    const groupIds = groupMessages.filter((m) => m.kind === 'text').map((m) => m.id);
    for (const [i, c] of clients.entries()) {
      await c.waitForFrame(
        (f) =>
          f.type === 'msg.new' &&
          f.payload.message.id === groupIds.at(-1) &&
          f.payload.message.conversationId === groupId,
      );
      const got = (conversationId: string) =>
        c.events('msg.new').filter((e) => e.message.conversationId === conversationId && e.message.kind === 'text');
      expect(got(groupId).map((e) => e.message.id)).toEqual(groupIds);
      const direct = await history(c, directOf(i));
      await c.waitForFrame((f) => f.type === 'msg.new' && f.payload.message.id === direct.at(-1)!.id);
      expect(got(directOf(i)).map((e) => e.message.id)).toEqual(direct.map((m) => m.id));

      const states = await c.request('conv.readStates', { conversationId: groupId });
      const lastOwn = groupMessages.filter((m) => m.senderId === c.userId).at(-1)!.seq;
      expect(states.states.find((s) => s.userId === c.userId)!.readSeq).toBeGreaterThanOrEqual(lastOwn);
    }
  });

  it('one batch with a forbidden send, retries, a duplicate and a conflicting id: each answered on its own', async () => {
    const [a, b, outsider] = [clients[0]!, clients[3]!, clients[1]!]; // a fresh pair
    const direct = await a.request('conv.create', { type: 'direct', memberIds: [b.userId] });
    const conversationId = direct.conversation.id;
    const stored = await a.request('msg.send', { id: newId(), conversationId, text: '先到' });
    const taken = newId();
    const fresh = [newId(), newId(), newId()];

    // Sent together so that they share a batch (one client's pipelined frames always do).
    const [aFrames, outsiderFrames, bFrames] = await Promise.all([
      pipeline(a, [
        { id: fresh[0]!, conversationId, text: '一' },
        { id: stored.message.id, conversationId, text: '先到' }, // retry of a stored message
        { id: taken, conversationId, text: '二' },
        { id: taken, conversationId, text: '二' }, // retry inside the same batch
        { id: fresh[1]!, conversationId, text: '三' },
      ]),
      pipeline(outsider, [{ id: newId(), conversationId, text: '闯入' }]),
      pipeline(b, [
        { id: taken, conversationId, text: '抢' }, // a's id: conflict, whichever came first
        { id: fresh[2]!, conversationId, text: '四' },
      ]),
    ]);

    expect(outsiderFrames[0]!.payload.error.code).toBe('forbidden');
    const ok = (f: (typeof aFrames)[number]) => f.payload.value.message as Message;
    expect(aFrames.map((f) => f.payload.ok)).toEqual([true, true, true, true, true]);
    expect(ok(aFrames[1]!).seq).toBe(stored.message.seq);
    expect(ok(aFrames[3]!)).toEqual(ok(aFrames[2]!));
    expect(bFrames[0]!.payload.error.code).toBe('conflict');
    expect(bFrames[1]!.payload.ok).toBe(true);

    const messages = await history(b, conversationId);
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, k) => k + 1));
    expect(messages.map((m) => m.id).sort()).toEqual([stored.message.id, taken, ...fresh].sort());
    expect(messages.find((m) => m.id === taken)!.senderId).toBe(a.userId);
    // The stored retry and the in-batch duplicate were not delivered again.
    await b.waitForFrame((f) => f.type === 'msg.new' && f.payload.message.id === fresh[2]);
    await b.waitForFrame((f) => f.type === 'msg.new' && f.payload.message.id === fresh[1]);
    const delivered = b.events('msg.new').filter((e) => e.message.conversationId === conversationId);
    expect(delivered.map((e) => e.message.id).sort()).toEqual(messages.map((m) => m.id).sort());
  });

  it('a request pipelined behind sends sees them, and answers keep request order around a bad frame', async () => {
    const [a, b] = [clients[4]!, clients[7]!];
    const direct = await a.request('conv.create', { type: 'direct', memberIds: [b.userId] });
    const conversationId = direct.conversation.id;
    const head = (await a.request('msg.range', { conversationId, afterSeq: 0, limit: 200 })).lastSeq;
    const ids = [newId(), newId(), newId()];
    const answers = await Promise.all([
      a.call('msg.send', { id: ids[0], conversationId, text: '1' }),
      a.call('msg.send', { id: ids[1], conversationId, text: '' }), // invalid
      a.call('msg.send', { id: ids[2], conversationId, text: '3' }),
      a.call('msg.range', { conversationId, afterSeq: head, limit: 200 }),
    ]);
    expect(answers.map((f) => f.payload.ok)).toEqual([true, false, true, true]);
    expect(answers[3]!.payload.value.messages.map((m: Message) => m.id)).toEqual([ids[0], ids[2]]);
    const order = a.frames.filter((f) => f.type === 'result').map((f) => f.id);
    expect(order.slice(-4)).toEqual(answers.map((f) => f.id));
  });
});
