// Test-only seeding: puts many people straight into a relay's store, as a bulk import would,
// skipping admin.addMember's scrypt (~40 ms each). They get no change entries and cannot sign
// in; everything that reads them (sync.snapshot, the directory) runs the real paths.
import { newId } from '../../shared/lib/ids';
import { openStore } from '../../server/store/database';
import type { UserRow } from '../../server/store/schema';
import type { SharedStore } from './relay';

export async function seedMembers(shared: SharedStore, count: number, prefix = 'seed'): Promise<UserRow[]> {
  const store = await openStore({ databaseUrl: shared.databaseUrl, dataDir: shared.dataDir });
  const now = Date.now();
  const rows: UserRow[] = Array.from({ length: count }, (_, i) => ({
    id: newId(),
    account: `${prefix}${i}`,
    name: `${prefix} ${i}`,
    mobile: null,
    email: null,
    role: 'member',
    password_hash: 'seeded: no password',
    created_at: now,
  }));
  try {
    // 100 rows × 8 columns stays under SQLite's bound-parameter limit.
    for (let i = 0; i < rows.length; i += 100) {
      await store.db
        .insertInto('users')
        .values(rows.slice(i, i + 100))
        .execute();
    }
  } finally {
    await store.close();
  }
  return rows;
}
