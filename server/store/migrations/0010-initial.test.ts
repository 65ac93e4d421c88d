import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, type Dialect } from '../migrator';
import { emptyStore } from '../test-stores';
import { migration0010 } from './0010-initial';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

async function migrated(dialect: Dialect) {
  const store = await emptyStore(dialect);
  disposers.push(() => store.dispose());
  await migrate(store.db, dialect, [migration0010]);
  // The tables as 0010 made them, not as the current Schema describes them.
  return { db: store.db as unknown as Kysely<any> };
}

describe.each(['sqlite', 'postgres'] as const)('0010-initial on %s', (dialect) => {
  it('stores millis beyond 32 bits and reads them back as numbers', async () => {
    const { db } = await migrated(dialect);
    const now = Date.now();
    await db.insertInto('enterprises').values({ id: 'e1', name: '企信', created_at: now }).execute();
    const row = await db.selectFrom('enterprises').selectAll().executeTakeFirstOrThrow();
    expect(row.created_at).toBe(now);
    expect(row.name).toBe('企信');
  });

  it('allows one enterprise only, one account name and one mobile per person', async () => {
    const { db } = await migrated(dialect);
    await db.insertInto('enterprises').values({ id: 'e1', name: 'a', created_at: 1 }).execute();
    await expect(
      db.insertInto('enterprises').values({ id: 'e2', name: 'b', created_at: 1 }).execute(),
    ).rejects.toThrow();
    const user = { name: 'n', email: null, role: 'member' as const, password_hash: 'h', created_at: 1 };
    await db
      .insertInto('users')
      .values({ ...user, id: 'u1', account: 'zhang', mobile: '138' })
      .execute();
    await db
      .insertInto('users')
      .values({ ...user, id: 'u2', account: 'li', mobile: null })
      .execute();
    await db
      .insertInto('users')
      .values({ ...user, id: 'u3', account: 'wang', mobile: null })
      .execute();
    await expect(
      db
        .insertInto('users')
        .values({ ...user, id: 'u4', account: 'zhang', mobile: null })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('users')
        .values({ ...user, id: 'u5', account: 'zhao', mobile: '138' })
        .execute(),
    ).rejects.toThrow();
  });

  it('keeps one seq per conversation, one direct chat per pair and one row per message id', async () => {
    const { db } = await migrated(dialect);
    const conv = {
      type: 'direct' as const,
      name: null,
      owner_id: 'u1',
      created_at: 1,
      last_seq: 0,
      last_activity_at: 1,
    };
    await db
      .insertInto('conversations')
      .values({ ...conv, id: 'c1', direct_key: 'u1:u2' })
      .execute();
    await expect(
      db
        .insertInto('conversations')
        .values({ ...conv, id: 'c2', direct_key: 'u1:u2' })
        .execute(),
    ).rejects.toThrow();
    const msg = {
      conversation_id: 'c1',
      sender_id: 'u1',
      kind: 'text' as const,
      text: 'hi',
      system: null,
      created_at: 1,
    };
    await db
      .insertInto('messages')
      .values({ ...msg, seq: 1, id: 'm1' })
      .execute();
    await expect(
      db
        .insertInto('messages')
        .values({ ...msg, seq: 1, id: 'm2' })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db
        .insertInto('messages')
        .values({ ...msg, seq: 2, id: 'm1' })
        .execute(),
    ).rejects.toThrow();
  });

  it('numbers changes in increasing order', async () => {
    const { db } = await migrated(dialect);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await db
        .insertInto('changes')
        .values({ user_id: null, kind: 'user', body: '{}', created_at: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(Number(r.id));
    }
    expect(ids[1]).toBeGreaterThan(ids[0]!);
    expect(ids[2]).toBeGreaterThan(ids[1]!);
  });
});
