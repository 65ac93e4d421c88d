import { afterEach, describe, expect, it } from 'vitest';
import { migrate, type Dialect } from '../migrator';
import { emptyStore } from '../test-stores';
import { migration0010 } from './0010-initial';
import { migration0020 } from './0020-audit';
import { migration0030 } from './0030-directory';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

async function before0030(dialect: Dialect) {
  const store = await emptyStore(dialect);
  disposers.push(() => store.dispose());
  await migrate(store.db, dialect, [migration0010, migration0020]);
  return store;
}

describe.each(['sqlite', 'postgres'] as const)('0030-directory on %s', (dialect: Dialect) => {
  it('gives an existing enterprise its root department holding every existing user, active and activated', async () => {
    const { db } = await before0030(dialect);
    const created = Date.now() - 1000;
    await db.insertInto('enterprises').values({ id: 'e1', name: '企信科技', created_at: created }).execute();
    // 0010's users columns only: the rows of a relay that predates the directory.
    await db
      .insertInto('users')
      .values(
        ['u1', 'u2', 'u3'].map((id, i) => ({
          id,
          account: `acc${i}`,
          name: `n${i}`,
          mobile: null,
          email: null,
          role: i === 0 ? ('admin' as const) : ('member' as const),
          password_hash: 'scrypt$x',
          created_at: created,
        })) as never,
      )
      .execute();

    expect(await migrate(db, dialect, [migration0010, migration0020, migration0030])).toEqual([30]);

    const departments = await db.selectFrom('departments').selectAll().execute();
    expect(departments).toEqual([
      expect.objectContaining({ id: 'e1', parent_id: null, name: '企信科技', depth: 0, hidden: 0, deleted: 0 }),
    ]);
    const placed = await db.selectFrom('user_departments').selectAll().orderBy('user_id').execute();
    expect(placed).toEqual(['u1', 'u2', 'u3'].map((user_id) => ({ user_id, department_id: 'e1', position: 0 })));
    const users = await db
      .selectFrom('users')
      .select(['id', 'status', 'activated', 'hidden', 'gender', 'alias', 'dir_version'])
      .orderBy('id')
      .execute();
    expect(users).toEqual(
      ['u1', 'u2', 'u3'].map((id) => ({
        id,
        status: 'active',
        activated: 1,
        hidden: 0,
        gender: 'unspecified',
        alias: '',
        dir_version: 1,
      })),
    );
    expect(await db.selectFrom('directory_state').selectAll().execute()).toEqual([
      { singleton: 1, version: 1, epoch: 1 },
    ]);
  });

  it('keeps sibling names unique among live departments only', async () => {
    const { db } = await before0030(dialect);
    await migrate(db, dialect, [migration0010, migration0020, migration0030]);
    const dept = (id: string, deleted: number) => ({
      id,
      parent_id: 'root',
      name: '研发中心',
      sort_order: 0,
      depth: 1,
      hidden: 0,
      deleted,
      dir_version: 1,
      created_at: 1,
      updated_at: 1,
    });
    await db.insertInto('departments').values(dept('d1', 1)).execute();
    await db.insertInto('departments').values(dept('d2', 0)).execute();
    await expect(db.insertInto('departments').values(dept('d3', 0)).execute()).rejects.toThrow();
  });

  it('migrates an empty store without inventing an enterprise', async () => {
    const { db } = await before0030(dialect);
    await migrate(db, dialect, [migration0010, migration0020, migration0030]);
    expect(await db.selectFrom('departments').selectAll().execute()).toEqual([]);
  });
});
