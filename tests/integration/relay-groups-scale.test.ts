// A group at the 2,000-member ceiling: created in one conv.create, changed without writing the
// whole view once per member, and every member (and a former one) still sees whole views, live
// and through sync.changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_FRAME_BYTES,
  MessagingLimits,
  type Change,
  type Conversation,
  type RequestResult,
} from '../../shared/protocol';
import { RESULT_BUDGET_BYTES } from '../../server/domain/budget';
import { openStore, type Store } from '../../server/store/database';
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
import { seedMembers } from '../support/seed';

const MEMBERS = MessagingLimits.groupMaxMembersCeiling;
// A change row of the edit may hold a member's own fields, never the member list.
const ROW_BYTES_LIMIT = 1024;
// Generous: the machines running the suite are shared; this is no timing assertion.
const SLOW_MS = 180_000;

let relay: TestRelay;
let store: Store;
let admin: TestClient;
let owner: TestClient;
let li: TestClient;
let wang: TestClient;
let seededIds: string[];
const clients: TestClient[] = [];

beforeAll(async () => {
  relay = await startTestRelay();
  admin = await openClient(relay.url, await createEnterprise(relay.url));
  await admin.request('admin.enterprise.update', { groupMaxMembers: MEMBERS });
  const person = async (name: string, account: string) => {
    const { password } = await addMember(admin, { name, account });
    return openClient(relay.url, await signIn(relay.url, account, password));
  };
  owner = await person('张伟', 'zhang');
  li = await person('李娜', 'li');
  wang = await person('王芳', 'wang');
  clients.push(admin, owner, li, wang);
  // The owner, 李娜, 王芳 and 1,997 seeded people make 2,000; one more joins after 王芳 is removed.
  seededIds = (await seedMembers(relay.shared, MEMBERS - 2, 'scale')).map((u) => u.id);
  store = await openStore({ databaseUrl: relay.shared.databaseUrl, dataDir: relay.shared.dataDir });
}, SLOW_MS);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await store?.close();
  await relay?.close();
});

async function storedSnapshots(): Promise<number> {
  const { n } = await store.db
    .selectFrom('conversation_snapshots')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

async function cursorOf(client: TestClient): Promise<number> {
  return (await client.request('sync.snapshot', {})).cursor;
}

/** Every change after the cursor, page by page, with the pages' sizes on the wire. */
async function readAll(client: TestClient, after: number) {
  const changes: Change[] = [];
  const pages: { count: number; bytes: number; hasMore: boolean }[] = [];
  for (let cursor = after; ;) {
    const page: RequestResult<'sync.changes'> = await client.request('sync.changes', { after: cursor });
    pages.push({ count: page.changes.length, bytes: JSON.stringify(page).length, hasMore: page.hasMore });
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, pages };
  }
}

function conversationsIn(changes: Change[], id: string): Conversation[] {
  return changes.flatMap((c) => (c.kind === 'conversation' && c.conversation.id === id ? [c.conversation] : []));
}

describe(`a ${MEMBERS}-member group`, () => {
  let groupId: string;
  let removedAtSeq: number;

  it(
    'is created in one conv.create, a frame the old 64 KiB limit refused',
    async () => {
      const memberIds = [li.userId, wang.userId, ...seededIds.slice(0, MEMBERS - 3)];
      const frame = JSON.stringify({
        id: 'r1',
        type: 'conv.create',
        payload: { type: 'group', memberIds, name: '全员群' },
      });
      expect(frame.length).toBeGreaterThan(64 * 1024);
      expect(frame.length).toBeLessThan(MAX_FRAME_BYTES);

      const { conversation } = await owner.request('conv.create', { type: 'group', memberIds, name: '全员群' });
      expect(conversation.memberIds).toHaveLength(MEMBERS);
      groupId = conversation.id;
      const heard = await li.nextEvent('change', (p) => p.change.kind === 'conversation', 30_000);
      expect(heard.change.kind === 'conversation' && heard.change.conversation.memberIds).toHaveLength(MEMBERS);
    },
    SLOW_MS,
  );

  it(
    'writes an announcement edit as one shared view plus a small row per member, delivered whole live and after reconnect',
    async () => {
      // 王芳 is removed (a former member keeps her caps), a message follows, and one more person joins.
      const removed = await owner.request('conv.removeMember', { conversationId: groupId, userId: wang.userId });
      removedAtSeq = removed.conversation.lastSeq;
      await owner.request('msg.send', { id: newId(), conversationId: groupId, text: '王芳走后的消息' });
      await owner.request('conv.addMembers', { conversationId: groupId, userIds: [seededIds[MEMBERS - 3]!] });

      const liCursor = await cursorOf(li);
      const before = await store.db
        .selectFrom('changes')
        .select((eb) => eb.fn.max('id').as('max'))
        .executeTakeFirstOrThrow();
      const snapshotsBefore = await storedSnapshots();

      const text = '本周五 18:00 全员大会，请准时参加。';
      const { conversation } = await owner.request('group.setAnnouncement', { conversationId: groupId, text });
      expect(conversation.memberIds).toHaveLength(MEMBERS);
      expect(conversation.announcement?.text).toBe(text);

      // Live: 李娜's socket hears her whole view.
      const heard = await li.nextEvent(
        'change',
        (p) => p.change.kind === 'conversation' && p.change.conversation.announcement?.text === text,
        30_000,
      );
      const live = heard.change.kind === 'conversation' ? heard.change.conversation : null;
      expect(live).toMatchObject({ id: groupId, active: true, pinned: false, announcement: { text } });
      expect(live!.memberIds).toEqual(conversation.memberIds);
      expect(live!.memberIds).not.toContain(wang.userId);

      // Stored: one row per member holding a reference and that member's own fields, and the shared
      // view once; not 2,000 copies of an ~80 KB view.
      const rows = await store.db
        .selectFrom('changes')
        .select(['user_id', 'body', 'snapshot_id'])
        .where('id', '>', Number(before.max ?? 0))
        .execute();
      expect(new Set(rows.map((r) => r.user_id))).toEqual(new Set(conversation.memberIds));
      const rowBytes = rows.reduce((sum, r) => sum + Buffer.byteLength(r.body), 0);
      expect(rowBytes).toBeLessThan(MEMBERS * ROW_BYTES_LIMIT);
      const snapshotIds = new Set(rows.map((r) => r.snapshot_id));
      expect(snapshotIds.size).toBe(1);
      const snapshots = await store.db
        .selectFrom('conversation_snapshots')
        .select(['id', 'body'])
        .where('id', 'in', [...snapshotIds].map(Number))
        .execute();
      const viewBytes = Buffer.byteLength(JSON.stringify(live));
      expect(viewBytes).toBeGreaterThan(MEMBERS * 36);
      const snapshotBytes = Buffer.byteLength(snapshots[0]!.body);
      expect(snapshotBytes).toBeLessThan(viewBytes);
      expect(rowBytes + snapshotBytes).toBeLessThan((MEMBERS * viewBytes) / 100);
      expect((await storedSnapshots()) - snapshotsBefore).toBe(1);

      // After a reconnect, sync.changes gives the same whole view.
      await li.close();
      li = await openClient(relay.url, li.grant);
      clients.push(li);
      const { changes } = await readAll(li, liCursor);
      const synced = conversationsIn(changes, groupId).at(-1)!;
      expect(synced).toEqual(live);
    },
    SLOW_MS,
  );

  it("keeps a former member's caps while her view follows the group's shared part", async () => {
    const latest = (await owner.request('sync.snapshot', {})).conversations.find((c) => c.id === groupId)!;
    expect(latest.lastSeq).toBeGreaterThan(removedAtSeq);

    // Her removal reached her as a change: inactive, stopped at the removal notice.
    const { changes } = await readAll(wang, 0);
    const removal = conversationsIn(changes, groupId).at(-1)!;
    expect(removal).toMatchObject({ active: false, lastSeq: removedAtSeq });

    // She pins the group she left: her own row refers to the current shared part (nothing new
    // stored), and her caps stay where she left.
    const cursor = await cursorOf(wang);
    const stored = await storedSnapshots();
    const pinned = await wang.request('conv.setPrefs', { conversationId: groupId, pinned: true });
    expect(await storedSnapshots()).toBe(stored);
    const expected = { active: false, pinned: true, lastSeq: removedAtSeq, readSeq: 0 };
    expect(pinned.conversation).toMatchObject(expected);
    expect(pinned.conversation.lastActivityAt).toBeLessThan(latest.lastActivityAt);
    const after = conversationsIn((await readAll(wang, cursor)).changes, groupId);
    expect(after).toHaveLength(1);
    expect(after[0]).toEqual(pinned.conversation);
    expect(after[0]).toMatchObject({ memberIds: latest.memberIds, announcement: latest.announcement });
    // And sync.snapshot (read from the tables, not the stream) agrees.
    const fresh = (await wang.request('sync.snapshot', {})).conversations.find((c) => c.id === groupId);
    expect(fresh).toEqual(pinned.conversation);
  });

  it('ends a sync.changes page at the byte budget when big views pile up; hasMore reads the rest', async () => {
    const cursor = await cursorOf(li);
    // Twenty changes of 李娜's own, each expanding to the whole ~80 KB view.
    for (let i = 0; i < 20; i++) {
      await li.request('conv.setPrefs', { conversationId: groupId, tags: [`标签${i}`] });
    }
    const { changes, pages } = await readAll(li, cursor);
    const mine = conversationsIn(changes, groupId);
    expect(mine.map((c) => c.tags)).toEqual(Array.from({ length: 20 }, (_, i) => [`标签${i}`]));
    for (const c of mine) expect(c.memberIds).toHaveLength(MEMBERS);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]!.hasMore).toBe(true);
    for (const page of pages) expect(page.bytes).toBeLessThan(RESULT_BUDGET_BYTES + 128 * 1024);
  });

  it('stores nothing shared again when only a read position moves', async () => {
    const stored = await storedSnapshots();
    const { messages } = await li.request('msg.range', { conversationId: groupId, afterSeq: 0, limit: 50 });
    const { readSeq } = await li.request('msg.read', { conversationId: groupId, seq: messages.at(-1)!.seq });
    expect(readSeq).toBe(messages.at(-1)!.seq);
    const heard = await li.nextEvent(
      'change',
      (p) => p.change.kind === 'conversation' && p.change.conversation.readSeq === readSeq,
      10_000,
    );
    expect(heard.change.kind === 'conversation' && heard.change.conversation.memberIds).toHaveLength(MEMBERS);
    expect(await storedSnapshots()).toBe(stored);
  });
});
