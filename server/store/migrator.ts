import { sql, type Kysely } from 'kysely';
import { createLogger } from '../log';
import type { Schema } from './schema';

const log = createLogger('relay.store.migrator');

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  /** 10, 20, 30…: steps of 10 leave room for a fix between two releases. */
  version: number;
  name: string;
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

export class StoreTooNewError extends Error {
  constructor(storeVersion: number, codeVersion: number) {
    super(
      `the store was migrated to version ${storeVersion} by a newer relay, but this relay only knows up to ` +
        `${codeVersion}; upgrade the relay (refusing to start so the newer data is not damaged)`,
    );
    this.name = 'StoreTooNewError';
  }
}

/**
 * Applies pending migrations in order, each in its own transaction together with its
 * record in qixin_migrations. Refuses a store that has a migration this code does not know.
 */
export async function migrate(db: Kysely<Schema>, dialect: Dialect, migrations: Migration[]): Promise<number[]> {
  await db.schema
    .createTable('qixin_migrations')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
    .execute();

  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const codeVersion = sorted.at(-1)?.version ?? 0;
  const applied: number[] = [];
  for (const migration of sorted) {
    const done = await db.transaction().execute(async (trx) => {
      // Two relay nodes starting together on one PostgreSQL must not both migrate.
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7710001)`.execute(trx);
      const rows = await trx.selectFrom('qixin_migrations').select(['version']).execute();
      const storeVersion = Math.max(0, ...rows.map((r) => Number(r.version)));
      if (storeVersion > codeVersion) throw new StoreTooNewError(storeVersion, codeVersion);
      if (rows.some((r) => Number(r.version) === migration.version)) return false;
      await migration.up(trx as unknown as Kysely<any>, dialect);
      await trx
        .insertInto('qixin_migrations')
        .values({ version: migration.version, name: migration.name, applied_at: Date.now() })
        .execute();
      return true;
    });
    if (done) {
      applied.push(migration.version);
      log.info({ version: migration.version, name: migration.name }, 'migration applied');
    }
  }
  // A store newer than the code with nothing pending is caught here.
  const rows = await db.selectFrom('qixin_migrations').select(['version']).execute();
  const storeVersion = Math.max(0, ...rows.map((r) => Number(r.version)));
  if (storeVersion > codeVersion) throw new StoreTooNewError(storeVersion, codeVersion);
  return applied;
}
