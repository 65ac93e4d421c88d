// The group member limit: 500 by default for the whole enterprise, raised by a super admin up to
// 2,000; every client learns the limit from its sign-in, its snapshot and the change stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/protocol';
import {
  addMember,
  createEnterprise,
  openClient,
  RequestError,
  signIn,
  startTestRelay,
  type TestClient,
  type TestRelay,
} from '../support/relay';
import { seedMembers } from '../support/seed';

let relay: TestRelay;
let admin: TestClient;
let owner: TestClient;
let plain: TestClient;
const clients: TestClient[] = [];

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await openClient(relay.url, await createEnterprise(relay.url));
  const o = await addMember(admin, { name: '张伟', account: 'zhang' });
  const p = await addMember(admin, { name: '李娜', account: 'li' });
  owner = await openClient(relay.url, await signIn(relay.url, 'zhang', o.password));
  plain = await openClient(relay.url, await signIn(relay.url, 'li', p.password));
  clients.push(admin, owner, plain);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await relay?.close();
});

async function refusal(p: Promise<unknown>): Promise<Pick<ErrorBody, 'code' | 'reason'>> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RequestError) return { code: err.error.code, reason: err.error.reason };
    throw err;
  }
  throw new Error('expected the relay to refuse');
}

describe('group size limit', () => {
  it('refuses the 501st member at the default limit; a super admin raises it to 600 and the add goes through', async () => {
    expect(owner.grant.enterprise.groupMaxMembers).toBe(500);
    const seeded = await seedMembers(relay.shared, 600, 'size');
    const ids = seeded.map((u) => u.id);

    // Creating a group of 501 is refused; 500 (the owner and 499 others) is fine.
    const full = { code: 'conflict', reason: 'group_full' };
    expect(
      await refusal(owner.request('conv.create', { type: 'group', memberIds: ids.slice(0, 500), name: '全员群' })),
    ).toEqual(full);
    const { conversation } = await owner.request('conv.create', {
      type: 'group',
      memberIds: ids.slice(0, 499),
      name: '全员群',
    });
    expect(conversation.memberIds).toHaveLength(500);
    expect(
      await refusal(owner.request('conv.addMembers', { conversationId: conversation.id, userIds: [ids[499]!] })),
    ).toEqual(full);
    // Nothing was half-done: still 500 members, no notice for the refused add.
    const before = await owner.request('msg.range', { conversationId: conversation.id, afterSeq: 0, limit: 10 });
    expect(before.messages.map((m) => m.system?.action)).toEqual(['created']);

    // Only a super admin changes the limit, and only within 500..2000.
    expect(await refusal(plain.request('admin.enterprise.update', { groupMaxMembers: 600 }))).toEqual({
      code: 'forbidden',
      reason: 'super_admin_only',
    });
    expect((await refusal(admin.request('admin.enterprise.update', { groupMaxMembers: 2001 }))).code).toBe('invalid');
    expect((await refusal(admin.request('admin.enterprise.update', { groupMaxMembers: 499 }))).code).toBe('invalid');

    const { enterprise } = await admin.request('admin.enterprise.update', { groupMaxMembers: 600 });
    expect(enterprise.groupMaxMembers).toBe(600);
    // Everyone hears of it through the change stream; new sign-ins and snapshots carry it.
    const heard = await plain.nextEvent('change', (p) => p.change.kind === 'enterprise');
    expect(heard.change.kind === 'enterprise' && heard.change.enterprise.groupMaxMembers).toBe(600);
    expect((await plain.request('sync.snapshot', {})).enterprise?.groupMaxMembers).toBe(600);
    const { records } = await admin.request('admin.audit', { action: 'enterprise.updated' });
    expect(records[0]).toMatchObject({ action: 'enterprise.updated', actorId: admin.userId });

    const added = await owner.request('conv.addMembers', {
      conversationId: conversation.id,
      userIds: ids.slice(499, 599),
    });
    expect(added.conversation.memberIds).toHaveLength(600);
    expect(
      await refusal(owner.request('conv.addMembers', { conversationId: conversation.id, userIds: [plain.userId] })),
    ).toEqual(full);
  });
});
