// The audit trail: every admin action and every change of who may do what.
import type { Kysely } from 'kysely';
import type { Migration } from '../migrator';

export const migration0020: Migration = {
  version: 20,
  name: 'audit',
  async up(db: Kysely<any>, dialect) {
    await db.schema
      .createTable('audit_log')
      .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('at', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text')
      .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  },
};
