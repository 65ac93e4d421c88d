// A misbehaving client gets a clear error or a close with a reason, and never disturbs
// anyone else: two colleagues keep chatting through all of it and receive every message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from '../../shared/protocol';
import {
  addMember,
  createEnterprise,
  newId,
  openClient,
  openSocket,
  signIn,
  startTestRelay,
  type TestClient,
  type TestRelay,
} from '../support/relay';

const RATE = { burst: 40, perSecond: 40 };
let relay: TestRelay;
let admin: TestClient;
let mallory: TestClient;
let alice: TestClient;
let bob: TestClient;
let conversationId: string;
let privateGroupId: string;
const sent: { from: 'alice' | 'bob'; id: string }[] = [];
let chatting = true;
let chatter: Promise<void>;

beforeAll(async () => {
  relay = await startTestRelay({ rateLimit: RATE, preAuthQueue: 4 });
  admin = await openClient(relay.url, await createEnterprise(relay.url));
  const a = await addMember(admin, { account: 'alice', name: '爱丽丝' });
  const b = await addMember(admin, { account: 'bob', name: '鲍勃' });
  await addMember(admin, { account: 'mallory', name: '马洛' });
  alice = await openClient(relay.url, await signIn(relay.url, 'alice', a.password));
  bob = await openClient(relay.url, await signIn(relay.url, 'bob', b.password));
  mallory = await openClient(relay.url, await signIn(relay.url, 'mallory', 'member-password-1'));
  conversationId = (await alice.request('conv.create', { type: 'direct', memberIds: [bob.userId] })).conversation.id;
  privateGroupId = (await alice.request('conv.create', { type: 'group', memberIds: [bob.userId], name: '私密' }))
    .conversation.id;

  // The bystanders' conversation runs in the background for the whole file.
  chatter = (async () => {
    let turn = 0;
    while (chatting) {
      const from = turn++ % 2 === 0 ? 'alice' : 'bob';
      const id = newId();
      await (from === 'alice' ? alice : bob).request('msg.send', { id, conversationId, text: `消息 ${turn}` });
      sent.push({ from, id });
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
});

afterAll(async () => {
  chatting = false;
  await chatter?.catch(() => {});
  await Promise.all([admin, alice, bob, mallory].map((c) => c?.close()));
  await relay?.close();
});

describe('bad input', () => {
  it('answers text that is not JSON, or not a frame, with bad_frame and keeps the socket', async () => {
    mallory.send('{this is not json');
    const notJson = await mallory.nextFrame((f) => f.type === 'result' && f.payload?.error?.code === 'bad_frame');
    expect(notJson.id).toBeNull();
    expect(notJson.payload.error.message).toMatch(/JSON/);

    mallory.send(JSON.stringify({ id: 'x1', payload: {} }));
    const noType = await mallory.nextFrame((f) => f.type === 'result' && f.payload?.error?.code === 'bad_frame');
    expect(noType.payload.error.message).toMatch(/type/);

    mallory.send(Buffer.from([1, 2, 3]));
    await mallory.nextFrame((f) => f.type === 'result' && f.payload?.error?.code === 'bad_frame');

    expect((await mallory.request('sync.heads', {})).heads).toBeDefined();
  });

  it('answers unknown frame types and wrong field types with the reason', async () => {
    const unknown = await mallory.call('msg.explode', {});
    expect(unknown.payload.error.code).toBe('unknown_type');
    expect(unknown.payload.error.message).toContain('msg.explode');

    const wrongTypes = await mallory.call('msg.send', { id: 42, conversationId: 'nope', text: ['x'] });
    expect(wrongTypes.payload.error.code).toBe('invalid');
    expect(wrongTypes.payload.error.message).toMatch(/id/);

    const tooLong = await mallory.call('msg.send', { id: newId(), conversationId, text: '长'.repeat(10_001) });
    expect(tooLong.payload.error.code).toBe('invalid');
    const emptyText = await mallory.call('msg.send', { id: newId(), conversationId, text: '   ' });
    expect(emptyText.payload.error.code).toBe('invalid');
  });

  it("refuses another user's conversation as forbidden for send, history and rename", async () => {
    const send = await mallory.call('msg.send', { id: newId(), conversationId: privateGroupId, text: '偷看' });
    expect(send.payload.error.code).toBe('forbidden');
    const range = await mallory.call('msg.range', { conversationId: privateGroupId, afterSeq: 0, limit: 10 });
    expect(range.payload.error.code).toBe('forbidden');
    const rename = await mallory.call('conv.rename', { conversationId: privateGroupId, name: '被我改了' });
    expect(rename.payload.error.code).toBe('forbidden');
    const read = await mallory.call('conv.readStates', { conversationId: privateGroupId });
    expect(read.payload.error.code).toBe('forbidden');
    // A conversation that does not exist looks exactly the same.
    const missing = await mallory.call('msg.send', { id: newId(), conversationId: newId(), text: 'x' });
    expect(missing.payload.error).toEqual(send.payload.error);
    // Claiming someone else's message id is a conflict, and their message is untouched.
    const stolenId = sent[0]!.id;
    const steal = await mallory.call('msg.send', { id: stolenId, conversationId: privateGroupId, text: 'x' });
    expect(steal.payload.error.code).toBe('conflict');
    const history = await bob.request('msg.range', { conversationId: privateGroupId, afterSeq: 0, limit: 10 });
    expect(history.messages.map((m) => m.system?.action)).toEqual(['created']);
  });

  it('closes a socket that sends a frame larger than the limit (1009)', async () => {
    const big = await openClient(relay.url, await signIn(relay.url, 'mallory', 'member-password-1'));
    big.send(JSON.stringify({ id: 'big', type: 'msg.send', payload: { text: 'x'.repeat(MAX_FRAME_BYTES) } }));
    expect((await big.closed).code).toBe(1009);
  });

  it('refuses frames before hello one by one, then closes a socket that keeps sending them (1008)', async () => {
    const early = await openSocket(relay.url);
    const first = await early.call('sync.heads', {});
    expect(first.payload.error.code).toBe('unauthenticated');
    for (let i = 0; i < 10; i++) early.send(JSON.stringify({ id: `e${i}`, type: 'sync.heads', payload: {} }));
    const closed = await early.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/before hello/);

    // Garbage counts too: an unauthenticated socket cannot keep the relay busy with it.
    const noisy = await openSocket(relay.url);
    for (let i = 0; i < 10; i++) noisy.send('garbage');
    expect((await noisy.closed).code).toBe(1008);
  });

  it('refuses a bad token (4001) and an unknown protocol version (4002)', async () => {
    const badToken = await openSocket(relay.url);
    const refused = await badToken.call('hello', {
      protocolVersion: PROTOCOL_VERSION,
      token: 'forged',
      deviceId: newId(),
    });
    expect(refused.payload.error.code).toBe('unauthenticated');
    expect((await badToken.closed).code).toBe(4001);

    const grant = await signIn(relay.url, 'mallory', 'member-password-1');
    const oldClient = await openSocket(relay.url);
    const version = await oldClient.call('hello', {
      protocolVersion: 999,
      token: grant.token,
      deviceId: grant.deviceId,
    });
    expect(version.payload.error.code).toBe('protocol_version');
    const closed = await oldClient.closed;
    expect(closed.code).toBe(4002);
    expect(closed.reason).toMatch(/999/);

    // A malformed hello is a schema error, not a crash.
    const garbled = await openSocket(relay.url);
    const g = await garbled.call('hello', { protocolVersion: 'one', token: 7 });
    expect(g.payload.error.code).toBe('invalid');
    await garbled.close();
  });

  it('rate-limits a flooding socket, then closes it (1008) while others carry on', async () => {
    const flooder = await openClient(relay.url, await signIn(relay.url, 'mallory', 'member-password-1'));
    for (let i = 0; i < RATE.burst * 8; i++) {
      flooder.send(JSON.stringify({ id: `f${i}`, type: 'sync.heads', payload: {} }));
    }
    const closed = await flooder.closed;
    expect(closed).toEqual({ code: 1008, reason: 'rate limit exceeded' });
    const limited = flooder.frames.filter((f) => f.type === 'result' && f.payload?.error?.code === 'rate_limited');
    expect(limited.length).toBeGreaterThan(0);
    // Mallory's other socket works again once the user's shared budget refills.
    await new Promise((r) => setTimeout(r, 200));
    expect((await mallory.request('sync.heads', {})).heads).toBeDefined();
  });

  it("spreading a flood over several sockets does not escape the user's limit", async () => {
    await new Promise((r) => setTimeout(r, 1_000)); // let the budget refill after the previous flood
    const sockets = await Promise.all(
      [1, 2, 3].map(async () => openClient(relay.url, await signIn(relay.url, 'mallory', 'member-password-1'))),
    );
    // Each socket stays under its own limit; together they exceed the user's.
    const answers = await Promise.all(
      sockets.flatMap((s) => Array.from({ length: RATE.burst - 5 }, () => s.call('sync.heads', {}))),
    );
    const limited = answers.filter((f) => f.payload.ok === false && f.payload.error.code === 'rate_limited');
    expect(answers.length).toBeLessThan(RATE.burst * 3);
    expect(limited.length).toBeGreaterThan(0);
    await Promise.all(sockets.map((s) => s.close()));
  });

  it('through all of it the two colleagues received every message, once, in order', async () => {
    await new Promise((r) => setTimeout(r, 100));
    chatting = false;
    await chatter;
    expect(sent.length).toBeGreaterThan(5);
    const last = sent.at(-1)!.id;
    for (const [me, other] of [
      [alice, 'bob'],
      [bob, 'alice'],
    ] as const) {
      await me.waitForFrame((f) => f.type === 'msg.new' && f.payload.message.id === last);
      const received = me.events('msg.new').filter((p) => p.message.conversationId === conversationId);
      const fromOther = sent.filter((s) => s.from === other).map((s) => s.id);
      const got = received.map((p) => p.message.id);
      for (const id of fromOther) expect(got).toContain(id);
      expect(new Set(got).size).toBe(got.length);
      const seqs = received.map((p) => p.message.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
    const history = await alice.request('msg.range', { conversationId, afterSeq: 0, limit: 500 });
    expect(history.messages.map((m) => m.id)).toEqual(sent.map((s) => s.id));
  });
});
