import { afterEach, describe, expect, it } from 'vitest';
import { migrate, StoreTooNewError, type Dialect, type Migration } from './migrator';
import { migrations } from './migrations';
import { emptyStore } from './test-stores';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

async function fresh(dialect: Dialect) {
  const store = await emptyStore(dialect);
  disposers.push(() => store.dispose());
  return store;
}

describe.each(['sqlite', 'postgres'] as const)('migrator on %s', (dialect) => {
  it('applies every migration once and records it', async () => {
    const store = await fresh(dialect);
    expect(await migrate(store.db, dialect, migrations)).toEqual(migrations.map((m) => m.version));
    expect(await migrate(store.db, dialect, migrations)).toEqual([]);
    const rows = await store.db.selectFrom('qixin_migrations').selectAll().orderBy('version').execute();
    expect(rows.map((r) => Number(r.version))).toEqual(migrations.map((m) => m.version));
  });

  it('refuses to open a store migrated by a newer relay, with a clear reason', async () => {
    const store = await fresh(dialect);
    const future: Migration = { version: 9990, name: 'from-the-future', up: async () => {} };
    await migrate(store.db, dialect, [...migrations, future]);
    const refused = migrate(store.db, dialect, migrations);
    await expect(refused).rejects.toBeInstanceOf(StoreTooNewError);
    await expect(refused).rejects.toThrow(/version 9990 by a newer relay/);
  });

  it('rolls back a failing migration completely, so a fixed release can retry it', async () => {
    const store = await fresh(dialect);
    const broken: Migration = {
      version: 9000,
      name: 'broken',
      async up(db) {
        await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
        throw new Error('boom');
      },
    };
    await expect(migrate(store.db, dialect, [...migrations, broken])).rejects.toThrow('boom');
    const recorded = await store.db.selectFrom('qixin_migrations').select('version').execute();
    expect(recorded.map((r) => Number(r.version))).toEqual(migrations.map((m) => m.version));
    const tables = (await store.db.introspection.getTables()).map((t) => t.name);
    expect(tables).not.toContain('half_done');
  });
});
