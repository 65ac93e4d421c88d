import { afterEach, describe, expect, it } from 'vitest';
import { migrate, type Dialect } from '../migrator';
import { emptyStore } from '../test-stores';
import { migration0010 } from './0010-initial';
import { migration0020 } from './0020-audit';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

describe.each(['sqlite', 'postgres'] as const)('0020-audit on %s', (dialect: Dialect) => {
  it('applies on top of 0010 and keeps audit entries in the order they happened', async () => {
    const store = await emptyStore(dialect);
    disposers.push(() => store.dispose());
    await migrate(store.db, dialect, [migration0010]);
    expect(await migrate(store.db, dialect, [migration0010, migration0020])).toEqual([20]);
    const at = Date.now();
    for (const action of ['member.added', 'device.revoked'] as const) {
      await store.db
        .insertInto('audit_log')
        .values({ at, actor_id: 'admin', action, target_id: 'u1', detail: '{}' })
        .execute();
    }
    await store.db
      .insertInto('audit_log')
      .values({ at, actor_id: null, action: 'enterprise.created', target_id: null })
      .execute();
    const rows = await store.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.action, r.at, r.detail])).toEqual([
      ['member.added', at, '{}'],
      ['device.revoked', at, '{}'],
      ['enterprise.created', at, '{}'],
    ]);
  });
});
