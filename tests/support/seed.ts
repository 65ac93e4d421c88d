// Test-only seeding: puts many people straight into a relay's store, as a bulk import would,
// skipping admin.addMember's scrypt (~40 ms each). Rows carry every directory column (pinyin,
// departments, a fresh directory version) so dir.sync, dir.members and dir.search read them
// through the real paths; no change entry is appended, and seeded people cannot sign in.
import { sql } from 'kysely';
import { newId } from '../../shared/lib/ids';
import { memberRowDefaults } from '../../server/domain/directory/members';
import { openStore } from '../../server/store/database';
import type { UserRow } from '../../server/store/schema';
import type { SharedStore } from './relay';

export interface SeedOptions {
  /** Where member i sits; the root department (the enterprise) by default. */
  departmentId?: string | ((i: number) => string);
  /** Member i's name; `${prefix} ${i}` by default. */
  name?: (i: number) => string;
  /** Whether member i is a hidden member (隐藏成员). */
  hidden?: (i: number) => boolean;
}

// 1,000 rows × 21 columns stays under SQLite's bound-parameter limit.
const CHUNK = 1000;
const USER_COLUMNS: [keyof UserRow, string][] = [
  ['id', 'text'],
  ['account', 'text'],
  ['name', 'text'],
  ['mobile', 'text'],
  ['email', 'text'],
  ['role', 'text'],
  ['password_hash', 'text'],
  ['created_at', 'bigint'],
  ['alias', 'text'],
  ['title', 'text'],
  ['gender', 'text'],
  ['phone', 'text'],
  ['address', 'text'],
  ['manager_id', 'text'],
  ['status', 'text'],
  ['hidden', 'integer'],
  ['activated', 'integer'],
  ['pinyin', 'text'],
  ['initials', 'text'],
  ['dir_version', 'bigint'],
  ['updated_at', 'bigint'],
];

export async function seedMembers(
  shared: SharedStore,
  count: number,
  prefix = 'seed',
  options: SeedOptions = {},
): Promise<UserRow[]> {
  const store = await openStore({ databaseUrl: shared.databaseUrl, dataDir: shared.dataDir });
  try {
    const seeded = await store.db.transaction().execute(async (trx) => {
      const root = await trx.selectFrom('enterprises').select('id').executeTakeFirstOrThrow();
      const { version } = await trx
        .updateTable('directory_state')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .returning('version')
        .executeTakeFirstOrThrow();
      const now = Date.now();
      const where = options.departmentId ?? root.id;
      const rows: UserRow[] = Array.from({ length: count }, (_, i) => {
        const name = options.name?.(i) ?? `${prefix} ${i}`;
        return {
          id: newId(),
          account: `${prefix}${i}`,
          name,
          mobile: null,
          email: null,
          role: 'member',
          created_at: now,
          alias: '',
          title: '',
          gender: 'unspecified',
          phone: null,
          address: '',
          manager_id: null,
          status: 'active',
          hidden: options.hidden?.(i) ? 1 : 0,
          ...memberRowDefaults(name, Number(version), now),
          // Seeded people look activated but hold no usable password.
          activated: 1,
          password_hash: 'seeded: no password',
        };
      });
      const departmentOf = (i: number) => (typeof where === 'string' ? where : where(i));
      if (store.dialect === 'postgres') {
        // One array per column: a handful of parameters instead of 21 per row (PostgreSQL only).
        for (let i = 0; i < rows.length; i += 10 * CHUNK) {
          const chunk = rows.slice(i, i + 10 * CHUNK);
          const column = <K extends keyof UserRow>(k: K) => chunk.map((r) => r[k]);
          await sql`insert into users (${sql.join(USER_COLUMNS.map(([c]) => sql.ref(c)))})
            select * from unnest(${sql.join(USER_COLUMNS.map(([c, type]) => sql`${column(c)}::${sql.raw(type)}[]`))})`.execute(
            trx,
          );
          await sql`insert into user_departments (user_id, department_id, position)
            select u, d, 0 from unnest(${chunk.map((r) => r.id)}::text[], ${chunk.map((_, j) => departmentOf(i + j))}::text[]) as t(u, d)`.execute(
            trx,
          );
        }
      } else {
        for (let i = 0; i < rows.length; i += CHUNK) {
          const chunk = rows.slice(i, i + CHUNK);
          await trx.insertInto('users').values(chunk).execute();
          await trx
            .insertInto('user_departments')
            .values(chunk.map((r, j) => ({ user_id: r.id, department_id: departmentOf(i + j), position: 0 })))
            .execute();
        }
      }
      return rows;
    });
    // Fresh planner statistics, as after any bulk load (an import does the same).
    await sql`analyze users`.execute(store.db);
    await sql`analyze user_departments`.execute(store.db);
    return seeded;
  } finally {
    await store.close();
  }
}
