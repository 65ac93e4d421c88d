// The paged initial snapshot (sync.snapshot) over a 1,201-person enterprise, on the relay
// directly and through a fresh desktop core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, startTestCore, waitFor } from '../support/core';
import {
  addMember,
  createEnterprise,
  openClient,
  startTestRelay,
  type TestClient,
  type TestRelay,
} from '../support/relay';
import { seedMembers } from '../support/seed';

const SEEDED = 1200;
let relay: TestRelay;
let admin: TestClient;
let adminId: string;
let seeded: { id: string }[];

beforeAll(async () => {
  relay = await startTestRelay();
  const grant = await createEnterprise(relay.url);
  adminId = grant.user.id;
  seeded = await seedMembers(relay.shared, SEEDED);
  admin = await openClient(relay.url, grant);
}, 30_000);

afterAll(async () => {
  admin?.close();
  await relay?.close();
  removeTempDirs();
});

describe('sync.snapshot', () => {
  it('a fresh desktop core pages through it and lists every person', async () => {
    const core = await startTestCore(relay.url, { deviceName: 'fresh-pc' });
    try {
      await core.call('session.signIn', { login: 'admin', password: 'admin-password-1' });
      const users = await waitFor(
        async () => {
          const list = (await core.call('directory.list')).users;
          return list.length === SEEDED + 1 ? list : null;
        },
        { what: 'directory of 1,201 people' },
      );
      expect(new Set(users.map((u) => u.id)).size).toBe(SEEDED + 1);
      expect(users.some((u) => u.id === adminId)).toBe(true);
    } finally {
      await core.close();
    }
  });

  it('returns every user exactly once in id-ordered pages; changes made meanwhile replay from the first cursor', async () => {
    const { conversation } = await admin.request('conv.create', {
      type: 'group',
      memberIds: [seeded[0]!.id],
      name: '快照',
    });

    const pages = [await admin.request('sync.snapshot', { afterUserId: null, limit: 500 })];
    const { user: late } = await addMember(admin, { name: '迟到', account: 'late' });
    while (pages.at(-1)!.nextUserId !== null) {
      pages.push(await admin.request('sync.snapshot', { afterUserId: pages.at(-1)!.nextUserId, limit: 500 }));
    }

    expect(pages.map((p) => p.users.length)).toEqual([500, 500, 202]);
    const [first, ...rest] = pages;
    expect(first!.enterprise).not.toBeNull();
    expect(first!.conversations.map((c) => c.id)).toContain(conversation.id);
    for (const p of rest) expect(p).toMatchObject({ enterprise: null, conversations: [] });

    const ids = pages.flatMap((p) => p.users.map((u) => u.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain(adminId);
    expect(pages.map((p) => p.nextUserId)).toEqual([pages[0]!.users.at(-1)!.id, pages[1]!.users.at(-1)!.id, null]);

    // The member added after the first page comes through the change stream from its cursor.
    const changes = await admin.request('sync.changes', { after: first!.cursor });
    expect(changes.changes.some((c) => c.kind === 'user' && c.user.id === late.id)).toBe(true);
    expect(changes.changes.every((c) => c.cursor > first!.cursor)).toBe(true);
  });
});
