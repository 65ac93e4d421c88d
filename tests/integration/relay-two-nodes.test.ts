// Two relay nodes behind one PostgreSQL and one Redis: people connected to different
// nodes chat as if there were one relay, and revoking a session reaches every node.
//
// PostgreSQL run only: with SQLite each relay owns its database file and has an
// in-process bus, so "two nodes on one SQLite store" is not a configuration we support.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  createEnterprise,
  newId,
  openClient,
  signIn,
  startTestRelay,
  testStore,
  type TestClient,
  type TestRelay,
} from '../support/relay';

describe.runIf(testStore() === 'postgres')('two relay nodes sharing PostgreSQL + Redis', () => {
  let nodeA: TestRelay;
  let nodeB: TestRelay;
  let admin: TestClient;
  const opened: TestClient[] = [];
  const ids: Record<'mei' | 'jun', string> = { mei: '', jun: '' };

  async function on(node: TestRelay, login: string, device: string) {
    const c = await openClient(node.url, await signIn(node.url, login, 'member-password-1', device));
    opened.push(c);
    return c;
  }

  beforeAll(async () => {
    nodeA = await startTestRelay();
    nodeB = await startTestRelay({ shared: nodeA.shared });
    admin = await openClient(nodeA.url, await createEnterprise(nodeA.url));
    opened.push(admin);
    ids.mei = (await addMember(admin, { account: 'mei', name: '美' })).user.id;
    ids.jun = (await addMember(admin, { account: 'jun', name: '军' })).user.id;
  });

  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close()));
    await nodeB?.close();
    await nodeA?.close();
  });

  it('users on different nodes chat concurrently: everyone sees every message once, in one seq order', async () => {
    const meiA = await on(nodeA, 'mei', 'desktop');
    const junB = await on(nodeB, 'jun', 'desktop');
    const meiPhoneB = await on(nodeB, 'mei', 'phone');
    const { conversation } = await meiA.request('conv.create', { type: 'direct', memberIds: [ids.jun] });
    const conversationId = conversation.id;

    const N = 200;
    const meiIds = Array.from({ length: N }, () => newId());
    const junIds = Array.from({ length: N }, () => newId());
    // Both pipeline their sends at once, so the two nodes interleave writes to one conversation.
    const [meiAcks, junAcks] = await Promise.all([
      Promise.all(meiIds.map((id, i) => meiA.request('msg.send', { id, conversationId, text: `美 ${i}` }))),
      Promise.all(junIds.map((id, i) => junB.request('msg.send', { id, conversationId, text: `军 ${i}` }))),
    ]);
    const seqs = [...meiAcks, ...junAcks].map((a) => a.message.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 2 * N }, (_, i) => i + 1));
    // Each sender's own messages keep the order they were sent in.
    expect(meiAcks.map((a) => a.message.seq)).toEqual([...meiAcks.map((a) => a.message.seq)].sort((a, b) => a - b));
    expect(junAcks.map((a) => a.message.seq)).toEqual([...junAcks.map((a) => a.message.seq)].sort((a, b) => a - b));

    const everyone = [meiA, junB, meiPhoneB];
    const histories = await Promise.all(
      everyone.map((c) => c.request('msg.range', { conversationId, afterSeq: 0, limit: 500 })),
    );
    const order = histories[0]!.messages.map((m) => m.id);
    expect(order).toHaveLength(2 * N);
    for (const h of histories) expect(h.messages.map((m) => m.id)).toEqual(order);

    for (const c of everyone) {
      await c.waitForFrame(
        () => c.events('msg.new').filter((p) => p.message.conversationId === conversationId).length >= 2 * N,
      );
      const live = c.events('msg.new').filter((p) => p.message.conversationId === conversationId);
      expect(live).toHaveLength(2 * N); // exactly once each
      const bySeq = [...live].sort((a, b) => a.message.seq - b.message.seq).map((p) => p.message.id);
      expect(bySeq).toEqual(order);
    }
  });

  it('a change made on one node reaches the user on the other node', async () => {
    const junB = await on(nodeB, 'jun', 'laptop');
    const meiA = await on(nodeA, 'mei', 'laptop');
    const { conversation } = await meiA.request('conv.create', { type: 'group', memberIds: [ids.jun], name: '跨节点' });
    await junB.nextEvent(
      'change',
      (p) => p.change.kind === 'conversation' && p.change.conversation.id === conversation.id,
    );
    await meiA.request('conv.rename', { conversationId: conversation.id, name: '改名了' });
    const notice = await junB.nextEvent('msg.new', (p) => p.message.system?.action === 'renamed');
    expect(notice.message.system?.name).toBe('改名了');
    const { user } = await addMember(admin, { account: 'newbie', name: '新人' });
    await junB.nextEvent('change', (p) => p.change.kind === 'directory');
    const { users } = await junB.request('dir.users', { ids: [user.id] });
    expect(users.map((u) => u.name)).toEqual(['新人']);
  });

  it('revoking a session on node A closes that device’s socket on node B', async () => {
    const junA = await on(nodeA, 'jun', 'office');
    const junPhoneB = await on(nodeB, 'jun', 'old phone');
    await junA.request('auth.revoke', { deviceId: junPhoneB.deviceId });
    const event = await junPhoneB.nextEvent('session.revoked');
    expect(event.reason).toBeTruthy();
    expect((await junPhoneB.closed).code).toBe(4001);
    await expect(openClient(nodeB.url, junPhoneB.grant)).rejects.toMatchObject({ code: 'unauthenticated' });
    // Jun's socket on node A is untouched.
    expect((await junA.request('auth.devices', {})).devices.some((d) => d.current)).toBe(true);
  });
});
